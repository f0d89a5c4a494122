// SPDX-License-Identifier: GPL-2.0
/*
 * The errors that matter, on top: the error rows (syscall, errno, path,
 * uid, comm) grouped by syscall and errno, denials and I/O errors first,
 * and the lookups every program makes and expects to fail folded apart,
 * by the rule of error_expected() (ftio-report(1), "Errors").
 */
#include <errno.h>
#include <stdlib.h>

#include "report/report.h"
#include "report/findings.h"
#include <ftio/table.h>
#include <ftio/syscall-table.h>
#include "lib/util.h"

/* Paths where the dynamic loader and the C library's locale code look, expecting misses */
static const char *const search_dirs[] = {
	"/lib/", "/lib64/", "/lib32/", "/usr/lib/", "/usr/lib64/", "/usr/lib32/", "/usr/local/lib/",
	"/usr/share/locale/", "/usr/share/locale-langpack/", "/usr/share/i18n/", "/etc/ld.so.",
	NULL,
};

/* Where libselinux looks to learn whether SELinux is on (statfs, access): absent without it */
static const char *const selinux_probes[] = {
	"/sys/fs/selinux", "/selinux", "/etc/selinux/config", NULL,
};

static bool is_getxattr(const char *sc)
{
	static const char *const names[] = {
		"getxattr", "lgetxattr", "fgetxattr", "getxattrat", NULL,
	};

	for (int i = 0; names[i]; i++)
		if (!strcmp(sc, names[i]))
			return true;
	return false;
}

static bool is_stat_like(const char *sc)
{
	static const char *const names[] = {
		"stat", "lstat", "newstat", "newlstat", "newfstatat", "fstatat64", "statx", "access",
		"faccessat", "faccessat2", "readlink", "readlinkat", NULL,
	};

	for (int i = 0; names[i]; i++)
		if (!strcmp(sc, names[i]))
			return true;
	return false;
}

static bool is_exec(const char *sc)
{
	return !strcmp(sc, "execve") || !strcmp(sc, "execveat");
}

static void add_found_name(struct strmap_entry *e, void *arg)
{
	const struct agg *a = e->val;
	const char *slash = memrchr(e->key, '/', e->key_len);

	if (a->count > a->errors && slash && slash + 1 < e->key + e->key_len)
		strmap_insert(arg, slash + 1, e->key + e->key_len - slash - 1, e->val, NULL);
}

/* A search along $PATH: another directory's file of that name was used successfully */
static bool found_elsewhere(struct report *r, const char *path)
{
	const char *name = strrchr(path, '/');

	if (!name || !name[1])
		return false;
	if (!r->found_names_built) {
		strmap_for_each(&r->by_file, add_found_name, &r->found_names);
		r->found_names_built = true;
	}
	name++;
	return strmap_get(&r->found_names, name, strlen(name)) != NULL;
}

bool error_expected(struct report *r, const struct error_row *e)
{
	const struct agg *a;

	/* no such attribute: ls and cp ask every file for its ACLs and label */
	if (e->err == ENODATA)
		return is_getxattr(e->syscall);
	if (e->err != ENOENT)
		return false;
	for (int i = 0; e->path && selinux_probes[i]; i++)
		if (!strcmp(e->path, selinux_probes[i]))
			return true;
	/* the loader's access("/etc/ld.so.preload"): it calls the kernel directly, unnamed */
	if (!e->path)
		return !strcmp(e->syscall, "access") || !strcmp(e->syscall, "faccessat");
	for (int i = 0; search_dirs[i]; i++)
		if (!strncmp(e->path, search_dirs[i], strlen(search_dirs[i])))
			return true;
	/* a stat before a create: the capture also used the path successfully */
	a = strmap_get(&r->by_file, e->path, strlen(e->path));
	if (is_stat_like(e->syscall) && a && a->count > a->errors)
		return true;
	/* a search along $PATH: the shell's execve, execvp's and which's stats */
	return (is_exec(e->syscall) || is_stat_like(e->syscall)) && found_elsewhere(r, e->path);
}

int error_class(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return ERR_DENIED;
	case EIO:
	case ENOSPC:
	case EROFS:
	case ESTALE:
	case EDQUOT:
	case EFBIG:
	case ENXIO:
	case ENODEV:
	case ETIMEDOUT:
	case EREMOTEIO:
	case ENOLINK:
	case EUCLEAN:
		return ERR_IO;
	default:
		return ERR_OTHER;
	}
}

const char *const error_class_names[] = {
	[ERR_DENIED] = "denied", [ERR_IO] = "io", [ERR_OTHER] = "other",
};

static int group_cmp(const void *a, const void *b)
{
	const struct error_group *x = ((const struct report_row *)a)->val;
	const struct error_group *y = ((const struct report_row *)b)->val;
	int c;

	if (x->expected != y->expected)
		return x->expected - y->expected;
	if (x->class != y->class)
		return x->class - y->class;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	c = strcmp(x->syscall, y->syscall);
	return c ? c : x->err - y->err;
}

static void top_add(const char **names, uint64_t *counts, int *pids, size_t *n, const char *name,
		    int pid, uint64_t count)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp(names[i], name) && pids[i] == pid)
			break;
	if (i == *n) {
		if (*n == ERROR_GROUP_TOP) {
			/* the least of the kept gives way to a bigger one */
			size_t least = 0;

			for (size_t k = 1; k < *n; k++)
				if (counts[k] < counts[least])
					least = k;
			if (counts[least] >= count)
				return;
			i = least;
			counts[i] = 0;
		} else {
			(*n)++;
		}
		names[i] = name;
		pids[i] = pid;
	}
	counts[i] += count;
	/* most first */
	for (; i > 0 && counts[i] > counts[i - 1]; i--) {
		const char *t = names[i];
		uint64_t c = counts[i];
		int p = pids[i];

		names[i] = names[i - 1], counts[i] = counts[i - 1], pids[i] = pids[i - 1];
		names[i - 1] = t, counts[i - 1] = c, pids[i - 1] = p;
	}
}

struct report_row *error_group_rows(struct report *r, void *state, size_t *n)
{
	size_t nr;
	struct report_row *er = report_rows_str(&r->errors, &nr);
	struct report_row *rows = xcalloc(1, (nr + 1) * sizeof(*rows) +
					  (nr + 1) * sizeof(struct error_group));
	struct error_group *g = (struct error_group *)(rows + nr + 1);
	static const char unknown[] = "?";

	*n = 0;
	qsort(er, nr, sizeof(*er), report_row_error_desc);
	for (size_t i = 0; i < nr; i++) {
		const struct error_row *e = er[i].val;
		bool expected = error_expected(r, e);
		struct error_group *k = NULL;
		int none[ERROR_GROUP_TOP];

		for (size_t j = 0; j < *n && !k; j++)
			if (g[j].syscall == e->syscall && g[j].err == e->err && g[j].expected == expected)
				k = &g[j];
		if (!k) {
			k = &g[(*n)++];
			k->syscall = e->syscall;
			k->err = e->err;
			k->expected = expected;
			k->class = error_class(e->err);
			rows[*n - 1].val = k;
		}
		k->count += e->count;
		k->rows++;
		top_add(k->paths, k->path_counts, none, &k->nr_paths, e->path ? e->path : unknown, 0,
			e->count);
		top_add(k->comms, k->comm_counts, k->pids, &k->nr_comms, e->comm, e->pid, e->count);
		if (!k->first_ns || e->first_ns < k->first_ns)
			k->first_ns = e->first_ns;
	}
	free(er);
	qsort(rows, *n, sizeof(*rows), group_cmp);
	return rows;
}

#define GRP(row) ((const struct error_group *)(row)->val)

static void grp_syscall(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = GRP(row)->syscall;
}

static void grp_errno(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = table_errno_str(GRP(row)->err);
}

static void grp_class(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = GRP(row)->expected ? "expected" : error_class_names[GRP(row)->class];
}

static void grp_count(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = GRP(row)->count;
}

/* "cat(3345) x2, setpriv(3345)": the processes with most calls first */
static void grp_procs(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct error_group *g = GRP(row);
	size_t len = 0;

	c->buf[0] = '\0';
	for (size_t i = 0; i < g->nr_comms && len < sizeof(c->buf) - 40; i++)
		len += snprintf(c->buf + len, sizeof(c->buf) - len, "%s%.15s(%d)", i ? "," : "",
				g->comms[i], g->pids[i]);
	c->s = c->buf;
}

/* The paths with most calls first; the rest counted */
static void grp_paths(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct error_group *g = GRP(row);
	size_t len = 0;

	c->buf[0] = '\0';
	for (size_t i = 0; i < g->nr_paths && i < 2 && len < sizeof(c->buf) - 60; i++)
		len += snprintf(c->buf + len, sizeof(c->buf) - len, "%s%.*s", i ? ", " : "",
				(int)(sizeof(c->buf) - len - 50), g->paths[i]);
	if (g->rows > 2 && g->nr_paths >= 2)
		snprintf(c->buf + len, sizeof(c->buf) - len, " (+%zu more)", g->rows - 2);
	c->s = c->buf;
}

static void grp_first(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = GRP(row)->first_ns > r->start_ns ? GRP(row)->first_ns - r->start_ns : 0;
}

static void grp_lists_json(struct report *r, const struct report_row *row, struct strbuf *sb)
{
	const struct error_group *g = GRP(row);

	strbuf_addf(sb, ",\"expected\":%s,\"rows\":%zu,\"processes\":[", g->expected ? "true" : "false",
		    g->rows);
	for (size_t i = 0; i < g->nr_comms; i++) {
		strbuf_addf(sb, "%s{\"pid\":%d,\"comm\":", i ? "," : "", g->pids[i]);
		strbuf_add_json_value(sb, g->comms[i]);
		strbuf_addf(sb, ",\"count\":%llu}", (unsigned long long)g->comm_counts[i]);
	}
	strbuf_addstr(sb, "],\"paths\":[");
	for (size_t i = 0; i < g->nr_paths; i++) {
		strbuf_addf(sb, "%s{\"path\":", i ? "," : "");
		if (strcmp(g->paths[i], "?"))
			strbuf_add_json_value(sb, g->paths[i]);
		else
			strbuf_addstr(sb, "null");
		strbuf_addf(sb, ",\"count\":%llu}", (unsigned long long)g->path_counts[i]);
	}
	strbuf_addch(sb, ']');
}

/* The groups the text folds: one line for all the expected lookups */
static void groups_footer(struct report *r, void *state, size_t nr_rows, struct strbuf *out)
{
	size_t n;
	struct report_row *rows = error_group_rows(r, NULL, &n);
	uint64_t calls = 0, groups = 0, shown = 0;

	for (size_t i = 0; i < n; i++) {
		if (GRP(&rows[i])->expected) {
			calls += GRP(&rows[i])->count;
			groups++;
		} else {
			shown++;
		}
	}
	if (calls)
		/* the kinds are many now: the man page lists them, the line fits 80 columns */
		strbuf_addf(out, "  (%llu expected lookups folded, by the rule in ftio-report(1); see --errors)\n",
			    (unsigned long long)calls);
	if (shown > r->top)
		strbuf_addf(out, "  (%llu more groups: see --top, --errors or --json)\n",
			    (unsigned long long)(shown - r->top));
	free(rows);
}

/* The text's rows: the groups that are not expected lookups */
static struct report_row *text_group_rows(struct report *r, void *state, size_t *n)
{
	struct report_row *rows = error_group_rows(r, state, n);
	size_t kept = 0;

	for (size_t i = 0; i < *n; i++)
		if (!GRP(&rows[i])->expected)
			rows[kept++] = rows[i];
	*n = kept;
	return rows;
}

static const struct table_col group_cols[] = {
	{ "SYSCALL", "syscall", COL_STR, -12, 0, grp_syscall, NULL },
	{ "ERRNO", "errno", COL_STR, -8, 0, grp_errno, NULL },
	{ NULL, "class", COL_STR, 0, 0, grp_class, NULL },
	{ "COUNT", "count", COL_U64, 6, 0, grp_count, NULL },
	{ NULL, "first_ns", COL_U64, 0, 0, grp_first, NULL },
	{ NULL, NULL, COL_JSON, 0, 0, NULL, grp_lists_json },
	{ "PROCESSES", NULL, COL_STR, -16, COL_ESC, grp_procs, NULL },
	{ "PATHS", NULL, COL_PATH, 0, 0, grp_paths, NULL },
};

/* JSON: every group; the text's Errors section: see table_error_groups_text */
const struct table_desc table_error_groups = {
	.title = "Errors (by syscall and errno: denials and I/O errors first)",
	.key = "error_groups",
	COLS(group_cols),
	.rows = error_group_rows,
};

const struct table_desc table_error_groups_text = {
	.title = "Errors (by syscall and errno: denials and I/O errors first)",
	COLS(group_cols),
	.rows = text_group_rows,
	.text_limit = LIMIT_TOP,
	.text_footer = groups_footer,
};

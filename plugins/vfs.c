// SPDX-License-Identifier: GPL-2.0
/*
 * The vfs layer, where the kernel has kprobes: path lookup and the origin
 * of errors, from dynamic kprobe/kretprobe events on the functions this
 * kernel actually has (chosen from /proc/kallsyms at record time).
 *
 *  - getname_flags with ustring: the path of every path-taking syscall,
 *    static binaries included -- the first rung of the path ladder;
 *  - link_path_walk (or path_lookupat) entry/return: the directory walk of
 *    a lookup, a "lookup" child of the call;
 *  - __lookup_slow entry/return: lookups that missed the dentry cache and
 *    asked the filesystem, with the name and its directory;
 *  - lookup_fast: hits, counted;
 *  - kretprobes on generic_permission, inode_permission, may_open and
 *    do_filp_open: the innermost function that returned the error first,
 *    so "EACCES from generic_permission" instead of just EACCES.
 *
 * On a kernel without kprobe_events the recorder skips all of it and
 * `ftio probe` says "unavailable: no kprobe_events".
 */
#include <stdio.h>
#include <stdlib.h>

#include <event-parse.h>
#include <ftio/event.h>
#include <ftio/hist.h>
#include <ftio/intmap.h>
#include <ftio/layer.h>
#include <ftio/model.h>
#include <ftio/strbuf.h>
#include <ftio/strmap.h>
#include <ftio/util.h>

static const char *const errno_funcs[] = {
	"generic_permission", "inode_permission", "may_open", "do_filp_open",
};

static void vfs_plan(struct record_plan *p)
{
	static const char *const getname[] = { "getname_flags", NULL };
	static const char *const getname_u[] = { "getname_uflags", NULL };
	static const char *const getname_o[] = { "getname", NULL };
	/* compiler clones (link_path_walk.part.0.constprop.0) are found too */
	static const char *const walk[] = { "link_path_walk", "path_lookupat", NULL };
	static const char *const slow[] = { "__lookup_slow", NULL };
	static const char *const fast[] = { "lookup_fast", NULL };

	/*
	 * getname_flags may be inlined into its callers (it is into getname on
	 * Debian's 6.1), so the three entry points are probed; the first to
	 * name a call wins, the others are ignored.
	 */
	plan_add_kprobe(p, "vfs_getname", getname, "ptr=ARG0 path=+0(ARG0):ustring", false);
	plan_add_kprobe(p, "vfs_getname_u", getname_u, "ptr=ARG0 path=+0(ARG0):ustring", false);
	plan_add_kprobe(p, "vfs_getname_o", getname_o, "ptr=ARG0 path=+0(ARG0):ustring", false);
	plan_add_kprobe(p, "vfs_walk", walk, NULL, false);
	plan_add_kprobe(p, "vfs_walk_ret", walk, "ret=$retval:s32", true);
#if defined(__x86_64__)
	/*
	 * struct qstr's name is at +8; a dentry's d_name.name at +40 on
	 * x86_64 since 5.x (d_flags, d_seq, d_hash, d_parent, d_name).
	 */
	plan_add_kprobe(p, "vfs_slow", slow, "name=+0(+8(ARG0)):string dir=+0(+40(ARG1)):string",
			false);
#else
	plan_add_kprobe(p, "vfs_slow", slow, "name=+0(+8(ARG0)):string", false);
#endif
	plan_add_kprobe(p, "vfs_slow_ret", slow, NULL, true);
	plan_add_kprobe(p, "vfs_fast", fast, NULL, false);
	for (size_t i = 0; i < ARRAY_SIZE(errno_funcs); i++) {
		const char *sym[] = { errno_funcs[i], NULL };
		char ev[64];

		snprintf(ev, sizeof(ev), "vfs_err_%s", errno_funcs[i]);
		plan_add_kprobe(p, ev, sym, "ret=$retval:s32", true);
	}
}

struct dir_stats {
	uint64_t count, total_ns, max_ns;
	char *mount;
};

struct vfs_state {
	struct intmap walk;		/* tid -> start ts + 1 */
	struct intmap slow;		/* tid -> struct slow_open */
	struct strmap dirs;		/* directory name -> struct dir_stats */
	struct hist walk_lat, slow_lat;
	uint64_t fast, slow_count, walks, getnames, origins;
	struct field_ref g_ptr, g_path, s_name, s_dir, e_ret;
	int id_getname, id_getname_u, id_getname_o, id_walk, id_walk_ret, id_slow, id_slow_ret,
	    id_fast;
	int id_err[ARRAY_SIZE(errno_funcs)];
	bool present;
};

struct slow_open {
	uint64_t ts;
	char *dir;
};

static int ev_id(struct report *r, const char *name)
{
	const char *group = report_attr(r, "meta/dyn_group");
	struct tep_event *e = group ? tep_find_event_by_name(decoder_tep(report_decoder(r)),
							     group, name) : NULL;

	return e ? e->id : -1;
}

static void add_child(struct call *c, const char *what, uint64_t start, uint64_t lat)
{
	struct call_child *ch = call_child_find(c, "lookup", what, 0);

	if (!ch) {
		struct call_child n = { .layer = "lookup", .what = what, .start_ns = start };

		call_add_child(c, &n);
		ch = call_child_find(c, "lookup", what, 0);
	}
	if (ch) {
		ch->count++;
		ch->latency_ns += lat;
	}
}

static void on_vfs(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct vfs_state *st = priv;
	struct decoder *d = report_decoder(r);
	struct call *c = report_current_call(r, ev->pid);
	int id = ev->event->id;
	const char *s;
	int len;

	if (id == st->id_getname || id == st->id_getname_u || id == st->id_getname_o) {
		s = field_str(d, ev, &st->g_path, &len);
		st->getnames++;
		if (s)
			report_path_offer(r, ev->pid, field_u64(d, ev, &st->g_ptr), s, len, PATH_KPROBE);
	} else if (id == st->id_walk) {
		if (!intmap_get(&st->walk, ev->pid))
			intmap_put_u64(&st->walk, ev->pid, ev->ts);
	} else if (id == st->id_walk_ret) {
		uint64_t start;

		if (!intmap_del_u64(&st->walk, ev->pid, &start))
			return;
		st->walks++;
		hist_add(&st->walk_lat, ev->ts - start);
		if (c && c->start_ns <= start)
			add_child(c, "walk", start, ev->ts - start);
	} else if (id == st->id_slow) {
		struct slow_open *so = xcalloc(1, sizeof(*so));
		const char *dir = field_str(d, ev, &st->s_dir, &len);

		so->ts = ev->ts;
		so->dir = dir ? xstrndup(dir, len) : NULL;
		so = intmap_put(&st->slow, ev->pid, so);
		if (so) {
			free(so->dir);
			free(so);
		}
	} else if (id == st->id_slow_ret) {
		struct slow_open *so = intmap_del(&st->slow, ev->pid);
		uint64_t lat;

		if (!so)
			return;
		lat = ev->ts - so->ts;
		st->slow_count++;
		hist_add(&st->slow_lat, lat);
		if (c && c->start_ns <= so->ts)
			add_child(c, "slow", so->ts, lat);
		{
			const char *key = so->dir ? so->dir : "?";
			struct strmap_entry *e = strmap_insert(&st->dirs, key, strlen(key), NULL, NULL);
			struct dir_stats *ds = e->val;

			if (!ds) {
				ds = e->val = xcalloc(1, sizeof(*ds));
				if (c && c->path) {
					const struct mount *mt = model_mount(report_model(r), c->path);

					ds->mount = mt ? xstrdup(mt->point) : NULL;
				}
			}
			ds->count++;
			ds->total_ns += lat;
			if (lat > ds->max_ns)
				ds->max_ns = lat;
		}
		free(so->dir);
		free(so);
	} else if (id == st->id_fast) {
		st->fast++;
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(errno_funcs); i++) {
			if (id != st->id_err[i])
				continue;
			/* returns come innermost first: keep the first failure */
			if (c && !c->err_origin && field_s64(d, ev, &st->e_ret) < 0) {
				c->err_origin = errno_funcs[i];
				st->origins++;
			}
		}
	}
}

static void *vfs_report_init(struct report *r)
{
	struct vfs_state *st = xcalloc(1, sizeof(*st));
	struct tep_handle *tep = decoder_tep(report_decoder(r));
	const char *group = report_attr(r, "meta/dyn_group");

	hist_init(&st->walk_lat);
	hist_init(&st->slow_lat);
	st->id_getname = ev_id(r, "vfs_getname");
	st->id_getname_u = ev_id(r, "vfs_getname_u");
	st->id_getname_o = ev_id(r, "vfs_getname_o");
	st->id_walk = ev_id(r, "vfs_walk");
	st->id_walk_ret = ev_id(r, "vfs_walk_ret");
	st->id_slow = ev_id(r, "vfs_slow");
	st->id_slow_ret = ev_id(r, "vfs_slow_ret");
	st->id_fast = ev_id(r, "vfs_fast");
	for (size_t i = 0; i < ARRAY_SIZE(errno_funcs); i++) {
		char name[64];

		snprintf(name, sizeof(name), "vfs_err_%s", errno_funcs[i]);
		st->id_err[i] = ev_id(r, name);
		if (st->id_err[i] >= 0 && !st->e_ret.valid)
			field_ref_init(&st->e_ret, tep_find_event(tep, st->id_err[i]), "ret");
	}
	{
		/* the three getname probes have the same fetch args, so the same layout */
		int gid = st->id_getname >= 0 ? st->id_getname :
			  st->id_getname_u >= 0 ? st->id_getname_u : st->id_getname_o;

		if (gid >= 0) {
			/* getname copies the path of nearly every path-taking syscall */
			report_path_covers(r, NULL);
			field_ref_init(&st->g_ptr, tep_find_event(tep, gid), "ptr");
			field_ref_init(&st->g_path, tep_find_event(tep, gid), "path");
		}
	}
	if (st->id_slow >= 0) {
		field_ref_init(&st->s_name, tep_find_event(tep, st->id_slow), "name");
		field_ref_init(&st->s_dir, tep_find_event(tep, st->id_slow), "dir");
	}
	st->present = st->id_getname >= 0 || st->id_getname_u >= 0 || st->id_getname_o >= 0 ||
		      st->id_walk >= 0 || st->id_slow >= 0;
	if (st->present && group)
		report_on_system(r, group, on_vfs, st);
	return st;
}

static void collect_dir(struct strmap_entry *e, void *arg)
{
	struct report_row **row = arg;

	(*row)->key = e->key;
	(*row)++->val = e->val;
}

#define DIR_STATS(row) ((const struct dir_stats *)(row)->val)

static int dir_cmp(const void *a, const void *b)
{
	const struct dir_stats *x = DIR_STATS((const struct report_row *)a);
	const struct dir_stats *y = DIR_STATS((const struct report_row *)b);

	return x->total_ns < y->total_ns ? 1 : x->total_ns > y->total_ns ? -1 : 0;
}

/* The directories of slow lookups, the slowest first (none when not recorded) */
static struct report_row *dir_rows(struct report *r, void *state, size_t *n)
{
	struct vfs_state *st = state;
	struct report_row *rows = xcalloc(st->dirs.len + 1, sizeof(*rows)), *end = rows;

	strmap_for_each(&st->dirs, collect_dir, &end);
	*n = end - rows;
	qsort(rows, *n, sizeof(*rows), dir_cmp);
	return rows;
}

/* The text cuts the names to their columns, as the hand-written section did */
static void dir_text(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = row->key;
}

static void dir_name(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = row->key;
}

static void dir_mount_text(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = DIR_STATS(row)->mount ? DIR_STATS(row)->mount : "?";
}

static void dir_mount(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = DIR_STATS(row)->mount;
	c->null = !c->s;
}

static void dir_count(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = DIR_STATS(row)->count;
}

static void dir_total(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = DIR_STATS(row)->total_ns;
}

static void dir_max(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = DIR_STATS(row)->max_ns;
}

/* The title, then the counts, or why the layer recorded nothing */
static void vfs_title(struct report *r, void *state, struct strbuf *out)
{
	struct vfs_state *st = state;
	char b[4][32];

	strbuf_addstr(out, "Path lookup (kprobes)\n");
	if (!st->present) {
		const char *strategy = report_attr(r, "meta/strategy");
		const char *vfs = strategy ? strstr(strategy, "vfs=") : NULL;

		/* the recorder said why: "vfs=unavailable(no kprobe_events)" */
		strbuf_addf(out, "  %.*s", vfs ? (int)strcspn(vfs + 4, ")") + 1 : 32,
			    vfs ? vfs + 4 : "not recorded (layer not enabled)");
		return;
	}
	strbuf_addf(out, "  %llu walks (p50 %s, p99 %s), %llu fast-path hits, %llu slow lookups "
		    "(p99 %s, max %s), %llu path strings, %llu error origins",
		    (unsigned long long)st->walks, fmt_ns(b[0], 32, hist_percentile(&st->walk_lat, 50)),
		    fmt_ns(b[1], 32, hist_percentile(&st->walk_lat, 99)),
		    (unsigned long long)st->fast, (unsigned long long)st->slow_count,
		    fmt_ns(b[2], 32, hist_percentile(&st->slow_lat, 99)),
		    fmt_ns(b[3], 32, hist_max(&st->slow_lat)), (unsigned long long)st->getnames,
		    (unsigned long long)st->origins);
}

static bool vfs_recorded(struct report *r, void *state)
{
	return ((struct vfs_state *)state)->present;
}

/* The directories are inside an object with the counts */
static void vfs_json_before(struct report *r, void *state, struct strbuf *out)
{
	struct vfs_state *st = state;

	strbuf_addf(out, ",\"lookup\":{\"walks\":%llu,\"walk_p50_ns\":%llu,\"walk_p99_ns\":%llu,"
		    "\"fast\":%llu,\"slow\":%llu,\"slow_p99_ns\":%llu,\"slow_max_ns\":%llu,"
		    "\"path_strings\":%llu,\"error_origins\":%llu",
		    (unsigned long long)st->walks,
		    (unsigned long long)hist_percentile(&st->walk_lat, 50),
		    (unsigned long long)hist_percentile(&st->walk_lat, 99),
		    (unsigned long long)st->fast, (unsigned long long)st->slow_count,
		    (unsigned long long)hist_percentile(&st->slow_lat, 99),
		    (unsigned long long)hist_max(&st->slow_lat), (unsigned long long)st->getnames,
		    (unsigned long long)st->origins);
}

static void vfs_json_after(struct report *r, void *state, struct strbuf *out)
{
	strbuf_addch(out, '}');
}

static const struct table_col dir_cols[] = {
	{ "SLOW LOOKUPS IN DIRECTORY", NULL, COL_STR, -30, COL_CLIP, dir_text, NULL },
	{ NULL, "dir", COL_STR, 0, 0, dir_name, NULL },
	{ "MOUNT", NULL, COL_STR, -24, COL_CLIP, dir_mount_text, NULL },
	{ NULL, "mount", COL_STR, 0, 0, dir_mount, NULL },
	{ "COUNT", "count", COL_U64, 7, 0, dir_count, NULL },
	{ "TOTAL", "total_ns", COL_NS, 9, 0, dir_total, NULL },
	{ "MAX", "max_ns", COL_NS, 9, 0, dir_max, NULL },
};

static const struct table_desc vfs_table = {
	.key = "slow_dirs",
	COLS(dir_cols),
	.rows = dir_rows,
	.text_limit = LIMIT_TOP,
	.json_limit = LIMIT_TOP,
	.header_with_rows = true,
	.text_title = vfs_title,
	.json_before = vfs_json_before,
	.json_after = vfs_json_after,
	.recorded = vfs_recorded,
	.json_absent = "lookup",
};

static const struct table_desc *const vfs_tables[] = { &vfs_table, NULL };

static void free_dir(void *p)
{
	struct dir_stats *ds = p;

	if (ds) {
		free(ds->mount);
		free(ds);
	}
}

static void vfs_report_free(void *state)
{
	struct vfs_state *st = state;
	uint64_t k;
	void *v;

	intmap_release_u64(&st->walk);
	for (size_t i = 0; intmap_next(&st->slow, &i, &k, &v);) {
		struct slow_open *so = v;

		free(so->dir);
		free(so);
	}
	intmap_release(&st->slow);
	strmap_release(&st->dirs, free_dir);
	hist_release(&st->walk_lat);
	hist_release(&st->slow_lat);
	free(st);
}

const struct ftio_layer layer_vfs = {
	.name = "vfs",
	.summary = "path lookup and error origins through kprobes (kernels with kprobe_events)",
	.plan = vfs_plan,
	.report_init = vfs_report_init,
	.tables = vfs_tables,
	.report_free = vfs_report_free,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * What the reading commands share in front of the report engine: the
 * filter options (report, export) and the sorted table rows (text, JSON,
 * HTML), so that every view filters and orders the same way.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "report/report.h"
#include <ftio/syscall-table.h>
#include "lib/suggest.h"
#include "lib/util.h"

/*
 * The rows come out in key order, not the hash map's (its seed is drawn per
 * run): the comparators leave equal rows where they are (glibc's qsort is
 * a merge sort), so ties print the same in every run.
 */
static int key_int_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct report_row *)a)->key;
	uintptr_t y = (uintptr_t)((const struct report_row *)b)->key;

	return x < y ? -1 : x > y;
}

struct report_row *report_rows_int(struct intmap *m, size_t *n)
{
	struct report_row *rows = xcalloc(m->len + 1, sizeof(*rows));
	uint64_t k;
	void *v;

	*n = 0;
	for (size_t i = 0; intmap_next(m, &i, &k, &v);) {
		rows[*n].key = (const void *)(uintptr_t)k;
		rows[(*n)++].val = v;
	}
	qsort(rows, *n, sizeof(*rows), key_int_cmp);
	return rows;
}

struct collect {
	struct strmap_entry **entries;
	size_t n;
};

static void collect_entry(struct strmap_entry *e, void *arg)
{
	struct collect *c = arg;

	c->entries[c->n++] = e;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct strmap_entry *x = *(struct strmap_entry *const *)a;
	const struct strmap_entry *y = *(struct strmap_entry *const *)b;
	size_t len = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = memcmp(x->key, y->key, len);

	if (c)
		return c;
	return x->key_len < y->key_len ? -1 : x->key_len > y->key_len;
}

struct report_row *report_rows_str(struct strmap *m, size_t *n)
{
	struct report_row *rows = xcalloc(m->len + 1, sizeof(*rows));
	struct collect c = { xcalloc(m->len + 1, sizeof(*c.entries)), 0 };

	strmap_for_each(m, collect_entry, &c);
	qsort(c.entries, c.n, sizeof(*c.entries), entry_cmp);
	for (size_t i = 0; i < c.n; i++) {
		rows[i].key = c.entries[i]->key;
		rows[i].val = c.entries[i]->val;
	}
	*n = c.n;
	free(c.entries);
	return rows;
}

int report_row_total_desc(const void *a, const void *b)
{
	const struct agg *x = ((const struct report_row *)a)->val;
	const struct agg *y = ((const struct report_row *)b)->val;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

int report_row_proc_desc(const void *a, const void *b)
{
	const struct proc_row *x = ((const struct report_row *)a)->val;
	const struct proc_row *y = ((const struct report_row *)b)->val;

	if (x->agg.total_ns != y->agg.total_ns)
		return x->agg.total_ns < y->agg.total_ns ? 1 : -1;
	return x->pid - y->pid;
}

int report_row_error_desc(const void *a, const void *b)
{
	const struct error_row *x = ((const struct report_row *)a)->val;
	const struct error_row *y = ((const struct report_row *)b)->val;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->first_ns < y->first_ns ? -1 : x->first_ns > y->first_ns;
}

static char *absolute_path(const char *p)
{
	char cwd[4096];

	if (p[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return xstrdup(p);
	return xasprintf("%s/%s", cwd, p);
}

void report_filter_path(struct report *r, const char *path)
{
	size_t len;

	if (path) {
		free(r->path_arg);
		r->path_arg = xstrdup(path);
	}
	if (!r->path_arg)
		return;
	len = strlen(r->path_arg);
	while (len > 1 && r->path_arg[len - 1] == '/')
		r->path_arg[--len] = '\0';
	r->f.path = r->path_arg;
	r->f.path_len = len;
}

bool report_filter_arg(struct report *r, int opt, const char *arg, const char *const *usage)
{
	unsigned long long v;
	uint64_t ns;

	switch (opt) {
	case 'p':
		free(r->path_arg);
		r->path_arg = absolute_path(arg);
		return true;
	case 'P':
	case 'T':
	case 'u':
		if (parse_uint(arg, opt == 'u' ? 0xfffffffeULL : 1 << 22, &v))
			usage_error(usage, "invalid %s '%s'",
				    opt == 'P' ? "--pid" : opt == 'T' ? "--tid" : "--uid", arg);
		*(opt == 'P' ? &r->f.pid : opt == 'T' ? &r->f.tid : &r->f.uid) = v;
		return true;
	case 'c':
		r->f.comm = arg;
		return true;
	case 's': {
		char *list = xstrdup(arg), *save = NULL;
		size_t n = 0;

		/* repeated --syscall options add up */
		while (r->f.syscalls && r->f.syscalls[n])
			n++;
		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			const struct syscall_desc *d;

			if (!strncmp(t, "sys_", 4))
				t += 4;
			d = syscall_find(t);
			if (!d) {
				struct strbuf hint = STRBUF_INIT;
				struct suggest sg;

				suggest_init(&sg, t);
				for (const struct syscall_desc *k = syscall_table; k->name; k++)
					suggest_add(&sg, k->name);
				suggest_hint(&sg, "", &hint);
				usage_error(usage, "unknown syscall '%s'%s", t, hint.buf);
			}
			r->f.syscalls = xrealloc(r->f.syscalls, (n + 2) * sizeof(char *));
			/* the table's own string: calls compare by name */
			r->f.syscalls[n++] = (char *)d->name;
			r->f.syscalls[n] = NULL;
		}
		free(list);
		return true;
	}
	case 'm':
		if (parse_duration_ns(arg, &r->f.min_latency))
			usage_error(usage, "invalid duration '%s' (e.g. 10us, 2ms, 1s)", arg);
		return true;
	case 'E':
		r->f.errors_only = true;
		return true;
	case 'S':
	case 'U':
		if (parse_duration_ns(arg, &ns))
			usage_error(usage, "invalid time '%s' (seconds from the start)", arg);
		*(opt == 'S' ? &r->f.since : &r->f.until) = ns;
		return true;
	}
	return false;
}

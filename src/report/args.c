// SPDX-License-Identifier: GPL-2.0
/*
 * What the reading commands share in front of the report engine: the
 * filter options (report, export) and the sorted table rows (text, JSON,
 * HTML), so that every view filters and orders the same way.
 */
#include <stdlib.h>
#include <unistd.h>

#include "builtin.h"
#include "report/report.h"
#include <ftio/syscall-table.h>
#include "lib/util.h"

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
	return rows;
}

struct collect {
	struct report_row *rows;
	size_t n;
};

static void collect_entry(struct strmap_entry *e, void *arg)
{
	struct collect *c = arg;

	c->rows[c->n].key = e->key;
	c->rows[c->n++].val = e->val;
}

struct report_row *report_rows_str(struct strmap *m, size_t *n)
{
	struct collect c = { xcalloc(m->len + 1, sizeof(struct report_row)), 0 };

	strmap_for_each(m, collect_entry, &c);
	*n = c.n;
	return c.rows;
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
			if (!d)
				usage_error(usage, "unknown syscall '%s'", t);
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

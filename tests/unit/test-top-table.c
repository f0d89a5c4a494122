// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for ftio top's table (src/top/table.c), without a kernel: calls
 * folded by each key into rows with the right counts, total, p99 and the
 * layer under them (a call broken by lost events counted but not timed),
 * the orders, the filters, and the layout (the key after the fixed
 * columns, whole or cut at the front, escaped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "top/top.h"
#include "unit.h"

/* the report's option parser comes with report_call_layers(); nothing here parses options */
char *ftio_cmdline;
void usage_error(const char *const *usage, const char *fmt, ...)
{
	abort();
}

static struct call mk(const char *name, const char *path, uint64_t lat_us, int err, uint64_t bytes)
{
	struct call c = { .name = name, .pid = 42, .tid = 42, .uid = -1, .euid = -1 };

	c.path = (char *)path;
	c.latency_ns = lat_us * 1000;
	c.err = err;
	c.bytes = bytes;
	memcpy(c.comm, "worker", 7);
	return c;
}

static const struct top_row *find(struct top_row **rows, size_t n, const char *label)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i]->label, label))
			return rows[i];
	return NULL;
}

int main(void)
{
	static const char write_name[] = "write", open_name[] = "openat";
	struct model m;
	struct top_interval *iv = top_interval_new(TOP_FILE);
	struct top_view v = { .sort = SORT_TOTAL };
	struct call_child kids[2] = {
		{ .layer = "block", .latency_ns = 8000 },
		{ .layer = "pagecache", .latency_ns = 1000 },
	};
	struct top_row **rows;
	const struct top_row *a;
	struct strbuf sb = STRBUF_INIT;
	size_t n, fixed = top_fixed_width();
	struct call c;

	memset(&m, 0, sizeof(m));
	model_init(&m);
	for (int i = 1; i <= 3; i++) {
		c = mk(write_name, "/data/a", 10 * i, 0, 100);
		top_interval_add(iv, &c, &m);
	}
	c = mk(write_name, "/data/a", 1000, 0, 100);
	c.tainted = true;
	top_interval_add(iv, &c, &m);
	c = mk(open_name, "/data/b", 5, 2, 0);
	top_interval_add(iv, &c, &m);
	c = mk(open_name, NULL, 1, 0, 0);
	top_interval_add(iv, &c, &m);
	c = mk(write_name, "/data/c", 10, 0, 4096);
	c.children = kids;
	c.nr_children = 2;
	top_interval_add(iv, &c, &m);

	is_int(iv->calls, 7, "interval: every call counted");
	is_int(iv->errors, 1, "interval: the error");
	rows = top_rows(iv, &v, &n);
	is_int(n, 4, "by file: a row per path and one for the unknown path");
	is_str(rows[0]->label, "/data/a", "by total: the slowest file first");
	a = find(rows, n, "/data/a");
	is_int(a->calls, 4, "a tainted call is a call");
	is_int(a->timed, 3, "but not a timed one");
	is_int(a->total_ns, 60000, "total: the timed calls' latency");
	is_int(a->bytes, 400, "bytes of every call");
	ok(find(rows, n, "?") != NULL, "the unknown path is '?'");
	top_line(&sb, find(rows, n, "/data/c"), TOP_FILE, 0);
	ok(strstr(sb.buf, "block 80% ") != NULL, "layer: block, 8 of the call's 10us");
	is_str(sb.buf + fixed, "/data/c", "the key comes after the fixed columns");
	strbuf_reset(&sb);
	top_line(&sb, a, TOP_FILE, 0);
	ok(strstr(sb.buf, " - ") != NULL, "no layer below: '-'");
	ok(strstr(sb.buf, "60.0us") != NULL, "TOTAL in the report's units");
	strbuf_reset(&sb);
	top_line(&sb, a, TOP_FILE, 6);
	is_str(sb.buf + fixed, "...a/a", "a key too long for its room is cut at the front");
	strbuf_reset(&sb);
	top_header(&sb, TOP_FILE);
	is_str(sb.buf + fixed, "FILE", "the key's head last");
	ok(!strncmp(sb.buf, "   CALLS ERRORS", 15), "the heads, right-aligned");
	strbuf_reset(&sb);
	free(rows);

	v.sort = SORT_ERRORS;
	rows = top_rows(iv, &v, &n);
	is_str(rows[0]->label, "/data/b", "by errors");
	free(rows);
	v.sort = SORT_BYTES;
	rows = top_rows(iv, &v, &n);
	is_str(rows[0]->label, "/data/c", "by bytes");
	free(rows);
	v.reverse = true;
	rows = top_rows(iv, &v, &n);
	is_str(rows[n - 1]->label, "/data/c", "reversed");
	free(rows);
	v.reverse = false;
	v.sort = SORT_KEY;
	rows = top_rows(iv, &v, &n);
	is_str(rows[0]->label, "/data/a", "by key, in its order");
	free(rows);
	v.filter = "b";
	rows = top_rows(iv, &v, &n);
	ok(n == 1 && !strcmp(rows[0]->label, "/data/b"), "a filter on the key");
	free(rows);
	v.filter = NULL;
	v.errors_only = true;
	rows = top_rows(iv, &v, &n);
	ok(n == 1 && !strcmp(rows[0]->label, "/data/b"), "only the rows with errors");
	free(rows);
	top_interval_free(iv);

	iv = top_interval_new(TOP_SYSCALL);
	v = (struct top_view){ .sort = SORT_CALLS };
	for (int i = 0; i < 5; i++) {
		c = mk(i < 3 ? write_name : open_name, "/x", 1, 0, 0);
		top_interval_add(iv, &c, &m);
	}
	rows = top_rows(iv, &v, &n);
	ok(n == 2 && rows[0]->calls == 3 && !strcmp(rows[0]->label, "write"), "by syscall");
	free(rows);
	top_interval_free(iv);

	iv = top_interval_new(TOP_PROCESS);
	c = mk(write_name, "/x", 1, 0, 0);
	memcpy(c.comm, "a\tb", 4);
	top_interval_add(iv, &c, &m);
	rows = top_rows(iv, &v, &n);
	top_line(&sb, rows[0], TOP_PROCESS, 0);
	is_str(sb.buf + fixed, "42 a\\tb", "by process: pid and comm, escaped");
	free(rows);
	top_interval_free(iv);

	iv = top_interval_new(TOP_UID);
	c = mk(write_name, "/x", 1, 0, 0);
	top_interval_add(iv, &c, &m);
	rows = top_rows(iv, &v, &n);
	is_str(rows[0]->label, "?", "by uid: an unknown uid is '?'");
	free(rows);
	top_interval_free(iv);
	strbuf_release(&sb);
	model_release(&m);
	return done_testing();
}

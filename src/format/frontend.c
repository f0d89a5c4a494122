// SPDX-License-Identifier: GPL-2.0
/*
 * Opening recordings for the reading commands, with one wording for every
 * failure so that scripts and people see the same messages.
 */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/frontend.h"
#include "lib/util.h"

struct recording *frontend_open(const char *path)
{
	struct recording *r = recording_open(path);

	if (r)
		return r;
	if (errno == EBADMSG)
		die("cannot read '%s': not an ftio recording", path);
	if (errno == RECORDING_ENOTREG)
		die("cannot read '%s': not a regular file (a recording is read from a file)", path);
	if (errno == EPROTONOSUPPORT)
		die("cannot read '%s': made by a newer ftio (format version too new)", path);
	die("cannot read '%s': %s", path, strerror(errno));
}

static void add(struct recset *set, const char *path)
{
	set->v = xrealloc(set->v, (set->n + 1) * sizeof(*set->v));
	set->v[set->n++] = frontend_open(path);
}

static int add_glob(struct recset *set, const char *pattern)
{
	glob_t g;
	int n = 0;

	if (glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++, n++)
			add(set, g.gl_pathv[i]);
		globfree(&g);
	}
	return n;
}

static uint64_t first_ts(const struct recording *r)
{
	uint64_t ts = UINT64_MAX;

	for (size_t i = 0; i < r->nr_chunks; i++)
		if (FTIO_CHUNK_HAS_EVENTS(r->chunks[i].info.type) && r->chunks[i].info.first_ts < ts)
			ts = r->chunks[i].info.first_ts;
	return ts;
}

/*
 * A file's start: its snapshot's time (each rotated file takes a fresh
 * one), else its earliest sub-buffer.  Not the earliest sub-buffer first:
 * a quiet CPU's old partial page may reach the disk in a later file.
 */
static uint64_t start_of(const struct recording *r)
{
	uint64_t t = recording_attr_u64(r, "sideband/time", 0);

	return t ? t : first_ts(r);
}

static int by_time(const void *a, const void *b)
{
	const struct recording *x = *(struct recording *const *)a;
	const struct recording *y = *(struct recording *const *)b;
	uint64_t tx = start_of(x), ty = start_of(y);

	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(x->path, y->path);
}

void frontend_open_set(struct recset *set, char **paths, size_t n)
{
	memset(set, 0, sizeof(*set));
	for (size_t i = 0; i < n; i++) {
		const char *p = paths[i];
		struct stat st;

		if (strpbrk(p, "*?[")) {
			if (!add_glob(set, p))
				die("cannot read '%s': no file matches", p);
		} else if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			char *pattern = xasprintf("%s/*", p);
			glob_t g;
			size_t before = set->n;

			/* a directory: the recordings in it, whatever else is there */
			if (glob(pattern, 0, NULL, &g) == 0) {
				for (size_t j = 0; j < g.gl_pathc; j++) {
					struct recording *r = recording_open(g.gl_pathv[j]);

					if (!r)
						continue;
					set->v = xrealloc(set->v, (set->n + 1) * sizeof(*set->v));
					set->v[set->n++] = r;
				}
				globfree(&g);
			}
			free(pattern);
			if (set->n == before)
				die("cannot read '%s': no ftio recording in this directory", p);
		} else if (access(p, F_OK) < 0 && errno == ENOENT) {
			/* a rotated capture: FILE.000001, FILE.000002, ... */
			char *pattern = xasprintf("%s.[0-9][0-9][0-9][0-9][0-9][0-9]", p);
			int found = add_glob(set, pattern);

			free(pattern);
			if (!found)
				add(set, p);	/* dies with the usual message */
		} else {
			add(set, p);
		}
	}
	qsort(set->v, set->n, sizeof(*set->v), by_time);
}

void frontend_close_set(struct recset *set)
{
	for (size_t i = 0; i < set->n; i++)
		recording_close(set->v[i]);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

void frontend_warnings(struct recording *r)
{
	struct strbuf path = STRBUF_INIT, msg = STRBUF_INIT;

	/* each file remembers how many of its warnings were shown; all escaped for a terminal */
	strbuf_add_escaped(&path, r->path, strlen(r->path));
	for (; r->shown_warnings < r->nr_warnings; r->shown_warnings++) {
		const char *w = r->warnings[r->shown_warnings];

		strbuf_reset(&msg);
		strbuf_add_escaped(&msg, w, strlen(w));
		warning("'%s': %s", path.buf, msg.buf);
	}
	if (r->dropped_warnings > r->shown_dropped) {
		warning("'%s': %llu more warnings not shown (the first %d are)", path.buf,
			(unsigned long long)(r->dropped_warnings - r->shown_dropped),
			RECORDING_MAX_WARNINGS);
		r->shown_dropped = r->dropped_warnings;
	}
	strbuf_release(&path);
	strbuf_release(&msg);
}

void frontend_set_warnings(struct recset *set)
{
	for (size_t i = 0; i < set->n; i++)
		frontend_warnings(set->v[i]);
}

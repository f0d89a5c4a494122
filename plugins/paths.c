// SPDX-License-Identifier: GPL-2.0
/*
 * The paths layer: the third rung of the path ladder (ARCHITECTURE.md).
 * Before Linux 6.19 syscall tracepoints carry only the user pointer of a
 * path; on a kernel without kprobes the string can still be fetched by a
 * uprobe on the C library's wrapper, which sees the same pointer.  The
 * report pairs the two on (thread, pointer), so a wrong match needs the
 * same thread to pass the same address to a wrapper and a different call.
 *
 * Misses by design: static binaries, Go programs and raw syscalls; glibc's
 * internal calls that bypass exported symbols.  The report counts those
 * calls as "path unknown" instead of guessing.
 */
#include <stdlib.h>

#include <event-parse.h>
#include <ftio/event.h>
#include <ftio/intmap.h>
#include <ftio/layer.h>
#include <ftio/model.h>
#include <ftio/util.h>

static const struct {
	const char *func;
	int arg;
} wrappers[] = {
	{ "open", 0 }, { "open64", 0 }, { "__open_2", 0 }, { "__open64_2", 0 },
	{ "openat", 1 }, { "openat64", 1 }, { "__openat_2", 1 }, { "__openat64_2", 1 },
	{ "creat", 0 }, { "creat64", 0 },
	/* GLIBC_PRIVATE but exported: opendir, fopen("...e") and NSS open through it */
	{ "__open_nocancel", 0 },
	{ "fopen", 0 }, { "fopen64", 0 }, { "freopen", 0 }, { "freopen64", 0 },
	{ "opendir", 0 },
	{ "stat", 0 }, { "stat64", 0 }, { "lstat", 0 }, { "lstat64", 0 },
	{ "fstatat", 1 }, { "fstatat64", 1 }, { "statx", 1 },
	{ "access", 0 }, { "faccessat", 1 }, { "euidaccess", 0 }, { "eaccess", 0 },
	{ "unlink", 0 }, { "unlinkat", 1 }, { "mkdir", 0 }, { "mkdirat", 1 },
	{ "rmdir", 0 }, { "rename", 0 }, { "renameat", 1 }, { "renameat2", 1 },
	{ "truncate", 0 }, { "truncate64", 0 }, { "readlink", 0 }, { "readlinkat", 1 },
	{ "chdir", 0 },
};

static void paths_plan(struct record_plan *p)
{
	for (unsigned int i = 0; i < sizeof(wrappers) / sizeof(wrappers[0]); i++)
		plan_add_libc_path_uprobe(p, wrappers[i].func, wrappers[i].arg);
}

/* field places per uprobe event: the fetch args are the same for all */
struct probe_fields {
	struct field_ref ptr, path;
};

struct paths_state {
	struct intmap by_id;	/* event id -> struct probe_fields */
};

static void on_probe(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct paths_state *st = priv;
	struct probe_fields *pf = intmap_get(&st->by_id, ev->event->id);
	struct decoder *d = report_decoder(r);
	const char *s;
	int len;

	if (!pf) {
		pf = xcalloc(1, sizeof(*pf));
		field_ref_init(&pf->ptr, ev->event, "ptr");
		field_ref_init(&pf->path, ev->event, "path");
		intmap_put(&st->by_id, ev->event->id, pf);
	}
	s = field_str(d, ev, &pf->path, &len);
	if (!s || !pf->ptr.valid)
		return;
	/* an empty string is offered too: fstatat(fd, "", AT_EMPTY_PATH) means the fd */
	report_path_offer(r, ev->pid, field_u64(d, ev, &pf->ptr), s, len, PATH_UPROBE);
}

static void *paths_report_init(struct report *r)
{
	struct paths_state *st = xcalloc(1, sizeof(*st));

	report_on_system(r, NULL, on_probe, st);
	return st;
}

static void paths_report_finish(struct report *r, void *state)
{
	struct paths_state *st = state;
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&st->by_id, &i, &k, &v);)
		free(v);
	intmap_release(&st->by_id);
	free(st);
	(void)r;
}

const struct ftio_layer layer_paths = {
	.name = "paths",
	.summary = "file paths from uprobes on the C library's wrappers (open, stat, ...)",
	.plan = paths_plan,
	.report_init = paths_report_init,
	.report_finish = paths_report_finish,
};

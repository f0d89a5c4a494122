// SPDX-License-Identifier: GPL-2.0
/*
 * The paths layer: the third rung of the path ladder (ARCHITECTURE.md).
 * Before Linux 6.19 syscall tracepoints carry only the user pointer of a
 * path (from 6.19 they carry the string, the first rung, which the
 * syscalls layer reads: the wrappers whose syscalls all do get no uprobe); on a kernel without kprobes the string can still be fetched by a
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

/* the syscalls each wrapper may end in, by C library and architecture */
static const char *const sc_open[] = { "open", "openat", "creat", NULL };
static const char *const sc_stat[] = { "newstat", "newlstat", "newfstatat", "statx", NULL };
static const char *const sc_access[] = { "access", "faccessat", "faccessat2", NULL };
static const char *const sc_unlink[] = { "unlink", "unlinkat", NULL };
static const char *const sc_mkdir[] = { "mkdir", "mkdirat", NULL };
static const char *const sc_rmdir[] = { "rmdir", "unlinkat", NULL };
static const char *const sc_rename[] = { "rename", "renameat", "renameat2", NULL };
static const char *const sc_truncate[] = { "truncate", NULL };
static const char *const sc_readlink[] = { "readlink", "readlinkat", NULL };
static const char *const sc_chdir[] = { "chdir", NULL };
/* the audit's calls: every one that checks permission on a path */
static const char *const sc_execve[] = { "execve", NULL };
static const char *const sc_execveat[] = { "execveat", NULL };
static const char *const sc_chmod[] = { "chmod", "fchmodat", "fchmodat2", NULL };
static const char *const sc_fchmodat[] = { "fchmodat", "fchmodat2", NULL };
static const char *const sc_chown[] = { "chown", "lchown", "fchownat", NULL };
static const char *const sc_fchownat[] = { "fchownat", NULL };
static const char *const sc_utime[] = { "utime", "utimes", "futimesat", "utimensat", NULL };
static const char *const sc_link[] = { "link", "linkat", NULL };
static const char *const sc_linkat[] = { "linkat", NULL };
static const char *const sc_symlink[] = { "symlink", "symlinkat", NULL };
static const char *const sc_symlinkat[] = { "symlinkat", NULL };
static const char *const sc_mknod[] = { "mknod", "mknodat", NULL };
static const char *const sc_mknodat[] = { "mknodat", NULL };
static const char *const sc_setxattr[] = { "setxattr", NULL };
static const char *const sc_lsetxattr[] = { "lsetxattr", NULL };
static const char *const sc_getxattr[] = { "getxattr", NULL };
static const char *const sc_lgetxattr[] = { "lgetxattr", NULL };
static const char *const sc_listxattr[] = { "listxattr", NULL };
static const char *const sc_llistxattr[] = { "llistxattr", NULL };
static const char *const sc_removexattr[] = { "removexattr", NULL };
static const char *const sc_lremovexattr[] = { "lremovexattr", NULL };
static const char *const sc_chroot[] = { "chroot", NULL };
static const char *const sc_statfs[] = { "statfs", NULL };
static const char *const sc_inotify[] = { "inotify_add_watch", NULL };
static const char *const sc_fanotify[] = { "fanotify_mark", NULL };
static const char *const sc_mount[] = { "mount", NULL };
static const char *const sc_umount[] = { "umount", NULL };
static const char *const sc_open_tree[] = { "open_tree", NULL };
static const char *const sc_move_mount[] = { "move_mount", NULL };
static const char *const sc_fspick[] = { "fspick", NULL };
static const char *const sc_mount_setattr[] = { "mount_setattr", NULL };
static const char *const sc_name_to_handle[] = { "name_to_handle_at", NULL };
static const char *const sc_quotactl[] = { "quotactl", NULL };
static const char *const sc_acct[] = { "acct", NULL };
static const char *const sc_swapon[] = { "swapon", NULL };
static const char *const sc_swapoff[] = { "swapoff", NULL };
static const char *const sc_memfd[] = { "memfd_create", NULL };

static const struct {
	const char *func;
	int arg;
	const char *const *sys;
} wrappers[] = {
	{ "open", 0, sc_open }, { "open64", 0, sc_open }, { "__open_2", 0, sc_open },
	{ "__open64_2", 0, sc_open }, { "openat", 1, sc_open }, { "openat64", 1, sc_open },
	{ "__openat_2", 1, sc_open }, { "__openat64_2", 1, sc_open },
	{ "creat", 0, sc_open }, { "creat64", 0, sc_open },
	/* GLIBC_PRIVATE but exported: opendir, fopen("...e") and NSS open through it */
	{ "__open_nocancel", 0, sc_open },
	{ "fopen", 0, sc_open }, { "fopen64", 0, sc_open }, { "freopen", 0, sc_open },
	{ "freopen64", 0, sc_open }, { "opendir", 0, sc_open },
	{ "stat", 0, sc_stat }, { "stat64", 0, sc_stat }, { "lstat", 0, sc_stat },
	{ "lstat64", 0, sc_stat }, { "fstatat", 1, sc_stat }, { "fstatat64", 1, sc_stat },
	{ "statx", 1, sc_stat },
	{ "access", 0, sc_access }, { "faccessat", 1, sc_access }, { "euidaccess", 0, sc_access },
	{ "eaccess", 0, sc_access },
	{ "unlink", 0, sc_unlink }, { "unlinkat", 1, sc_unlink }, { "mkdir", 0, sc_mkdir },
	{ "mkdirat", 1, sc_mkdir }, { "rmdir", 0, sc_rmdir }, { "rename", 0, sc_rename },
	{ "renameat", 1, sc_rename }, { "renameat2", 1, sc_rename },
	{ "truncate", 0, sc_truncate }, { "truncate64", 0, sc_truncate },
	{ "readlink", 0, sc_readlink }, { "readlinkat", 1, sc_readlink },
	{ "chdir", 0, sc_chdir },
	{ "execve", 0, sc_execve }, { "execveat", 1, sc_execveat },
	{ "chmod", 0, sc_chmod }, { "lchmod", 0, sc_fchmodat }, { "fchmodat", 1, sc_fchmodat },
	{ "chown", 0, sc_chown }, { "lchown", 0, sc_chown }, { "fchownat", 1, sc_fchownat },
	{ "utime", 0, sc_utime }, { "utimes", 0, sc_utime }, { "lutimes", 0, sc_utime },
	{ "futimesat", 1, sc_utime }, { "utimensat", 1, sc_utime },
	{ "link", 0, sc_link }, { "linkat", 1, sc_linkat }, { "symlink", 1, sc_symlink },
	{ "symlinkat", 2, sc_symlinkat }, { "mknod", 0, sc_mknod }, { "mknodat", 1, sc_mknodat },
	{ "setxattr", 0, sc_setxattr }, { "lsetxattr", 0, sc_lsetxattr },
	{ "getxattr", 0, sc_getxattr }, { "lgetxattr", 0, sc_lgetxattr },
	{ "listxattr", 0, sc_listxattr }, { "llistxattr", 0, sc_llistxattr },
	{ "removexattr", 0, sc_removexattr }, { "lremovexattr", 0, sc_lremovexattr },
	{ "chroot", 0, sc_chroot }, { "statfs", 0, sc_statfs }, { "statfs64", 0, sc_statfs },
	{ "statvfs", 0, sc_statfs }, { "statvfs64", 0, sc_statfs },
	{ "inotify_add_watch", 1, sc_inotify }, { "fanotify_mark", 4, sc_fanotify },
	{ "mount", 1, sc_mount }, { "umount", 0, sc_umount }, { "umount2", 0, sc_umount },
	{ "open_tree", 1, sc_open_tree }, { "move_mount", 1, sc_move_mount },
	{ "fspick", 1, sc_fspick }, { "mount_setattr", 1, sc_mount_setattr },
	{ "name_to_handle_at", 1, sc_name_to_handle }, { "quotactl", 1, sc_quotactl },
	{ "acct", 0, sc_acct }, { "swapon", 0, sc_swapon }, { "swapoff", 0, sc_swapoff },
	{ "memfd_create", 0, sc_memfd },
};

/* Every syscall the wrapper may make brings its own string: no uprobe needed */
static bool covered(struct record_plan *p, const char *const *sys)
{
	for (; *sys; sys++)
		if (!plan_syscall_has_string(p, *sys))
			return false;
	return true;
}

static void paths_plan(struct record_plan *p)
{
	for (unsigned int i = 0; i < sizeof(wrappers) / sizeof(wrappers[0]); i++)
		if (!covered(p, wrappers[i].sys))
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
	struct tep_handle *tep = decoder_tep(report_decoder(r));
	const char *group = report_attr(r, "meta/dyn_group");

	report_on_system(r, NULL, on_probe, st);
	/* the wrappers probed in this recording: their syscalls' paths can be known */
	for (unsigned int i = 0; group && i < sizeof(wrappers) / sizeof(wrappers[0]); i++)
		if (tep_find_event_by_name(tep, group, wrappers[i].func))
			for (const char *const *sys = wrappers[i].sys; *sys; sys++)
				report_path_covers(r, *sys);
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

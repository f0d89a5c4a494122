// SPDX-License-Identifier: GPL-2.0
/*
 * denials DIR: run as an unprivileged uid (t2200 uses 60004), be denied
 * (EACCES or EPERM) once in each syscall ftio's audit covers that mode
 * bits, ownership or capabilities can deny, in DIR as t2200 lays it out:
 *
 *	DIR/f        0644 root    DIR/p     0600 root    DIR/wo  0602 root
 *	DIR/app      0666 root, append-only (chattr +a)
 *	DIR/ns/      0700 root (no search), holding ns/f and ns/l
 *	DIR/sub/     0755 root    DIR/w/    0777 (the uid may create here)
 *	DIR itself   0755 root
 *
 * For every call that was denied it prints "SYSCALL ERRNO HOW PATH", HOW
 * "libc" when it went through the C library's wrapper of that very
 * syscall (so that ftio's uprobes can name its path), "raw" when through
 * syscall(2) (the C library has no wrapper, or its wrapper makes another
 * syscall), "fd" when through syscall(2) on an fd (ftio names the path
 * from its fd model, not from a string), PATH "-" for a call without one.  A call the kernel did not
 * deny (a sysctl allows it here) prints nothing: the test compares this
 * list, strace's and ftio's audit.  Exit 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/quota.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>
#include <linux/mount.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#ifndef SYS_setxattrat
#define SYS_setxattrat 463
#define SYS_getxattrat 464
#define SYS_listxattrat 465
#define SYS_removexattrat 466
#endif
#ifndef SYS_file_getattr
#define SYS_file_getattr 468
#define SYS_file_setattr 469
#endif

static const char *dir;

static const char *at(const char *rel, char *buf)
{
	snprintf(buf, 4096, "%s/%s", dir, rel);
	return buf;
}

/* Prints the call when it was denied; @ret < 0 with errno set means it failed */
static void report(const char *sc, const char *how, const char *path, long ret)
{
	int err = errno;

	if (ret >= 0 || (err != EACCES && err != EPERM))
		return;
	printf("%s %s %s %s\n", sc, err == EACCES ? "EACCES" : "EPERM", how, path ? path : "-");
	fflush(stdout);
}

/* the path first: it may be built in the buffer the call then reads */
#define TRY(sc, how, path, call) do {					\
		const char *path_ = (path);				\
		long ret_;						\
									\
		errno = 0;						\
		ret_ = (long)(call);					\
		report(sc, how, path_, ret_);				\
	} while (0)
#define LIBC(sc, path, call) TRY(sc, "libc", path, call)
#define RAW(sc, path, call) TRY(sc, "raw", path, call)
#define RAWFD(sc, path, call) TRY(sc, "fd", path, call)

int main(int argc, char **argv)
{
	char f[4096], p[4096], wo[4096], app[4096], nsf[4096], nsl[4096], ns[4096], sub[4096];
	char w1[4096], w2[4096], dn[4096], tmp[4096];
	char *const args[] = { "f", NULL };
	struct timeval tv[2] = { { 1, 0 }, { 1, 0 } };
	struct utimbuf ut = { 1, 1 };
	struct mount_attr ma = { 0 };
	int fd_ro, fd_wo, fd_app, fd_ns, ifd, pfd;
	long r;

	if (argc != 2) {
		fprintf(stderr, "usage: denials DIR\n");
		return 2;
	}
	dir = argv[1];
	at("f", f), at("p", p), at("wo", wo), at("app", app), at("ns/f", nsf), at("ns/l", nsl);
	at("ns", ns), at("sub", sub), at("w/l1", w1), at("w/l2", w2), at("new", dn);
	fd_ro = open(f, O_RDONLY);
	fd_wo = open(wo, O_WRONLY);
	fd_app = open(app, O_WRONLY | O_APPEND);
	fd_ns = open(ns, O_PATH | O_DIRECTORY);
	if (fd_ro < 0 || fd_wo < 0 || fd_app < 0 || fd_ns < 0) {
		perror("denials: setup");
		return 1;
	}

	/* open family */
	LIBC("openat", p, open(p, O_RDONLY));
	RAW("open", p, syscall(SYS_open, p, O_RDONLY));
	RAW("openat2", p, ({ struct { unsigned long long f, m, r; } h = { O_RDONLY, 0, 0 };
			     syscall(SYS_openat2, AT_FDCWD, p, &h, sizeof(h)); }));
	RAW("creat", dn, syscall(SYS_creat, dn, 0644));
	/* exec */
	LIBC("execve", f, execve(f, args, NULL));
	LIBC("execveat", f, execveat(AT_FDCWD, f, args, NULL, 0));
	/* mode, owner, times */
	RAW("chmod", f, syscall(SYS_chmod, f, 0777));
	LIBC("fchmod", f, fchmod(fd_ro, 0777));
	LIBC("fchmodat", f, fchmodat(AT_FDCWD, f, 0777, 0));
	RAW("fchmodat2", f, syscall(SYS_fchmodat2, AT_FDCWD, f, 0777, 0));
	RAW("chown", f, syscall(SYS_chown, f, getuid(), -1));
	RAW("lchown", f, syscall(SYS_lchown, f, getuid(), -1));
	LIBC("fchown", f, fchown(fd_ro, getuid(), -1));
	LIBC("fchownat", f, fchownat(AT_FDCWD, f, getuid(), -1, 0));
	RAW("utime", f, syscall(SYS_utime, f, &ut));
	RAW("utimes", f, syscall(SYS_utimes, f, tv));
	RAW("futimesat", f, syscall(SYS_futimesat, AT_FDCWD, f, tv));
	LIBC("utimensat", f, utimensat(AT_FDCWD, f, (struct timespec[2]){ { 1, 0 }, { 1, 0 } }, 0));
	/* names */
	RAW("link", f, syscall(SYS_link, f, w1));
	LIBC("linkat", f, linkat(AT_FDCWD, f, AT_FDCWD, w2, 0));
	RAW("symlink", at("s1", tmp), syscall(SYS_symlink, "x", tmp));
	LIBC("symlinkat", at("s2", tmp), symlinkat("x", AT_FDCWD, tmp));
	RAW("mknod", at("n1", tmp), syscall(SYS_mknod, tmp, S_IFIFO | 0644, 0));
	LIBC("mknodat", at("n2", tmp), mknodat(AT_FDCWD, tmp, S_IFIFO | 0644, 0));
	RAW("rename", f, syscall(SYS_rename, f, at("g", tmp)));
	at("g", tmp);
	LIBC("renameat", f, renameat(AT_FDCWD, f, AT_FDCWD, tmp));
	/* the C library's renameat2 without flags is renameat */
	RAW("renameat2", f, syscall(SYS_renameat2, AT_FDCWD, f, AT_FDCWD, tmp, 0));
	RAW("unlink", f, syscall(SYS_unlink, f));
	LIBC("unlinkat", f, unlinkat(AT_FDCWD, f, 0));
	RAW("mkdir", dn, syscall(SYS_mkdir, dn, 0755));
	LIBC("mkdirat", dn, mkdirat(AT_FDCWD, dn, 0755));
	RAW("rmdir", sub, syscall(SYS_rmdir, sub));
	LIBC("truncate", f, truncate(f, 0));
	LIBC("ftruncate", app, ftruncate(fd_app, 0));
	/* lookups */
	RAW("newstat", nsf, ({ struct stat st; syscall(SYS_stat, nsf, &st); }));
	RAW("newlstat", nsf, ({ struct stat st; syscall(SYS_lstat, nsf, &st); }));
	LIBC("newfstatat", nsf, ({ struct stat st; fstatat(AT_FDCWD, nsf, &st, 0); }));
	LIBC("statx", nsf, ({ struct statx sx; statx(AT_FDCWD, nsf, 0, STATX_BASIC_STATS, &sx); }));
	RAW("access", p, syscall(SYS_access, p, R_OK));
	RAW("faccessat", p, syscall(SYS_faccessat, AT_FDCWD, p, R_OK));
	RAW("faccessat2", p, syscall(SYS_faccessat2, AT_FDCWD, p, R_OK, 0));
	RAW("readlink", nsl, ({ char b[64]; syscall(SYS_readlink, nsl, b, sizeof(b)); }));
	LIBC("readlinkat", nsl, ({ char b[64]; readlinkat(AT_FDCWD, nsl, b, sizeof(b)); }));
	LIBC("statfs", nsf, ({ struct statfs sf; statfs(nsf, &sf); }));
	LIBC("name_to_handle_at", nsf, ({
		struct { struct file_handle h; char b[128]; } fh = { .h.handle_bytes = 128 };
		int mid; name_to_handle_at(AT_FDCWD, nsf, &fh.h, &mid, 0); }));
	LIBC("chdir", ns, chdir(ns));
	LIBC("fchdir", ns, fchdir(fd_ns));
	LIBC("chroot", ns, chroot(ns));
	/* extended attributes */
	LIBC("setxattr", f, setxattr(f, "user.t", "1", 1, 0));
	LIBC("lsetxattr", f, lsetxattr(f, "user.t", "1", 1, 0));
	LIBC("fsetxattr", f, fsetxattr(fd_ro, "user.t", "1", 1, 0));
	LIBC("getxattr", p, ({ char b[8]; getxattr(p, "user.t", b, sizeof(b)); }));
	LIBC("lgetxattr", p, ({ char b[8]; lgetxattr(p, "user.t", b, sizeof(b)); }));
	LIBC("fgetxattr", wo, ({ char b[8]; fgetxattr(fd_wo, "user.t", b, sizeof(b)); }));
	LIBC("listxattr", nsf, ({ char b[64]; listxattr(nsf, b, sizeof(b)); }));
	LIBC("llistxattr", nsf, ({ char b[64]; llistxattr(nsf, b, sizeof(b)); }));
	LIBC("removexattr", f, removexattr(f, "user.t"));
	LIBC("lremovexattr", f, lremovexattr(f, "user.t"));
	LIBC("fremovexattr", f, fremovexattr(fd_ro, "user.t"));
	RAW("setxattrat", f, ({ struct { unsigned long long v; unsigned int s, fl; } xa =
				{ (unsigned long)"1", 1, 0 };
				syscall(SYS_setxattrat, AT_FDCWD, f, 0, "user.t", &xa, sizeof(xa)); }));
	RAW("getxattrat", nsf, ({ char b[8]; struct { unsigned long long v; unsigned int s, fl; } xa =
				 { (unsigned long)b, sizeof(b), 0 };
				 syscall(SYS_getxattrat, AT_FDCWD, nsf, 0, "user.t", &xa, sizeof(xa)); }));
	RAW("listxattrat", nsf, ({ char b[64]; syscall(SYS_listxattrat, AT_FDCWD, nsf, 0, b, sizeof(b)); }));
	RAW("removexattrat", f, syscall(SYS_removexattrat, AT_FDCWD, f, 0, "user.t"));
	RAW("file_getattr", nsf, ({ char b[64] = { 0 };
				    syscall(SYS_file_getattr, AT_FDCWD, nsf, b, 24, 0); }));
	RAW("file_setattr", nsf, ({ char b[64] = { 0 };
				    syscall(SYS_file_setattr, AT_FDCWD, nsf, b, 24, 0); }));
	/* watches */
	ifd = inotify_init1(IN_CLOEXEC);
	LIBC("inotify_add_watch", p, inotify_add_watch(ifd, p, IN_ALL_EVENTS));
	{
		int fan = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID, 0);

		if (fan < 0)
			report("fanotify_init", "libc", NULL, fan);
		else
			LIBC("fanotify_mark", p, fanotify_mark(fan, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, p));
	}
	/* mounts */
	LIBC("mount", sub, mount("none", sub, "tmpfs", 0, NULL));
	LIBC("umount", sub, umount2(sub, 0));
	RAW("pivot_root", sub, syscall(SYS_pivot_root, sub, sub));
	LIBC("open_tree", sub, open_tree(AT_FDCWD, sub, OPEN_TREE_CLONE));
	LIBC("move_mount", sub, move_mount(AT_FDCWD, sub, AT_FDCWD, at("w", tmp), 0));
	LIBC("mount_setattr", sub, mount_setattr(AT_FDCWD, sub, 0, &ma, sizeof(ma)));
	LIBC("fsopen", NULL, fsopen("tmpfs", 0));
	LIBC("fspick", sub, fspick(AT_FDCWD, sub, 0));
	RAW("open_by_handle_at", NULL, ({
		struct { struct file_handle h; char b[8]; } fh = { .h.handle_bytes = 8 };
		syscall(SYS_open_by_handle_at, AT_FDCWD, &fh.h, O_RDONLY); }));
	LIBC("quotactl", "/dev/vda", quotactl(QCMD(Q_QUOTAON, USRQUOTA), "/dev/vda", 0, f));
	RAWFD("quotactl_fd", f, syscall(SYS_quotactl_fd, fd_ro, QCMD(Q_QUOTAON, USRQUOTA), 0, f));
	LIBC("acct", f, acct(f));
	LIBC("swapon", f, swapon(f, 0));
	LIBC("swapoff", f, swapoff(f));
	/* fds of other kinds, credentials */
	LIBC("socket", NULL, socket(AF_PACKET, SOCK_RAW, 0));
	LIBC("fcntl", f, fcntl(fd_ro, F_SETLEASE, F_RDLCK));
	pfd = (int)syscall(SYS_pidfd_open, 1, 0);
	if (pfd >= 0)
		RAW("pidfd_getfd", NULL, syscall(SYS_pidfd_getfd, pfd, 0, 0));
	LIBC("setuid", NULL, setuid(0));
	LIBC("setreuid", NULL, setreuid(0, 0));
	LIBC("setresuid", NULL, setresuid(0, 0, 0));
	(void)r;
	return 0;
}

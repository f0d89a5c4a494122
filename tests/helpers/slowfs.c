// SPDX-License-Identifier: GPL-2.0
/*
 * slowfs is the "bad NAS" of the ftio test suite: a passthrough FUSE filesystem (libfuse3
 * low-level API) that mirrors SOURCE_DIR at MOUNTPOINT and sleeps a configured number of
 * milliseconds before answering each kind of FUSE request. Tests mount it, run I/O through
 * it under ftio and check that the injected latency shows up on the right files and
 * operations. Entry and attribute caching are disabled and negative lookups are never
 * cached, so every lookup and getattr really reaches the daemon and pays its delay. It runs
 * single-threaded in the foreground, so delays add up exactly like a NAS that serves one
 * request at a time.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define FUSE_USE_VERSION 34

#include <fuse_lowlevel.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

/* Inode numbers handed to the kernel are pointers to struct slowfs_inode. */
_Static_assert(sizeof(fuse_ino_t) >= sizeof(uintptr_t), "fuse_ino_t cannot hold a pointer");

#define DELAY_MAX_MS 3600000.0

enum slow_op {
	OP_LOOKUP, OP_GETATTR, OP_SETATTR, OP_OPEN, OP_CREATE, OP_READ, OP_WRITE,
	OP_RELEASE, OP_FLUSH, OP_FSYNC, OP_OPENDIR, OP_READDIR, OP_RELEASEDIR, OP_MKDIR,
	OP_UNLINK, OP_RMDIR, OP_RENAME, OP_STATFS, OP_ACCESS, OP_NR,
};

/* Lowercase FUSE opcode names, as accepted by --delay; index is enum slow_op. */
static const char *const op_names[] = {
	"lookup", "getattr", "setattr", "open", "create", "read", "write",
	"release", "flush", "fsync", "opendir", "readdir", "releasedir", "mkdir",
	"unlink", "rmdir", "rename", "statfs", "access",
};
_Static_assert(sizeof(op_names) / sizeof(op_names[0]) == OP_NR, "op_names out of sync");

/*
 * One per source inode the kernel knows about. The O_PATH fd pins the inode, so an
 * unlinked-but-open file keeps working and st_ino cannot be reused while we hold it.
 * @nlookup follows the kernel's lookup count; the entry dies when FORGET brings it to 0.
 */
struct slowfs_inode {
	struct slowfs_inode *next;
	struct slowfs_inode *prev;
	int fd;
	ino_t ino;
	dev_t dev;
	uint64_t nlookup;
};

struct slowfs_dir {
	DIR *dp;
	struct dirent *entry;	/* read but not yet returned to the kernel */
	off_t offset;
};

struct slowfs {
	struct slowfs_inode root;	/* also the head of the inode list */
	double delay_ms[OP_NR];
	bool debug;
	bool direct_io;
	bool is_root;
};

static struct fuse_session *session;
static volatile sig_atomic_t got_signal;

static struct slowfs *req_fs(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

static struct slowfs_inode *inode_get(struct slowfs *fs, fuse_ino_t ino)
{
	if (ino == FUSE_ROOT_ID)
		return &fs->root;
	return (struct slowfs_inode *)(uintptr_t)ino;
}

static int inode_fd(fuse_req_t req, fuse_ino_t ino)
{
	return inode_get(req_fs(req), ino)->fd;
}

/* A linear list is fine: test trees are small and the loop is single-threaded. */
static struct slowfs_inode *inode_find(struct slowfs *fs, const struct stat *st)
{
	struct slowfs_inode *p;

	for (p = fs->root.next; p != &fs->root; p = p->next)
		if (p->ino == st->st_ino && p->dev == st->st_dev)
			return p;
	return NULL;
}

static void inode_unref(struct slowfs *fs, struct slowfs_inode *inode, uint64_t n)
{
	/* The root is not counted: it lives until the daemon exits. */
	if (inode == &fs->root)
		return;
	inode->nlookup = n >= inode->nlookup ? 0 : inode->nlookup - n;
	if (inode->nlookup)
		return;
	inode->prev->next = inode->next;
	inode->next->prev = inode->prev;
	close(inode->fd);
	free(inode);
}

/*
 * Print the request (only with --debug) and sleep its configured delay. A signal cuts
 * the sleep short so SIGINT/SIGTERM never wait for a long delay to finish.
 */
static void op_enter(fuse_req_t req, enum slow_op op, fuse_ino_t ino, const char *name)
{
	struct slowfs *fs = req_fs(req);
	double ms = fs->delay_ms[op];
	struct timespec until;
	long long ns;

	if (fs->debug)
		printf("%s nodeid=%" PRIu64 "%s%s pid=%d delay=%gms\n", op_names[op], (uint64_t)ino,
		       name ? " name=" : "", name ? name : "", (int)fuse_req_ctx(req)->pid, ms);
	if (ms <= 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &until);
	ns = (long long)(ms * 1e6 + 0.5);
	until.tv_sec += ns / 1000000000 + (until.tv_nsec + ns % 1000000000) / 1000000000;
	until.tv_nsec = (until.tv_nsec + ns % 1000000000) % 1000000000;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
		if (got_signal)
			break;
}

/*
 * Resolve @name in @parent and take one lookup reference on its inode. All timeouts
 * stay 0 so the kernel revalidates the dentry and attributes on every use.
 * Returns 0 or a positive errno.
 */
static int do_lookup(fuse_req_t req, fuse_ino_t parent, const char *name,
		     struct fuse_entry_param *e)
{
	struct slowfs *fs = req_fs(req);
	struct slowfs_inode *inode;
	int fd, err;

	memset(e, 0, sizeof(*e));
	fd = openat(inode_fd(req, parent), name, O_PATH | O_NOFOLLOW);
	if (fd < 0)
		return errno;
	if (fstatat(fd, "", &e->attr, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0) {
		err = errno;
		close(fd);
		return err;
	}
	inode = inode_find(fs, &e->attr);
	if (inode) {
		close(fd);
	} else {
		inode = calloc(1, sizeof(*inode));
		if (!inode) {
			close(fd);
			return ENOMEM;
		}
		inode->fd = fd;
		inode->ino = e->attr.st_ino;
		inode->dev = e->attr.st_dev;
		inode->next = fs->root.next;
		inode->prev = &fs->root;
		fs->root.next->prev = inode;
		fs->root.next = inode;
	}
	inode->nlookup++;
	e->ino = (uintptr_t)inode;
	return 0;
}

/* Drop the reference do_lookup() took if the kernel never saw the reply (interrupted). */
static void reply_entry(fuse_req_t req, struct fuse_entry_param *e)
{
	if (fuse_reply_entry(req, e) == -ENOENT)
		inode_unref(req_fs(req), inode_get(req_fs(req), e->ino), 1);
}

/*
 * The daemon runs as root, so without this every file or directory a test user creates
 * would belong to root. A setgid parent keeps the group the source filesystem gave it.
 */
static int chown_to_caller(fuse_req_t req, int dirfd, const char *name)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	gid_t gid = ctx->gid;
	struct stat dst;

	if (!req_fs(req)->is_root)
		return 0;
	if (fstatat(dirfd, "", &dst, AT_EMPTY_PATH) == 0 && (dst.st_mode & S_ISGID))
		gid = (gid_t)-1;
	if (fchownat(dirfd, name, ctx->uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
		return errno;
	return 0;
}

static void reply_attr(fuse_req_t req, fuse_ino_t ino)
{
	struct stat st;

	if (fstatat(inode_fd(req, ino), "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_attr(req, &st, 0.0);
}

static void slowfs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	int err;

	op_enter(req, OP_LOOKUP, parent, name);
	err = do_lookup(req, parent, name, &e);
	/* A plain error (not an ino=0 entry) is how a negative lookup stays uncached. */
	if (err)
		fuse_reply_err(req, err);
	else
		reply_entry(req, &e);
}

static void slowfs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	inode_unref(req_fs(req), inode_get(req_fs(req), ino), nlookup);
	fuse_reply_none(req);
}

static void slowfs_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	size_t i;

	for (i = 0; i < count; i++)
		inode_unref(req_fs(req), inode_get(req_fs(req), forgets[i].ino), forgets[i].nlookup);
	fuse_reply_none(req);
}

static void slowfs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)fi;
	op_enter(req, OP_GETATTR, ino, NULL);
	reply_attr(req, ino);
}

static void slowfs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int valid,
			   struct fuse_file_info *fi)
{
	int fd = inode_fd(req, ino);
	char path[64];
	int res = 0;

	op_enter(req, OP_SETATTR, ino, NULL);
	/* O_PATH fds refuse fchmod()/ftruncate(), so go through the magic /proc link. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (valid & FUSE_SET_ATTR_MODE)
		res = fi ? fchmod(fi->fh, attr->st_mode) : chmod(path, attr->st_mode);
	if (!res && (valid & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)))
		res = fchownat(fd, "",
			       (valid & FUSE_SET_ATTR_UID) ? attr->st_uid : (uid_t)-1,
			       (valid & FUSE_SET_ATTR_GID) ? attr->st_gid : (gid_t)-1,
			       AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
	if (!res && (valid & FUSE_SET_ATTR_SIZE))
		res = fi ? ftruncate(fi->fh, attr->st_size) : truncate(path, attr->st_size);
	if (!res && (valid & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME))) {
		struct timespec tv[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_nsec = UTIME_OMIT } };

		if (valid & FUSE_SET_ATTR_ATIME_NOW)
			tv[0].tv_nsec = UTIME_NOW;
		else if (valid & FUSE_SET_ATTR_ATIME)
			tv[0] = attr->st_atim;
		if (valid & FUSE_SET_ATTR_MTIME_NOW)
			tv[1].tv_nsec = UTIME_NOW;
		else if (valid & FUSE_SET_ATTR_MTIME)
			tv[1] = attr->st_mtim;
		res = fi ? futimens(fi->fh, tv) : utimensat(AT_FDCWD, path, tv, 0);
	}
	if (res < 0)
		fuse_reply_err(req, errno);
	else
		reply_attr(req, ino);
}

/*
 * The kernel never sends ACCESS while default_permissions is on (it checks modes itself),
 * so this only has to be plausible: existence is all it reports.
 */
static void slowfs_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	struct stat st;

	(void)mask;
	op_enter(req, OP_ACCESS, ino, NULL);
	fuse_reply_err(req, fstatat(inode_fd(req, ino), "", &st,
				    AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0 ? errno : 0);
}

/* keep_cache=0: the kernel drops the file's page cache on every open, so reads reach us. */
static void fill_open(struct slowfs *fs, struct fuse_file_info *fi, int fd)
{
	fi->fh = fd;
	fi->keep_cache = 0;
	fi->direct_io = fs->direct_io;
}

static void slowfs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	char path[64];
	int fd;

	op_enter(req, OP_OPEN, ino, NULL);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", inode_fd(req, ino));
	fd = open(path, fi->flags & ~(O_NOFOLLOW | O_CREAT | O_EXCL));
	if (fd < 0)
		return (void)fuse_reply_err(req, errno);
	fill_open(req_fs(req), fi, fd);
	if (fuse_reply_open(req, fi) == -ENOENT)
		close(fd);
}

static void slowfs_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
			  struct fuse_file_info *fi)
{
	int dirfd = inode_fd(req, parent);
	struct fuse_entry_param e;
	int fd, err;

	op_enter(req, OP_CREATE, parent, name);
	fd = openat(dirfd, name, (fi->flags | O_CREAT) & ~O_NOFOLLOW, mode);
	if (fd < 0)
		return (void)fuse_reply_err(req, errno);
	err = chown_to_caller(req, dirfd, name);
	if (!err)
		err = do_lookup(req, parent, name, &e);
	if (err) {
		close(fd);
		return (void)fuse_reply_err(req, err);
	}
	fill_open(req_fs(req), fi, fd);
	if (fuse_reply_create(req, &e, fi) == -ENOENT) {
		close(fd);
		inode_unref(req_fs(req), inode_get(req_fs(req), e.ino), 1);
	}
}

static void slowfs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			struct fuse_file_info *fi)
{
	char *buf;
	ssize_t n;

	op_enter(req, OP_READ, ino, NULL);
	buf = malloc(size ? size : 1);
	if (!buf)
		return (void)fuse_reply_err(req, ENOMEM);
	n = pread(fi->fh, buf, size, off);
	if (n < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_buf(req, buf, n);
	free(buf);
}

static void slowfs_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
			 off_t off, struct fuse_file_info *fi)
{
	ssize_t n;

	op_enter(req, OP_WRITE, ino, NULL);
	n = pwrite(fi->fh, buf, size, off);
	if (n < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_write(req, n);
}

static void slowfs_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	op_enter(req, OP_FLUSH, ino, NULL);
	/* close() of a dup reports deferred write errors, like close() on the real file. */
	fuse_reply_err(req, close(dup(fi->fh)) < 0 ? errno : 0);
}

static void slowfs_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	op_enter(req, OP_RELEASE, ino, NULL);
	close(fi->fh);
	fuse_reply_err(req, 0);
}

static void slowfs_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi)
{
	int res;

	op_enter(req, OP_FSYNC, ino, NULL);
	res = datasync ? fdatasync(fi->fh) : fsync(fi->fh);
	fuse_reply_err(req, res < 0 ? errno : 0);
}

static void slowfs_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct slowfs_dir *d;
	int fd, err;

	op_enter(req, OP_OPENDIR, ino, NULL);
	d = calloc(1, sizeof(*d));
	if (!d)
		return (void)fuse_reply_err(req, ENOMEM);
	fd = openat(inode_fd(req, ino), ".", O_RDONLY | O_DIRECTORY);
	if (fd < 0 || !(d->dp = fdopendir(fd))) {
		err = errno;
		if (fd >= 0)
			close(fd);
		free(d);
		return (void)fuse_reply_err(req, err);
	}
	fi->fh = (uintptr_t)d;
	if (fuse_reply_open(req, fi) == -ENOENT) {
		closedir(d->dp);
		free(d);
	}
}

/* Plain READDIR only: without a readdirplus handler libfuse never offers READDIRPLUS. */
static void slowfs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			   struct fuse_file_info *fi)
{
	struct slowfs_dir *d = (struct slowfs_dir *)(uintptr_t)fi->fh;
	size_t rem = size;
	char *buf, *p;
	int err = 0;

	op_enter(req, OP_READDIR, ino, NULL);
	buf = calloc(1, size ? size : 1);
	if (!buf)
		return (void)fuse_reply_err(req, ENOMEM);
	p = buf;
	if (off != d->offset) {
		seekdir(d->dp, off);
		d->entry = NULL;
		d->offset = off;
	}
	for (;;) {
		struct stat st;
		size_t len;

		if (!d->entry) {
			errno = 0;
			d->entry = readdir(d->dp);
			if (!d->entry) {
				err = errno;
				break;
			}
		}
		st = (struct stat){ .st_ino = d->entry->d_ino, .st_mode = d->entry->d_type << 12 };
		len = fuse_add_direntry(req, p, rem, d->entry->d_name, &st, d->entry->d_off);
		if (len > rem)
			break;	/* kept in d->entry for the next call */
		p += len;
		rem -= len;
		d->offset = d->entry->d_off;
		d->entry = NULL;
	}
	/* Entries already packed are still returned; the error would lose them. */
	if (err && rem == size)
		fuse_reply_err(req, err);
	else
		fuse_reply_buf(req, buf, size - rem);
	free(buf);
}

static void slowfs_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct slowfs_dir *d = (struct slowfs_dir *)(uintptr_t)fi->fh;

	op_enter(req, OP_RELEASEDIR, ino, NULL);
	closedir(d->dp);
	free(d);
	fuse_reply_err(req, 0);
}

static void slowfs_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	int dirfd = inode_fd(req, parent);
	struct fuse_entry_param e;
	int err;

	op_enter(req, OP_MKDIR, parent, name);
	if (mkdirat(dirfd, name, mode) < 0)
		return (void)fuse_reply_err(req, errno);
	err = chown_to_caller(req, dirfd, name);
	if (!err)
		err = do_lookup(req, parent, name, &e);
	if (err) {
		unlinkat(dirfd, name, AT_REMOVEDIR);
		return (void)fuse_reply_err(req, err);
	}
	reply_entry(req, &e);
}

static void slowfs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	op_enter(req, OP_UNLINK, parent, name);
	fuse_reply_err(req, unlinkat(inode_fd(req, parent), name, 0) < 0 ? errno : 0);
}

static void slowfs_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	op_enter(req, OP_RMDIR, parent, name);
	fuse_reply_err(req, unlinkat(inode_fd(req, parent), name, AT_REMOVEDIR) < 0 ? errno : 0);
}

static void slowfs_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
			  fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	int res;

	op_enter(req, OP_RENAME, parent, name);
	res = renameat2(inode_fd(req, parent), name, inode_fd(req, newparent), newname, flags);
	fuse_reply_err(req, res < 0 ? errno : 0);
}

static void slowfs_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs sv;

	op_enter(req, OP_STATFS, ino, NULL);
	if (fstatvfs(inode_fd(req, ino), &sv) < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_statfs(req, &sv);
}

static void slowfs_destroy(void *userdata)
{
	struct slowfs *fs = userdata;

	while (fs->root.next != &fs->root) {
		struct slowfs_inode *inode = fs->root.next;

		fs->root.next = inode->next;
		close(inode->fd);
		free(inode);
	}
	fs->root.prev = &fs->root;
}

static const struct fuse_lowlevel_ops slowfs_ops = {
	.destroy	= slowfs_destroy,
	.lookup		= slowfs_lookup,
	.forget		= slowfs_forget,
	.forget_multi	= slowfs_forget_multi,
	.getattr	= slowfs_getattr,
	.setattr	= slowfs_setattr,
	.access		= slowfs_access,
	.open		= slowfs_open,
	.create		= slowfs_create,
	.read		= slowfs_read,
	.write		= slowfs_write,
	.flush		= slowfs_flush,
	.release	= slowfs_release,
	.fsync		= slowfs_fsync,
	.opendir	= slowfs_opendir,
	.readdir	= slowfs_readdir,
	.releasedir	= slowfs_releasedir,
	.mkdir		= slowfs_mkdir,
	.unlink		= slowfs_unlink,
	.rmdir		= slowfs_rmdir,
	.rename		= slowfs_rename,
	.statfs		= slowfs_statfs,
};

static void log_to_stderr(enum fuse_log_level level, const char *fmt, va_list ap)
{
	if (level >= FUSE_LOG_DEBUG)
		return;
	fputs("slowfs: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static void on_signal(int sig)
{
	got_signal = sig;
	if (session)
		fuse_session_exit(session);
}

static int install_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal };
	size_t i;

	/* No SA_RESTART: the blocking read of /dev/fuse must return EINTR to end the loop. */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			return -errno;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* Apply "OP=MS[,OP=MS...]" left to right, so "all=5,read=10" gives read 10 ms. */
static int delay_parse(struct slowfs *fs, const char *spec)
{
	char *copy = strdup(spec), *save = NULL, *item;

	if (!copy)
		return -ENOMEM;
	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '='), *end;
		double ms;
		int i;

		if (!eq) {
			fprintf(stderr, "slowfs: bad delay '%s': expected OP=MS\n", item);
			goto bad;
		}
		*eq = '\0';
		errno = 0;
		ms = strtod(eq + 1, &end);
		if (errno || end == eq + 1 || *end || !isfinite(ms) || ms < 0 || ms > DELAY_MAX_MS) {
			fprintf(stderr, "slowfs: bad delay value '%s' for '%s'\n", eq + 1, item);
			goto bad;
		}
		if (!strcmp(item, "all")) {
			for (i = 0; i < OP_NR; i++)
				fs->delay_ms[i] = ms;
			continue;
		}
		for (i = 0; i < OP_NR && strcmp(item, op_names[i]); i++)
			;
		if (i == OP_NR) {
			fprintf(stderr, "slowfs: unknown op '%s' in --delay\n", item);
			goto bad;
		}
		fs->delay_ms[i] = ms;
	}
	free(copy);
	return 0;
bad:
	free(copy);
	return -EINVAL;
}

static void usage(FILE *out)
{
	int i;

	fprintf(out, "usage: slowfs [--delay OP=MS[,OP=MS...]] [--direct-io] [--debug] "
		     "SOURCE_DIR MOUNTPOINT\n  OP: all");
	for (i = 0; i < OP_NR; i++)
		fprintf(out, " %s", op_names[i]);
	fputc('\n', out);
}

/* Test trees are small, but every inode the kernel holds costs an O_PATH fd. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "debug", no_argument, NULL, 'D' },
		{ "direct-io", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct slowfs fs = { 0 };
	const char *mountpoint;
	char mount_opts[128];
	char dash_o[] = "-o";
	char *fuse_argv[] = { argv[0], dash_o, mount_opts };
	struct fuse_args args = FUSE_ARGS_INIT(3, fuse_argv);
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (delay_parse(&fs, optarg))
				return 2;
			break;
		case 'D':
			fs.debug = true;
			break;
		case 'i':
			fs.direct_io = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "slowfs: bad option '%s'\n", argv[optind - 1]);
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	mountpoint = argv[optind + 1];

	setvbuf(stdout, NULL, _IOLBF, 0);
	fuse_set_log_func(log_to_stderr);
	/* The kernel has already applied the caller's umask to create/mkdir modes. */
	umask(0);
	raise_fd_limit();
	fs.is_root = geteuid() == 0;
	fs.root.next = fs.root.prev = &fs.root;
	fs.root.fd = open(argv[optind], O_PATH | O_DIRECTORY);
	if (fs.root.fd < 0) {
		fprintf(stderr, "slowfs: cannot open '%s': %s\n", argv[optind], strerror(errno));
		return 1;
	}

	/*
	 * default_permissions: the kernel checks modes against our (uncached) attributes, so a
	 * non-root user gets normal permission semantics although the daemon runs as root.
	 * allow_other lets those users in at all; only root may ask for it without fuse.conf.
	 */
	snprintf(mount_opts, sizeof(mount_opts), "default_permissions,fsname=slowfs,subtype=slowfs%s",
		 fs.is_root ? ",allow_other" : "");

	ret = 1;
	session = fuse_session_new(&args, &slowfs_ops, sizeof(slowfs_ops), &fs);
	if (!session)
		goto out_args;
	if (install_signals() < 0) {
		fprintf(stderr, "slowfs: cannot install signal handlers: %s\n", strerror(errno));
		goto out_session;
	}
	if (fuse_session_mount(session, mountpoint) != 0)
		goto out_session;

	/*
	 * 0 means the kernel closed the connection (umount/fusermount3 -u); after one of our
	 * signals the last read returned -EINTR. Both are a clean exit.
	 */
	ret = fuse_session_loop(session);
	ret = (ret == 0 || got_signal) ? 0 : 1;
	if (ret)
		fprintf(stderr, "slowfs: session loop failed\n");
	/* No-op if already unmounted; otherwise a lazy unmount as root. */
	fuse_session_unmount(session);
out_session:
	fuse_session_destroy(session);
	session = NULL;
out_args:
	fuse_opt_free_args(&args);
	slowfs_destroy(&fs);
	close(fs.root.fd);
	return ret;
}

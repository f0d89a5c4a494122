// SPDX-License-Identifier: GPL-2.0
/*
 * /proc and /sys snapshots taken at capture time.  Each table is text, one
 * row a line, columns separated by tabs, free text escaped with
 * strbuf_add_escaped(), so a report on another machine reads them without
 * any knowledge of this one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <ftio/intmap.h>

#include "format/chunk.h"
#include "record/sideband.h"

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Reads "Uid:" and "Gid:" rows of /proc/PID/task/TID/status */
static int read_creds(const char *dir, unsigned long uid[4], unsigned long gid[4],
		      int *tgid, int *ppid)
{
	char *path = xasprintf("%s/status", dir);
	char *text = read_file(path, NULL), *line, *save = NULL;

	free(path);
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "Uid:", 4))
			sscanf(line + 4, "%lu %lu %lu %lu", &uid[0], &uid[1], &uid[2], &uid[3]);
		else if (!strncmp(line, "Gid:", 4))
			sscanf(line + 4, "%lu %lu %lu %lu", &gid[0], &gid[1], &gid[2], &gid[3]);
		else if (!strncmp(line, "Tgid:", 5))
			*tgid = atoi(line + 5);
		else if (!strncmp(line, "PPid:", 5))
			*ppid = atoi(line + 5);
	}
	free(text);
	return 0;
}

static void add_link(struct strbuf *sb, const char *path)
{
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof(buf));

	if (n < 0)
		strbuf_addch(sb, '?');
	else
		strbuf_add_escaped(sb, buf, n);
}

static bool restricted;
static unsigned long reader_uid;

void sideband_restrict_to(uint32_t uid)
{
	restricted = true;
	reader_uid = uid;
}

/* whether the recording's reader may see this process's cwd and fds */
static bool readable(const unsigned long uid[4])
{
	return !restricted ||
	       (uid[0] == reader_uid && uid[1] == reader_uid && uid[2] == reader_uid);
}

/* the ruid, euid and suid of process @pid; false if it is gone */
static bool pid_uids(const char *pid, unsigned long uid[4])
{
	unsigned long gid[4];
	char *dir = xasprintf("/proc/%s", pid);
	int tgid, ppid, r = read_creds(dir, uid, gid, &tgid, &ppid);

	free(dir);
	return r == 0;
}

/* columns: tid tgid ppid ruid euid suid fsuid rgid egid comm cwd */
static void snapshot_procs(struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	DIR *proc = opendir("/proc");
	struct dirent *pe;

	while (proc && (pe = readdir(proc))) {
		char *tdir;
		DIR *tasks;
		struct dirent *te;

		if (!all_digits(pe->d_name))
			continue;
		tdir = xasprintf("/proc/%s/task", pe->d_name);
		tasks = opendir(tdir);
		while (tasks && (te = readdir(tasks))) {
			unsigned long uid[4] = { 0 }, gid[4] = { 0 };
			int tgid = 0, ppid = 0;
			char *dir, *path, *comm;
			size_t clen = 0;

			if (!all_digits(te->d_name))
				continue;
			dir = xasprintf("%s/%s", tdir, te->d_name);
			if (read_creds(dir, uid, gid, &tgid, &ppid) < 0) {
				free(dir);
				continue;
			}
			path = xasprintf("%s/comm", dir);
			comm = read_file(path, &clen);
			free(path);
			if (comm && clen && comm[clen - 1] == '\n')
				comm[--clen] = '\0';
			strbuf_addf(&sb, "%s\t%d\t%d\t%lu\t%lu\t%lu\t%lu\t%lu\t%lu\t", te->d_name, tgid,
				    ppid, uid[0], uid[1], uid[2], uid[3], gid[0], gid[1]);
			strbuf_add_escaped(&sb, comm ? comm : "?", comm ? clen : 1);
			strbuf_addch(&sb, '\t');
			if (readable(uid)) {
				path = xasprintf("/proc/%s/cwd", pe->d_name);
				add_link(&sb, path);
				free(path);
			} else {
				strbuf_addch(&sb, '?');
			}
			strbuf_addch(&sb, '\n');
			free(comm);
			free(dir);
		}
		if (tasks)
			closedir(tasks);
		free(tdir);
	}
	if (proc)
		closedir(proc);
	attr_add(out, "sideband/procs", sb.buf, sb.len);
	strbuf_release(&sb);
}

/* the socket inodes of the fds snapshot_fds() saw, for snapshot_sockets() */
static struct intmap fd_sockets;

static void want_socket(const char *fdpath)
{
	char buf[64];
	ssize_t n = readlink(fdpath, buf, sizeof(buf) - 1);

	if (n > 8 && !strncmp(buf, "socket:[", 8)) {
		buf[n] = '\0';
		intmap_put(&fd_sockets, strtoull(buf + 8, NULL, 10), (void *)1);
	}
}

/* columns: mono_ns tgid fd flags(octal) dev:ino path */
static void scan_fds(struct strbuf *sb, const char *pid, uint64_t when)
{
	char *fddir = xasprintf("/proc/%s/fd", pid);
	DIR *d = opendir(fddir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char *path, *info;
		unsigned long flags = 0;
		struct stat st;

		if (!all_digits(de->d_name))
			continue;
		path = xasprintf("%s/%s", fddir, de->d_name);
		info = xasprintf("/proc/%s/fdinfo/%s", pid, de->d_name);
		{
			char *text = read_file(info, NULL);
			char *f = text ? strstr(text, "flags:") : NULL;

			if (f)
				flags = strtoul(f + 6, NULL, 8);
			free(text);
		}
		if (stat(path, &st) < 0)
			memset(&st, 0, sizeof(st));
		strbuf_addf(sb, "%llu\t%s\t%s\t%lo\t%u:%u:%llu\t", (unsigned long long)when, pid,
			    de->d_name, flags, major(st.st_dev), minor(st.st_dev),
			    (unsigned long long)st.st_ino);
		add_link(sb, path);
		strbuf_addch(sb, '\n');
		want_socket(path);
		free(path);
		free(info);
	}
	if (d)
		closedir(d);
	free(fddir);
}

static void snapshot_fds(struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	DIR *proc = opendir("/proc");
	struct dirent *pe;
	uint64_t when = now_mono_ns();

	while (proc && (pe = readdir(proc))) {
		unsigned long uid[4] = { 0 };

		if (all_digits(pe->d_name) && (!restricted || (pid_uids(pe->d_name, uid) && readable(uid))))
			scan_fds(&sb, pe->d_name, when);
	}
	if (proc)
		closedir(proc);
	attr_add(out, "sideband/fds", sb.buf, sb.len);
	strbuf_release(&sb);
}

void sideband_fd_scan(struct strbuf *out, const int *pids, int n)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t when = now_mono_ns();

	for (int i = 0; i < n; i++) {
		char pid[16];

		snprintf(pid, sizeof(pid), "%d", pids[i]);
		scan_fds(&sb, pid, when);
	}
	attr_add(out, "sideband/fds", sb.buf, sb.len);
	strbuf_release(&sb);
}

/* columns: uid name */
static void snapshot_passwd(struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	struct passwd *pw;

	setpwent();
	while ((pw = getpwent())) {
		strbuf_addf(&sb, "%lu\t", (unsigned long)pw->pw_uid);
		strbuf_add_escaped(&sb, pw->pw_name, strlen(pw->pw_name));
		strbuf_addch(&sb, '\n');
	}
	endpwent();
	attr_add(out, "sideband/passwd", sb.buf, sb.len);
	strbuf_release(&sb);
}

/* columns: major:minor name */
static void snapshot_blockdevs(struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	DIR *d = opendir("/sys/class/block");
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char *path, *dev;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("/sys/class/block/%s/dev", de->d_name);
		dev = read_file(path, NULL);
		free(path);
		if (!dev)
			continue;
		dev[strcspn(dev, "\n")] = '\0';
		strbuf_addf(&sb, "%s\t%s\n", dev, de->d_name);
		free(dev);
	}
	if (d)
		closedir(d);
	attr_add(out, "sideband/blockdevs", sb.buf, sb.len);
	strbuf_release(&sb);
}

/*
 * columns: mode(octal) uid gid path -- set-uid/gid programs, so that the
 * uid model can follow an exec of su or sudo instead of guessing
 */
static void snapshot_setuid(struct strbuf *out)
{
	static const char *const dirs[] = {
		"/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin", "/usr/local/sbin",
		"/usr/lib/dbus-1.0", "/usr/lib/openssh",
	};
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;

		while (d && (de = readdir(d))) {
			struct stat st;
			char *path = xasprintf("%s/%s", dirs[i], de->d_name);

			if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
			    (st.st_mode & (S_ISUID | S_ISGID))) {
				strbuf_addf(&sb, "%o\t%lu\t%lu\t", (unsigned)st.st_mode,
					    (unsigned long)st.st_uid, (unsigned long)st.st_gid);
				strbuf_add_escaped(&sb, path, strlen(path));
				strbuf_addch(&sb, '\n');
			}
			free(path);
		}
		if (d)
			closedir(d);
	}
	attr_add(out, "sideband/setuid", sb.buf, sb.len);
	strbuf_release(&sb);
}

static const char *sock_type(unsigned int type)
{
	static const char *const types[] = {
		[1] = "SOCK_STREAM", [2] = "SOCK_DGRAM", [3] = "SOCK_RAW", [5] = "SOCK_SEQPACKET",
	};

	return type < ARRAY_SIZE(types) && types[type] ? types[type] : "SOCK_?";
}

/* "10.0.0.1:22" from /proc/net/tcp's "0100000A:0016" (the address in host order) */
static void inet_addr_str(char *buf, size_t size, const char *hex, bool v6)
{
	unsigned int port = 0;
	const char *colon = strrchr(hex, ':');
	char a[INET6_ADDRSTRLEN] = "?";

	if (colon)
		port = strtoul(colon + 1, NULL, 16);
	if (!v6 && colon && colon - hex == 8) {
		struct in_addr in = { .s_addr = (uint32_t)strtoul(hex, NULL, 16) };

		inet_ntop(AF_INET, &in, a, sizeof(a));
		snprintf(buf, size, "%s:%u", a, port);
	} else if (v6 && colon && colon - hex == 32) {
		struct in6_addr in6;

		for (int w = 0; w < 4; w++) {
			char word[9];
			uint32_t v;

			memcpy(word, hex + 8 * w, 8);
			word[8] = '\0';
			v = (uint32_t)strtoul(word, NULL, 16);
			memcpy(&in6.s6_addr[4 * w], &v, 4);
		}
		inet_ntop(AF_INET6, &in6, a, sizeof(a));
		snprintf(buf, size, "[%s]:%u", a, port);
	} else {
		snprintf(buf, size, "?");
	}
}

/* /proc/net/{tcp,udp}{,6}: sl local rem st ... uid timeout inode */
static void net_inet(struct strbuf *sb, const char *file, const char *family, const char *type,
		     bool v6, bool tcp)
{
	char *text = read_file(file, NULL), *save = NULL;
	bool first = true;

	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char local[128], rem[128], l[80], r[80];
		unsigned int st;
		unsigned long long ino;

		if (first) {
			first = false;
			continue;
		}
		if (sscanf(line, "%*s %127s %127s %x %*s %*s %*s %*s %*s %llu", local, rem, &st,
			   &ino) != 4 || !ino || !intmap_get(&fd_sockets, ino))
			continue;
		inet_addr_str(l, sizeof(l), local, v6);
		inet_addr_str(r, sizeof(r), rem, v6);
		strbuf_addf(sb, "%llu\t%s %s %s", ino, family, type, l);
		/* TCP_LISTEN is 10; a UDP socket's remote is 0:0 unless connected */
		if (tcp && st == 10)
			strbuf_addstr(sb, " listening");
		else if (!strstr(rem, ":0000") || strspn(rem, "0:") != strlen(rem))
			strbuf_addf(sb, " -> %s", r);
		strbuf_addch(sb, '\n');
	}
	free(text);
}

/* /proc/net/unix: Num RefCount Protocol Flags Type St Inode [Path] */
static void net_unix(struct strbuf *sb)
{
	char *text = read_file("/proc/net/unix", NULL), *save = NULL;
	bool first = true;

	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned int type, state;
		unsigned long long ino;
		int off = 0;

		if (first) {
			first = false;
			continue;
		}
		if (sscanf(line, "%*s %*s %*s %*s %x %x %llu%n", &type, &state, &ino, &off) != 3 ||
		    !intmap_get(&fd_sockets, ino))
			continue;
		strbuf_addf(sb, "%llu\tAF_UNIX %s", ino, sock_type(type));
		while (line[off] == ' ')
			off++;
		if (line[off]) {
			strbuf_addch(sb, ' ');
			strbuf_add_escaped(sb, line + off, strlen(line + off));
		}
		/* SS_CONNECTED is 3 */
		if (state == 3)
			strbuf_addstr(sb, " connected");
		strbuf_addch(sb, '\n');
	}
	free(text);
}

/* /proc/net/netlink: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
static void net_netlink(struct strbuf *sb)
{
	char *text = read_file("/proc/net/netlink", NULL), *save = NULL;
	bool first = true;

	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned int proto;
		unsigned long long ino;

		if (first) {
			first = false;
			continue;
		}
		if (sscanf(line, "%*s %u %*s %*s %*s %*s %*s %*s %*s %llu", &proto, &ino) == 2 &&
		    intmap_get(&fd_sockets, ino))
			strbuf_addf(sb, "%llu\tAF_NETLINK protocol %u\n", ino, proto);
	}
	free(text);
}

/*
 * columns: inode detail -- the family, type and addresses of the sockets
 * the fd snapshot saw, from this network namespace's /proc/net tables
 */
static void snapshot_sockets(struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;

	net_unix(&sb);
	net_inet(&sb, "/proc/net/tcp", "AF_INET", "SOCK_STREAM", false, true);
	net_inet(&sb, "/proc/net/tcp6", "AF_INET6", "SOCK_STREAM", true, true);
	net_inet(&sb, "/proc/net/udp", "AF_INET", "SOCK_DGRAM", false, false);
	net_inet(&sb, "/proc/net/udp6", "AF_INET6", "SOCK_DGRAM", true, false);
	net_netlink(&sb);
	attr_add(out, "sideband/sockets", sb.buf, sb.len);
	strbuf_release(&sb);
	intmap_release(&fd_sockets);
}

void sideband_snapshot(struct strbuf *sb)
{
	char *mi = read_file("/proc/self/mountinfo", NULL);

	attr_addf(sb, "sideband/time", "%llu", (unsigned long long)now_mono_ns());
	snapshot_procs(sb);
	snapshot_fds(sb);
	snapshot_sockets(sb);
	attr_addstr(sb, "sideband/mountinfo", mi ? mi : "");
	free(mi);
	snapshot_passwd(sb);
	snapshot_blockdevs(sb);
	snapshot_setuid(sb);
}

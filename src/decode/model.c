// SPDX-License-Identifier: GPL-2.0
/*
 * The system model.  Processes share fd tables the way the kernel does:
 * threads (CLONE_THREAD) and CLONE_FILES children share one table, a
 * plain fork copies it, and exec closes the close-on-exec entries.
 * Credentials follow fork and set-uid execs; the syscall layer applies
 * the setuid family.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include <ftio/syscall-table.h>

#include "decode/model.h"
#include "lib/util.h"

const char *const path_method_names[PATH_METHODS] = {
	[PATH_NONE] = "unknown",
	[PATH_TRACEPOINT] = "tracepoint",
	[PATH_KPROBE] = "kprobe",
	[PATH_UPROBE] = "uprobe",
	[PATH_SNAPSHOT] = "snapshot",
	[PATH_INHERITED] = "inherited",
	[PATH_CREATED] = "created",
};

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	m->mount_cache = xcalloc(1, sizeof(*m->mount_cache));
	m->task_slot = xcalloc(MODEL_TASK_SLOTS, sizeof(*m->task_slot));
}

static struct fdtable *fdtable_new(void)
{
	struct fdtable *t = xcalloc(1, sizeof(*t));

	t->refs = 1;
	return t;
}

static void fd_entry_free(struct fd_entry *e)
{
	if (e) {
		free(e->path);
		free(e->detail);
		free(e);
	}
}

static struct fd_entry *fd_entry_copy(const struct fd_entry *e)
{
	struct fd_entry *n = xcalloc(1, sizeof(*n));

	*n = *e;
	n->path = e->path ? xstrdup(e->path) : NULL;
	n->detail = e->detail ? xstrdup(e->detail) : NULL;
	return n;
}

static void fdtable_put(struct fdtable *t)
{
	uint64_t k;
	void *v;

	if (!t || --t->refs > 0)
		return;
	for (size_t i = 0; intmap_next(&t->fds, &i, &k, &v);)
		fd_entry_free(v);
	intmap_release(&t->fds);
	free(t);
}

static struct fdtable *fdtable_copy(struct fdtable *src)
{
	struct fdtable *t = fdtable_new();
	uint64_t k;
	void *v;

	for (size_t i = 0; src && intmap_next(&src->fds, &i, &k, &v);) {
		intmap_put(&t->fds, k, fd_entry_copy(v));
	}
	return t;
}

static struct proc *proc_new(struct model *m, int tgid)
{
	struct proc *p = xcalloc(1, sizeof(*p));

	p->tgid = tgid;
	p->ruid = p->euid = p->suid = p->fsuid = UID_UNKNOWN;
	p->fdt = fdtable_new();
	intmap_put(&m->procs, tgid, p);
	return p;
}

static void proc_put(struct model *m, struct proc *p)
{
	if (--p->refs > 0)
		return;
	if (intmap_get(&m->procs, p->tgid) == p)
		intmap_del(&m->procs, p->tgid);
	fdtable_put(p->fdt);
	free(p->cwd);
	free(p->root);
	free(p);
}

static struct task **task_slot(const struct model *m, int tid)
{
	return m->task_slot ? &m->task_slot[(unsigned int)tid % MODEL_TASK_SLOTS] : NULL;
}

static void task_free(struct model *m, struct task *t)
{
	struct task **slot = task_slot(m, t->tid);

	if (slot && *slot == t)
		*slot = NULL;
	if (t->layer_state && m->free_layer_state)
		m->free_layer_state(t->layer_state);
	if (t->proc)
		proc_put(m, t->proc);
	free(t);
}

void model_release(struct model *m)
{
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&m->tasks, &i, &k, &v);)
		task_free(m, v);
	intmap_release(&m->tasks);
	/* processes without threads (never referenced) */
	for (size_t i = 0; intmap_next(&m->procs, &i, &k, &v);) {
		struct proc *p = v;

		fdtable_put(p->fdt);
		free(p->cwd);
		free(p->root);
		free(p);
	}
	intmap_release(&m->procs);
	for (size_t i = 0; intmap_next(&m->users, &i, &k, &v);)
		free(v);
	intmap_release(&m->users);
	for (size_t i = 0; intmap_next(&m->sockets, &i, &k, &v);)
		free(v);
	intmap_release(&m->sockets);
	for (size_t i = 0; i < m->nr_mounts; i++) {
		free(m->mounts[i].point);
		free(m->mounts[i].fstype);
		free(m->mounts[i].source);
	}
	free(m->mounts);
	if (m->mount_cache)
		free(m->mount_cache->path);
	free(m->mount_cache);
	free(m->task_slot);
	for (size_t i = 0; i < m->nr_setuid; i++)
		free(m->setuid[i].path);
	free(m->setuid);
	memset(m, 0, sizeof(*m));
}

struct task *model_find_task(struct model *m, int tid)
{
	struct task **slot = task_slot(m, tid);
	struct task *t;

	if (slot && *slot && (*slot)->tid == tid)
		return *slot;
	t = intmap_get(&m->tasks, tid);
	if (slot && t)
		*slot = t;
	return t;
}

static struct task *task_attach(struct model *m, int tid, struct proc *p)
{
	struct task *t = xcalloc(1, sizeof(*t)), *old;

	t->tid = tid;
	t->proc = p;
	p->refs++;
	old = intmap_put(&m->tasks, tid, t);
	if (old)
		task_free(m, old);
	return t;
}

struct task *model_task(struct model *m, int tid)
{
	struct task *t = model_find_task(m, tid);
	struct proc *p;

	if (t)
		return t;
	/* never seen: on its own, everything unknown */
	p = intmap_get(&m->procs, tid);
	if (!p)
		p = proc_new(m, tid);
	t = task_attach(m, tid, p);
	snprintf(t->comm, sizeof(t->comm), "<...>");
	return t;
}

void model_newtask(struct model *m, int parent_tid, int child_tid, unsigned long flags,
		   const char *comm)
{
	struct task *parent = model_task(m, parent_tid), *child;
	struct proc *p;

	if (flags & CLONE_THREAD) {
		p = parent->proc;
	} else {
		struct proc *pp = parent->proc;

		p = intmap_get(&m->procs, child_tid);
		if (p && p->refs == 0) {
			intmap_del(&m->procs, child_tid);
			fdtable_put(p->fdt);
			free(p->cwd);
			free(p->root);
			free(p);
		}
		p = proc_new(m, child_tid);
		p->known = true;
		p->ruid = pp->ruid;
		p->euid = pp->euid;
		p->suid = pp->suid;
		p->fsuid = pp->fsuid;
		p->cwd = pp->cwd ? xstrdup(pp->cwd) : NULL;
		p->root = pp->root ? xstrdup(pp->root) : NULL;
		p->root_unknown = pp->root_unknown;
		p->fds_known = pp->fds_known;
		fdtable_put(p->fdt);
		if (flags & CLONE_FILES) {
			p->fdt = pp->fdt;
			p->fdt->refs++;
		} else {
			p->fdt = fdtable_copy(pp->fdt);
		}
	}
	child = task_attach(m, child_tid, p);
	snprintf(child->comm, sizeof(child->comm), "%s", comm ? comm : parent->comm);
}

void model_exec(struct model *m, int tid, const char *filename)
{
	struct task *t = model_task(m, tid);
	struct proc *p = t->proc;
	uint64_t k;
	void *v;

	/* exec unshares the fd table, then drops close-on-exec fds */
	if (p->fdt->refs > 1) {
		struct fdtable *n = fdtable_copy(p->fdt);

		fdtable_put(p->fdt);
		p->fdt = n;
	}
	for (size_t i = 0; intmap_next(&p->fdt->fds, &i, &k, &v);) {
		struct fd_entry *e = v;

		if (e->cloexec) {
			intmap_del(&p->fdt->fds, k);
			fd_entry_free(e);
		}
	}
	for (size_t i = 0; filename && i < m->nr_setuid; i++) {
		if (strcmp(m->setuid[i].path, filename) || !m->setuid[i].suid)
			continue;
		p->euid = p->suid = p->fsuid = m->setuid[i].uid;
	}
	{
		const char *base = filename ? strrchr(filename, '/') : NULL;

		base = base ? base + 1 : filename;
		if (base)
			snprintf(t->comm, sizeof(t->comm), "%s", base);
	}
}

void model_exit(struct model *m, int tid)
{
	struct task *t = intmap_del(&m->tasks, tid);

	if (t)
		task_free(m, t);
}

void model_set_comm(struct model *m, int tid, const char *comm)
{
	snprintf(model_task(m, tid)->comm, sizeof(((struct task *)0)->comm), "%s", comm);
}

const struct fd_entry *model_fd(struct proc *p, int fd)
{
	return fd < 0 ? NULL : intmap_get(&p->fdt->fds, fd);
}

const char *model_fd_why(struct proc *p, int fd)
{
	const struct fd_entry *e = model_fd(p, fd);

	if (e)
		return e->why ? e->why : "fd opened without a known path";
	if (!p->known)
		return "process not in the snapshot nor born in the capture: fds unknown";
	if (!p->fds_known)
		return "the snapshot has none of the process's fds (unreadable, or none open)";
	return "fd neither in the snapshot nor made by a traced call (SCM_RIGHTS, lost events)";
}

void model_fd_set_obj(struct proc *p, int fd, int kind, const char *name, int method,
		      const char *detail, bool cloexec)
{
	struct fd_entry *e;

	if (fd < 0)
		return;
	e = xcalloc(1, sizeof(*e));
	e->path = name ? xstrdup(name) : NULL;
	e->method = name ? method : PATH_NONE;
	e->cloexec = cloexec;
	e->kind = kind;
	e->detail = detail ? xstrdup(detail) : NULL;
	e->aux = -1;
	fd_entry_free(intmap_put(&p->fdt->fds, fd, e));
}

void model_fd_set(struct proc *p, int fd, const char *path, int method, bool cloexec)
{
	model_fd_set_obj(p, fd, FD_FILE, path, method, NULL, cloexec);
}

void model_fd_set_unknown(struct proc *p, int fd, const char *why, bool cloexec)
{
	model_fd_set_obj(p, fd, FD_UNKNOWN, NULL, PATH_NONE, NULL, cloexec);
	if (fd >= 0)
		((struct fd_entry *)intmap_get(&p->fdt->fds, fd))->why = why;
}

bool model_fd_lowest_free(struct proc *p, int *fds, int n)
{
	int got = 0;

	if (!p->fds_known)
		return false;
	/* the kernel takes the lowest free fd each time: fd[0] first (fs/pipe.c) */
	for (int fd = 0; got < n && fd < (1 << 20); fd++)
		if (!intmap_get(&p->fdt->fds, fd))
			fds[got++] = fd;
	return got == n;
}

void model_fd_close(struct proc *p, int fd)
{
	fd_entry_free(intmap_del(&p->fdt->fds, fd));
}

void model_fd_close_range(struct proc *p, unsigned int first, unsigned int last)
{
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&p->fdt->fds, &i, &k, &v);)
		if (k >= first && k <= last)
			fd_entry_free(intmap_del(&p->fdt->fds, k));
}

void model_fd_dup(struct proc *p, int oldfd, int newfd, bool cloexec)
{
	const struct fd_entry *e = model_fd(p, oldfd);
	struct fd_entry *n;

	if (newfd < 0 || newfd == oldfd)
		return;
	if (!e) {
		model_fd_set_unknown(p, newfd, "a copy (dup) of an fd that was not known", cloexec);
		return;
	}
	n = fd_entry_copy(e);
	n->method = e->path ? PATH_INHERITED : PATH_NONE;
	n->cloexec = cloexec;
	fd_entry_free(intmap_put(&p->fdt->fds, newfd, n));
}

void model_fd_set_cloexec(struct proc *p, int fd, bool cloexec)
{
	struct fd_entry *e = intmap_get(&p->fdt->fds, fd);

	if (e)
		e->cloexec = cloexec;
}

/* Normalises "." and ".." lexically; symlinks are not followed (no filesystem here) */
static char *normalise(const char *path)
{
	char *out = xmalloc(strlen(path) + 2), *o = out;
	const char *s = path;

	*o++ = '/';
	while (*s) {
		const char *e;
		size_t n;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		e = strchr(s, '/');
		n = e ? (size_t)(e - s) : strlen(s);
		if (n == 1 && s[0] == '.') {
			/* skip */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (o > out + 1) {
				o--;
				while (o > out + 1 && o[-1] != '/')
					o--;
			}
		} else {
			memcpy(o, s, n);
			o += n;
			*o++ = '/';
		}
		s += n;
	}
	if (o > out + 1)
		o--;
	*o = '\0';
	return out;
}

char *model_resolve(struct proc *p, int dirfd, const char *path)
{
	const char *base;
	char *joined, *ret;

	if (!path)
		return NULL;
	if (path[0] == '/' && p->root_unknown)
		return NULL;
	if (path[0] == '/' && p->root) {
		joined = xasprintf("%s/%s", p->root, path);
		ret = normalise(joined);
		free(joined);
		return ret;
	}
	if (path[0] == '/')
		return normalise(path);
	if (dirfd == AT_FDCWD) {
		base = p->cwd;
	} else {
		const struct fd_entry *e = model_fd(p, dirfd);

		base = e ? e->path : NULL;
	}
	if (!base || base[0] != '/')
		return NULL;
	joined = xasprintf("%s/%s", base, path);
	ret = normalise(joined);
	free(joined);
	return ret;
}

void model_chdir(struct proc *p, const char *abs_path)
{
	free(p->cwd);
	p->cwd = abs_path ? xstrdup(abs_path) : NULL;
}

void model_chroot(struct proc *p, const char *abs_path)
{
	free(p->root);
	p->root = abs_path && strcmp(abs_path, "/") ? xstrdup(abs_path) : NULL;
	p->root_unknown = !abs_path;
}

const struct mount *model_mount(const struct model *m, const char *path)
{
	struct mount_cache *mc = m->mount_cache;
	const struct mount *best = NULL;
	size_t len;

	if (!path || path[0] != '/')
		return NULL;
	len = strlen(path);
	if (mc && mc->path && mc->mounts == m->mounts && mc->nr_mounts == m->nr_mounts &&
	    !strcmp(mc->path, path))
		return mc->mt;
	for (size_t i = 0; i < m->nr_mounts; i++) {
		const struct mount *mt = &m->mounts[i];
		size_t n = mt->point_len;

		if (strncmp(path, mt->point, n))
			continue;
		if (n > 1 && path[n] != '/' && path[n] != '\0')
			continue;
		/* later mounts on the same point hide earlier ones: >= keeps the last */
		if (!best || n >= best->point_len)
			best = mt;
	}
	if (mc) {
		if (mc->size <= len) {
			mc->size = len + 64;
			free(mc->path);
			mc->path = xmalloc(mc->size);
		}
		memcpy(mc->path, path, len + 1);
		mc->mounts = m->mounts;
		mc->nr_mounts = m->nr_mounts;
		mc->mt = best;
	}
	return best;
}

const char *model_user(const struct model *m, long uid)
{
	return uid < 0 ? NULL : intmap_get(&m->users, uid);
}

/* Splits a tab-separated line in place into at most @max columns */
static int split_tabs(char *line, char **cols, int max)
{
	int n = 0;

	while (n < max) {
		cols[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

static void load_procs(struct model *m, char *text)
{
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c[11];
		int tid, tgid;
		struct proc *p;
		struct task *t;

		if (split_tabs(line, c, 11) < 11)
			continue;
		tid = atoi(c[0]);
		tgid = atoi(c[1]);
		if (tid <= 0 || tgid <= 0)
			continue;
		p = intmap_get(&m->procs, tgid);
		if (!p) {
			p = proc_new(m, tgid);
			p->known = true;
			p->ruid = atol(c[3]);
			p->euid = atol(c[4]);
			p->suid = atol(c[5]);
			p->fsuid = atol(c[6]);
			unescape_inplace(c[10]);
			if (c[10][0] == '/')
				p->cwd = xstrdup(c[10]);
		}
		t = task_attach(m, tid, p);
		unescape_inplace(c[9]);
		snprintf(t->comm, sizeof(t->comm), "%s", c[9]);
	}
}

static void load_fds(struct model *m, char *text)
{
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c[6];
		struct proc *p;
		unsigned long flags;
		const char *detail;
		int kind;

		if (split_tabs(line, c, 6) < 6)
			continue;
		p = intmap_get(&m->procs, atoi(c[1]));
		if (!p)
			continue;
		flags = strtoul(c[3], NULL, 8);
		unescape_inplace(c[5]);
		p->fds_known = true;
		/* a later scan never overrides what events already taught us */
		if (model_fd(p, atoi(c[2])))
			continue;
		if (!strcmp(c[5], "?")) {
			model_fd_set_unknown(p, atoi(c[2]), "in the snapshot, but /proc did not name it",
					     flags & O_CLOEXEC);
			continue;
		}
		kind = fd_kind_of_name(c[5]);
		detail = NULL;
		if (kind == FD_SOCKET)
			detail = intmap_get(&m->sockets, strtoull(c[5] + 8, NULL, 10));
		model_fd_set_obj(p, atoi(c[2]), kind, c[5], PATH_SNAPSHOT, detail, flags & O_CLOEXEC);
	}
}

/* columns: inode detail ("AF_INET SOCK_STREAM 10.0.0.1:22 -> 10.0.0.2:5000") */
static void load_sockets(struct model *m, char *text)
{
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c[2];

		if (split_tabs(line, c, 2) < 2)
			continue;
		unescape_inplace(c[1]);
		free(intmap_put(&m->sockets, strtoull(c[0], NULL, 10), xstrdup(c[1])));
	}
}

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape_octal(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static void load_mounts(struct model *m, char *text)
{
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* id parent major:minor root point options ... - fstype source superopts */
		char *f[6], *dash, *tok, *s2 = NULL;
		int n = 0;
		struct mount *mt;
		unsigned int ma = 0, mi = 0;

		dash = strstr(line, " - ");
		if (!dash)
			continue;
		*dash = '\0';
		for (tok = strtok_r(line, " ", &s2); tok && n < 6; tok = strtok_r(NULL, " ", &s2))
			f[n++] = tok;
		if (n < 5)
			continue;
		sscanf(f[2], "%u:%u", &ma, &mi);
		m->mounts = xrealloc(m->mounts, (m->nr_mounts + 1) * sizeof(*m->mounts));
		mt = &m->mounts[m->nr_mounts++];
		unescape_octal(f[4]);
		mt->point = xstrdup(f[4]);
		mt->point_len = strlen(mt->point);
		mt->major = ma;
		mt->minor = mi;
		s2 = NULL;
		tok = strtok_r(dash + 3, " ", &s2);
		mt->fstype = xstrdup(tok ? tok : "?");
		tok = strtok_r(NULL, " ", &s2);
		if (tok)
			unescape_octal(tok);
		mt->source = xstrdup(tok ? tok : "?");
	}
}

static void load_passwd(struct model *m, char *text)
{
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c[2];

		if (split_tabs(line, c, 2) < 2)
			continue;
		unescape_inplace(c[1]);
		free(intmap_put(&m->users, strtoul(c[0], NULL, 10), xstrdup(c[1])));
	}
}

static void load_setuid(struct model *m, char *text)
{
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c[4];
		unsigned long mode;

		if (split_tabs(line, c, 4) < 4)
			continue;
		mode = strtoul(c[0], NULL, 8);
		unescape_inplace(c[3]);
		m->setuid = xrealloc(m->setuid, (m->nr_setuid + 1) * sizeof(*m->setuid));
		m->setuid[m->nr_setuid].path = xstrdup(c[3]);
		m->setuid[m->nr_setuid].uid = atol(c[1]);
		m->setuid[m->nr_setuid].suid = mode & 04000;
		m->nr_setuid++;
	}
}

void model_load(struct model *m, struct recording *r)
{
	static const struct {
		const char *name;
		void (*load)(struct model *m, char *text);
		bool first;	/* the first is enough */
	} tables[] = {
		{ "sideband/procs", load_procs, false },
		{ "sideband/sockets", load_sockets, true },
		{ "sideband/fds", load_fds, false },
		{ "sideband/mountinfo", load_mounts, true },
		{ "sideband/passwd", load_passwd, true },
		{ "sideband/setuid", load_setuid, true },
	};

	/* procs and sockets before fds: fd rows attach to known processes */
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++) {
		for (size_t i = 0; i < r->nr_attrs; i++) {
			char *copy;

			if (strcmp(r->attrs[i].name, tables[t].name))
				continue;
			copy = xstrdup(r->attrs[i].value);
			tables[t].load(m, copy);
			free(copy);
			if (tables[t].first)
				break;
		}
	}
}

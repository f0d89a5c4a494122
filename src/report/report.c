// SPDX-License-Identifier: GPL-2.0
/*
 * The report engine (see report.h).  Event dispatch is a lookup by event
 * id into handler chains built once at start, so the per-event cost is
 * one hash lookup plus the handlers' cached-offset field reads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <event-parse.h>

#include "layers.h"
#include "report/report.h"
#include "format/stats.h"
#include <ftio/syscall-nr.h>
#include <ftio/syscall-table.h>
#include "lib/util.h"

#define AUDIT_MAX 10000
#define PATH_PENDING 8		/* user strings remembered per thread */

struct handler {
	event_fn fn;
	void *priv;
	struct handler *next;
};

struct pending_path {
	uint64_t uptr[PATH_PENDING];
	char *path[PATH_PENDING];
	uint8_t method[PATH_PENDING];
	unsigned int next;
};

struct decoder *report_decoder(struct report *r)
{
	return r->d;
}

struct model *report_model(struct report *r)
{
	return &r->m;
}

static void add_handler(struct report *r, int id, event_fn fn, void *priv)
{
	struct handler *h = xcalloc(1, sizeof(*h));

	h->fn = fn;
	h->priv = priv;
	h->next = intmap_get(&r->handlers, id);
	intmap_put(&r->handlers, id, h);
	if (id >= 0 && id <= 0xffff) {
		if (!r->handler_by_id)
			r->handler_by_id = xcalloc(0x10000, sizeof(*r->handler_by_id));
		r->handler_by_id[id] = h;
	}
}

void report_on_event(struct report *r, const char *system, const char *event, event_fn fn,
		     void *priv)
{
	struct tep_event *e = tep_find_event_by_name(decoder_tep(r->d), system, event);

	if (e)
		add_handler(r, e->id, fn, priv);
}

void report_on_system(struct report *r, const char *system, event_fn fn, void *priv)
{
	struct tep_event **all = tep_list_events(decoder_tep(r->d), TEP_EVENT_SORT_ID);

	if (!system)
		system = r->dyn_group;
	if (!system)
		return;
	for (int i = 0; all && all[i]; i++)
		if (!strcmp(all[i]->system, system))
			add_handler(r, all[i]->id, fn, priv);
}

struct call *report_current_call(struct report *r, int tid)
{
	return intmap_get(&r->inflight, tid);
}

void call_add_child(struct call *c, const struct call_child *child)
{
	/* a call with thousands of children (a huge read) keeps the first 64 */
	if (c->nr_children >= 64)
		return;
	c->children = xrealloc(c->children, (c->nr_children + 1) * sizeof(*c->children));
	c->children[c->nr_children++] = *child;
}

struct call_child *call_child_find(struct call *c, const char *layer, const char *what,
				   uint32_t dev)
{
	for (unsigned int i = 0; i < c->nr_children; i++) {
		struct call_child *ch = &c->children[i];

		if (ch->layer == layer && ch->what == what && ch->dev == dev)
			return ch;
	}
	return NULL;
}

bool report_child_view(struct report *r, struct child_view *v)
{
	if (!v->ch->layer)
		return false;
	for (unsigned int i = 0; i < r->nr_layers; i++) {
		const struct ftio_layer *l = r->layers[i].layer;

		if (l->child_view && l->child_view(r, v))
			return true;
	}
	return false;
}

unsigned int report_call_layers(const struct call *c, struct layer_time *out, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < c->nr_children && n < max; i++) {
		const char *layer = c->children[i].layer;
		uint64_t sum = 0;
		bool seen = false;

		for (unsigned int j = 0; j < i && !seen; j++)
			seen = c->children[j].layer == layer;
		if (seen)
			continue;
		for (unsigned int j = i; j < c->nr_children; j++)
			if (c->children[j].layer == layer)
				sum += c->children[j].latency_ns;
		/* parallel requests can add up past the call: never count more than it took */
		if (sum > c->latency_ns)
			sum = c->latency_ns;
		out[n++] = (struct layer_time){ layer, sum, 1 };
	}
	return n;
}

static void add_layer_time(struct report *r, const struct call *c)
{
	struct layer_time lt[ARRAY_SIZE(r->layer_time)];
	unsigned int n = report_call_layers(c, lt, ARRAY_SIZE(lt));

	for (unsigned int i = 0; i < n; i++) {
		unsigned int k;

		for (k = 0; k < r->nr_layer_time && r->layer_time[k].layer != lt[i].layer; k++)
			;
		if (k == r->nr_layer_time) {
			if (k == ARRAY_SIZE(r->layer_time))
				continue;
			r->layer_time[r->nr_layer_time++] = (struct layer_time){ lt[i].layer, 0, 0 };
		}
		r->layer_time[k].ns += lt[i].ns;
		r->layer_time[k].calls++;
	}
}

void report_path_offer(struct report *r, int tid, uint64_t uptr, const char *path, int len,
		       int method)
{
	struct pending_path *p = intmap_get(&r->paths, tid);
	struct call *c = intmap_get(&r->inflight, tid);
	unsigned int i;

	/*
	 * A kprobe inside the call (getname_flags) names the call in flight,
	 * unless a uprobe already did; either way it is not kept for later,
	 * where a reused buffer could hand it to the wrong call.
	 */
	if (c && c->path_uptr && c->path_uptr == uptr) {
		/* a whole string beats the tracepoint's cut copy */
		if (c->path && c->path_cut) {
			free(c->path);
			c->path = NULL;
			c->path_cut = false;
			report_count(r, "cut paths made whole by a probe's string", 1);
		}
		if (!c->path) {
			char *s = xstrndup(path, len);
			char *abs = model_resolve(model_task(&r->m, tid)->proc, c->dirfd, s);

			c->path = abs ? abs : s;
			if (abs)
				free(s);
			c->path_method = method;
			c->path_why = NULL;
		}
		return;
	}

	if (!p) {
		p = xcalloc(1, sizeof(*p));
		intmap_put(&r->paths, tid, p);
	}
	i = p->next++ % PATH_PENDING;
	free(p->path[i]);
	p->path[i] = xstrndup(path, len);
	p->uptr[i] = uptr;
	p->method[i] = method;
}

char *report_path_take(struct report *r, int tid, uint64_t uptr, int *method)
{
	struct pending_path *p = intmap_get(&r->paths, tid);

	if (!p)
		return NULL;
	/* newest first: the wrapper's probe fired just before its syscall */
	for (unsigned int k = 0; k < PATH_PENDING; k++) {
		unsigned int i = (p->next - 1 - k) % PATH_PENDING;
		char *s;

		if (!p->path[i] || p->uptr[i] != uptr)
			continue;
		s = p->path[i];
		p->path[i] = NULL;
		*method = p->method[i];
		return s;
	}
	return NULL;
}

void report_path_covers(struct report *r, const char *syscall)
{
	if (!syscall)
		r->path_covers_all = true;
	else
		strmap_insert(&r->path_covered, syscall, strlen(syscall), (void *)1, NULL);
}

bool report_path_covered(struct report *r, const char *syscall)
{
	return r->path_covers_all ||
	       (syscall && strmap_get(&r->path_covered, syscall, strlen(syscall)));
}

void report_observe(struct report *r, void (*fn)(struct report *r, const struct call *c, void *arg),
		    void *arg)
{
	if (r->nr_observers < ARRAY_SIZE(r->observers))
		r->observers[r->nr_observers++] = (struct call_observer){ fn, arg };
}

void report_observe_requests(struct report *r,
			     void (*fn)(struct report *r, const struct call *c, const char *engine,
					void *arg),
			     void *arg)
{
	if (r->nr_req_observers < ARRAY_SIZE(r->req_observers))
		r->req_observers[r->nr_req_observers++] = (struct request_observer){ fn, arg };
}

void report_request_done(struct report *r, const struct call *c, const char *engine)
{
	for (unsigned int i = 0; i < r->nr_req_observers; i++)
		r->req_observers[i].fn(r, c, engine, r->req_observers[i].arg);
}

uint64_t report_last_ts(struct report *r)
{
	return r->last_ts;
}

const char *const call_counter_keys[CALL_COUNTERS] = {
	[CTR_ONCPU_NS] = "oncpu_ns", [CTR_CTX_SWITCHES] = "ctx_switches",
	[CTR_MAJOR_FAULTS] = "major_faults", [CTR_MINOR_FAULTS] = "minor_faults",
	[CTR_INSTRUCTIONS] = "instructions", [CTR_CYCLES] = "cycles",
};

static void agg_add(struct agg *a, const struct call *c)
{
	a->count++;
	if (c->err)
		a->errors++;
	a->bytes += c->bytes;
	if (c->tainted)
		return;
	a->total_ns += c->latency_ns;
	if (c->latency_ns > a->max_ns)
		a->max_ns = c->latency_ns;
	hist_add(&a->lat, c->latency_ns);
	if (c->ctr_mask) {
		a->ctr_calls++;
		a->ctr_latency_ns += c->latency_ns;
		for (int k = 0; k < CALL_COUNTERS; k++)
			a->ctr[k] += c->ctr[k];
	}
}

static struct agg *agg_new(void)
{
	struct agg *a = xcalloc(1, sizeof(*a));

	hist_init(&a->lat);
	return a;
}

/*
 * The aggregate of @key in @map, made when new; @hot_key and @hot are the
 * table's last row: calls come in runs, and a hit costs a compare
 */
static struct agg *agg_by_ptr(struct intmap *map, const void *key, const void **hot_key,
			      struct agg **hot)
{
	struct agg *a;

	if (*hot && *hot_key == key)
		return *hot;
	a = intmap_get(map, (uintptr_t)key);
	if (!a) {
		a = agg_new();
		intmap_put(map, (uintptr_t)key, a);
	}
	*hot_key = key;
	*hot = a;
	return a;
}

static void agg_free(void *p)
{
	struct agg *a = p;

	if (a) {
		hist_release(&a->lat);
		free(a);
	}
}

static void nonfile_free(void *p)
{
	struct nonfile_row *n = p;

	if (n) {
		hist_release(&n->agg.lat);
		free(n->detail);
		free(n);
	}
}

/* A call on a pipe, socket or other non-file: its own table, never the files' */
static void nonfile_add(struct report *r, const struct call *c)
{
	const char *name = c->path ? c->path : "?";
	struct strmap_entry *e = strmap_insert(&r->by_nonfile, name, strlen(name), NULL, NULL);
	struct nonfile_row *n = e->val;

	if (!n) {
		n = xcalloc(1, sizeof(*n));
		hist_init(&n->agg.lat);
		n->kind = c->fd_kind;
		e->val = n;
	}
	if (c->detail && (!n->detail || strcmp(n->detail, c->detail))) {
		free(n->detail);
		n->detail = xstrdup(c->detail);
	}
	agg_add(&n->agg, c);
	r->nonfile_calls[c->fd_kind]++;
}

static bool path_under(const char *path, const char *prefix, size_t n)
{
	if (!path || strncmp(path, prefix, n))
		return false;
	return n == 1 || path[n] == '/' || path[n] == '\0' || prefix[n - 1] == '/';
}

static bool call_passes(struct report *r, const struct call *c)
{
	const struct report_filter *f = &r->f;
	uint64_t rel = c->start_ns > r->start_ns ? c->start_ns - r->start_ns : 0;

	if (f->pid >= 0 && c->pid != f->pid)
		return false;
	if (f->tid >= 0 && c->tid != f->tid)
		return false;
	if (f->uid >= 0 && c->uid != f->uid && c->euid != f->uid)
		return false;
	if (f->comm && strcmp(f->comm, c->comm))
		return false;
	if (f->path && !path_under(c->path, f->path, f->path_len))
		return false;
	if (f->syscalls) {
		bool ok = false;

		for (char **s = f->syscalls; *s && !ok; s++)
			ok = !strcmp(*s, c->name);
		if (!ok)
			return false;
	}
	if (f->errors_only && !c->err)
		return false;
	if (f->min_latency && (c->tainted || c->latency_ns < f->min_latency))
		return false;
	if (rel < f->since || (f->until && rel > f->until))
		return false;
	return true;
}

bool report_request_passes(struct report *r, const struct call *c, const char *engine)
{
	char **sc = r->f.syscalls;
	bool named = !sc;
	bool ok;

	/* --syscall names a request by its engine or its opcode */
	for (; sc && *sc && !named; sc++)
		named = !strcmp(*sc, engine) || !strcmp(*sc, c->name);
	if (!named)
		return false;
	sc = r->f.syscalls;
	r->f.syscalls = NULL;
	ok = call_passes(r, c);
	r->f.syscalls = sc;
	return ok;
}

void report_copy_call(struct call *dst, const struct call *src)
{
	*dst = *src;
	dst->path = src->path ? xstrdup(src->path) : NULL;
	dst->detail = src->detail ? xstrdup(src->detail) : NULL;
	if (src->nr_children) {
		dst->children = xmalloc(src->nr_children * sizeof(*src->children));
		memcpy(dst->children, src->children, src->nr_children * sizeof(*src->children));
	} else {
		dst->children = NULL;
	}
}

void report_free_call(struct call *c)
{
	free(c->path);
	free(c->detail);
	free(c->children);
	c->path = NULL;
	c->detail = NULL;
	c->children = NULL;
}

/* min-heap on latency: the root is the fastest of the slowest */
static void slowest_sift_down(struct call *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, rr = l + 1, m = i;
		struct call t;

		if (l < n && h[l].latency_ns < h[m].latency_ns)
			m = l;
		if (rr < n && h[rr].latency_ns < h[m].latency_ns)
			m = rr;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void slowest_add(struct report *r, const struct call *c)
{
	size_t i;

	if (!r->top || c->tainted)
		return;
	if (r->nr_slowest < r->top) {
		i = r->nr_slowest++;
		report_copy_call(&r->slowest[i], c);
		while (i && r->slowest[(i - 1) / 2].latency_ns > r->slowest[i].latency_ns) {
			struct call t = r->slowest[i];

			r->slowest[i] = r->slowest[(i - 1) / 2];
			r->slowest[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
		return;
	}
	if (c->latency_ns <= r->slowest[0].latency_ns)
		return;
	report_free_call(&r->slowest[0]);
	report_copy_call(&r->slowest[0], c);
	slowest_sift_down(r->slowest, r->nr_slowest, 0);
}

static void add_error(struct report *r, const struct call *c)
{
	struct strbuf key = STRBUF_INIT;
	struct strmap_entry *e;
	struct error_row *row;
	int inserted;

	strbuf_addf(&key, "%s%c%d%c%s%c%ld%c%s", c->name, 0, c->err, 0, c->path ? c->path : "",
		    0, c->uid, 0, c->comm);
	e = strmap_insert(&r->errors, key.buf, key.len, NULL, &inserted);
	strbuf_release(&key);
	if (inserted) {
		row = xcalloc(1, sizeof(*row));
		row->syscall = c->name;
		row->err = c->err;
		row->origin = c->err_origin;
		row->path = c->path ? xstrdup(c->path) : NULL;
		row->uid = c->uid;
		row->pid = c->pid;
		memcpy(row->comm, c->comm, sizeof(row->comm));
		row->first_ns = c->start_ns;
		e->val = row;
	}
	row = e->val;
	row->count++;
	row->last_ns = c->start_ns;
}

static void add_audit(struct report *r, const struct call *c, const char *engine)
{
	struct audit_row *a;

	r->audit_total++;
	if (r->nr_audit >= AUDIT_MAX)
		return;
	r->audit = xrealloc(r->audit, (r->nr_audit + 1) * sizeof(*r->audit));
	a = &r->audit[r->nr_audit++];
	a->ts = c->start_ns;
	a->syscall = c->name;
	a->engine = engine;
	a->err = c->err;
	a->origin = c->err_origin;
	a->uid = c->uid;
	a->euid = c->euid;
	a->pid = c->pid;
	a->tid = c->tid;
	memcpy(a->comm, c->comm, sizeof(a->comm));
	a->path = c->path ? xstrdup(c->path) : NULL;
	a->fd_kind = c->fd_kind;
	a->latency_ns = c->latency_ns;
}

void report_add_denial(struct report *r, const struct call *c, const char *engine)
{
	add_audit(r, c, engine);
}

static bool kind_has_file(int kind)
{
	return kind != SC_SETUID && kind != SC_SETREUID && kind != SC_SETRESUID &&
	       kind != SC_SETFSUID && kind != SC_OTHER;
}

void report_add_call(struct report *r, struct call *c)
{
	struct agg *a;
	struct proc_row *pr;
	bool nonfile;

	r->calls++;
	if (!call_passes(r, c))
		return;
	r->calls_kept++;
	nonfile = fd_kind_is_nonfile(c->fd_kind);
	if (kind_has_file(c->kind) && !nonfile) {
		r->path_methods[c->path ? c->path_method : PATH_NONE]++;
		if (!c->path && c->path_why)
			report_count(r, c->path_why, 1);
	}
	for (unsigned int i = 0; i < r->nr_observers; i++)
		r->observers[i].fn(r, c, r->observers[i].arg);
	if (c->tainted)
		report_count(r, "calls broken by lost events (latency not counted)", 1);
	agg_add(&r->total, c);
	if (!nonfile)
		agg_add(&r->files, c);
	if (!c->tainted)
		add_layer_time(r, c);

	agg_add(agg_by_ptr(&r->by_syscall, c->name, &r->hot.name, &r->hot.sc), c);
	if (c->mount)
		agg_add(agg_by_ptr(&r->by_mount, c->mount, &r->hot.mount, &r->hot.mt), c);
	if (nonfile) {
		nonfile_add(r, c);
	} else if (c->path) {
		size_t len = strlen(c->path);
		struct strmap_entry *e = r->hot.file;

		if (!e || e->key_len != len || memcmp(e->key, c->path, len)) {
			e = strmap_insert(&r->by_file, c->path, len, NULL, NULL);
			if (!e->val)
				e->val = agg_new();
			r->hot.file = e;
		}
		agg_add(e->val, c);
	}
	pr = r->hot.proc;
	if (!pr || pr->pid != c->pid) {
		pr = intmap_get(&r->by_proc, c->pid);
		if (!pr) {
			pr = xcalloc(1, sizeof(*pr));
			pr->pid = c->pid;
			hist_init(&pr->agg.lat);
			intmap_put(&r->by_proc, c->pid, pr);
		}
		r->hot.proc = pr;
	}
	memcpy(pr->comm, c->comm, sizeof(pr->comm));
	pr->uid = c->uid;
	agg_add(&pr->agg, c);

	if (!r->hot.ua || r->hot.uid != c->uid) {
		a = intmap_get(&r->by_uid, (uint64_t)(c->uid + 1));
		if (!a) {
			a = agg_new();
			intmap_put(&r->by_uid, (uint64_t)(c->uid + 1), a);
		}
		r->hot.uid = c->uid;
		r->hot.ua = a;
	}
	agg_add(r->hot.ua, c);
	if (c->uid < 0)
		r->uid_unknown++;

	if (c->err) {
		add_error(r, c);
		if (c->err == EACCES || c->err == EPERM)
			add_audit(r, c, "syscall");
	}
	/* the slowest calls and their drill-down rank files */
	if (!nonfile)
		slowest_add(r, c);
}

static bool layer_enabled(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !strncmp(p, name, n))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

int report_init(struct report *r, struct recording **recs, size_t nr_recs)
{
	struct decoder *d = decoder_new_multi(recs, nr_recs);

	if (!d)
		return -errno;
	report_init_decoder(r, recs, nr_recs, d);
	return 0;
}

void report_init_decoder(struct report *r, struct recording **recs, size_t nr_recs,
			 struct decoder *d)
{
	struct recording *rec = recs[0];
	const char *layers = recording_attr(rec, "meta/layers");
	const char *clock = recording_attr(rec, "meta/clock");

	r->rec = rec;
	r->last = recs[nr_recs - 1];
	r->recs = recs;
	r->nr_recs = nr_recs;
	r->d = d;
	model_init(&r->m);
	model_load(&r->m, rec);
	lifecycle_init(&r->lc, &r->m, r->d);
	r->dyn_group = recording_attr(rec, "meta/dyn_group");
	report_load_blockdevs(r);
	report_load_snapshot_inodes(r);
	hist_init(&r->total.lat);
	hist_init(&r->files.lat);
	if (!r->top)
		r->top = 10;
	r->slowest = xcalloc(r->top, sizeof(*r->slowest));
	/* event times are CLOCK_MONOTONIC only with the mono trace clock */
	if (clock && !strcmp(clock, "mono"))
		r->start_ns = recording_attr_u64(rec, "meta/start_mono_ns", 0);
	for (size_t i = 0; ftio_layers[i]; i++) {
		const struct ftio_layer *l = ftio_layers[i];

		if (!layer_enabled(layers, l->name) || !l->report_init ||
		    r->nr_layers >= ARRAY_SIZE(r->layers))
			continue;
		r->layers[r->nr_layers].layer = l;
		r->layers[r->nr_layers].state = l->report_init(r);
		r->nr_layers++;
	}
}

void report_feed(struct report *r, const struct ftio_event *ev)
{
	struct handler *h;

	r->events++;
	if (!r->first_ts)
		r->first_ts = ev->ts;
	r->last_ts = ev->ts;
	if (ev->cpu >= 0 && ev->cpu < REPORT_MAX_CPUS)
		r->cpu_last[ev->cpu] = ev->ts;
	if (ev->missed) {
		uint64_t k;
		void *v;

		/* we cannot know whose events were lost: distrust every open call */
		for (size_t i = 0; intmap_next(&r->inflight, &i, &k, &v);)
			((struct call *)v)->tainted = true;
	}
	if (!ev->event)
		h = NULL;
	else if (ev->event->id >= 0 && ev->event->id <= 0xffff)
		h = r->handler_by_id ? r->handler_by_id[ev->event->id] : NULL;
	else
		h = intmap_get(&r->handlers, ev->event->id);
	for (; h; h = h->next)
		h->fn(r, ev, h->priv);
	lifecycle_feed(&r->lc, ev);
}

int report_run(struct report *r)
{
	struct ftio_event ev;

	while (decoder_next(r->d, &ev) > 0)
		report_feed(r, &ev);
	report_end(r);
	return 0;
}

void report_end(struct report *r)
{
	if (!r->start_ns || r->start_ns > r->first_ts)
		r->start_ns = r->first_ts;
	for (unsigned int i = r->nr_layers; i-- > 0;)
		if (r->layers[i].layer->report_finish)
			r->layers[i].layer->report_finish(r, r->layers[i].state);
	report_sum_damage(r);
}

static void proc_row_free(void *p)
{
	struct proc_row *pr = p;

	hist_release(&pr->agg.lat);
	free(pr);
}

static void error_row_free(void *p)
{
	struct error_row *e = p;

	free(e->path);
	free(e);
}

void report_release(struct report *r)
{
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&r->handlers, &i, &k, &v);) {
		struct handler *h = v;

		while (h) {
			struct handler *n = h->next;

			free(h);
			h = n;
		}
	}
	intmap_release(&r->handlers);
	free(r->handler_by_id);
	for (size_t i = 0; intmap_next(&r->paths, &i, &k, &v);) {
		struct pending_path *p = v;

		for (int j = 0; j < PATH_PENDING; j++)
			free(p->path[j]);
		free(p);
	}
	intmap_release(&r->paths);
	intmap_release(&r->inflight);
	intmap_release(&r->requests);
	intmap_release_u64(&r->issuing);
	intmap_release_values(&r->by_syscall, agg_free);
	intmap_release_values(&r->by_mount, agg_free);
	intmap_release_values(&r->by_uid, agg_free);
	intmap_release_values(&r->by_proc, proc_row_free);
	strmap_release(&r->by_file, agg_free);
	strmap_release(&r->by_nonfile, nonfile_free);
	strmap_release(&r->errors, error_row_free);
	strmap_release(&r->found_names, NULL);
	for (size_t i = 0; i < r->nr_audit; i++)
		free(r->audit[i].path);
	free(r->audit);
	for (size_t i = 0; i < r->nr_slowest; i++)
		report_free_call(&r->slowest[i]);
	free(r->slowest);
	hist_release(&r->total.lat);
	hist_release(&r->files.lat);
	for (unsigned int i = 0; i < r->nr_layers; i++)
		if (r->layers[i].layer->report_free)
			r->layers[i].layer->report_free(r->layers[i].state);
	strmap_release(&r->inodes, free);
	strmap_release(&r->path_covered, NULL);
	for (size_t i = 0; intmap_next(&r->blockdevs, &i, &k, &v);)
		free(v);
	intmap_release(&r->blockdevs);
	model_release(&r->m);
	decoder_free(r->d);
}

uint64_t report_lost_events(struct report *r)
{
	struct decoder_stats ds;
	uint64_t ring;

	decoder_get_stats(r->d, &ds);
	/* the counters are cumulative over rotated files: the last file has the total */
	ring = ring_stats_lost(r->last);
	/* the ring counters include what the pages flag; take the larger */
	return ring > ds.missed ? ring : ds.missed;
}

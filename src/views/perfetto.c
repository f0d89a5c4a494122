// SPDX-License-Identifier: GPL-2.0
/*
 * Chrome trace-event JSON for ui.perfetto.dev and chrome://tracing.
 *
 * Every reported call is a complete ("X") slice on its thread's track,
 * written as the call exits; what the lower layers attributed to it
 * (lookups, page-cache misses, FUSE requests, filesystem work, block
 * requests) is nested inside as slices of their own.  Each block device
 * is a process whose threads are queue lanes: a request goes to the
 * first lane free at its start, so requests in flight together stack up
 * like a queue depth, and each has a "queue" (Q2D) and a "device" (D2C)
 * part.  A flow arrow ("s" on the thread, "f" bound to the request) links
 * a call to each request it waited for.
 *
 * Viewers drop slices that cross instead of nesting (Perfetto counts them
 * as misplaced_end_event), so the slices of one track are made laminar
 * here: overlapping requests of the same kind merge into one slice on
 * the thread, and a child that still crosses its parent is cut at the
 * parent's end (the cut is in the slice's args).  Times are microseconds
 * from the start of the capture with three decimals: exact nanoseconds.
 *
 * Memory: the threads seen, and the block requests not yet placed in a
 * lane.  A request can be placed once no call still in flight started
 * before it, so the pending ones are bounded by what overlaps the
 * longest call in flight, not by the capture.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "views/views.h"
#include <ftio/syscall-table.h>
#include "lib/util.h"

#define DEV_PID_BASE	0x40000000u	/* past any pid or tid Linux hands out (2^22) */
#define DRAIN_EVERY	4096		/* pending requests before trying to place them */

struct pf_thread {
	char comm[16];
	int pid;
	uint64_t last_end;	/* the call slices of a thread must not overlap */
};

struct pf_req {
	uint64_t start, dur, q2d, bytes, flow;
	uint32_t dev;
	const char *what, *syscall;
	int tid;
};

struct pf_dev {
	uint32_t dev;
	unsigned int pid;
	char name[32];
	uint64_t *lane_end;
	unsigned int *lane_tid;
	unsigned int nr_lanes;
};

struct perfetto {
	struct report *r;
	FILE *out;
	int err;
	bool started;
	uint64_t t0;		/* event time of ts 0 */
	struct strbuf sb;
	struct intmap threads;	/* tid -> struct pf_thread */
	struct intmap procs;	/* pid -> name (malloc'd), once named */
	struct intmap devs;	/* dev_t -> struct pf_dev */
	unsigned int nr_devs, nr_lane_tids;
	struct pf_req *heap;	/* min-heap on start */
	size_t nr_heap, cap_heap;
	uint64_t next_flow;
	uint64_t calls, requests;
};

/* ---- output ---- */

static void flush_sb(struct perfetto *p)
{
	if (p->sb.len && !p->err && fwrite(p->sb.buf, 1, p->sb.len, p->out) != p->sb.len)
		p->err = -(errno ? errno : EIO);
	strbuf_reset(&p->sb);
}

static void jstr(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	strbuf_add_json(sb, s ? s : "");
	strbuf_addch(sb, '"');
}

static uint64_t rel(struct perfetto *p, uint64_t ts)
{
	return ts > p->t0 ? ts - p->t0 : 0;
}

/* Microseconds with three decimals: the nanosecond exactly, whatever parses it */
static void add_us(struct strbuf *sb, const char *key, uint64_t ns)
{
	strbuf_addf(sb, ",\"%s\":%llu.%03llu", key, (unsigned long long)(ns / 1000),
		    (unsigned long long)(ns % 1000));
}

/* Starts an event: {"ph":"X","cat":...,"name":...,"pid":..,"tid":.. */
static void ev_begin(struct perfetto *p, char ph, const char *cat, const char *name,
		     unsigned int pid, unsigned int tid)
{
	strbuf_addf(&p->sb, ",\n{\"ph\":\"%c\",\"cat\":\"%s\",\"name\":", ph, cat);
	jstr(&p->sb, name);
	strbuf_addf(&p->sb, ",\"pid\":%u,\"tid\":%u", pid, tid);
}

static void meta(struct perfetto *p, const char *what, unsigned int pid, unsigned int tid,
		 const char *name)
{
	ev_begin(p, 'M', "__metadata", what, pid, tid);
	strbuf_addstr(&p->sb, ",\"args\":{\"name\":");
	jstr(&p->sb, name);
	strbuf_addstr(&p->sb, "}}");
}

static void name_thread(struct perfetto *p, const struct call *c)
{
	struct pf_thread *t = intmap_get(&p->threads, c->tid);
	char *pname = intmap_get(&p->procs, c->pid);

	if (!t) {
		t = xcalloc(1, sizeof(*t));
		intmap_put(&p->threads, c->tid, t);
	}
	/* exec changes the name: the last thread_name a viewer reads wins */
	if (t->pid != c->pid || strncmp(t->comm, c->comm, sizeof(t->comm))) {
		memcpy(t->comm, c->comm, sizeof(t->comm));
		t->comm[sizeof(t->comm) - 1] = '\0';
		t->pid = c->pid;
		meta(p, "thread_name", c->pid, c->tid, t->comm);
	}
	if (!pname || (c->tid == c->pid && strcmp(pname, t->comm))) {
		free(intmap_put(&p->procs, c->pid, xstrdup(t->comm)));
		meta(p, "process_name", c->pid, c->pid, t->comm);
	}
}

/* ---- block devices: requests placed in queue lanes, in order of start ---- */

static void heap_push(struct perfetto *p, const struct pf_req *rq)
{
	size_t i;

	if (p->nr_heap == p->cap_heap) {
		p->cap_heap = p->cap_heap ? 2 * p->cap_heap : 256;
		p->heap = xrealloc(p->heap, p->cap_heap * sizeof(*p->heap));
	}
	i = p->nr_heap++;
	p->heap[i] = *rq;
	while (i && p->heap[(i - 1) / 2].start > p->heap[i].start) {
		struct pf_req t = p->heap[i];

		p->heap[i] = p->heap[(i - 1) / 2];
		p->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static struct pf_req heap_pop(struct perfetto *p)
{
	struct pf_req top = p->heap[0];
	size_t i = 0, n = --p->nr_heap;

	p->heap[0] = p->heap[n];
	for (;;) {
		size_t l = 2 * i + 1, rr = l + 1, m = i;
		struct pf_req t;

		if (l < n && p->heap[l].start < p->heap[m].start)
			m = l;
		if (rr < n && p->heap[rr].start < p->heap[m].start)
			m = rr;
		if (m == i)
			break;
		t = p->heap[i];
		p->heap[i] = p->heap[m];
		p->heap[m] = t;
		i = m;
	}
	return top;
}

static struct pf_dev *dev_get(struct perfetto *p, uint32_t dev)
{
	struct pf_dev *d = intmap_get(&p->devs, dev);
	char name[64];

	if (d)
		return d;
	d = xcalloc(1, sizeof(*d));
	d->dev = dev;
	d->pid = DEV_PID_BASE + ++p->nr_devs;
	snprintf(d->name, sizeof(d->name), "%s", report_dev_name(p->r, dev, name, sizeof(name)));
	intmap_put(&p->devs, dev, d);
	snprintf(name, sizeof(name), "block device %s", d->name);
	meta(p, "process_name", d->pid, d->pid, name);
	return d;
}

static unsigned int lane_for(struct perfetto *p, struct pf_dev *d, const struct pf_req *rq)
{
	char name[64];
	unsigned int i;

	for (i = 0; i < d->nr_lanes; i++)
		if (d->lane_end[i] <= rq->start)
			break;
	if (i == d->nr_lanes) {
		d->lane_end = xrealloc(d->lane_end, (i + 1) * sizeof(*d->lane_end));
		d->lane_tid = xrealloc(d->lane_tid, (i + 1) * sizeof(*d->lane_tid));
		d->lane_tid[i] = DEV_PID_BASE + 0x100000 + ++p->nr_lane_tids;
		d->nr_lanes++;
		if (i)
			snprintf(name, sizeof(name), "%s in flight #%u", d->name, i + 1);
		else
			snprintf(name, sizeof(name), "%s requests", d->name);
		meta(p, "thread_name", d->pid, d->lane_tid[i], name);
	}
	d->lane_end[i] = rq->start + rq->dur;
	return d->lane_tid[i];
}

static void emit_request(struct perfetto *p, const struct pf_req *rq)
{
	struct pf_dev *d = dev_get(p, rq->dev);
	unsigned int tid = lane_for(p, d, rq);
	char name[64], size[32];

	snprintf(name, sizeof(name), "%s %s", rq->what, fmt_bytes(size, sizeof(size), rq->bytes));
	ev_begin(p, 'X', "blockdev", name, d->pid, tid);
	add_us(&p->sb, "ts", rel(p, rq->start));
	add_us(&p->sb, "dur", rq->dur);
	strbuf_addf(&p->sb, ",\"args\":{\"bytes\":%llu,\"q2d_ns\":%llu,\"d2c_ns\":%llu,\"tid\":%d,"
		    "\"syscall\":", (unsigned long long)rq->bytes, (unsigned long long)rq->q2d,
		    (unsigned long long)(rq->dur - rq->q2d), rq->tid);
	jstr(&p->sb, rq->syscall);
	strbuf_addstr(&p->sb, "}}");
	/* the two phases, inside the request */
	if (rq->q2d && rq->q2d < rq->dur) {
		ev_begin(p, 'X', "blockdev-phase", "queue", d->pid, tid);
		add_us(&p->sb, "ts", rel(p, rq->start));
		add_us(&p->sb, "dur", rq->q2d);
		strbuf_addch(&p->sb, '}');
	}
	ev_begin(p, 'X', "blockdev-phase", "device", d->pid, tid);
	add_us(&p->sb, "ts", rel(p, rq->start + rq->q2d));
	add_us(&p->sb, "dur", rq->dur - rq->q2d);
	strbuf_addch(&p->sb, '}');
	if (rq->flow) {
		ev_begin(p, 'f', "flow", "block I/O", d->pid, tid);
		strbuf_addf(&p->sb, ",\"id\":%llu,\"bp\":\"e\"", (unsigned long long)rq->flow);
		add_us(&p->sb, "ts", rel(p, rq->start + rq->dur / 2));
		strbuf_addch(&p->sb, '}');
	}
	p->requests++;
}

/*
 * Places every pending request that starts before @watermark: no call
 * seen later can bring an earlier one, since it is either in flight now
 * (its requests start after its own start) or starts later.
 */
static void drain(struct perfetto *p, uint64_t watermark)
{
	while (p->nr_heap && p->heap[0].start <= watermark) {
		struct pf_req rq = heap_pop(p);

		emit_request(p, &rq);
		if (p->sb.len > 1 << 16)
			flush_sb(p);
	}
}

static uint64_t inflight_watermark(struct perfetto *p, uint64_t now)
{
	uint64_t k, w = now;
	void *v;

	for (size_t i = 0; intmap_next(&p->r->inflight, &i, &k, &v);) {
		const struct call *c = v;

		if (c->start_ns < w)
			w = c->start_ns;
	}
	return w;
}

/* ---- the slices of one call ---- */

struct item {
	const char *layer, *what;
	uint32_t dev;
	uint64_t s, e;		/* placed on the track */
	uint64_t end0;		/* end before a cut */
	uint64_t lat, a, b, bytes;
	uint32_t count;
	int error;
};

static int item_order(const void *x, const void *y)
{
	const struct item *a = x, *b = y;

	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	return a->e > b->e ? -1 : a->e < b->e;
}

static bool mergeable(const char *layer)
{
	return !strcmp(layer, "block") || !strcmp(layer, "fuse");
}

static void emit_item(struct perfetto *p, const struct call *c, const struct item *it)
{
	struct strbuf name = STRBUF_INIT;
	char dev[32];

	strbuf_addstr(&name, it->layer);
	if (it->dev && strcmp(it->layer, "fuse"))
		strbuf_addf(&name, " %s", report_dev_name(p->r, it->dev, dev, sizeof(dev)));
	strbuf_addf(&name, " %s", it->what);
	if (it->count > 1)
		strbuf_addf(&name, " x%u", it->count);
	if (it->count > 1 && !mergeable(it->layer) && it->lat)
		strbuf_addf(&name, " (%s)", fmt_ns(dev, sizeof(dev), it->lat));
	ev_begin(p, 'X', it->layer, name.buf, c->pid, c->tid);
	add_us(&p->sb, "ts", rel(p, it->s));
	add_us(&p->sb, "dur", it->e - it->s);
	strbuf_addf(&p->sb, ",\"args\":{\"count\":%u,\"latency_ns\":%llu", it->count,
		    (unsigned long long)it->lat);
	if (!strcmp(it->layer, "block"))
		strbuf_addf(&p->sb, ",\"bytes\":%llu,\"q2d_ns\":%llu,\"d2c_ns\":%llu",
			    (unsigned long long)it->bytes, (unsigned long long)it->a,
			    (unsigned long long)it->b);
	else if (!strcmp(it->layer, "pagecache"))
		strbuf_addf(&p->sb, ",\"pages\":%llu", (unsigned long long)it->a);
	if (it->error)
		strbuf_addf(&p->sb, ",\"error\":%d", it->error);
	if (it->count > 1 && !mergeable(it->layer))
		strbuf_addstr(&p->sb, ",\"note\":\"several: marked at the first, latency_ns is their total\"");
	if (it->end0 > it->e)
		strbuf_addf(&p->sb, ",\"cut_ns\":%llu", (unsigned long long)(it->end0 - it->e));
	strbuf_addstr(&p->sb, "}}");
	strbuf_release(&name);
}

static void emit_children(struct perfetto *p, const struct call *c, uint64_t cs, uint64_t ce)
{
	struct item *it = xcalloc(c->nr_children + 1, sizeof(*it));
	uint64_t stack[66];
	size_t n = 0, m = 0, depth = 0;

	for (unsigned int i = 0; i < c->nr_children; i++) {
		const struct call_child *ch = &c->children[i];
		struct item *x = &it[n++];

		x->layer = ch->layer ? ch->layer : "other";
		x->what = ch->what ? ch->what : "?";
		x->dev = ch->dev;
		x->s = ch->start_ns < cs ? cs : ch->start_ns > ce ? ce : ch->start_ns;
		/* a zero-length child at the very end would close its parent first */
		if (x->s == ce && ce > cs)
			x->s = ce - 1;
		x->e = x->s + ch->latency_ns > ce ? ce : x->s + ch->latency_ns;
		/* a sum of several (fs, lookup) has no one interval: a mark at the first */
		if (ch->count > 1 && !mergeable(x->layer))
			x->e = x->s;
		x->lat = ch->latency_ns;
		x->a = ch->a;
		x->b = ch->b;
		x->bytes = ch->bytes;
		x->count = ch->count ? ch->count : 1;
		x->error = ch->error;
	}
	qsort(it, n, sizeof(*it), item_order);
	/* requests of one kind in flight together: one slice on the thread */
	for (size_t i = 0; i < n; i++) {
		struct item *prev = NULL;

		for (size_t j = m; j-- > 0 && !prev;)
			if (mergeable(it[i].layer) && it[j].layer == it[i].layer &&
			    it[j].what == it[i].what && it[j].dev == it[i].dev && it[j].e > it[i].s)
				prev = &it[j];
		if (!prev) {
			it[m++] = it[i];
			continue;
		}
		if (it[i].e > prev->e)
			prev->e = it[i].e;
		prev->count += it[i].count;
		prev->lat += it[i].lat;
		prev->a += it[i].a;
		prev->b += it[i].b;
		prev->bytes += it[i].bytes;
	}
	qsort(it, m, sizeof(*it), item_order);
	stack[depth++] = ce;
	for (size_t i = 0; i < m; i++) {
		struct item *x = &it[i];

		/* as viewers read them: a slice ending where the next starts is closed */
		while (depth > 1 && stack[depth - 1] <= x->s)
			depth--;
		x->end0 = x->e;
		if (x->e > stack[depth - 1])
			x->e = stack[depth - 1];
		emit_item(p, c, x);
		if (depth < ARRAY_SIZE(stack))
			stack[depth++] = x->e;
	}
	free(it);
}

static void perfetto_observe(struct report *r, const struct call *c, void *arg)
{
	struct perfetto *p = arg;
	struct pf_thread *t;
	uint64_t cs = c->start_ns, ce = c->start_ns + c->latency_ns, shift = 0;

	if (!p->started) {
		p->t0 = r->first_ts;
		if (r->start_ns && r->start_ns < p->t0)
			p->t0 = r->start_ns;
		p->started = true;
	}
	name_thread(p, c);
	t = intmap_get(&p->threads, c->tid);
	if (cs < t->last_end) {
		/* only lost events can make two calls of one thread overlap */
		shift = t->last_end - cs;
		cs = t->last_end;
		if (ce < cs)
			ce = cs;
	}
	t->last_end = ce;

	ev_begin(p, 'X', "syscall", c->name, c->pid, c->tid);
	add_us(&p->sb, "ts", rel(p, cs));
	add_us(&p->sb, "dur", ce - cs);
	strbuf_addstr(&p->sb, ",\"args\":{\"path\":");
	jstr(&p->sb, c->path ? c->path : "?");
	strbuf_addf(&p->sb, ",\"ret\":%lld,\"latency_ns\":%llu", (long long)c->ret,
		    (unsigned long long)c->latency_ns);
	if (c->err) {
		strbuf_addstr(&p->sb, ",\"errno\":");
		jstr(&p->sb, errno_name(c->err) ? errno_name(c->err) : "?");
	}
	if (c->uid >= 0)
		strbuf_addf(&p->sb, ",\"uid\":%ld", c->uid);
	if (c->bytes)
		strbuf_addf(&p->sb, ",\"bytes\":%llu", (unsigned long long)c->bytes);
	if (c->mount) {
		strbuf_addstr(&p->sb, ",\"mount\":");
		jstr(&p->sb, c->mount->point);
	}
	if (c->tainted)
		strbuf_addstr(&p->sb, ",\"lost_events_nearby\":true");
	if (shift)
		strbuf_addf(&p->sb, ",\"start_moved_ns\":%llu", (unsigned long long)shift);
	strbuf_addstr(&p->sb, "}}");
	p->calls++;
	if (c->nr_children)
		emit_children(p, c, cs, ce);

	for (unsigned int i = 0; i < c->nr_children; i++) {
		const struct call_child *ch = &c->children[i];
		struct child_view cv = { .kind = CHILD_REQUEST, .ch = ch };
		struct pf_req rq = {
			.start = ch->start_ns, .dur = ch->latency_ns,
			.bytes = ch->bytes, .dev = ch->dev, .what = ch->what, .syscall = c->name,
			.tid = c->tid,
		};

		if (!report_child_view(p->r, &cv))
			continue;
		rq.q2d = cv.queue_ns;
		if (rq.q2d > rq.dur)
			rq.q2d = rq.dur;
		/* the arrow leaves the call inside it and lands inside the request, later */
		if (rq.dur >= 4 && rq.start >= cs && rq.start + rq.dur <= ce) {
			rq.flow = ++p->next_flow;
			ev_begin(p, 's', "flow", "block I/O", c->pid, c->tid);
			strbuf_addf(&p->sb, ",\"id\":%llu", (unsigned long long)rq.flow);
			add_us(&p->sb, "ts", rel(p, rq.start + rq.dur / 4));
			strbuf_addch(&p->sb, '}');
		}
		heap_push(p, &rq);
	}
	if (p->nr_heap >= DRAIN_EVERY)
		drain(p, inflight_watermark(p, ce));
	if (p->sb.len > 1 << 16)
		flush_sb(p);
}

struct perfetto *perfetto_new(struct report *r, FILE *out)
{
	struct perfetto *p = xcalloc(1, sizeof(*p));

	p->r = r;
	p->out = out;
	/* the first event: the trace's own name, so every later one starts with a comma */
	strbuf_addstr(&p->sb, "{\"traceEvents\":[\n{\"ph\":\"M\",\"cat\":\"__metadata\","
		      "\"name\":\"process_name\",\"pid\":0,\"tid\":0,\"args\":{\"name\":\"ftio\"}}");
	report_observe(r, perfetto_observe, p);
	return p;
}

int perfetto_finish(struct perfetto *p)
{
	drain(p, UINT64_MAX);
	strbuf_addf(&p->sb, "\n],\n\"otherData\":{\"producer\":\"ftio %s\",\"recording\":",
		    FTIO_VERSION);
	jstr(&p->sb, p->r->rec->path);
	strbuf_addf(&p->sb, ",\"calls\":%llu,\"block_requests\":%llu,\"time_origin\":"
		    "\"microseconds from the start of the capture\"}}\n",
		    (unsigned long long)p->calls, (unsigned long long)p->requests);
	flush_sb(p);
	if (!p->err && fflush(p->out))
		p->err = -(errno ? errno : EIO);
	return p->err;
}

void perfetto_counts(const struct perfetto *p, uint64_t *calls, uint64_t *requests)
{
	*calls = p->calls;
	*requests = p->requests;
}

void perfetto_free(struct perfetto *p)
{
	uint64_t k;
	void *v;

	if (!p)
		return;
	for (size_t i = 0; intmap_next(&p->threads, &i, &k, &v);)
		free(v);
	intmap_release(&p->threads);
	for (size_t i = 0; intmap_next(&p->procs, &i, &k, &v);)
		free(v);
	intmap_release(&p->procs);
	for (size_t i = 0; intmap_next(&p->devs, &i, &k, &v);) {
		struct pf_dev *d = v;

		free(d->lane_end);
		free(d->lane_tid);
		free(d);
	}
	intmap_release(&p->devs);
	free(p->heap);
	strbuf_release(&p->sb);
	free(p);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The block layer: request lifecycles rebuilt from the block tracepoints
 * (queue, issue, complete; merges re-key a request), matched by device
 * and sector, with queue (Q2D), device (D2C) and total (Q2C) times.
 *
 * Attribution: a bio queued by a thread with a syscall in flight belongs
 * to that call (a child), and to its file.  Everything else (writeback
 * by kworkers, journal commits, readahead completions) is background I/O
 * of its device, counted as such and never dropped.
 */
#include <stdio.h>
#include <stdlib.h>

#include <event-parse.h>
#include <ftio/event.h>
#include <ftio/hist.h>
#include <ftio/intmap.h>
#include <ftio/layer.h>
#include <ftio/strbuf.h>
#include <ftio/util.h>

static const char *const block_events[] = {
	"block_bio_queue", "block_bio_backmerge", "block_bio_frontmerge", "block_getrq",
	"block_rq_insert", "block_rq_issue", "block_rq_complete", "block_rq_requeue",
	/* a bio-based device (device-mapper) ends what it never issued as a request */
	"block_bio_complete", NULL,
};

static void block_plan(struct record_plan *p)
{
	/* completions run in interrupts and kworkers queue writeback: all unfiltered */
	plan_add_async_events(p, "block", block_events);
}

/* struct blk_rq - one request (or bio not yet in one), keyed by device and sector */
struct blk_rq {
	uint32_t dev;
	uint64_t sector;
	uint32_t nr_sector;
	uint64_t q_ts, d_ts;
	int tid;		/* queued by */
	uint64_t call_start;	/* start of the call in flight on tid, 0 if none */
	uint64_t request;	/* else the async request tid was issuing, 0 if none */
	char rw;		/* 'R', 'W', 'D' (discard), 'F' (flush), 'N' */
	bool sync;
};

struct dev_stats {
	uint32_t dev;
	uint64_t requests, bytes, errors;
	uint64_t issued, completed;	/* block_rq_issue, block_rq_complete events as recorded */
	uint64_t first_ts, last_ts;
	struct hist q2d, d2c, q2c;
	uint64_t by_call, by_file, background, by_request;
};

/* field places differ between block events: resolved once per event id */
struct blk_fields {
	struct field_ref dev, sector, nr_sector, rwbs, error;
};

struct block_state {
	struct intmap pending;	/* key(dev, sector) -> struct blk_rq */
	struct intmap devs;	/* dev -> struct dev_stats */
	struct intmap fields;	/* event id -> struct blk_fields */
	int id_queue, id_backmerge, id_frontmerge, id_issue, id_complete, id_requeue;
	int id_bio_complete;
	uint64_t unmatched, requests;
	uint64_t attributed_call, attributed_file, background, attributed_request;
};

static uint64_t rq_key(uint32_t dev, uint64_t sector)
{
	return (uint64_t)dev << 40 ^ sector;
}

static char rw_of(const char *rwbs, int len, bool *sync)
{
	char rw = 'N';

	*sync = false;
	for (int i = 0; i < len; i++) {
		switch (rwbs[i]) {
		case 'R': case 'W': case 'D':
			if (rw == 'N' || rw == 'F')
				rw = rwbs[i];
			break;
		case 'F':
			if (rw == 'N')
				rw = 'F';
			break;
		case 'S':
			*sync = true;
			break;
		}
	}
	return rw;
}

static struct dev_stats *dev_get(struct block_state *st, uint32_t dev)
{
	struct dev_stats *d = intmap_get(&st->devs, dev);

	if (!d) {
		d = xcalloc(1, sizeof(*d));
		d->dev = dev;
		hist_init(&d->q2d);
		hist_init(&d->d2c);
		hist_init(&d->q2c);
		intmap_put(&st->devs, dev, d);
	}
	return d;
}

static struct blk_fields *fields_of(struct block_state *st, struct tep_event *e)
{
	struct blk_fields *f = intmap_get(&st->fields, e->id);

	if (!f) {
		f = xcalloc(1, sizeof(*f));
		field_ref_init(&f->dev, e, "dev");
		field_ref_init(&f->sector, e, "sector");
		field_ref_init(&f->nr_sector, e, "nr_sector");
		field_ref_init(&f->rwbs, e, "rwbs");
		field_ref_init(&f->error, e, "error");
		intmap_put(&st->fields, e->id, f);
	}
	return f;
}

static void on_block(struct report *r, const struct ftio_event *ev, void *priv)
{
	struct block_state *st = priv;
	struct decoder *d = report_decoder(r);
	int id = ev->event->id;
	uint32_t dev;
	uint64_t sector;
	struct blk_rq *rq;
	struct blk_fields *f = fields_of(st, ev->event);

	dev = field_u64(d, ev, &f->dev);
	sector = field_u64(d, ev, &f->sector);

	if (id == st->id_queue) {
		struct call *c = report_current_call(r, ev->pid), *rc;
		const char *rwbs;
		int len = 0;

		rq = xcalloc(1, sizeof(*rq));
		rq->dev = dev;
		rq->sector = sector;
		rq->nr_sector = field_u64(d, ev, &f->nr_sector);
		rq->q_ts = ev->ts;
		rq->tid = ev->pid;
		rq->call_start = c ? c->start_ns : 0;
		/*
		 * An async request the thread is issuing owns the bio unless
		 * a syscall began after it (a pread between two submissions)
		 */
		rq->request = report_request_issuing_on(r, ev->pid);
		rc = report_request_call(r, rq->request);
		if (rc && c && c->start_ns > rc->start_ns)
			rq->request = 0;
		else if (rc)
			rq->call_start = 0;
		rwbs = field_str(d, ev, &f->rwbs, &len);
		rq->rw = rwbs ? rw_of(rwbs, len, &rq->sync) : 'N';
		free(intmap_put(&st->pending, rq_key(dev, sector), rq));
	} else if (id == st->id_backmerge) {
		/* the bio joined a request ending at its sector: only that request completes */
		free(intmap_del(&st->pending, rq_key(dev, sector)));
	} else if (id == st->id_frontmerge) {
		/* the bio now starts the request: the request's key moves from its old head */
		uint32_t nr = field_u64(d, ev, &f->nr_sector);

		free(intmap_del(&st->pending, rq_key(dev, sector)));
		rq = intmap_del(&st->pending, rq_key(dev, sector + nr));
		if (rq) {
			rq->sector = sector;
			free(intmap_put(&st->pending, rq_key(dev, sector), rq));
		}
	} else if (id == st->id_issue) {
		dev_get(st, dev)->issued++;
		rq = intmap_get(&st->pending, rq_key(dev, sector));
		if (!rq) {
			/* queued before the capture, or by a driver that skips bio_queue */
			rq = xcalloc(1, sizeof(*rq));
			rq->dev = dev;
			rq->sector = sector;
			rq->tid = -1;
			intmap_put(&st->pending, rq_key(dev, sector), rq);
		}
		rq->d_ts = ev->ts;
		rq->nr_sector = field_u64(d, ev, &f->nr_sector);
	} else if (id == st->id_requeue) {
		rq = intmap_get(&st->pending, rq_key(dev, sector));
		if (rq)
			rq->d_ts = 0;
	} else if (id == st->id_complete || id == st->id_bio_complete) {
		/* block_rq_complete counts, paired or not; a bio's end only once paired */
		struct dev_stats *ds = id == st->id_complete ? dev_get(st, dev) : NULL;
		struct call *c, *rc;
		uint32_t nr = field_u64(d, ev, &f->nr_sector);

		if (ds)
			ds->completed++;
		if (id == st->id_bio_complete) {
			/*
			 * Request-based devices see their bios end after the
			 * request completed (and was timed); a bio-based one
			 * never issued it: the whole wait is device time
			 */
			rq = intmap_get(&st->pending, rq_key(dev, sector));
			if (!rq || rq->d_ts)
				return;
			rq->d_ts = rq->q_ts;
		}
		rq = intmap_del(&st->pending, rq_key(dev, sector));
		if (!rq || !rq->d_ts) {
			st->unmatched++;
			free(rq);
			return;
		}
		st->requests++;
		if (!ds)
			ds = dev_get(st, dev);
		ds->requests++;
		ds->bytes += (uint64_t)(nr ? nr : rq->nr_sector) * 512;
		if (field_s64(d, ev, &f->error))
			ds->errors++;
		if (!ds->first_ts)
			ds->first_ts = rq->q_ts ? rq->q_ts : rq->d_ts;
		ds->last_ts = ev->ts;
		hist_add(&ds->d2c, ev->ts - rq->d_ts);
		if (rq->q_ts) {
			hist_add(&ds->q2d, rq->d_ts - rq->q_ts);
			hist_add(&ds->q2c, ev->ts - rq->q_ts);
		}
		c = rq->tid > 0 ? report_current_call(r, rq->tid) : NULL;
		if (!c || !rq->call_start || c->start_ns != rq->call_start)
			c = NULL;
		rc = report_request_call(r, rq->request);
		if (c || rc) {
			struct call_child ch = {
				.layer = "block",
				.what = rq->rw == 'R' ? "read" : rq->rw == 'W' ? "write" :
					rq->rw == 'F' ? "flush" : rq->rw == 'D' ? "discard" : "other",
				.start_ns = rq->q_ts,
				.latency_ns = ev->ts - rq->q_ts,
				.a = rq->d_ts - rq->q_ts,
				.b = ev->ts - rq->d_ts,
				.bytes = (uint64_t)(nr ? nr : rq->nr_sector) * 512,
				.dev = dev,
				.error = field_s64(d, ev, &f->error),
				.count = 1,
			};

			call_add_child(c ? c : rc, &ch);
			if (c) {
				ds->by_call++;
				st->attributed_call++;
			} else {
				ds->by_request++;
				st->attributed_request++;
			}
		} else if (rq->call_start || rq->request) {
			/* the call returned first (async I/O): the file still owns it */
			ds->by_file++;
			st->attributed_file++;
		} else {
			ds->background++;
			st->background++;
		}
		free(rq);
	}
}

static int ev_id(struct report *r, const char *name)
{
	struct tep_event *e = tep_find_event_by_name(decoder_tep(report_decoder(r)), "block", name);

	return e ? e->id : -1;
}

static void *block_report_init(struct report *r)
{
	struct block_state *st = xcalloc(1, sizeof(*st));

	st->id_queue = ev_id(r, "block_bio_queue");
	st->id_backmerge = ev_id(r, "block_bio_backmerge");
	st->id_frontmerge = ev_id(r, "block_bio_frontmerge");
	st->id_issue = ev_id(r, "block_rq_issue");
	st->id_complete = ev_id(r, "block_rq_complete");
	st->id_requeue = ev_id(r, "block_rq_requeue");
	st->id_bio_complete = ev_id(r, "block_bio_complete");
	for (int i = 0; block_events[i]; i++)
		report_on_event(r, "block", block_events[i], on_block, st);
	return st;
}

static void block_report_finish(struct report *r, void *state)
{
	struct block_state *st = state;
	uint64_t end = report_last_ts(r), in_flight = 0, lost = 0, queued = 0;
	uint64_t k;
	void *v;

	report_pairing(r, PAIR_COMPLETE_NO_ISSUE, st->unmatched);
	/*
	 * An issued request whose completion never came: in flight at the
	 * stop if it was issued within a second (or ten times its device's
	 * slowest completion) of the last event, else its completion was lost
	 */
	for (size_t i = 0; intmap_next(&st->pending, &i, &k, &v);) {
		const struct blk_rq *rq = v;
		const struct dev_stats *ds = intmap_get(&st->devs, rq->dev);
		uint64_t grace = ds ? 10 * hist_max(&ds->d2c) : 0;

		if (grace < NSEC_PER_SEC)
			grace = NSEC_PER_SEC;
		if (!rq->d_ts)
			queued++;
		else if (end > rq->d_ts && end - rq->d_ts > grace)
			lost++;
		else
			in_flight++;
	}
	if (queued)
		report_count(r, "block requests queued, not yet issued at the end", queued);
	report_pairing(r, PAIR_IN_FLIGHT, in_flight);
	report_pairing(r, PAIR_COMPLETION_LOST, lost);
}

static int dev_cmp(const void *a, const void *b)
{
	const struct dev_stats *x = *(struct dev_stats *const *)a, *y = *(struct dev_stats *const *)b;

	return x->requests < y->requests ? 1 : x->requests > y->requests ? -1 : 0;
}

static struct dev_stats **sorted_devs(struct block_state *st, size_t *n)
{
	struct dev_stats **v = xcalloc(st->devs.len + 1, sizeof(*v));
	uint64_t k;
	void *val;

	*n = 0;
	for (size_t i = 0; intmap_next(&st->devs, &i, &k, &val);)
		v[(*n)++] = val;
	qsort(v, *n, sizeof(*v), dev_cmp);
	return v;
}

struct log2_ctx {
	struct strbuf *out;
	uint64_t max;
};

static void log2_row(uint64_t lo, uint64_t hi, uint64_t count, void *arg)
{
	struct log2_ctx *c = arg;
	int stars = c->max ? (int)(count * 30 / c->max) : 0;
	char b1[24], b2[24];

	strbuf_addf(c->out, "    %10s .. %-10s %8llu |%.*s%*s|\n", fmt_ns(b1, sizeof(b1), lo),
		    fmt_ns(b2, sizeof(b2), hi), (unsigned long long)count, stars,
		    "******************************", 30 - stars, "");
}

static void log2_max(uint64_t lo, uint64_t hi, uint64_t count, void *arg)
{
	struct log2_ctx *c = arg;

	if (count > c->max)
		c->max = count;
	(void)lo;
	(void)hi;
}

static struct report_row *block_rows(struct report *r, void *state, size_t *n)
{
	struct dev_stats **v = sorted_devs(state, n);
	struct report_row *rows = xcalloc(*n + 1, sizeof(*rows));

	for (size_t i = 0; i < *n; i++)
		rows[i].val = v[i];
	free(v);
	return rows;
}

#define DEV(row) ((const struct dev_stats *)(row)->val)

static void dev_id(struct report *r, const struct report_row *row, struct cell *c)
{
	snprintf(c->buf, sizeof(c->buf), "%u:%u", DEV(row)->dev >> 20,
		 DEV(row)->dev & ((1U << 20) - 1));
	c->s = c->buf;
}

static void dev_name(struct report *r, const struct report_row *row, struct cell *c)
{
	c->s = report_dev_name(r, DEV(row)->dev, c->buf, 32);
}

static void dev_requests(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = DEV(row)->requests;
}

static void dev_bytes(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = DEV(row)->bytes;
}

static void dev_issued(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = DEV(row)->issued;
}

static void dev_completed(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = DEV(row)->completed;
}

static void dev_errors(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = DEV(row)->errors;
}

static void dev_iops(struct report *r, const struct report_row *row, struct cell *c)
{
	const struct dev_stats *d = DEV(row);
	uint64_t span = d->last_ts > d->first_ts ? d->last_ts - d->first_ts : 0;

	c->d = span ? d->requests * 1e9 / span : 0.0;
}

static void dev_q2d_p50(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&DEV(row)->q2d, 50);
}

static void dev_q2d_p50_text(struct report *r, const struct report_row *row, struct cell *c)
{
	dev_q2d_p50(r, row, c);
	c->null = !hist_count(&DEV(row)->q2d);
}

static void dev_q2d_p99(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&DEV(row)->q2d, 99);
}

static void dev_d2c_p50(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&DEV(row)->d2c, 50);
}

static void dev_d2c_p99(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&DEV(row)->d2c, 99);
}

static void dev_d2c_max(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_max(&DEV(row)->d2c);
}

static void dev_q2c_p50(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&DEV(row)->q2c, 50);
}

static void dev_q2c_p99(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_percentile(&DEV(row)->q2c, 99);
}

static void dev_q2c_max(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = hist_max(&DEV(row)->q2c);
}

static void dev_q2c_max_text(struct report *r, const struct report_row *row, struct cell *c)
{
	dev_q2c_max(r, row, c);
	c->null = !hist_count(&DEV(row)->q2c);
}

static void dev_by_call(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = DEV(row)->by_call;
}

static void dev_by_file(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = DEV(row)->by_file;
}

static void dev_by_request(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = DEV(row)->by_request;
}

static void dev_background(struct report *r, const struct report_row *row, struct cell *c)
{
	c->u = DEV(row)->background;
}

/* After the devices: where the requests were attributed, and each device's D2C histogram */
static void block_footer(struct report *r, void *state, size_t nr_rows, struct strbuf *out)
{
	struct block_state *st = state;
	size_t n;
	struct dev_stats **v;
	char name[32];

	if (!nr_rows)
		return;
	strbuf_addf(out, "  attributed: %llu to a syscall, %llu to a file after its call returned, "
		    "%llu background\n", (unsigned long long)st->attributed_call,
		    (unsigned long long)st->attributed_file, (unsigned long long)st->background);
	if (st->attributed_request)
		strbuf_addf(out, "  attributed: %llu to an async request (io_uring, aio), by its submitter "
			    "or io-wq worker\n", (unsigned long long)st->attributed_request);
	v = sorted_devs(st, &n);
	for (size_t i = 0; i < n; i++) {
		struct log2_ctx c = { out, 0 };

		strbuf_addf(out, "  %s D2C histogram:\n", report_dev_name(r, v[i]->dev, name, 32));
		hist_for_each_log2(&v[i]->d2c, log2_max, &c);
		hist_for_each_log2(&v[i]->d2c, log2_row, &c);
	}
	free(v);
}

/* Where the text and the JSON differ (a "-" for an empty histogram), a column each */
static const struct table_col block_cols[] = {
	{ NULL, "device", COL_STR, 0, 0, dev_id, NULL },
	{ "DEVICE", "name", COL_STR, -10, 0, dev_name, NULL },
	{ "REQS", "requests", COL_U64, 7, 0, dev_requests, NULL },
	{ "BYTES", NULL, COL_BYTES, 8, 0, dev_bytes, NULL },
	{ NULL, "bytes", COL_U64, 0, 0, dev_bytes, NULL },
	{ NULL, "errors", COL_U64, 0, 0, dev_errors, NULL },
	{ NULL, "rq_issued", COL_U64, 0, 0, dev_issued, NULL },
	{ NULL, "rq_completed", COL_U64, 0, 0, dev_completed, NULL },
	{ "IOPS", NULL, COL_RATE, 7, 0, dev_iops, NULL },
	{ "Q2D P50", NULL, COL_NS, 9, 0, dev_q2d_p50_text, NULL },
	{ NULL, "q2d_p50_ns", COL_U64, 0, 0, dev_q2d_p50, NULL },
	{ NULL, "q2d_p99_ns", COL_U64, 0, 0, dev_q2d_p99, NULL },
	{ "D2C P50", "d2c_p50_ns", COL_NS, 9, 0, dev_d2c_p50, NULL },
	{ "D2C P99", "d2c_p99_ns", COL_NS, 9, 0, dev_d2c_p99, NULL },
	{ "D2C MAX", "d2c_max_ns", COL_NS, 9, 0, dev_d2c_max, NULL },
	{ NULL, "q2c_p50_ns", COL_U64, 0, 0, dev_q2c_p50, NULL },
	{ NULL, "q2c_p99_ns", COL_U64, 0, 0, dev_q2c_p99, NULL },
	{ "Q2C MAX", NULL, COL_NS, 9, 0, dev_q2c_max_text, NULL },
	{ NULL, "q2c_max_ns", COL_U64, 0, 0, dev_q2c_max, NULL },
	{ NULL, "by_syscall", COL_U64, 0, 0, dev_by_call, NULL },
	{ NULL, "by_file", COL_U64, 0, 0, dev_by_file, NULL },
	{ NULL, "by_request", COL_U64, 0, 0, dev_by_request, NULL },
	{ NULL, "background", COL_U64, 0, 0, dev_background, NULL },
};

static const struct table_desc block_table = {
	.title = "Devices (block requests: Q2D queue, D2C device, Q2C total)",
	.key = "devices",
	COLS(block_cols),
	.rows = block_rows,
	.empty = "none recorded",
	.text_footer = block_footer,
};

static const struct table_desc *const block_tables[] = { &block_table, NULL };

/* The devices are a table; this is what follows it */
static void block_report_json(struct report *r, void *state, struct strbuf *out)
{
	struct block_state *st = state;

	strbuf_addf(out, ",\"block_attribution\":{\"syscall\":%llu,\"file\":%llu,\"background\":%llu,"
		    "\"request\":%llu,\"unmatched\":%llu}", (unsigned long long)st->attributed_call,
		    (unsigned long long)st->attributed_file, (unsigned long long)st->background,
		    (unsigned long long)st->attributed_request, (unsigned long long)st->unmatched);
	(void)r;
}

static void block_report_free(void *state)
{
	struct block_state *st = state;
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&st->pending, &i, &k, &v);)
		free(v);
	intmap_release(&st->pending);
	for (size_t i = 0; intmap_next(&st->devs, &i, &k, &v);) {
		struct dev_stats *d = v;

		hist_release(&d->q2d);
		hist_release(&d->d2c);
		hist_release(&d->q2c);
		free(d);
	}
	intmap_release(&st->devs);
	for (size_t i = 0; intmap_next(&st->fields, &i, &k, &v);)
		free(v);
	intmap_release(&st->fields);
	free(st);
}

/* A request: a = queue (q2d), b = device (d2c) */
static bool block_child_view(struct report *r, struct child_view *v)
{
	const struct call_child *ch = v->ch;
	char dev[48], b[3][48];

	if (strcmp(ch->layer, "block"))
		return false;
	report_dev_name(r, ch->dev, dev, sizeof(dev));
	switch (v->kind) {
	case CHILD_TEXT:
		strbuf_addf(v->out, "block %s %s: %llu requests, %s, queue %s, device %s", dev,
			    ch->what, (unsigned long long)v->n, fmt_bytes(b[0], 48, ch->bytes),
			    fmt_ns(b[1], 48, ch->a), fmt_ns(b[2], 48, ch->b));
		if (v->failed)
			strbuf_addf(v->out, ", %llu failed (%s)", (unsigned long long)v->failed,
				    v->error);
		strbuf_addch(v->out, '\n');
		break;
	case CHILD_JSON:
		strbuf_addf(v->out, ",\"device\":\"%u:%u\",\"name\":", ch->dev >> 20,
			    ch->dev & ((1U << 20) - 1));
		strbuf_add_json_value(v->out, dev);
		strbuf_addf(v->out, ",\"q2d_ns\":%llu,\"d2c_ns\":%llu,\"bytes\":%llu,\"error\":%d",
			    (unsigned long long)ch->a, (unsigned long long)ch->b,
			    (unsigned long long)ch->bytes, ch->error);
		break;
	case CHILD_REQUEST:
		v->queue_ns = ch->a;
		v->device_ns = ch->b;
		break;
	}
	return true;
}

const struct ftio_layer layer_block = {
	.name = "block",
	.summary = "block requests: queue and device time per device, linked to the calls that caused them",
	.plan = block_plan,
	.report_init = block_report_init,
	.report_finish = block_report_finish,
	.tables = block_tables,
	.report_json = block_report_json,
	.report_free = block_report_free,
	.child_view = block_child_view,
};

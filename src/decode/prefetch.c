// SPDX-License-Identifier: GPL-2.0
/*
 * The decoder's prefetch (report and replay -j N): worker threads that
 * inflate chunks, and walk their sub-buffers, ahead of the merge in
 * decoder.c.  See the comment below for the rules they keep.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>
#include <kbuffer.h>

#include "decode/decoder-int.h"
#include "format/recording.h"
#include "format/tep.h"
#include "lib/util.h"


/*
 * Prefetch: the chunks of every stream, in the order the merge will want
 * them (by first timestamp), are jobs that worker threads claim in turn
 * and inflate with their own scratch, up to PREFETCH_AHEAD bytes ahead of
 * the merge.  A job the merge wants before any worker has claimed it the
 * merge does itself.  Workers only inflate: the warnings and the chunk's
 * bad mark are applied by the merge when it takes the job, so they come
 * in the order, and with the text, of a single thread.
 */
#define PREFETCH_AHEAD (8u << 20)

enum job_state { JOB_FREE, JOB_BUSY, JOB_DONE, JOB_TAKEN };

struct pf_job {
	struct recording *rec;
	size_t idx;
	uint64_t first_ts;
	int stream;
	size_t pos;		/* in the stream's chunks */
	enum job_state state;
	void *buf;
	ssize_t n;
	char *why;
	bool walk;		/* a tracefs stream's: walk its sub-buffers too */
	struct pw_entry *ents;
	size_t nr_ents;
};

struct prefetch {
	pthread_mutex_t mu;
	pthread_cond_t work;		/* workers: a job or room for one */
	pthread_cond_t done;		/* the merge: a job it waits for is done */
	struct pf_job *jobs;
	size_t nr_jobs;
	size_t next;			/* the first job no one has claimed (or past it) */
	uint64_t ready;			/* bytes done and not taken */
	bool stop;
	pthread_t tids[DECODER_MAX_THREADS];
	int nr_threads;
	const struct decoder *d;	/* its layout only, which does not change */
};

static void pw_add(struct pw_entry **v, size_t *n, size_t *alloc, struct pw_entry e)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 1024;
		*v = xrealloc(*v, *alloc * sizeof(**v));
	}
	(*v)[(*n)++] = e;
}

/*
 * What decoder_load_page(), decoder_stream_advance() and decoder_emit()
 * would find in the chunk @buf of @len bytes, page after page, as a list
 * the merge replays (pw_next()) with the same counts and warnings
 */
static void pw_walk(const struct decoder *d, struct kbuffer *kb, uint8_t *buf, size_t len,
		    struct pw_entry **out, size_t *nr)
{
	size_t hdr = 8 + d->long_size, alloc = 0, n = 0;
	struct pw_entry *v = NULL;

	for (size_t page_off = 0; page_off + d->page_size <= len;) {
		uint8_t *page = buf + page_off, *end;
		unsigned long long ts;
		uint64_t commit, data;
		void *cur;

		page_off += d->page_size;
		end = buf + page_off;
		commit = read_num(d, page + 8, d->long_size);
		data = commit & ((1ULL << 27) - 1);
		if (data > d->page_size - hdr) {
			pw_add(&v, &n, &alloc, (struct pw_entry){ .kind = PW_BAD_HEADER });
			continue;
		}
		if (!data) {
			pw_add(&v, &n, &alloc, (struct pw_entry){ .kind = PW_EMPTY });
			continue;
		}
		if (kbuffer_load_subbuffer(kb, page) < 0) {
			pw_add(&v, &n, &alloc, (struct pw_entry){ .kind = PW_BAD_LOAD });
			continue;
		}
		if (commit & (1ULL << 31)) {
			int m = kbuffer_missed_events(kb);

			pw_add(&v, &n, &alloc, (struct pw_entry){
				.kind = m > 0 ? PW_MISSED : PW_MISSED_UNKNOWN, .size = m });
		}
		cur = kbuffer_read_event(kb, &ts);
		while (cur) {
			int size = kbuffer_event_size(kb), before;
			ptrdiff_t left = end - (uint8_t *)cur;

			if ((uint8_t *)cur < buf || left <= 0)
				size = 0;
			else if (size < 0 || size > left)
				size = left;
			pw_add(&v, &n, &alloc, (struct pw_entry){
				.kind = PW_EVENT, .ts = ts, .off = (uint8_t *)cur - buf, .size = size });
			before = kbuffer_curr_offset(kb);
			cur = kbuffer_next_event(kb, &ts);
			if (cur && kbuffer_curr_offset(kb) <= before) {
				pw_add(&v, &n, &alloc, (struct pw_entry){ .kind = PW_NO_ADVANCE });
				cur = NULL;
			}
		}
	}
	/* never NULL: a walked chunk is replayed, even with nothing in it */
	if (!v)
		v = xmalloc(sizeof(*v));
	*out = v;
	*nr = n;
}

static void *prefetch_worker(void *arg)
{
	struct prefetch *pf = arg;
	struct chunk_inflater z = { 0 };
	const struct tep_layout l = {
		.long_size = pf->d->long_size, .page_size = pf->d->page_size,
		.big_endian = pf->d->big_endian,
	};
	struct kbuffer *kb = format_kbuffer_new(&l);

	pthread_mutex_lock(&pf->mu);
	for (;;) {
		struct pf_job *j;
		struct pw_entry *ents = NULL;
		size_t nr_ents = 0;
		void *buf;
		char *why;
		ssize_t n;

		while (pf->next < pf->nr_jobs && pf->jobs[pf->next].state != JOB_FREE)
			pf->next++;
		if (pf->stop || pf->next >= pf->nr_jobs)
			break;
		if (pf->ready >= PREFETCH_AHEAD) {
			pthread_cond_wait(&pf->work, &pf->mu);
			continue;
		}
		j = &pf->jobs[pf->next++];
		j->state = JOB_BUSY;
		pthread_mutex_unlock(&pf->mu);
		n = recording_inflate(j->rec, j->idx, &z, &buf, &why);
		if (n >= 0 && j->walk && kb && (uint64_t)n < UINT32_MAX)
			pw_walk(pf->d, kb, buf, n, &ents, &nr_ents);
		pthread_mutex_lock(&pf->mu);
		j->ents = ents;
		j->nr_ents = nr_ents;
		ents = NULL;
		nr_ents = 0;
		j->buf = buf;
		j->n = n;
		j->why = why;
		j->state = JOB_DONE;
		if (n > 0)
			pf->ready += n;
		pthread_cond_broadcast(&pf->done);
	}
	pthread_mutex_unlock(&pf->mu);
	chunk_inflater_release(&z);
	if (kb)
		kbuffer_free(kb);
	return NULL;
}

static int job_order(const void *a, const void *b)
{
	const struct pf_job *x = a, *y = b;

	if (x->first_ts != y->first_ts)
		return x->first_ts < y->first_ts ? -1 : 1;
	if (x->stream != y->stream)
		return x->stream < y->stream ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* At the first decoder_next(): the jobs of the streams decoded, and the workers */
void prefetch_start(struct decoder *d)
{
	struct prefetch *pf;
	size_t n = 0;

	if (d->threads <= 1 || d->live)
		return;
	for (int c = 0; c < d->nr; c++)
		if (d->only_cpu < 0 || d->cpus[c].cpu == d->only_cpu)
			n += d->cpus[c].nr_chunks;
	if (n < 2)
		return;
	pf = xcalloc(1, sizeof(*pf));
	pf->jobs = xcalloc(n, sizeof(*pf->jobs));
	for (int c = 0; c < d->nr; c++) {
		struct cpu_stream *s = &d->cpus[c];

		if (d->only_cpu >= 0 && s->cpu != d->only_cpu)
			continue;
		for (size_t i = 0; i < s->nr_chunks; i++) {
			struct pf_job *j = &pf->jobs[pf->nr_jobs++];

			j->rec = s->chunks[i].rec;
			j->idx = s->chunks[i].idx;
			j->first_ts = j->rec->chunks[j->idx].info.first_ts;
			j->stream = c;
			j->pos = i;
			j->walk = !s->perf;
		}
	}
	qsort(pf->jobs, pf->nr_jobs, sizeof(*pf->jobs), job_order);
	for (size_t k = 0; k < pf->nr_jobs; k++)
		d->cpus[pf->jobs[k].stream].chunks[pf->jobs[k].pos].job = k + 1;
	pf->d = d;
	pthread_mutex_init(&pf->mu, NULL);
	pthread_cond_init(&pf->work, NULL);
	pthread_cond_init(&pf->done, NULL);
	d->pf = pf;
	for (int t = 0; t < d->threads - 1 && t < DECODER_MAX_THREADS; t++) {
		if (pthread_create(&pf->tids[pf->nr_threads], NULL, prefetch_worker, pf))
			break;	/* fewer threads: the merge does the rest */
		pf->nr_threads++;
	}
}

void prefetch_stop(struct decoder *d)
{
	struct prefetch *pf = d->pf;

	if (!pf)
		return;
	pthread_mutex_lock(&pf->mu);
	pf->stop = true;
	pthread_cond_broadcast(&pf->work);
	pthread_mutex_unlock(&pf->mu);
	for (int t = 0; t < pf->nr_threads; t++)
		pthread_join(pf->tids[t], NULL);
	for (size_t k = 0; k < pf->nr_jobs; k++) {
		if (pf->jobs[k].state == JOB_DONE) {
			free(pf->jobs[k].buf);
			free(pf->jobs[k].why);
			free(pf->jobs[k].ents);
		}
	}
	pthread_mutex_destroy(&pf->mu);
	pthread_cond_destroy(&pf->work);
	pthread_cond_destroy(&pf->done);
	free(pf->jobs);
	free(pf);
	d->pf = NULL;
}

/*
 * recording_load() of the chunk at @pos, through its job: inflated by a
 * worker, or here when no worker has claimed it yet
 */
ssize_t prefetch_take(struct decoder *d, struct chunk_pos *pos, void **out, struct cpu_stream *s)
{
	struct prefetch *pf = d->pf;
	struct pf_job *j;
	ssize_t n;
	char *why;

	if (!pf || !pos->job)
		return recording_load(pos->rec, pos->idx, out);
	j = &pf->jobs[pos->job - 1];
	pthread_mutex_lock(&pf->mu);
	if (j->state == JOB_FREE) {
		j->state = JOB_TAKEN;
		pthread_mutex_unlock(&pf->mu);
		return recording_load(pos->rec, pos->idx, out);
	}
	while (j->state == JOB_BUSY)
		pthread_cond_wait(&pf->done, &pf->mu);
	*out = j->buf;
	n = j->n;
	why = j->why;
	s->pw = j->ents;
	s->pw_n = j->nr_ents;
	s->pw_i = 0;
	j->buf = NULL;
	j->why = NULL;
	j->ents = NULL;
	j->state = JOB_TAKEN;
	if (n > 0)
		pf->ready -= n;
	pthread_cond_signal(&pf->work);
	pthread_mutex_unlock(&pf->mu);
	/* as recording_load(): a chunk marked bad since is not read, and a failure marks it */
	if (pos->rec->chunks[pos->idx].bad || n < 0) {
		free(s->pw);
		s->pw = NULL;
		s->pw_n = s->pw_i = 0;
	}
	if (pos->rec->chunks[pos->idx].bad) {
		free(*out);
		free(why);
		*out = NULL;
		return -EBADMSG;
	}
	if (n < 0)
		recording_load_failed(pos->rec, pos->idx, why);
	return n;
}

/* A chunk the merge skips: its job's work, if any, is dropped */
void prefetch_drop(struct decoder *d, struct chunk_pos *pos)
{
	void *buf = NULL;
	struct prefetch *pf = d->pf;
	struct pf_job *j;

	if (!pf || !pos->job)
		return;
	j = &pf->jobs[pos->job - 1];
	pthread_mutex_lock(&pf->mu);
	while (j->state == JOB_BUSY)
		pthread_cond_wait(&pf->done, &pf->mu);
	if (j->state == JOB_DONE) {
		buf = j->buf;
		free(j->why);
		free(j->ents);
		j->ents = NULL;
		if (j->n > 0)
			pf->ready -= j->n;
		pthread_cond_signal(&pf->work);
	}
	j->buf = NULL;
	j->why = NULL;
	j->state = JOB_TAKEN;
	pthread_mutex_unlock(&pf->mu);
	free(buf);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The accessors that let a layer reach what it needs of struct report
 * without seeing the struct: plugins/ include only include/ftio/, so a
 * change inside the report engine never recompiles, or breaks, a layer.
 */
#include <string.h>

#include "report/report.h"

const char *report_attr(struct report *r, const char *key)
{
	return recording_attr(r->rec, key);
}

uint64_t report_attr_u64(struct report *r, const char *key, uint64_t def)
{
	return recording_attr_u64(r->rec, key, def);
}

struct intmap *report_inflight(struct report *r)
{
	return &r->inflight;
}

void report_measures(struct report *r, enum call_counter k)
{
	r->ctr_mask |= 1u << k;
}

uint64_t report_request_add(struct report *r, struct call *c)
{
	uint64_t id = ++r->next_request;

	intmap_put(&r->requests, id, c);
	return id;
}

void report_request_del(struct report *r, uint64_t id)
{
	intmap_del(&r->requests, id);
}

void report_request_issuing(struct report *r, int tid, uint64_t id)
{
	/* the map holds ids + 1 keyed by tid + 2^32, so that -tgid is a key too */
	uint64_t key = (uint64_t)(int64_t)tid + (1ULL << 32);

	if (id)
		intmap_put_u64(&r->issuing, key, id);
	else
		intmap_del_u64(&r->issuing, key, &id);
}

static uint64_t issuing_get(struct report *r, int tid)
{
	uint64_t *v = intmap_get(&r->issuing, (uint64_t)(int64_t)tid + (1ULL << 32));

	return v ? *v : 0;
}

uint64_t report_request_issuing_on(struct report *r, int tid)
{
	uint64_t id = issuing_get(r, tid);
	struct task *t;

	if (id || !r->requests.len)
		return id;
	t = model_find_task(&r->m, tid);
	if (t && !strncmp(t->comm, "iou-wrk-", 8))
		id = issuing_get(r, -t->proc->tgid);
	return id;
}

struct call *report_request_call(struct report *r, uint64_t id)
{
	return id ? intmap_get(&r->requests, id) : NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The accessors that let a layer reach what it needs of struct report
 * without seeing the struct: plugins/ include only include/ftio/, so a
 * change inside the report engine never recompiles, or breaks, a layer.
 */
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

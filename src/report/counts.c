// SPDX-License-Identifier: GPL-2.0
/*
 * What a report could not see or pair, counted (see report.h): the
 * Capture section's notes, the pairing failures by cause, the damage the
 * files' readers found, and the syscalls the audit covered.
 */
#include <stdio.h>
#include <string.h>

#include <event-parse.h>

#include "report/report.h"
#include <ftio/syscall-nr.h>
#include <ftio/syscall-table.h>

void report_count(struct report *r, const char *what, uint64_t n)
{
	for (unsigned int i = 0; i < r->nr_counters; i++) {
		if (!strcmp(r->counters[i].what, what)) {
			r->counters[i].n += n;
			return;
		}
	}
	if (r->nr_counters < ARRAY_SIZE(r->counters))
		r->counters[r->nr_counters++] = (struct counter){ what, n };
}

const char *const pairing_keys[PAIR_CAUSES] = {
	[PAIR_EXIT_NO_ENTER] = "exit_without_enter",
	[PAIR_COMPLETE_NO_ISSUE] = "completion_without_issue",
	[PAIR_IN_FLIGHT] = "in_flight_at_stop",
	[PAIR_COMPLETION_LOST] = "completion_lost",
	[PAIR_FUSE_NO_REQUEST] = "fuse_reply_without_request",
};

/* the same failures as notes of the Capture section, in a layer's words */
static const char *const pairing_notes[PAIR_CAUSES] = {
	[PAIR_EXIT_NO_ENTER] = "exits without an enter (call began before the capture)",
	[PAIR_COMPLETE_NO_ISSUE] = "block completions without a matching issue (not timed)",
	[PAIR_IN_FLIGHT] = "block requests still in flight at the stop",
	[PAIR_COMPLETION_LOST] = "block requests whose completion was lost",
	[PAIR_FUSE_NO_REQUEST] = "FUSE replies without a matching request (not timed)",
};

void report_pairing(struct report *r, enum pairing_cause cause, uint64_t n)
{
	if (cause >= PAIR_CAUSES || !n)
		return;
	r->pairing[cause] += n;
	report_count(r, pairing_notes[cause], n);
}

/* Once, after the decoding: what the files' readers found cut or damaged */
void report_sum_damage(struct report *r)
{
	struct report_damage *dmg = &r->damage;

	memset(dmg, 0, sizeof(*dmg));
	for (size_t i = 0; i < r->nr_recs; i++) {
		const struct recording *rec = r->recs[i];

		dmg->damaged_bytes += rec->damaged_bytes;
		dmg->truncated_bytes += rec->truncated_bytes;
		for (size_t c = 0; c < rec->nr_chunks; c++)
			dmg->bad_chunks += rec->chunks[c].bad;
		dmg->no_end += !rec->clean_end;
	}
}

bool report_damaged(const struct report *r)
{
	const struct report_damage *dmg = &r->damage;

	return dmg->damaged_bytes || dmg->truncated_bytes || dmg->bad_chunks || dmg->no_end;
}

bool report_complete(struct report *r)
{
	return !report_lost_events(r) && !r->pairing[PAIR_COMPLETION_LOST] && !report_damaged(r);
}

size_t report_audited(struct report *r, const char **names, size_t max)
{
	struct tep_handle *tep = decoder_tep(r->d);
	const char *src = recording_attr(r->rec, "meta/syscall_source");
	const struct syscall_arch *arch = src && !strcmp(src, "raw_syscalls") ?
					  syscall_arch_find(recording_attr(r->rec, "meta/arch")) : NULL;
	bool raw = src && !strcmp(src, "raw_syscalls") &&
		   tep_find_event_by_name(tep, "raw_syscalls", "sys_enter");
	size_t n = 0;

	for (const struct syscall_desc *d = syscall_table; d->name && n < max; d++) {
		char ev[96];

		snprintf(ev, sizeof(ev), "sys_enter_%s", d->name);
		if (raw ? arch && syscall_nr(arch, d->name) >= 0
			: tep_find_event_by_name(tep, "syscalls", ev) != NULL)
			names[n++] = d->name;
	}
	return n;
}

// SPDX-License-Identifier: GPL-2.0
/* One line for a last-boot salvage's "salvage/..." attributes (see lastboot-desc.h) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "format/lastboot-desc.h"
#include "lib/util.h"

bool lastboot_is_salvage(const struct recording *r)
{
	const char *k = recording_attr(r, "salvage/kind");

	return k && !strcmp(k, "last-boot");
}

static const char *when(const struct recording *r, const char *name, char *buf, size_t size)
{
	uint64_t ns = recording_attr_u64(r, name, 0);
	time_t t = ns / 1000000000ULL;
	struct tm tm;

	if (!ns || !localtime_r(&t, &tm))
		return "at an unknown time";
	strftime(buf, size, "%Y-%m-%d %H:%M:%S %z", &tm);
	return buf;
}

static const char *attr(const struct recording *r, const char *name, const char *def)
{
	const char *v = recording_attr(r, name);

	return v && *v ? v : def;
}

char *lastboot_describe(const struct recording *r, bool long_form)
{
	struct strbuf sb = STRBUF_INIT;
	const char *bid = attr(r, "salvage/boot_id", "unknown");
	const char *wrapped = attr(r, "salvage/wrapped_cpus", NULL);
	uint64_t undecoded = recording_attr_u64(r, "salvage/undecoded", 0);
	char b1[64], b2[64];

	if (!lastboot_is_salvage(r))
		return NULL;
	strbuf_addf(&sb, "last-boot salvage of boot %.*s (Linux %s), armed %s, salvaged %s",
		    long_form ? 64 : 8, bid, attr(r, "salvage/kernel", "unknown"),
		    when(r, "salvage/armed_real_ns", b1, sizeof(b1)),
		    when(r, "salvage/real_ns", b2, sizeof(b2)));
	if (long_form)
		strbuf_addf(&sb, " on boot %s (Linux %s)", attr(r, "salvage/this_boot_id", "unknown"),
			    attr(r, "salvage/this_kernel", "unknown"));
	if (wrapped)
		strbuf_addf(&sb, "; cpu %s wrapped (their oldest events overwritten)", wrapped);
	if (undecoded)
		strbuf_addf(&sb, "; %llu events undecoded", (unsigned long long)undecoded);
	if (long_form) {
		strbuf_addf(&sb, "; formats: %s", attr(r, "salvage/formats", "unknown"));
		if (recording_attr(r, "salvage/kernel_text"))
			strbuf_addf(&sb, "; previous kernel text at 0x%s (%s from this boot's)",
				    attr(r, "salvage/kernel_text", "?"),
				    recording_attr(r, "salvage/text_delta") ? attr(r, "salvage/text_delta", "?")
									  : "unknown");
	}
	return strbuf_detach(&sb, NULL);
}

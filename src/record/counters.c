// SPDX-License-Identifier: GPL-2.0
/*
 * --counters: names through libpfm4.  An unknown name is answered with the
 * closest names libpfm4 knows on this machine's PMUs (edit distance), the
 * way git answers a mistyped command.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* linux/perf_event.h (through counters.h) before libpfm4's copy of it */
#include "record/counters.h"
#include "decode/decoder.h"
#include "lib/util.h"

#include <perfmon/pfmlib.h>
#include <perfmon/pfmlib_perf_event.h>

static int pfm_ready(void)
{
	static int state;	/* 0 untried, 1 ok, -1 failed */

	if (!state)
		state = pfm_initialize() == PFM_SUCCESS ? 1 : -1;
	return state > 0;
}

/* Case-insensitive edit distance, with '_' and '-' alike */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int *prev, *cur, ret;

	if (la > 64 || lb > 64)
		return 99;
	prev = xcalloc(lb + 1, sizeof(int));
	cur = xcalloc(lb + 1, sizeof(int));
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			int cost = !(ca == cb || ((ca == '_' || ca == '-') && (cb == '_' || cb == '-')));
			int v = prev[j - 1] + cost;

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			cur[j] = v;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(int));
	}
	ret = prev[lb];
	free(prev);
	free(cur);
	return ret;
}

struct match {
	char name[96];
	int d;
};

/* Up to three of libpfm4's names (on PMUs present here) close to @want */
static void close_matches(const char *want, struct strbuf *out)
{
	const char *bare = strstr(want, "::") ? strstr(want, "::") + 2 : want;
	struct match best[3];
	int nbest = 0, limit = strlen(bare) / 3 > 2 ? (int)strlen(bare) / 3 : 2;

	for (int p = 0; p < PFM_PMU_MAX; p++) {
		pfm_pmu_info_t pinfo = { .size = sizeof(pinfo) };

		if (pfm_get_pmu_info(p, &pinfo) != PFM_SUCCESS || !pinfo.is_present)
			continue;
		for (int i = pinfo.first_event; i != -1; i = pfm_get_event_next(i)) {
			pfm_event_info_t info = { .size = sizeof(info) };
			int d, k;

			if (pfm_get_event_info(i, PFM_OS_PERF_EVENT, &info) != PFM_SUCCESS)
				continue;
			d = distance(bare, info.name);
			/* a name that contains what was typed is close too */
			if (d > limit && strlen(bare) >= 4 && strcasestr(info.name, bare))
				d = limit;
			if (d > limit)
				continue;
			for (k = nbest; k > 0 && best[k - 1].d > d; k--)
				if (k < 3)
					best[k] = best[k - 1];
			if (k < 3) {
				best[k].d = d;
				snprintf(best[k].name, sizeof(best[k].name), "%s", info.name);
				if (nbest < 3)
					nbest++;
			}
		}
	}
	for (int k = 0; k < nbest; k++) {
		char *low = xstrdup(best[k].name);

		for (char *c = low; *c; c++)
			*c = tolower((unsigned char)*c);
		strbuf_addf(out, "%s%s", k ? ", " : "", low);
		free(low);
	}
}

int counters_parse(const char *list, struct counter_spec **out, size_t *n, char **err)
{
	char *copy = xstrdup(list), *save = NULL;
	int ret = 0;

	*out = NULL;
	*n = 0;
	*err = NULL;
	if (!pfm_ready()) {
		free(copy);
		*err = xstrdup("libpfm4 cannot initialize");
		return -ENOSYS;
	}
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		struct counter_spec c = { 0 };
		pfm_perf_encode_arg_t arg = { .size = sizeof(arg) };
		char *full = NULL;
		int r;

		arg.attr = &c.attr;
		arg.fstr = &full;
		/* user and kernel: a syscall's work is mostly kernel work */
		r = pfm_get_os_event_encoding(t, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT, &arg);
		if (r != PFM_SUCCESS) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addf(&sb, "unknown counter '%s' (%s)", t, pfm_strerror(r));
			{
				struct strbuf m = STRBUF_INIT;

				close_matches(t, &m);
				if (m.len)
					strbuf_addf(&sb, "; did you mean: %s?", m.buf);
				else
					strbuf_addstr(&sb, "; 'ftio probe' lists the counters here");
				strbuf_release(&m);
			}
			*err = strbuf_detach(&sb, NULL);
			ret = -ENOENT;
			break;
		}
		c.attr.size = sizeof(c.attr);
		c.name = xstrdup(t);
		for (char *p = c.name; *p; p++)
			*p = tolower((unsigned char)*p);
		c.full = full ? full : xstrdup(t);
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = c;
	}
	free(copy);
	if (ret) {
		counters_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return ret;
}

void counters_free(struct counter_spec *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].full);
	}
	free(c);
}

const char *const counter_samplers[COUNTER_SAMPLERS][2] = {
	[COUNTER_ENTER] = { "raw_syscalls", "sys_enter" },
	[COUNTER_EXIT] = { "raw_syscalls", "sys_exit" },
	[COUNTER_SWITCH] = { "sched", "sched_switch" },
};

int counters_desc_parse(const char *text, struct counter_desc *out, int max)
{
	int n = 0;

	while (text && *text && n < max) {
		struct counter_desc *d = &out[n];

		/* a hostile recording gets no index past a sample's values */
		if (sscanf(text, "%d %31s %63s", &d->index, d->key, d->name) == 3 && d->index >= 0 &&
		    d->index < DECODER_MAX_VALUES && (!n || d->index > out[n - 1].index))
			n++;
		text = strchr(text, '\n');
		text = text ? text + 1 : NULL;
	}
	return n;
}

const char *counter_key(uint32_t type, uint64_t config)
{
	if (type == PERF_TYPE_SOFTWARE) {
		switch (config) {
		case PERF_COUNT_SW_TASK_CLOCK:
			return "oncpu_ns";
		case PERF_COUNT_SW_CONTEXT_SWITCHES:
			return "ctx_switches";
		case PERF_COUNT_SW_PAGE_FAULTS_MAJ:
			return "major_faults";
		case PERF_COUNT_SW_PAGE_FAULTS_MIN:
			return "minor_faults";
		}
	} else if (type == PERF_TYPE_HARDWARE) {
		switch (config & 0xff) {
		case PERF_COUNT_HW_INSTRUCTIONS:
			return "instructions";
		case PERF_COUNT_HW_CPU_CYCLES:
			return "cycles";
		}
	}
	return NULL;
}

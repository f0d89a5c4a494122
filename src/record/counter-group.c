// SPDX-License-Identifier: GPL-2.0
/*
 * --counters: the perf_event counter group opened beside the traced
 * threads' syscalls, and its description in the recording's metadata.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "format/chunk.h"
#include "record/counter-group.h"
#include "record/counters.h"
#include "record/perf-source.h"
#include "record/recorder.h"
#include "record/session.h"
#include "lib/util.h"

/*
 * --counters: a group per traced thread and CPU, led by the syscall
 * tracepoints; counters the kernel refuses are left out and named in
 * @unavail, with the reason.  Describes the group in @meta ("perf/counters":
 * "<value index> <key> <name>" lines).  Returns -1 after an error.
 */
int counter_group_open(struct perf_source *ps, struct session *s, const struct record_opts *o,
		       struct strbuf *meta, struct strbuf *strategy, struct strbuf *unavail)
{
	struct perf_event_attr *attrs = xcalloc(o->nr_counters, sizeof(*attrs));
	uint64_t ids[COUNTER_SAMPLERS];
	struct strbuf desc = STRBUF_INIT, names = STRBUF_INIT;
	int nr = 0, r;
	bool inherit = true;

	for (size_t i = 0; i < COUNTER_SAMPLERS; i++) {
		long id = session_tracepoint_id(counter_samplers[i][0], counter_samplers[i][1]);

		if (id < 0) {
			error("cannot use --counters: this kernel has no '%s/%s' tracepoint",
			      counter_samplers[i][0], counter_samplers[i][1]);
			free(attrs);
			return -1;
		}
		ids[i] = id;
		session_add_format(s, counter_samplers[i][0], counter_samplers[i][1]);
	}
	for (size_t i = 0; i < o->nr_counters; i++) {
		struct perf_event_attr a = o->counters[i].attr;
		int fd;

		/* one alone first: a PMU that is not there must not sink the group */
		a.disabled = 1;
		fd = syscall(SYS_perf_event_open, &a, o->pids[0], -1, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0) {
			strbuf_addf(unavail, "%scounter:%s(%s%s)", unavail->len ? " " : "",
				    o->counters[i].name, strerror(errno),
				    errno == ENOENT || errno == EOPNOTSUPP ? ": no such PMU event here" : "");
			continue;
		}
		close(fd);
		attrs[nr] = o->counters[i].attr;
		{
			const char *key = counter_key(a.type, a.config);

			strbuf_addf(&desc, "%d %s %s\n", COUNTER_SAMPLERS + nr,
				    key ? key : o->counters[i].name, o->counters[i].name);
		}
		strbuf_addf(&names, "%s%s", names.len ? "," : "", o->counters[i].name);
		nr++;
	}
	if (!nr) {
		strbuf_addstr(strategy, " counters=none");
		goto done;
	}
	r = perf_source_add_group(ps, ids, COUNTER_SAMPLERS, attrs, nr, o->pids, o->nr_pids,
				  inherit);
	if (r == -EINVAL) {
		/* before Linux 6.12 a sample cannot read an inherited group */
		inherit = false;
		r = perf_source_add_group(ps, ids, COUNTER_SAMPLERS, attrs, nr, o->pids,
					  o->nr_pids, inherit);
	}
	if (r) {
		error("cannot open the counter group (%s) for pid %d: %s", names.buf, (int)o->pids[0],
		      strerror(-r));
		strbuf_release(&desc);
		strbuf_release(&names);
		free(attrs);
		return -1;
	}
	strbuf_addf(strategy, " counters=%s(%s)", names.buf,
		    inherit ? "per thread, following forks" : "per thread, existing threads only");
	attr_addstr(meta, "perf/counters", desc.buf);
	attr_addstr(meta, "perf/counter_threads", inherit ? "all" : "existing");
done:
	strbuf_release(&desc);
	strbuf_release(&names);
	free(attrs);
	return 0;
}


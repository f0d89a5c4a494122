// SPDX-License-Identifier: GPL-2.0
/*
 * The memory limit of ftio's cgroup, so that a flight ring the cgroup
 * cannot hold is refused before tracing starts, instead of getting ftio
 * OOM-killed mid-capture with its instance left behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/memcg.h"
#include "lib/util.h"

/* One cgroup directory's memory limit; 0 when none */
static uint64_t memcg_limit_at(const char *file)
{
	char *text = read_file(file, NULL);
	unsigned long long v = 0;

	if (text && strncmp(text, "max", 3) && sscanf(text, "%llu", &v) != 1)
		v = 0;
	free(text);
	/* cgroup v1 says "no limit" with a page-rounded LONG_MAX */
	return v >= (1ULL << 60) ? 0 : v;
}

/*
 * The tightest memory limit of ftio's cgroup and its ancestors (v2
 * memory.max, v1 memory.limit_in_bytes); 0 when none.  *@where gets the
 * cgroup that sets it (malloc'd).
 */
uint64_t memcg_limit(char **where)
{
	char *text = read_file("/proc/self/cgroup", NULL), *save = NULL;
	uint64_t best = 0;

	*where = NULL;
	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		/* "0::/path" (v2) or "4:memory:/path" (v1) */
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		bool v2;
		char *path;

		if (!c2)
			continue;
		*c2 = '\0';
		v2 = !strcmp(c1 + 1, "");
		if (!v2 && !strstr(c1 + 1, "memory"))
			continue;
		path = xstrdup(c2 + 1);
		for (;;) {
			const char *p = strcmp(path, "/") ? path : "";
			char *file = v2 ? xasprintf("/sys/fs/cgroup%s/memory.max", p)
					: xasprintf("/sys/fs/cgroup/memory%s/memory.limit_in_bytes", p);
			uint64_t v = memcg_limit_at(file);
			char *slash = strrchr(path, '/');

			free(file);
			if (v && (!best || v < best)) {
				best = v;
				free(*where);
				*where = xstrdup(path);
			}
			if (!slash || slash == path)
				break;
			*slash = '\0';
		}
		free(path);
	}
	free(text);
	return best;
}


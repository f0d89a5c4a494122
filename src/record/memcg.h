/* SPDX-License-Identifier: GPL-2.0 */
/* The memory limit ftio runs under; see memcg.c */
#ifndef FTIO_MEMCG_H
#define FTIO_MEMCG_H

#include <stdint.h>

/*
 * The tightest memory limit of ftio's cgroup and its ancestors (v2
 * memory.max, v1 memory.limit_in_bytes); 0 when none.  *@where gets the
 * cgroup that sets it (malloc'd).
 */
uint64_t memcg_limit(char **where);

#endif /* FTIO_MEMCG_H */

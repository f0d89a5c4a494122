/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A string-keyed map (keys are byte strings that may contain NULs), built
 * on intmap with chaining on the 64-bit hash.  Keys are copied; values are
 * owned by the caller.
 */
#ifndef FTIO_STRMAP_H
#define FTIO_STRMAP_H

#include <stddef.h>

#include <ftio/intmap.h>

struct strmap_entry {
	char *key;
	size_t key_len;
	void *val;
	struct strmap_entry *next;
};

struct strmap {
	struct intmap buckets;
	size_t len;
};

void *strmap_get(const struct strmap *m, const void *key, size_t len);
/* Inserts (@key, @val) when absent; returns the entry either way */
struct strmap_entry *strmap_insert(struct strmap *m, const void *key, size_t len, void *val,
				   int *inserted);
/* Calls @fn on every entry, in no particular order */
void strmap_for_each(const struct strmap *m, void (*fn)(struct strmap_entry *e, void *arg),
		     void *arg);
/* Frees the entries and keys, calling @free_val on each value when non-NULL */
void strmap_release(struct strmap *m, void (*free_val)(void *));

#endif /* FTIO_STRMAP_H */

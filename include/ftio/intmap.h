/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small open-addressing hash map from 64-bit keys to pointers, for the
 * tables keyed by thread, process, request, device or id of the decoder,
 * the report, its layers and the flight recorder.  Values are owned by
 * the caller.
 */
#ifndef FTIO_INTMAP_H
#define FTIO_INTMAP_H

#include <stddef.h>
#include <stdint.h>

struct intmap {
	uint64_t *keys;
	void **vals;		/* NULL: empty slot; TOMBSTONE: deleted */
	size_t cap;		/* power of two */
	size_t used;		/* live + deleted slots */
	size_t len;		/* live entries */
};

#define INTMAP_INIT { NULL, NULL, 0, 0, 0 }

void *intmap_get(const struct intmap *m, uint64_t key);
/* Sets @key to @val (non-NULL); returns the previous value or NULL */
void *intmap_put(struct intmap *m, uint64_t key, void *val);
/* Removes @key; returns its value or NULL */
void *intmap_del(struct intmap *m, uint64_t key);
void intmap_release(struct intmap *m);
/* Like intmap_release(), calling @free_fn on every value first */
void intmap_release_values(struct intmap *m, void (*free_fn)(void *));

/*
 * 64-bit values (timestamps): a pointer is 32 bits on armhf, so they are
 * boxed rather than cast (found decoding an x86_64 recording on armhf).
 * intmap_release_u64() frees the boxes.
 */
void intmap_put_u64(struct intmap *m, uint64_t key, uint64_t val);
/* Removes @key; returns 1 with its value in *@val, 0 when absent */
int intmap_del_u64(struct intmap *m, uint64_t key, uint64_t *val);
void intmap_release_u64(struct intmap *m);

/* Iteration: for (size_t i = 0; intmap_next(m, &i, &k, &v);) */
int intmap_next(const struct intmap *m, size_t *pos, uint64_t *key, void **val);

#endif /* FTIO_INTMAP_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Linear-probing hash map with tombstones; it grows at 70% load counting
 * tombstones, so lookups of long-gone keys stay short.
 */
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <ftio/intmap.h>
#include "lib/util.h"

static char tombstone;
#define TOMBSTONE ((void *)&tombstone)

/*
 * A seed drawn once per run, so that keys a hostile recording chooses
 * (pids, ids, inodes) cannot be made to collide: the mix below is
 * invertible, so without it colliding keys are easy to compute.
 * FTIO_HASH_SEED=N fixes it, for tests that compare runs.
 */
static uint64_t seed;

/* before main(), so that no thread ever sees it change */
__attribute__((constructor)) static void hash_seed(void)
{
	const char *env = getenv("FTIO_HASH_SEED");

	if (env)
		seed = strtoull(env, NULL, 0);
	else if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
}

static size_t hash64(uint64_t k)
{
	k ^= seed;
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k;
}

void *intmap_get(const struct intmap *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash64(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->vals[i])
			return NULL;
		if (m->vals[i] != TOMBSTONE && m->keys[i] == key)
			return m->vals[i];
	}
}

static void grow(struct intmap *m)
{
	struct intmap n = { 0 };

	n.cap = m->cap ? m->cap * 2 : 64;
	while (m->len * 2 >= n.cap)
		n.cap *= 2;
	n.keys = xcalloc(n.cap, sizeof(*n.keys));
	n.vals = xcalloc(n.cap, sizeof(*n.vals));
	for (size_t i = 0; i < m->cap; i++)
		if (m->vals[i] && m->vals[i] != TOMBSTONE)
			intmap_put(&n, m->keys[i], m->vals[i]);
	free(m->keys);
	free(m->vals);
	*m = n;
}

void *intmap_put(struct intmap *m, uint64_t key, void *val)
{
	size_t i, slot = (size_t)-1;

	if ((m->used + 1) * 10 >= m->cap * 7)
		grow(m);
	for (i = hash64(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->vals[i])
			break;
		if (m->vals[i] == TOMBSTONE) {
			if (slot == (size_t)-1)
				slot = i;
			continue;
		}
		if (m->keys[i] == key) {
			void *old = m->vals[i];

			m->vals[i] = val;
			return old;
		}
	}
	if (slot == (size_t)-1) {
		slot = i;
		m->used++;
	}
	m->keys[slot] = key;
	m->vals[slot] = val;
	m->len++;
	return NULL;
}

void *intmap_del(struct intmap *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash64(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->vals[i])
			return NULL;
		if (m->vals[i] != TOMBSTONE && m->keys[i] == key) {
			void *old = m->vals[i];

			m->vals[i] = TOMBSTONE;
			m->len--;
			return old;
		}
	}
}

void intmap_release(struct intmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

void intmap_put_u64(struct intmap *m, uint64_t key, uint64_t val)
{
	uint64_t *box = xmalloc(sizeof(*box));

	*box = val;
	free(intmap_put(m, key, box));
}

int intmap_del_u64(struct intmap *m, uint64_t key, uint64_t *val)
{
	uint64_t *box = intmap_del(m, key);

	if (!box)
		return 0;
	*val = *box;
	free(box);
	return 1;
}

void intmap_release_values(struct intmap *m, void (*free_fn)(void *))
{
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(m, &i, &k, &v);)
		free_fn(v);
	intmap_release(m);
}

void intmap_release_u64(struct intmap *m)
{
	intmap_release_values(m, free);
}

int intmap_next(const struct intmap *m, size_t *pos, uint64_t *key, void **val)
{
	for (; *pos < m->cap; (*pos)++) {
		if (m->vals[*pos] && m->vals[*pos] != TOMBSTONE) {
			*key = m->keys[*pos];
			*val = m->vals[*pos];
			(*pos)++;
			return 1;
		}
	}
	return 0;
}

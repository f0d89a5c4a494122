// SPDX-License-Identifier: GPL-2.0
/* String map: FNV-1a hashes into an intmap of chains. */
#include <stdlib.h>

#include <ftio/strmap.h>
#include "lib/util.h"

static uint64_t fnv1a(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void *strmap_get(const struct strmap *m, const void *key, size_t len)
{
	for (struct strmap_entry *e = intmap_get(&m->buckets, fnv1a(key, len)); e; e = e->next)
		if (e->key_len == len && !memcmp(e->key, key, len))
			return e->val;
	return NULL;
}

struct strmap_entry *strmap_insert(struct strmap *m, const void *key, size_t len, void *val,
				   int *inserted)
{
	uint64_t h = fnv1a(key, len);
	struct strmap_entry *head = intmap_get(&m->buckets, h), *e;

	for (e = head; e; e = e->next) {
		if (e->key_len == len && !memcmp(e->key, key, len)) {
			if (inserted)
				*inserted = 0;
			return e;
		}
	}
	e = xcalloc(1, sizeof(*e));
	e->key = xmalloc(len + 1);
	memcpy(e->key, key, len);
	e->key[len] = '\0';
	e->key_len = len;
	e->val = val;
	e->next = head;
	intmap_put(&m->buckets, h, e);
	m->len++;
	if (inserted)
		*inserted = 1;
	return e;
}

void strmap_for_each(const struct strmap *m, void (*fn)(struct strmap_entry *e, void *arg),
		     void *arg)
{
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&m->buckets, &i, &k, &v);)
		for (struct strmap_entry *e = v; e; e = e->next)
			fn(e, arg);
}

void strmap_release(struct strmap *m, void (*free_val)(void *))
{
	uint64_t k;
	void *v;

	for (size_t i = 0; intmap_next(&m->buckets, &i, &k, &v);) {
		struct strmap_entry *e = v;

		while (e) {
			struct strmap_entry *next = e->next;

			if (free_val)
				free_val(e->val);
			free(e->key);
			free(e);
			e = next;
		}
	}
	intmap_release(&m->buckets);
	m->len = 0;
}

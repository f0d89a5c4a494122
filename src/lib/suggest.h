/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "Did you mean": the names closest to a mistyped one, scored as git's
 * help.c scores commands (levenshtein.c: a swap costs 0, a substitution
 * 2, an insertion 1, a deletion 3; a candidate the typed word begins is
 * best of all), so that ftio and git agree on what is similar.
 *
 *	struct suggest s;
 *
 *	suggest_init(&s, typed);
 *	for (each candidate)
 *		suggest_add(&s, name);
 *	if (suggest_hint(&s, "", &msg))	// "; did you mean 'openat'?"
 */
#ifndef FTIO_LIB_SUGGEST_H
#define FTIO_LIB_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

#define SUGGEST_MAX 4

struct suggest {
	const char *typed;
	const char *best[SUGGEST_MAX];	/* the candidates of the best score, as given */
	size_t nr;
	int score;
};

/*
 * git's levenshtein(): the cost of turning @a into @b with weights for a
 * swap of two neighbours, a substitution, an addition and a deletion
 */
int levenshtein(const char *a, const char *b, int swap, int subst, int add, int del);

void suggest_init(struct suggest *s, const char *typed);
/* @name must outlive @s; the same name twice counts once */
void suggest_add(struct suggest *s, const char *name);
/*
 * Appends "; did you mean 'x'?" (or "'x' or 'y'"), each name after
 * @prefix ("--" for options, or ""), to @out when some candidate is
 * similar enough; returns whether it did
 */
bool suggest_hint(const struct suggest *s, const char *prefix, struct strbuf *out);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * "Did you mean" suggestions (see suggest.h).  levenshtein() is git's
 * (levenshtein.c, itself from the Damerau-Levenshtein distance with
 * weights); the floor is git's help.c SIMILARITY_FLOOR.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/suggest.h"
#include "lib/util.h"

/* help.c: scores below this are similar enough to suggest */
#define SIMILARITY_FLOOR 7

int levenshtein(const char *a, const char *b, int swap, int subst, int add, int del)
{
	size_t len1 = strlen(a), len2 = strlen(b);
	int *row0 = xmalloc((len2 + 1) * sizeof(int));
	int *row1 = xmalloc((len2 + 1) * sizeof(int));
	int *row2 = xmalloc((len2 + 1) * sizeof(int));
	int ret;

	for (size_t j = 0; j <= len2; j++)
		row1[j] = j * add;
	for (size_t i = 0; i < len1; i++) {
		int *t;

		row2[0] = (i + 1) * del;
		for (size_t j = 0; j < len2; j++) {
			/* substitution */
			row2[j + 1] = row1[j] + subst * (a[i] != b[j]);
			/* swap */
			if (i > 0 && j > 0 && a[i - 1] == b[j] && a[i] == b[j - 1] &&
			    row2[j + 1] > row0[j - 1] + swap)
				row2[j + 1] = row0[j - 1] + swap;
			/* deletion */
			if (row2[j + 1] > row1[j + 1] + del)
				row2[j + 1] = row1[j + 1] + del;
			/* insertion */
			if (row2[j + 1] > row2[j] + add)
				row2[j + 1] = row2[j] + add;
		}
		t = row0;
		row0 = row1;
		row1 = row2;
		row2 = t;
	}
	ret = row1[len2];
	free(row0);
	free(row1);
	free(row2);
	return ret;
}

void suggest_init(struct suggest *s, const char *typed)
{
	memset(s, 0, sizeof(*s));
	s->typed = typed;
	s->score = SIMILARITY_FLOOR;
}

static char *lower(const char *s)
{
	char *l = xstrdup(s);

	for (char *p = l; *p; p++)
		*p = tolower((unsigned char)*p);
	return l;
}

void suggest_add(struct suggest *s, const char *name)
{
	char *t, *n;
	int score;

	if (!name || !*name || !s->typed || !*s->typed)
		return;
	t = lower(s->typed);
	n = lower(name);
	/* a prefix of a name is as good as it gets (git: "a very good score") */
	if (strlen(t) >= 2 && !strncmp(n, t, strlen(t)))
		score = 0;
	else
		score = levenshtein(t, n, 0, 2, 1, 3) + 1;
	free(t);
	free(n);
	/*
	 * git's floor alone offers "fs" for "x": a suggestion must also cost
	 * less than retyping the word
	 */
	if (score > (int)strlen(s->typed) + 1 || score > s->score)
		return;
	if (score < s->score) {
		s->score = score;
		s->nr = 0;
	}
	for (size_t i = 0; i < s->nr; i++)
		if (!strcmp(s->best[i], name))
			return;
	if (s->nr < SUGGEST_MAX)
		s->best[s->nr++] = name;
}

bool suggest_hint(const struct suggest *s, const char *prefix, struct strbuf *out)
{
	if (!s->nr)
		return false;
	strbuf_addstr(out, "; did you mean ");
	for (size_t i = 0; i < s->nr; i++)
		strbuf_addf(out, "%s'%s%s'", !i ? "" : i + 1 == s->nr ? " or " : ", ", prefix,
			    s->best[i]);
	strbuf_addch(out, '?');
	return true;
}

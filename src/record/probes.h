/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dynamic probes for the plan (uprobes and kprobes) in a session's group;
 * see probes.c.
 */
#ifndef FTIO_PROBES_H
#define FTIO_PROBES_H

struct record_plan;
struct session;
struct strbuf;

/**
 * probes_place_uprobes() - places and enables the plan's uprobes in libc
 * @s:		the session whose group gets them
 * @plan:	the layers' plan
 * @strategy:	gets " paths=..." saying what was placed
 * @unavail:	gets each probe that could not be placed
 * @quiet:	no warning for a refused probe
 */
void probes_place_uprobes(struct session *s, const struct record_plan *plan,
			  struct strbuf *strategy, struct strbuf *unavail, int quiet);

/* Places the plan's kprobes on the functions this kernel has; as above, " vfs=..." */
void probes_place_kprobes(struct session *s, const struct record_plan *plan,
			  struct strbuf *strategy, struct strbuf *unavail, int quiet);

#endif /* FTIO_PROBES_H */

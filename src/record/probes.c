// SPDX-License-Identifier: GPL-2.0
/*
 * Placing the plan's dynamic probes: uprobes on the C library's path
 * functions (found by symbol in its ELF file) and kprobes on the kernel
 * functions this kernel has (found in /proc/kallsyms, compiler clones
 * included).  A probe the kernel refuses is only named in the recording's
 * "unavailable" list: it never stops a recording.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "record/plan.h"
#include "record/probes.h"
#include "record/session.h"
#include "lib/elf-sym.h"
#include "lib/util.h"

/* Builds uprobes for the plan; returns a description of what was placed */
void probes_place_uprobes(struct session *s, const struct record_plan *plan,
			  struct strbuf *strategy, struct strbuf *unavail, int quiet)
{
	const char **names;
	uint64_t *offs;
	char *libc;
	int placed = 0, n;

	if (!plan->nr_uprobes)
		return;
	if (access("/sys/kernel/tracing/uprobe_events", F_OK) && errno == ENOENT) {
		char *p = xasprintf("%s/uprobe_events", session_tracefs_dir());
		int missing = access(p, F_OK) < 0;

		free(p);
		if (missing) {
			strbuf_addstr(strategy, " paths=unavailable(no uprobe_events)");
			return;
		}
	}
	libc = elf_find_libc();
	if (!libc) {
		strbuf_addstr(strategy, " paths=unavailable(C library not found)");
		return;
	}
	names = xcalloc(plan->nr_uprobes, sizeof(*names));
	offs = xcalloc(plan->nr_uprobes, sizeof(*offs));
	for (size_t i = 0; i < plan->nr_uprobes; i++)
		names[i] = plan->uprobes[i].func;
	n = elf_sym_offsets(libc, names, plan->nr_uprobes, offs);
	for (size_t i = 0; n > 0 && i < plan->nr_uprobes; i++) {
		const char *reg = arch_arg_register(plan->uprobes[i].arg);
		char *target, *fetch, *why = NULL;
		bool dup = false;
		int ret;

		if (!offs[i] || !reg) {
			strbuf_addf(unavail, "%suprobe:%s", unavail->len ? " " : "", names[i]);
			continue;
		}
		/* aliases (open/open64) share an address: one probe serves both */
		for (size_t j = 0; j < i; j++)
			dup |= offs[j] == offs[i];
		if (dup)
			continue;
		target = xasprintf("%s:0x%llx", libc, (unsigned long long)offs[i]);
		fetch = xasprintf("ptr=%s path=+0(%s):ustring", reg, reg);
		ret = session_add_uprobe(s, names[i], target, fetch, &why);
		if (!ret) {
			char *sys_ev = xstrdup(names[i]);

			ret = session_enable_event(s, s->group, sys_ev, NULL, NULL);
			free(sys_ev);
		}
		if (ret) {
			if (!quiet)
				warning("cannot place uprobe '%s': %s%s%s", names[i], strerror(-ret),
					why ? ": " : "", why ? why : "");
			strbuf_addf(unavail, "%suprobe:%s", unavail->len ? " " : "", names[i]);
		} else {
			placed++;
		}
		free(why);
		free(target);
		free(fetch);
	}
	if (n < 0)
		strbuf_addf(strategy, " paths=unavailable(%s: %s)", libc, strerror(-n));
	else
		strbuf_addf(strategy, " paths=uprobes(%d on %s)", placed, libc);
	free(names);
	free(offs);
	free(libc);
}

/*
 * The text symbol of /proc/kallsyms named @sym, or failing that a compiler
 * clone of it ("link_path_walk.part.0.constprop.0" on Debian's 6.1) --
 * malloc'd, or NULL.  Names only: addresses may be hidden.
 */
static char *kallsyms_find(const char *text, const char *sym)
{
	size_t n = strlen(sym);
	char *clone = NULL;

	for (const char *p = text; (p = strstr(p, sym)); p += n) {
		/* "ffffffff81234567 t sym\n" or "... T sym [module]" */
		if (p < text + 3 || p[-1] != ' ' || (p[-2] != 't' && p[-2] != 'T') || p[-3] != ' ')
			continue;
		if (p[n] == '\n' || p[n] == ' ' || p[n] == '\t' || p[n] == '\0') {
			free(clone);
			return xstrdup(sym);
		}
		if (p[n] == '.' && !clone)
			clone = xstrndup(p, strcspn(p, " \t\n"));
	}
	return clone;
}

/* Substitutes ARG0..ARG5 in @fetch with this architecture's registers */
static char *fetch_args(const char *fetch)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = fetch; *p;) {
		if (!strncmp(p, "ARG", 3) && p[3] >= '0' && p[3] <= '5') {
			const char *reg = arch_arg_register(p[3] - '0');

			if (!reg) {
				strbuf_release(&sb);
				return NULL;
			}
			strbuf_addstr(&sb, reg);
			p += 4;
		} else {
			strbuf_addch(&sb, *p++);
		}
	}
	return strbuf_detach(&sb, NULL);
}

/* Places the plan's kprobes on the functions this kernel has; never fatal */
void probes_place_kprobes(struct session *s, const struct record_plan *plan,
			  struct strbuf *strategy, struct strbuf *unavail, int quiet)
{
	char *kallsyms, *path;
	int placed = 0, refused = 0;

	if (!plan->nr_kprobes)
		return;
	path = xasprintf("%s/kprobe_events", session_tracefs_dir());
	if (access(path, F_OK) < 0) {
		free(path);
		strbuf_addstr(strategy, " vfs=unavailable(no kprobe_events)");
		return;
	}
	free(path);
	kallsyms = read_file("/proc/kallsyms", NULL);
	for (size_t i = 0; i < plan->nr_kprobes; i++) {
		const struct plan_kprobe *k = &plan->kprobes[i];
		char *sym = NULL;
		char *fetch, *why = NULL;
		int ret;

		for (size_t j = 0; k->symbols[j] && !sym; j++)
			sym = kallsyms ? kallsyms_find(kallsyms, k->symbols[j]) : xstrdup(k->symbols[j]);
		fetch = fetch_args(k->fetch);
		if (!sym || !fetch) {
			strbuf_addf(unavail, "%skprobe:%s", unavail->len ? " " : "", k->event);
			free(fetch);
			free(sym);
			continue;
		}
		ret = session_add_kprobe(s, k->event, sym, fetch, k->ret, &why);
		if (!ret)
			ret = session_enable_event(s, s->group, k->event, NULL, NULL);
		if (ret) {
			/* a blacklisted or inlined symbol loses only this probe */
			if (!quiet)
				warning("cannot place kprobe '%s' on '%s': %s%s%s", k->event, sym,
					strerror(-ret), why ? ": " : "", why ? why : "");
			strbuf_addf(unavail, "%skprobe:%s", unavail->len ? " " : "", k->event);
			refused++;
		} else {
			placed++;
		}
		free(why);
		free(fetch);
		free(sym);
	}
	free(kallsyms);
	strbuf_addf(strategy, " vfs=kprobes(%d placed, %d refused)", placed, refused);
}


/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The layer interface.  A layer is one `const struct ftio_layer` in
 * plugins/: at record time it says which events (and dynamic events) it
 * needs, at report time it consumes decoded events and adds what it found
 * to the report.  Layers never touch tracefs or files themselves.
 */
#ifndef FTIO_LAYER_H
#define FTIO_LAYER_H

#include <stdbool.h>
#include <stdint.h>

struct record_plan;
struct report;

/* What a layer may ask the recorder for; see src/record-plan.h */
void plan_add_event(struct record_plan *p, const char *system, const char *event);
/* Every event of @system whose name starts with @prefix and is in @names (NULL: all) */
void plan_add_events(struct record_plan *p, const char *system, const char *const *names);
/*
 * A uprobe on exported C-library function @func; @arg is the 0-based
 * argument holding a user path.  The recorder resolves the file offset
 * and the architecture's argument register.
 */
void plan_add_libc_path_uprobe(struct record_plan *p, const char *func, int arg);

struct ftio_layer {
	const char *name;
	const char *summary;
	void (*plan)(struct record_plan *p);
};

extern const struct ftio_layer layer_syscalls;
extern const struct ftio_layer layer_paths;

#endif /* FTIO_LAYER_H */

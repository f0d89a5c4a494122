// SPDX-License-Identifier: GPL-2.0
/*
 * The layer table: which layers exist, and their order.  The recorder
 * plans and the report initialises and prints them in this order; the
 * report chains the handlers of one event newest first, so the syscalls
 * layer, first here, sees a shared event after the layers below it.
 */
#include <string.h>

#include "layers.h"
#include "lib/suggest.h"
#include "lib/util.h"

const struct ftio_layer *const ftio_layers[] = {
	&layer_syscalls,
	&layer_paths,
	&layer_block,
	&layer_fuse,
	&layer_pagecache,
	&layer_fs,
	&layer_vfs,
	&layer_nfs,
	&layer_io_uring,
	NULL,
};

const struct ftio_layer *layer_find(const char *name)
{
	for (size_t i = 0; ftio_layers[i]; i++)
		if (!strcmp(ftio_layers[i]->name, name))
			return ftio_layers[i];
	return NULL;
}

void layer_suggest(const char *name, struct strbuf *out)
{
	struct suggest s;

	suggest_init(&s, name);
	for (size_t i = 0; ftio_layers[i]; i++)
		suggest_add(&s, ftio_layers[i]->name);
	if (suggest_hint(&s, "", out))
		return;
	strbuf_addstr(out, "; the layers are");
	for (size_t i = 0; ftio_layers[i]; i++)
		strbuf_addf(out, "%s %s", i ? "," : "", ftio_layers[i]->name);
}

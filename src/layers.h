/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table of every layer in plugins/, in one unit of its own: the
 * recorder plans from it and the report runs from it, so neither side
 * reaches into the other for it (as git's builtin.h lists its commands).
 * Adding a layer is one line here and one in layers.c.
 */
#ifndef FTIO_LAYERS_H
#define FTIO_LAYERS_H

#include <ftio/layer.h>

extern const struct ftio_layer layer_syscalls;
extern const struct ftio_layer layer_paths;
extern const struct ftio_layer layer_block;
extern const struct ftio_layer layer_fuse;
extern const struct ftio_layer layer_pagecache;
extern const struct ftio_layer layer_fs;
extern const struct ftio_layer layer_vfs;
extern const struct ftio_layer layer_nfs;
extern const struct ftio_layer layer_io_uring;

/* All layers, NULL-terminated, in the order their events are planned and reported */
extern const struct ftio_layer *const ftio_layers[];

/* The layer called @name, or NULL */
const struct ftio_layer *layer_find(const char *name);

struct strbuf;
/* Appends "; did you mean 'block'?" for a mistyped layer, or "; layers: ..." */
void layer_suggest(const char *name, struct strbuf *out);

#endif /* FTIO_LAYERS_H */

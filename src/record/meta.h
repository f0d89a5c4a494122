/* SPDX-License-Identifier: GPL-2.0 */
/* The recording's metadata; see meta.c */
#ifndef FTIO_META_H
#define FTIO_META_H

struct rec_instance;
struct record_opts;
struct strbuf;

/**
 * meta_describe() - the metadata every file of the recording starts with
 * @sb:		gets the "meta/...", "header_*" and "format/..." attributes
 * @inst:	the sessions, whose enabled events' formats are stored
 * @nr_inst:	how many
 * @o:		the options
 * @strategy:	what is recorded and how ("meta/strategy")
 * @unavailable: what the layers wanted and this kernel lacks
 */
void meta_describe(struct strbuf *sb, const struct rec_instance *inst, int nr_inst,
		   const struct record_opts *o, const char *strategy, const char *unavailable);

#endif /* FTIO_META_H */

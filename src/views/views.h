/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exporters: views of a report for other programs.  Each one registers
 * a call observer with report_observe() before report_run() and sees
 * every reported call (after the filters) as it exits, so none of them
 * keeps the calls themselves:
 *
 * - struct export_views folds the calls into latency heatmaps (per
 *   syscall, mount and block device, on one time axis) and keeps the few
 *   slowest calls of each time column; export_html() writes them with the
 *   report's tables as one self-contained page, export_svg() as
 *   standalone SVG heatmaps and histograms.
 * - struct perfetto streams Chrome trace-event JSON (ui.perfetto.dev,
 *   chrome://tracing): a track per thread with its syscalls and what the
 *   lower layers attributed to them nested inside, a track per block
 *   device, flow arrows from a call to the requests it waited for.
 *
 * Functions return 0 or -errno and never print; the commands report.
 */
#ifndef FTIO_EXPORT_H
#define FTIO_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "views/heatmap.h"
#include "views/printers.h"		/* the page holds the report's tables too */
#include "report/report.h"

struct export_views;

/**
 * export_views_new - start collecting heatmaps from @r
 * @r: a report after report_init() and before report_run()
 *
 * Returns the collector, freed with export_views_free(); it must not
 * outlive @r.
 */
struct export_views *export_views_new(struct report *r);
void export_views_free(struct export_views *v);

/**
 * export_html - write the report as one HTML page
 * @v: the collector, after report_run()
 * @out: where the page goes
 *
 * The page needs nothing but itself: styles, script and data are inline.
 * Returns 0, or -errno when writing @out failed.
 */
int export_html(struct export_views *v, FILE *out);

/**
 * export_svg - write heatmaps and histograms as SVG files in @dir
 * @v: the collector, after report_run()
 * @dir: an existing directory, or one to create
 * @mode: of the files (see lib/output.h)
 * @failed: set to the path that could not be written (malloc'd, the
 *	    caller frees it) when the result is not 0; may be NULL
 *
 * Writes heatmap-<group>-<name>.svg and histogram-<group>-<name>.svg for
 * every map; each non-empty cell or bar is a rect of class "cell" or
 * "bar" with its count in data-count.  Returns 0 or -errno.
 */
int export_svg(struct export_views *v, const char *dir, mode_t mode, char **failed);

/* struct export_map - one heatmap of the collector, for the SVG view */
struct export_map {
	const char *group;	/* "all", "syscall", "mount" or "device" */
	const char *name;
	const struct heatmap *map;
};

/* The @i-th map of @v (0: every call), false past the last; valid until @v is freed */
bool export_views_map(struct export_views *v, size_t i, struct export_map *out);
const struct heatmap_set *export_views_axis(struct export_views *v);
struct report *export_views_report(struct export_views *v);

struct perfetto;

/**
 * perfetto_new - stream the calls of @r as Chrome trace-event JSON
 * @r: a report after report_init() and before report_run()
 * @out: the open output; events are written while report_run() runs
 *
 * Returns the exporter; finish it with perfetto_finish(), then free it.
 */
struct perfetto *perfetto_new(struct report *r, FILE *out);

/**
 * perfetto_finish - write what is still pending and close the JSON
 * @p: the exporter, after report_run()
 *
 * Returns 0, or -errno when a write to the output failed.
 */
int perfetto_finish(struct perfetto *p);
void perfetto_free(struct perfetto *p);

/* How many syscall slices and block requests were written */
void perfetto_counts(const struct perfetto *p, uint64_t *calls, uint64_t *requests);

struct clickhouse;

/* struct clickhouse_opts - where and how export --clickhouse sends the rows */
struct clickhouse_opts {
	const char *url;	/* ClickHouse's HTTP interface: http://host:8123/ */
	const char *database;	/* default "ftio": letters, digits and '_' only */
	const char *host;	/* the host column */
	unsigned int batch;	/* rows per INSERT, 0: CLICKHOUSE_BATCH */
	bool create;		/* create the database and contrib/clickhouse/schema.sql's tables */
};

#define CLICKHOUSE_BATCH 65536

struct clickhouse_stats {
	uint64_t calls, children;	/* rows sent */
	uint64_t async;			/* of the calls rows, async requests (io_uring) */
	uint64_t requests, wire_bytes;	/* HTTP requests, bytes of their bodies (gzipped) */
	uint64_t raw_bytes;		/* the RowBinary rows before gzip */
	uint64_t start_ns, end_ns;
};

/**
 * clickhouse_new - export the calls of the @n files @recs to ClickHouse
 * @recs: the files of one capture (they must outlive the exporter)
 * @o: the server, database and host (copied; its strings must outlive it)
 *
 * Then clickhouse_begin(); unless it returned 1 or failed, report_init()
 * of @recs, clickhouse_attach(), report_run() and clickhouse_finish().
 */
struct clickhouse *clickhouse_new(struct recording **recs, size_t n,
				  const struct clickhouse_opts *o);

/*
 * clickhouse_begin - create the tables (--create) and see whether the
 * files are already there.  Returns 0, 1 when the same unit was exported
 * completely before (nothing to send), or -EIO (clickhouse_error() says
 * why).  It needs no report: nothing is decoded for a unit already there.
 */
int clickhouse_begin(struct clickhouse *ch);

/* clickhouse_attach - observe @r's calls: after report_init(), before report_run() */
void clickhouse_attach(struct clickhouse *ch, struct report *r);

/*
 * clickhouse_finish - send the rows still pending, then the captures row
 * that marks the export complete.  Returns 0 or -EIO: a failure of any
 * batch fails the export, and no captures row is written.
 */
int clickhouse_finish(struct clickhouse *ch);
const char *clickhouse_error(const struct clickhouse *ch);	/* NULL when none */
const char *clickhouse_capture_id(const struct clickhouse *ch);
void clickhouse_get_stats(const struct clickhouse *ch, struct clickhouse_stats *st);
void clickhouse_free(struct clickhouse *ch);

#endif /* FTIO_EXPORT_H */

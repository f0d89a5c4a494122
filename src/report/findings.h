/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the report concludes, for the top of the text and the JSON's
 * findings[] (findings.c), and the grouping of errors it rests on
 * (table-errors.c).  The rules are in ftio-report(1), FINDINGS and Errors.
 */
#ifndef FTIO_REPORT_FINDINGS_H
#define FTIO_REPORT_FINDINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "report/report.h"

enum { ERR_DENIED, ERR_IO, ERR_OTHER };
extern const char *const error_class_names[];
/* ERR_DENIED (EACCES, EPERM), ERR_IO (EIO, ENOSPC, EROFS, ESTALE, ...) or ERR_OTHER */
int error_class(int err);
/* An ENOENT the program expected: a search-path probe or a stat before a create */
bool error_expected(struct report *r, const struct error_row *e);

/*
 * report_findings - the report's findings, after report_run(): at most
 * about 8 lines into @text ("  slow: ...\n"), and the JSON array
 * findings[] into @json
 */
void report_findings(struct report *r, struct strbuf *text, struct strbuf *json);

#define ERROR_GROUP_TOP 4

/* struct error_group - the error rows of one (syscall, errno), expected or not */
struct error_group {
	const char *syscall;
	int err;
	bool expected;
	int class;
	uint64_t count;		/* calls */
	size_t rows;		/* error rows (paths, uids, comms) */
	uint64_t first_ns;
	const char *paths[ERROR_GROUP_TOP];	/* most calls first; "?" unknown */
	uint64_t path_counts[ERROR_GROUP_TOP];
	size_t nr_paths;
	const char *comms[ERROR_GROUP_TOP];
	int pids[ERROR_GROUP_TOP];
	uint64_t comm_counts[ERROR_GROUP_TOP];
	size_t nr_comms;
};

/* Every group, sorted: unexpected first, denials, I/O errors, then by count */
struct report_row *error_group_rows(struct report *r, void *state, size_t *n);
extern const struct table_desc table_error_groups, table_error_groups_text;

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Opening recordings for the reading commands, with one wording for every
 * failure so that scripts and people see the same messages.
 */
#include <errno.h>
#include <stdio.h>

#include "frontend.h"
#include "util.h"

struct recording *frontend_open(const char *path)
{
	struct recording *r = recording_open(path);

	if (r)
		return r;
	if (errno == EBADMSG)
		die("cannot read '%s': not an ftio recording", path);
	if (errno == EPROTONOSUPPORT)
		die("cannot read '%s': made by a newer ftio (format version too new)", path);
	die("cannot read '%s': %s", path, strerror(errno));
}

void frontend_warnings(struct recording *r)
{
	static size_t shown;

	for (; shown < r->nr_warnings; shown++)
		warning("'%s': %s", r->path, r->warnings[shown]);
}

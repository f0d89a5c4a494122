// SPDX-License-Identifier: GPL-2.0
/*
 * ftio export: a recording's calls for other tools.  --perfetto writes
 * Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing): thread
 * tracks with the syscalls and their drill-down nested, block device
 * tracks, flow arrows from calls to their requests.  --csv writes one row
 * per call, the columns of ftio report --csv.  Both take the report's
 * filters and stream: memory does not grow with the number of calls.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "builtin.h"
#include "export.h"
#include "frontend.h"
#include "report.h"
#include "syscall-table.h"
#include "util.h"

static const char *const export_usage[] = {
	"ftio export [-i <file>]... (--perfetto <out> | --csv) [-o <out>] [-q] [-p <path>]\n"
	"                   [--pid <pid>] [--tid <tid>] [--comm <name>] [--uid <uid>]\n"
	"                   [--syscall <name>[,<name>...]] [--min-latency <duration>] [--errors]\n"
	"                   [--since <s>] [--until <s>] [<file>...]",
	NULL,
};

/* The columns of ftio report --csv; see Documentation/ftio-report.1.txt */
#define CSV_HEADER "start_ns,latency_ns,syscall,pid,tid,comm,uid,user,ret,errno,path,path_method," \
	"mount,bytes,lost_events_nearby\n"

enum { FMT_NONE, FMT_PERFETTO, FMT_CSV };

struct export_opts {
	char **inputs;
	size_t nr_inputs;
	int format;
	const char *out;	/* "-": stdout */
	char *path;
	int quiet;
};

static char *absolute_path(const char *p)
{
	char cwd[4096];

	if (p[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return xstrdup(p);
	return xasprintf("%s/%s", cwd, p);
}

static void set_format(struct export_opts *o, int format, const char *out)
{
	if (o->format && o->format != format)
		usage_error(export_usage, "--perfetto and --csv cannot be combined");
	o->format = format;
	if (out)
		o->out = out;
}

static void parse_args(int argc, char **argv, struct export_opts *o, struct report *r)
{
	static const struct option longopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "perfetto", required_argument, NULL, 'F' },
		{ "csv", no_argument, NULL, 'C' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "path", required_argument, NULL, 'p' },
		{ "pid", required_argument, NULL, 'P' },
		{ "tid", required_argument, NULL, 'T' },
		{ "comm", required_argument, NULL, 'c' },
		{ "uid", required_argument, NULL, 'u' },
		{ "syscall", required_argument, NULL, 's' },
		{ "min-latency", required_argument, NULL, 'm' },
		{ "errors", no_argument, NULL, 'E' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:o:p:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->inputs = xrealloc(o->inputs, (o->nr_inputs + 1) * sizeof(char *));
			o->inputs[o->nr_inputs++] = optarg;
			break;
		case 'F':
			set_format(o, FMT_PERFETTO, optarg);
			break;
		case 'C':
			set_format(o, FMT_CSV, NULL);
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'p':
			free(o->path);
			o->path = absolute_path(optarg);
			break;
		case 'P':
		case 'T':
		case 'u':
			if (parse_uint(optarg, c == 'u' ? 0xfffffffeULL : 1 << 22, &v))
				usage_error(export_usage, "invalid %s '%s'",
					    c == 'P' ? "--pid" : c == 'T' ? "--tid" : "--uid", optarg);
			*(c == 'P' ? &r->f.pid : c == 'T' ? &r->f.tid : &r->f.uid) = v;
			break;
		case 'c':
			r->f.comm = optarg;
			break;
		case 's': {
			char *list = xstrdup(optarg), *save = NULL;
			size_t n = 0;

			for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				const struct syscall_desc *d;

				if (!strncmp(t, "sys_", 4))
					t += 4;
				d = syscall_find(t);
				if (!d)
					usage_error(export_usage, "unknown syscall '%s'", t);
				r->f.syscalls = xrealloc(r->f.syscalls, (n + 2) * sizeof(char *));
				r->f.syscalls[n++] = (char *)d->name;
				r->f.syscalls[n] = NULL;
			}
			free(list);
			break;
		}
		case 'm':
			if (parse_duration_ns(optarg, &r->f.min_latency))
				usage_error(export_usage, "invalid duration '%s' (e.g. 10us, 2ms, 1s)",
					    optarg);
			break;
		case 'E':
			r->f.errors_only = true;
			break;
		case 'S':
		case 'U': {
			uint64_t ns;

			if (parse_duration_ns(optarg, &ns))
				usage_error(export_usage, "invalid time '%s' (seconds from the start)",
					    optarg);
			*(c == 'S' ? &r->f.since : &r->f.until) = ns;
			break;
		}
		case 'h':
			usage_show(export_usage, 0);
			exit(0);
		default:
			usage_error(export_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	for (; optind < argc; optind++) {
		o->inputs = xrealloc(o->inputs, (o->nr_inputs + 1) * sizeof(char *));
		o->inputs[o->nr_inputs++] = argv[optind];
	}
	if (!o->format)
		usage_error(export_usage, "say what to export: --perfetto <out> or --csv");
	if (!o->out)
		o->out = "-";
}

int cmd_export(int argc, char **argv)
{
	static char *default_input[] = { "ftio.dat" };
	struct export_opts o = { 0 };
	struct report r = { 0 };
	struct perfetto *pf = NULL;
	struct recset set;
	char *tmp = NULL;
	FILE *out = stdout;
	int ret;

	r.f.pid = r.f.tid = r.f.uid = -1;
	parse_args(argc, argv, &o, &r);
	frontend_open_set(&set, o.nr_inputs ? o.inputs : default_input, o.nr_inputs ? o.nr_inputs : 1);
	if (!o.path && recording_attr(set.v[0], "meta/path_filter"))
		o.path = absolute_path(recording_attr(set.v[0], "meta/path_filter"));
	if (o.path) {
		size_t len = strlen(o.path);

		while (len > 1 && o.path[len - 1] == '/')
			o.path[--len] = '\0';
		r.f.path = o.path;
		r.f.path_len = len;
	}
	/* a temporary file renamed at the end: a failed export leaves no half file */
	if (strcmp(o.out, "-")) {
		tmp = xasprintf("%s.tmp.%d", o.out, (int)getpid());
		out = fopen(tmp, "w");
		if (!out)
			die("cannot write '%s': %s", o.out, strerror(errno));
	}
	ret = report_init(&r, set.v, set.n);
	if (ret) {
		if (tmp)
			unlink(tmp);
		frontend_set_warnings(&set);
		die("cannot decode '%s': %s", set.v[0]->path,
		    ret == -EBADMSG ? "its event formats are missing or unusable" : strerror(-ret));
	}
	if (o.format == FMT_CSV) {
		r.csv = out;
		fputs(CSV_HEADER, out);
	} else {
		pf = perfetto_new(&r, out);
	}
	report_run(&r);
	ret = pf ? perfetto_finish(pf) : 0;
	if (!ret && (fflush(out) || ferror(out)))
		ret = -(errno ? errno : EIO);
	if (tmp) {
		if (fclose(out) && !ret)
			ret = -errno;
		if (!ret && rename(tmp, o.out))
			ret = -errno;
		if (ret)
			unlink(tmp);
	}
	frontend_set_warnings(&set);
	if (ret)
		die("cannot write '%s': %s", o.out, strerror(-ret));
	if (!o.quiet && tmp) {
		uint64_t calls = r.calls_kept, requests = 0;

		if (pf)
			perfetto_counts(pf, &calls, &requests);
		if (pf)
			fprintf(stderr, "ftio: wrote '%s': %llu calls, %llu block requests\n", o.out,
				(unsigned long long)calls, (unsigned long long)requests);
		else
			fprintf(stderr, "ftio: wrote '%s': %llu calls\n", o.out,
				(unsigned long long)calls);
	}
	perfetto_free(pf);
	report_release(&r);
	frontend_close_set(&set);
	free(tmp);
	free(o.inputs);
	free(o.path);
	free(r.f.syscalls);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ftio export: a recording's calls for other tools.  --perfetto writes
 * Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing): thread
 * tracks with the syscalls and their drill-down nested, block device
 * tracks, flow arrows from calls to their requests.  --csv writes one row
 * per call, the columns of ftio report --csv.  --clickhouse sends the
 * calls and their children to a ClickHouse server (contrib/clickhouse/).
 * All take the report's filters and stream: memory does not grow with the
 * number of calls.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "builtin.h"
#include "parse-options.h"
#include "views/printers.h"
#include "views/views.h"
#include "format/frontend.h"
#include "report/report.h"
#include <ftio/syscall-table.h>
#include "lib/output.h"
#include "lib/util.h"

static const char *const export_usage[] = {
	"ftio export [-i <file>]... (--perfetto <out> | --csv) [-o <out>] [-q] [-p <path>]\n"
	"                   [--pid <pid>] [--tid <tid>] [--comm <name>] [--uid <uid>]\n"
	"                   [--syscall <name>[,<name>...]] [--min-latency <duration>] [--errors]\n"
	"                   [--since <s>] [--until <s>] [--mode <octal>] [<file>...]",
	"ftio export [-i <file>]... --clickhouse <url> [--host <name>] [--database <db>]\n"
	"                   [--create] [--batch-size <rows>] [-q] [<filters>] [<file>...]",
	NULL,
};


enum { FMT_NONE, FMT_PERFETTO, FMT_CSV, FMT_CLICKHOUSE };

struct export_opts {
	char **inputs;
	size_t nr_inputs;
	int format;
	const char *out;	/* "-": stdout */
	int quiet;
	mode_t mode;		/* of the file written */
	struct clickhouse_opts ch;
};

static void set_format(struct export_opts *o, int format, const char *out)
{
	if (o->format && o->format != format)
		usage_error(export_usage, "--perfetto, --csv and --clickhouse cannot be combined");
	o->format = format;
	if (out)
		o->out = out;
}

static const struct cmd_option export_options[] = {
	OPT_GROUP("Input"),
	OPT_SHORT('i', "input", required_argument, "<file>",
		  "a recording: file, directory, glob or rotated name"),
	OPT_GROUP("What to export"),
	OPT_LONG("perfetto", 'F', required_argument, "<out>", "a Perfetto (Chrome trace-event) JSON file"),
	OPT_LONG("csv", 'C', no_argument, NULL, "one CSV row per call"),
	OPT_SHORT('o', "output", required_argument, "<out>", "where the CSV goes (default: standard output)"),
	OPT_LONG("mode", 'M', required_argument, "<octal>", "permissions of the file written (default 0600)"),
	OPT_SHORT('q', "quiet", no_argument, NULL, "no summary on standard error"),
	OPT_GROUP("ClickHouse"),
	OPT_LONG("clickhouse", 'K', required_argument, "<url>", "send the rows to ClickHouse's HTTP interface"),
	OPT_LONG("host", 'H', required_argument, "<name>", "the host column (default: the recording's)"),
	OPT_LONG("database", 'D', required_argument, "<db>", "the database (default ftio)"),
	OPT_LONG("create", 'R', no_argument, NULL, "create the database and its tables first"),
	OPT_LONG("batch-size", 'B', required_argument, "<rows>", "rows per INSERT (default 65536)"),
	OPT_GROUP("Filters (the calls: AND of all)"),
	REPORT_FILTER_OPTIONS,
	OPT_END(),
};

static const struct cmd_desc export_cmd = { "export", export_usage, export_options, false };

static void parse_args(int argc, char **argv, struct export_opts *o, struct report *r)
{
	int c;

	while ((c = cmd_getopt(argc, argv, &export_cmd)) != -1) {
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
		case 'K':
			set_format(o, FMT_CLICKHOUSE, NULL);
			o->ch.url = optarg;
			break;
		case 'H':
			o->ch.host = optarg;
			break;
		case 'D':
			if (!*optarg || optarg[strspn(optarg, "abcdefghijklmnopqrstuvwxyz"
					"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")])
				usage_error(export_usage, "invalid --database '%s' (letters, digits, _)",
					    optarg);
			o->ch.database = optarg;
			break;
		case 'R':
			o->ch.create = true;
			break;
		case 'B': {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);

			if (*optarg < '0' || *optarg > '9' || *end || !n || n > 1000000)
				usage_error(export_usage, "invalid --batch-size '%s' (1 to 1000000 rows)",
					    optarg);
			o->ch.batch = n;
			break;
		}
		case 'o':
			o->out = optarg;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'M':
			if (output_parse_mode(optarg, &o->mode))
				usage_error(export_usage, "invalid --mode '%s' (octal, 0 to 0777)", optarg);
			break;
		default:
			report_filter_arg(r, c, optarg, export_usage);
		}
	}
	for (; optind < argc; optind++) {
		o->inputs = xrealloc(o->inputs, (o->nr_inputs + 1) * sizeof(char *));
		o->inputs[o->nr_inputs++] = argv[optind];
	}
	if (!o->format)
		usage_error(export_usage, "say what to export: --perfetto <out>, --csv or --clickhouse <url>");
	if (o->format != FMT_CLICKHOUSE && (o->ch.host || o->ch.database || o->ch.create || o->ch.batch))
		usage_error(export_usage, "--host, --database, --create and --batch-size go with --clickhouse");
	if (o->format == FMT_CLICKHOUSE && o->out)
		usage_error(export_usage, "--clickhouse sends to its server: no -o");
	if (o->format == FMT_CLICKHOUSE && strncmp(o->ch.url, "http://", 7) &&
	    strncmp(o->ch.url, "https://", 8))
		usage_error(export_usage, "invalid --clickhouse '%s' (http://host:port/)", o->ch.url);
	if (!o->out)
		o->out = "-";
}

/*
 * The ClickHouse export: the rows go while the report runs; the captures
 * row that makes the export count only after every batch was accepted
 */
static int export_clickhouse(struct export_opts *o, struct report *r, struct recset *set)
{
	const char *file = set->v[0]->path;
	struct clickhouse_stats st;
	struct clickhouse *ch;
	int ret;

	if (!o->ch.database)
		o->ch.database = "ftio";
	if (!o->ch.host)
		o->ch.host = recording_attr(set->v[0], "meta/hostname");
	if (!o->ch.host || !*o->ch.host)
		o->ch.host = "unknown";
	ch = clickhouse_new(set->v, set->n, &o->ch);
	/* before the decoding: a unit already there, or a server that is not, costs nothing */
	ret = clickhouse_begin(ch);
	if (ret == 1) {
		if (!o->quiet)
			fprintf(stderr, "ftio: '%s' is already in '%s' (capture %s): nothing sent\n",
				file, o->ch.url, clickhouse_capture_id(ch));
		clickhouse_free(ch);
		return 0;
	}
	if (!ret) {
		ret = report_init(r, set->v, set->n);
		if (ret) {
			frontend_set_warnings(set);
			die("cannot decode '%s': %s", file,
			    ret == -EBADMSG ? "its event formats are missing or unusable" :
			    strerror(-ret));
		}
		clickhouse_attach(ch, r);
		report_run(r);
		ret = clickhouse_finish(ch);
		report_release(r);
	}
	frontend_set_warnings(set);
	if (ret) {
		error("cannot export '%s' to '%s': %s", file, o->ch.url, clickhouse_error(ch));
		clickhouse_free(ch);
		return 1;
	}
	clickhouse_get_stats(ch, &st);
	if (!o->quiet) {
		double s = (st.end_ns - st.start_ns) / 1e9;
		struct strbuf host = STRBUF_INIT;
		char async[64] = "";

		/* the recording's host name is the traced system's: escaped */
		strbuf_add_escaped(&host, o->ch.host, strlen(o->ch.host));
		if (st.async)
			snprintf(async, sizeof(async), " (%llu of them async requests)",
				 (unsigned long long)st.async);
		fprintf(stderr, "ftio: exported '%s' to '%s' as host '%s' (capture %s): %llu calls%s, "
			"%llu children in %llu requests, %llu bytes (%.1f per call; %.1f before gzip), "
			"%.0f calls/s\n",
			file, o->ch.url, host.buf, clickhouse_capture_id(ch),
			(unsigned long long)st.calls, async, (unsigned long long)st.children,
			(unsigned long long)st.requests, (unsigned long long)st.wire_bytes,
			st.calls ? (double)st.wire_bytes / st.calls : 0.0,
			st.calls ? (double)st.raw_bytes / st.calls : 0.0,
			s > 0 ? st.calls / s : 0.0);
		strbuf_release(&host);
	}
	clickhouse_free(ch);
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static char *default_input[] = { "ftio.dat" };
	struct export_opts o = { .mode = OUTPUT_MODE_DEFAULT };
	struct report r = { 0 };
	struct perfetto *pf = NULL;
	struct recset set;
	struct output output;
	FILE *out;
	bool is_std;
	int ret;

	r.f.pid = r.f.tid = r.f.uid = -1;
	parse_args(argc, argv, &o, &r);
	frontend_open_set(&set, o.nr_inputs ? o.inputs : default_input, o.nr_inputs ? o.nr_inputs : 1);
	if (!r.path_arg && recording_attr(set.v[0], "meta/path_filter"))
		r.path_arg = xstrdup(recording_attr(set.v[0], "meta/path_filter"));
	if (r.path_arg) {
		size_t len = strlen(r.path_arg);

		while (len > 1 && r.path_arg[len - 1] == '/')
			r.path_arg[--len] = '\0';
		r.f.path = r.path_arg;
		r.f.path_len = len;
	}
	if (o.format == FMT_CLICKHOUSE) {
		ret = export_clickhouse(&o, &r, &set);
		goto out;
	}
	/* a temporary file renamed at the end: a failed export leaves no half file */
	ret = output_open(&output, o.out, o.mode);
	if (ret)
		die("cannot write '%s': %s", o.out, output_strerror(ret));
	out = output.f;
	is_std = output.is_std;
	ret = report_init(&r, set.v, set.n);
	if (ret) {
		output_abort(&output);
		frontend_set_warnings(&set);
		die("cannot decode '%s': %s", set.v[0]->path,
		    ret == -EBADMSG ? "its event formats are missing or unusable" : strerror(-ret));
	}
	if (o.format == FMT_CSV) {
		report_csv_start(&r, out);
	} else {
		pf = perfetto_new(&r, out);
	}
	report_run(&r);
	ret = pf ? perfetto_finish(pf) : 0;
	if (ret)
		output_abort(&output);
	else
		ret = output_commit(&output);
	frontend_set_warnings(&set);
	if (ret)
		die("cannot write '%s': %s", o.out, output_strerror(ret));
	if (!o.quiet && !is_std) {
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
out:
	frontend_close_set(&set);
	free(o.inputs);
	free(r.path_arg);
	free(r.f.syscalls);
	return ret;
}

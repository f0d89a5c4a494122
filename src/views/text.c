// SPDX-License-Identifier: GPL-2.0
/*
 * The text report, for people: it fits 100 columns.  Every table comes
 * from its description (report/table.h); this file knows how a cell of
 * each type looks in a terminal, the Capture section, and the drill-down
 * of the slowest calls.  The whole report is built in memory (it is
 * bounded by --top) and written once, coloured or not, to any FILE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "views/printers.h"
#include <ftio/table.h>
#include <ftio/syscall-table.h>
#include "lib/util.h"

#define TEXT_WIDTH 100

/* Keeps the end of a long path, which is the part people recognise */
static const char *clip(char *buf, size_t size, const char *s, size_t width)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_escaped(&sb, s, strlen(s));
	if (sb.len <= width)
		snprintf(buf, size, "%s", sb.len ? sb.buf : "");
	else
		snprintf(buf, size, "...%s", sb.buf + sb.len - (width - 3));
	strbuf_release(&sb);
	return buf;
}

/* Appends "  label: text", wrapping @text at spaces to fit TEXT_WIDTH */
static void add_wrapped(struct strbuf *out, const char *label, const char *text)
{
	size_t indent = strlen(label) + 4, col = indent;

	strbuf_addf(out, "  %s:", label);
	while (text && *text) {
		size_t n;

		text += strspn(text, " ");
		n = strcspn(text, " ");
		if (!n)
			break;
		if (col > indent && col + 1 + n > TEXT_WIDTH) {
			strbuf_addf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else {
			strbuf_addch(out, ' ');
			col++;
		}
		/* a word longer than a line is cut at the line's end */
		while (col + n > TEXT_WIDTH && TEXT_WIDTH > col + 8) {
			size_t part = TEXT_WIDTH - col;

			strbuf_add(out, text, part);
			strbuf_addf(out, "\n%*s", (int)indent + 1, "");
			col = indent + 1;
			text += part;
			n -= part;
		}
		strbuf_add(out, text, n);
		col += n;
		text += n;
	}
	strbuf_addch(out, '\n');
}

static void add_capture(struct strbuf *out, struct report *r)
{
	uint64_t dur = r->last_ts > r->start_ns ? r->last_ts - r->start_ns : 0;
	const char *command = recording_attr(r->rec, "meta/command");
	/* "counter:cycles(No such file or directory: no such PMU event here)" */
	const char *unavailable = recording_attr(r->rec, "meta/unavailable");
	char b1[32], cmd[1024];
	uint64_t unknown;

	const struct report_damage *dmg = &r->damage;
	struct strbuf pairing = STRBUF_INIT;
	static const char *const pairing_text[PAIR_CAUSES] = {
		[PAIR_EXIT_NO_ENTER] = "exits without an enter",
		[PAIR_COMPLETE_NO_ISSUE] = "completions without an issue",
		[PAIR_IN_FLIGHT] = "requests in flight at the stop",
		[PAIR_COMPLETION_LOST] = "completions lost",
		[PAIR_FUSE_NO_REQUEST] = "FUSE replies without a request",
	};

	strbuf_addstr(out, "Capture\n");
	if (report_damaged(r)) {
		struct strbuf d = STRBUF_INIT;
		char b2[32], b3[32];

		strbuf_addf(&d, "%zu of %zu files cut short (no end marker: what came after their "
			    "last chunk is missing), %s of an incomplete last chunk unread, %s "
			    "skipped as damage, %llu chunks damaged", dmg->no_end, r->nr_recs,
			    fmt_bytes(b2, sizeof(b2), dmg->truncated_bytes),
			    fmt_bytes(b3, sizeof(b3), dmg->damaged_bytes),
			    (unsigned long long)dmg->bad_chunks);
		add_wrapped(out, "DAMAGED", d.buf);
		strbuf_reset(&d);
		/* a cut file ends each CPU where its last chunk did: the rest is missing */
		for (int cpu = 0; dmg->no_end && cpu < REPORT_MAX_CPUS; cpu++) {
			uint64_t t = r->cpu_last[cpu];

			if (!t)
				continue;
			strbuf_addf(&d, "%scpu%d after %s", d.len ? ", " : "", cpu,
				    fmt_ns(b2, sizeof(b2), t > r->start_ns ? t - r->start_ns : 0));
		}
		if (d.len)
			add_wrapped(out, "missing", d.buf);
		strbuf_release(&d);
	}
	strbuf_addf(out, "  %s, %llu events, %llu lost%s\n", fmt_ns(b1, sizeof(b1), dur),
		    (unsigned long long)r->events, (unsigned long long)report_lost_events(r),
		    report_complete(r) ? "" : " by the kernel, but the capture is incomplete");
	add_wrapped(out, "traced", command ? esc(cmd, sizeof(cmd), command) : "the whole system");
	add_wrapped(out, "layers", recording_attr(r->rec, "meta/layers"));
	add_wrapped(out, "strategy", recording_attr(r->rec, "meta/strategy"));
	strbuf_addf(out, "  calls: %llu recorded, %llu reported", (unsigned long long)r->calls,
		    (unsigned long long)r->calls_kept);
	if (r->f.path)
		strbuf_addf(out, " (under %s)", r->f.path);
	strbuf_addstr(out, "\n  paths:");
	for (int i = 1; i < PATH_METHODS; i++)
		if (r->path_methods[i])
			strbuf_addf(out, " %llu by %s,", (unsigned long long)r->path_methods[i],
				    path_method_names[i]);
	unknown = r->path_methods[PATH_NONE];
	strbuf_addf(out, " %llu unknown%s\n", (unsigned long long)unknown,
		    unknown ? " (reasons below)" : "");
	if (r->uid_unknown)
		strbuf_addf(out, "  uid unknown for %llu calls (processes born before the capture and gone)\n",
			    (unsigned long long)r->uid_unknown);
	for (int i = 0; i < PAIR_CAUSES; i++)
		strbuf_addf(&pairing, "%s%llu %s", i ? ", " : "", (unsigned long long)r->pairing[i],
			    pairing_text[i]);
	add_wrapped(out, "pairing", pairing.buf);
	strbuf_release(&pairing);
	for (unsigned int i = 0; i < r->nr_counters; i++)
		strbuf_addf(out, "  %s: %llu\n", r->counters[i].what,
			    (unsigned long long)r->counters[i].n);
	for (const char *p = unavailable; p && (p = strstr(p, "counter:")); p += 8) {
		const char *end = strchr(p, ')');

		if (end)
			strbuf_addf(out, "  counter unavailable: %.*s\n", (int)(end + 1 - p - 8), p + 8);
	}
}

/* One cell as the text shows it, in @buf or a string of the cell */
static const char *cell_text(struct report *r, const struct table_col *col, struct cell *c,
			     char *buf, size_t size)
{
	unsigned int width = col->width < 0 ? -col->width : col->width;

	if (c->null)
		return "-";
	switch (col->type) {
	case COL_STR:
		if (!c->s)
			return "-";
		if (col->flags & COL_CLIP)
			return clip(buf, size, c->s, width);
		if (col->flags & COL_ESC)
			return esc(buf, size, c->s);
		return c->s;
	case COL_U64:
		snprintf(buf, size, "%llu", (unsigned long long)c->u);
		return buf;
	case COL_S64:
		snprintf(buf, size, "%lld", (long long)c->i);
		return buf;
	case COL_NS:
		return fmt_ns(buf, size, c->u);
	case COL_BYTES:
		return fmt_bytes(buf, size, c->u);
	case COL_UID:
		return table_user_str(buf, size, &r->m, (long)c->i);
	case COL_RATIO:
		snprintf(buf, size, "%*.1f%%", (int)width - 1, 100.0 * c->d);
		return buf;
	case COL_RATE:
		snprintf(buf, size, "%*.0f", (int)width, c->d);
		return buf;
	case COL_SECONDS:
		snprintf(buf, size, "%*.6fs", (int)width - 1, c->u / 1e9);
		return buf;
	default:
		return "";
	}
}

/* Appends one row; a COL_PATH column takes what is left of TEXT_WIDTH */
static void add_row(struct strbuf *out, struct report *r, const struct table_desc *t,
		    const struct report_row *row)
{
	struct strbuf line = STRBUF_INIT;
	bool first = true;

	strbuf_addstr(&line, "  ");
	for (size_t i = 0; i < t->nr_cols; i++) {
		const struct table_col *col = &t->cols[i];
		struct cell c = { 0 };
		/* the sizes the hand-written report used, so that cuts fall where they did */
		char buf[48];
		const char *s;

		if (!col->head)
			continue;
		col->get(r, row, &c);
		if (!first)
			strbuf_addch(&line, ' ');
		first = false;
		if (col->type == COL_PATH) {
			char path[256];
			size_t used, room;

			/* the line before the path was cut at 159 bytes */
			if (line.len > 159)
				line.len = 159, line.buf[159] = '\0';
			used = line.len;
			room = used + 8 < TEXT_WIDTH ? TEXT_WIDTH - used : 8;
			strbuf_addstr(&line, c.s ? clip(path, sizeof(path), c.s, room) : "?");
			continue;
		}
		s = cell_text(r, col, &c, buf, sizeof(buf));
		strbuf_addf(&line, "%*s", col->width, s);
	}
	strbuf_add(out, line.buf, line.len);
	strbuf_addch(out, '\n');
	strbuf_release(&line);
}

static void add_header(struct strbuf *out, const struct table_desc *t)
{
	bool first = true;

	strbuf_addstr(out, "  ");
	for (size_t i = 0; i < t->nr_cols; i++) {
		const struct table_col *col = &t->cols[i];

		if (!col->head)
			continue;
		strbuf_addf(out, "%s%*s", first ? "" : " ", col->width, col->head);
		first = false;
	}
	strbuf_addch(out, '\n');
}

/**
 * text_table - append a described table as the text report shows it
 * @out: where the text goes
 * @r: the report, after report_run()
 * @t: the table
 * @state: the layer's, for a layer's table; else NULL
 */
void text_table(struct strbuf *out, struct report *r, const struct table_desc *t, void *state)
{
	struct report_row *rows;
	size_t n, shown;

	if (t->text_shown && !t->text_shown(r))
		return;
	rows = t->rows(r, state, &n);
	if (!n && t->hidden_without_rows)
		goto footer;
	strbuf_addch(out, '\n');
	if (t->text_title)
		t->text_title(r, state, out);
	else
		strbuf_addstr(out, t->title);
	strbuf_addch(out, '\n');
	if (!n && t->empty)
		strbuf_addf(out, "  %s\n", t->empty);
	else if (n || !t->header_with_rows)
		add_header(out, t);
	shown = table_limit(r, t->text_limit, n);
	for (size_t i = 0; i < shown; i++) {
		add_row(out, r, t, &rows[i]);
		if (t->text_row_after)
			t->text_row_after(r, &rows[i], out);
	}
footer:
	if (t->text_footer)
		t->text_footer(r, state, n, out);
	free(rows);
}

/* "on CPU 12.1us, off CPU 3.10ms (99.6%), 1 switch, 0 major / 3 minor faults" */
static void add_counts(struct strbuf *out, unsigned int mask, uint64_t latency,
		       const uint64_t *ctr, const char *indent)
{
	char b[2][48];

	strbuf_addstr(out, indent);
	if (mask & (1u << CTR_ONCPU_NS)) {
		uint64_t on = ctr[CTR_ONCPU_NS], off = offcpu_ns(latency, on);

		strbuf_addf(out, "on CPU %s, off CPU %s (%.1f%%)", fmt_ns(b[0], 48, on),
			    fmt_ns(b[1], 48, off), latency ? 100.0 * off / latency : 0.0);
	}
	if (mask & (1u << CTR_CTX_SWITCHES))
		strbuf_addf(out, ", %llu switch%s", (unsigned long long)ctr[CTR_CTX_SWITCHES],
			    ctr[CTR_CTX_SWITCHES] == 1 ? "" : "es");
	if (mask & (1u << CTR_MAJOR_FAULTS))
		strbuf_addf(out, ", %llu major", (unsigned long long)ctr[CTR_MAJOR_FAULTS]);
	if (mask & (1u << CTR_MINOR_FAULTS))
		strbuf_addf(out, "%s %llu minor", mask & (1u << CTR_MAJOR_FAULTS) ? " /" : ",",
			    (unsigned long long)ctr[CTR_MINOR_FAULTS]);
	if (mask & ((1u << CTR_MAJOR_FAULTS) | (1u << CTR_MINOR_FAULTS)))
		strbuf_addstr(out, " faults");
	if (mask & (1u << CTR_INSTRUCTIONS))
		strbuf_addf(out, ", %llu instructions", (unsigned long long)ctr[CTR_INSTRUCTIONS]);
	if (mask & (1u << CTR_CYCLES))
		strbuf_addf(out, ", %llu cycles", (unsigned long long)ctr[CTR_CYCLES]);
	strbuf_addch(out, '\n');
}

/*
 * The call's children of one (layer, what, device) from @i on, summed
 * into @sum, marked in @done; @v gets the count and the failures
 */
static void child_sum(const struct call *c, unsigned int i, bool *done, struct call_child *sum,
		      struct child_view *v)
{
	const struct call_child *ch = &c->children[i];
	int err = 0;

	*sum = *ch;
	sum->latency_ns = sum->a = sum->b = sum->bytes = 0;
	for (unsigned int j = i; j < c->nr_children; j++) {
		const struct call_child *o = &c->children[j];

		if (o->layer != ch->layer || o->what != ch->what || o->dev != ch->dev)
			continue;
		done[j] = true;
		v->n += o->count ? o->count : 1;
		sum->latency_ns += o->latency_ns;
		sum->a += o->a;
		sum->b += o->b;
		sum->bytes += o->bytes;
		if (o->error) {
			v->failed++;
			err = o->error;
		}
	}
	sum->error = err;
	sum->count = v->n;
	v->error = err < 0 ? table_errno_str(-err) : "?";
}

/* One line per (layer, what, device) of a call: "block loop0: 2 requests, queue 0.1ms, device 11.9ms" */
static void add_tree(struct strbuf *out, struct report *r, const struct call *c)
{
	char b[4][48], path[512];
	struct strbuf head = STRBUF_INIT, tail = STRBUF_INIT;

	/* the path takes what the rest of the line leaves of TEXT_WIDTH, at least 24 */
	strbuf_addf(&head, "  %s %s ", fmt_ns(b[0], 48, c->latency_ns), c->name);
	strbuf_addf(&tail, " (tid %d %s, uid %s)%s%s%s%s", c->tid, esc(b[3], 48, c->comm),
		    table_user_str(b[1], 48, &r->m, c->uid), c->err ? " " : "",
		    c->err ? table_errno_str(c->err) : "", c->err && c->err_origin ? " from " : "",
		    c->err && c->err_origin ? c->err_origin : "");
	strbuf_add(out, head.buf, head.len);
	if (c->path) {
		size_t used = head.len + tail.len;

		strbuf_addstr(out, clip(path, sizeof(path), c->path,
					used + 24 < TEXT_WIDTH ? TEXT_WIDTH - used : 24));
	} else {
		strbuf_addch(out, '?');
	}
	strbuf_add(out, tail.buf, tail.len);
	strbuf_addch(out, '\n');
	strbuf_release(&head);
	strbuf_release(&tail);
	text_call_children(out, r, c);
}

void text_call_children(struct strbuf *out, struct report *r, const struct call *c)
{
	char b[4][48];
	unsigned int shown = 0;
	bool *done = xcalloc(c->nr_children + 1, sizeof(bool));

	for (unsigned int i = 0; i < c->nr_children; i++) {
		struct call_child sum;
		struct child_view v = { .kind = CHILD_TEXT, .ch = &sum, .out = out };
		bool last = true;

		if (done[i])
			continue;
		child_sum(c, i, done, &sum, &v);
		for (unsigned int j = i + 1; j < c->nr_children; j++)
			last &= done[j];
		strbuf_addf(out, "    %s ", last ? "`-" : "|-");
		if (!report_child_view(r, &v))
			strbuf_addf(out, "%s %s: %llu, %s\n", sum.layer, sum.what,
				    (unsigned long long)v.n, fmt_ns(b[2], 48, sum.latency_ns));
		shown++;
	}
	if (!shown)
		strbuf_addstr(out, "    `- nothing attributed below the syscall\n");
	if (c->ctr_mask)
		add_counts(out, c->ctr_mask, c->latency_ns, c->ctr, "    counters: ");
	free(done);
}

static bool is_errno_token(const char *s, size_t n)
{
	if (n < 2 || s[0] != 'E')
		return false;
	for (int e = 1; e < 200; e++) {
		const char *en = errno_name(e);

		if (en && strlen(en) == n && !memcmp(en, s, n))
			return true;
	}
	return false;
}

/* Section titles (unindented) in bold, column headers in cyan, errno names in red */
static void color_line(FILE *f, const char *line, size_t len)
{
	size_t text = len - (line[len - 1] == '\n'), upper = 0;
	bool lower = false;

	if (text && line[0] != ' ') {
		fprintf(f, "\033[1m%.*s\033[m\n", (int)text, line);
		return;
	}
	for (size_t i = 0; i < text; i++) {
		lower |= line[i] >= 'a' && line[i] <= 'z';
		upper += line[i] >= 'A' && line[i] <= 'Z';
	}
	if (text && !lower && upper >= 6) {
		fprintf(f, "\033[36m%.*s\033[m\n", (int)text, line);
		return;
	}
	for (size_t i = 0; i < len;) {
		size_t n = strcspn(line + i, " \n");

		if (n && is_errno_token(line + i, n))
			fprintf(f, "\033[31m%.*s\033[m", (int)n, line + i);
		else
			fwrite(line + i, 1, n, f);
		i += n;
		for (; i < len && (line[i] == ' ' || line[i] == '\n'); i++)
			fputc(line[i], f);
	}
}

static int text_write(FILE *f, const struct strbuf *sb, bool color)
{
	errno = 0;
	if (!color) {
		fwrite(sb->buf, 1, sb->len, f);
	} else {
		for (size_t i = 0; i < sb->len;) {
			const char *nl = memchr(sb->buf + i, '\n', sb->len - i);
			size_t n = nl ? (size_t)(nl - (sb->buf + i)) + 1 : sb->len - i;

			color_line(f, sb->buf + i, n);
			i += n;
		}
	}
	return ferror(f) ? -(errno ? errno : EIO) : 0;
}

int report_print_text(struct report *r, FILE *f, bool color, bool drill)
{
	static const struct table_desc *const before_layers[] = {
		&table_syscalls, &table_oncpu, &table_mounts, &table_files, &table_processes,
		&table_uids,
	};
	static const struct table_desc *const after_layers[] = {
		&table_layer_time, &table_errors, &table_audit, &table_slowest,
	};
	struct strbuf sb = STRBUF_INIT;
	int ret;

	add_capture(&sb, r);
	for (size_t i = 0; i < ARRAY_SIZE(before_layers); i++)
		text_table(&sb, r, before_layers[i], NULL);
	for (unsigned int i = 0; i < r->nr_layers; i++) {
		const struct ftio_layer *l = r->layers[i].layer;

		for (size_t k = 0; l->tables && l->tables[k]; k++)
			text_table(&sb, r, l->tables[k], r->layers[i].state);
		if (l->report_text)
			l->report_text(r, r->layers[i].state, &sb);
	}
	for (size_t i = 0; i < ARRAY_SIZE(after_layers); i++)
		text_table(&sb, r, after_layers[i], NULL);
	if (drill) {
		/* in the order of the table above, which sorted them */
		strbuf_addstr(&sb, "\nDrill-down of the slowest calls\n");
		for (size_t i = 0; i < r->nr_slowest; i++)
			add_tree(&sb, r, &r->slowest[i]);
	}
	ret = text_write(f, &sb, color);
	strbuf_release(&sb);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The text report, for people: its columns fit their values and the terminal.  Every table comes
 * from its description (report/table.h); this file knows how a cell of
 * each type looks in a terminal, the Capture section, and the drill-down
 * of the slowest calls.  The whole report is built in memory (it is
 * bounded by --top) and written once, coloured or not, to any FILE.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "format/lastboot-desc.h"
#include "views/printers.h"
#include "report/findings.h"
#include <ftio/table.h>
#include <ftio/syscall-table.h>
#include "lib/util.h"


/* The text's width: 0 for none (stdout is not a terminal), else the terminal's */
static unsigned int text_width;

/* Prose (the Capture section) wraps here even without a terminal */
#define PROSE_WIDTH 100
#define WRAP_WIDTH (text_width && text_width < PROSE_WIDTH ? text_width : PROSE_WIDTH)

/* Characters a terminal shows for @s: UTF-8 sequences count once (escaped text has no others) */
static size_t text_len(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

/* Bytes of the first @w characters of @s */
static size_t text_bytes(const char *s, size_t n, size_t w)
{
	size_t i = 0;

	for (; i < n && w; w--)
		for (i++; i < n && ((unsigned char)s[i] & 0xc0) == 0x80; i++)
			;
	return i;
}

/*
 * shorten - @s (escaped) in at most @width characters, into @out: cut in
 * the middle, keeping the start and the last component (the file name),
 * "/usr/lib/.../gconv-modules.cache"; a name too long alone keeps its end
 */
static void shorten(struct strbuf *out, const char *s, size_t width)
{
	size_t n = strlen(s), len = text_len(s, n), tail, head, keep;
	const char *slash = strrchr(s, '/');

	if (len <= width) {
		strbuf_add(out, s, n);
		return;
	}
	if (width < 4) {
		strbuf_add(out, s, text_bytes(s, n, width));
		return;
	}
	tail = slash && slash != s ? text_len(slash, n - (slash - s)) : 0;
	if (!tail || tail + 3 + 1 > width) {
		/* no room for a start: the end of the name, which tells files apart */
		keep = width - 3;
		strbuf_addstr(out, "...");
		strbuf_addstr(out, s + text_bytes(s, n, len - keep));
		return;
	}
	head = width - 3 - tail;
	keep = text_bytes(s, n, head);
	/* end the start at a directory when that keeps most of it */
	for (size_t i = keep; i > keep / 2 && i > 1; i--)
		if (s[i - 1] == '/') {
			keep = i - 1;
			break;
		}
	strbuf_add(out, s, keep);
	strbuf_addstr(out, "...");
	strbuf_addstr(out, slash);
}

/* Appends "  label: text", wrapping @text at spaces to fit WRAP_WIDTH */
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
		if (col > indent && col + 1 + n > WRAP_WIDTH) {
			strbuf_addf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else {
			strbuf_addch(out, ' ');
			col++;
		}
		/* a word longer than a line is cut at the line's end */
		while (col + n > WRAP_WIDTH && WRAP_WIDTH > col + 8) {
			size_t part = WRAP_WIDTH - col;

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

/* The calls on pipes, sockets ...: counted here, ranked in their own section */
static void add_nonfile_line(struct strbuf *out, struct report *r)
{
	struct strbuf sb = STRBUF_INIT;

	uint64_t total = 0;

	for (int k = 0; k < FD_KINDS; k++)
		total += r->nonfile_calls[k];
	if (total)
		strbuf_addf(&sb, "%llu calls:", (unsigned long long)total);
	for (int k = 0, n = 0; total && k < FD_KINDS; k++)
		if (r->nonfile_calls[k])
			strbuf_addf(&sb, "%s %s %llu", n++ ? "," : "", fd_kind_names[k],
				    (unsigned long long)r->nonfile_calls[k]);
	if (sb.len) {
		strbuf_addstr(&sb, " (in \"Waiting on pipes and sockets\", not in the file tables)");
		add_wrapped(out, "non-files", sb.buf);
	}
	strbuf_release(&sb);
}

/* What the audit covers: the EACCES and EPERM of every syscall traced */
static void add_audited_line(struct strbuf *out, struct report *r)
{
	const char *names[512];
	size_t n = report_audited(r, names, ARRAY_SIZE(names));
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "EACCES and EPERM of %zu syscalls:", n);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, " %s", names[i]);
	if (strstr(recording_attr(r->rec, "meta/layers") ? recording_attr(r->rec, "meta/layers") : "",
		   "io_uring"))
		strbuf_addstr(&sb, "; io_uring requests");
	add_wrapped(out, "audited", sb.buf);
	strbuf_release(&sb);
}

/* "  slow: ...", wrapped at spaces, the next lines indented under the text */
static void add_finding(struct strbuf *out, const char *text)
{
	const char *colon = strstr(text, ": ");
	char label[32];

	if (!colon || colon - text >= (int)sizeof(label)) {
		strbuf_addf(out, "  %s\n", text);
		return;
	}
	snprintf(label, sizeof(label), "%.*s", (int)(colon - text), text);
	add_wrapped(out, label, colon + 2);
}


/*
 * The traced command, escaped; one of a thousand arguments would fill the
 * screen, so past TRACED_MAX characters it is cut at a space and says how
 * much is left out (the JSON has it whole)
 */
#define TRACED_MAX 300
static const char *traced_str(char *buf, size_t size, const char *command)
{
	struct strbuf sb = STRBUF_INIT;
	size_t cut;

	strbuf_add_escaped(&sb, command, strlen(command));
	if (sb.len <= TRACED_MAX || size < TRACED_MAX + 64) {
		snprintf(buf, size, "%s", sb.buf);
		strbuf_release(&sb);
		return buf;
	}
	for (cut = TRACED_MAX; cut > TRACED_MAX / 2 && sb.buf[cut] != ' '; cut--)
		;
	if (sb.buf[cut] != ' ')
		cut = TRACED_MAX;
	snprintf(buf, size, "%.*s ... (%zu more characters)", (int)cut, sb.buf, sb.len - cut);
	strbuf_release(&sb);
	return buf;
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
	add_wrapped(out, "traced", command ? traced_str(cmd, sizeof(cmd), command) : "the whole system");
	add_wrapped(out, "layers", recording_attr(r->rec, "meta/layers"));
	add_wrapped(out, "strategy", recording_attr(r->rec, "meta/strategy"));
	if (lastboot_is_salvage(r->rec)) {
		char *d = lastboot_describe(r->rec, false);

		add_wrapped(out, "salvage", d);
		free(d);
	}
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
	add_nonfile_line(out, r);
	if (r->uid_unknown)
		strbuf_addf(out, "  uid unknown for %llu calls (processes born before the capture and gone)\n",
			    (unsigned long long)r->uid_unknown);
	for (int i = 0; i < PAIR_CAUSES; i++)
		strbuf_addf(&pairing, "%s%llu %s", i ? ", " : "", (unsigned long long)r->pairing[i],
			    pairing_text[i]);
	add_wrapped(out, "pairing", pairing.buf);
	strbuf_release(&pairing);
	add_audited_line(out, r);
	for (unsigned int i = 0; i < r->nr_counters; i++)
		strbuf_addf(out, "  %s: %llu\n", r->counters[i].what,
			    (unsigned long long)r->counters[i].n);
	for (const char *p = unavailable; p && (p = strstr(p, "counter:")); p += 8) {
		const char *end = strchr(p, ')');

		if (end)
			strbuf_addf(out, "  counter unavailable: %.*s\n", (int)(end + 1 - p - 8), p + 8);
	}
}

/* One cell as the text shows it, whole (escaped), appended to @out */
static void cell_text(struct strbuf *out, struct report *r, const struct table_col *col,
		      const struct cell *c)
{
	char buf[64];

	if (c->null) {
		strbuf_addch(out, '-');
		return;
	}
	switch (col->type) {
	case COL_STR:
	case COL_PATH:
		if (!c->s)
			strbuf_addch(out, col->type == COL_PATH ? '?' : '-');
		else if (col->flags & (COL_ESC | COL_CLIP) || col->type == COL_PATH)
			strbuf_add_escaped(out, c->s, strlen(c->s));
		else
			strbuf_addstr(out, c->s);
		return;
	case COL_U64:
		strbuf_addf(out, "%llu", (unsigned long long)c->u);
		return;
	case COL_S64:
		strbuf_addf(out, "%lld", (long long)c->i);
		return;
	case COL_NS:
		strbuf_addstr(out, fmt_ns(buf, sizeof(buf), c->u));
		return;
	case COL_BYTES:
		strbuf_addstr(out, fmt_bytes(buf, sizeof(buf), c->u));
		return;
	case COL_UID:
		strbuf_addstr(out, table_user_str(buf, sizeof(buf), &r->m, (long)c->i));
		return;
	case COL_RATIO:
		strbuf_addf(out, "%.1f%%", 100.0 * c->d);
		return;
	case COL_RATE:
		strbuf_addf(out, "%.0f", c->d);
		return;
	case COL_SECONDS:
		strbuf_addf(out, "%.6fs", c->u / 1e9);
		return;
	default:
		return;
	}
}

/* A column the text may shorten (in the middle) when the table is too wide */
static bool col_shrinks(const struct table_col *col)
{
	return col->type == COL_PATH || (col->type == COL_STR && (col->flags & COL_CLIP));
}

/* What a shortened column keeps at least */
#define SHRINK_FLOOR 16

/*
 * struct text_grid - the shown rows of one table as text, and each
 * column's width: from the content, then shrunk to fit text_width
 */
struct text_grid {
	size_t nr_cols, nr_rows;
	const struct table_col **cols;	/* the columns with a header */
	char **cells;			/* nr_rows x nr_cols, escaped, whole */
	size_t *width;
	size_t gap;			/* spaces between columns */
};

static char **grid_cell(struct text_grid *g, size_t row, size_t col)
{
	return &g->cells[row * g->nr_cols + col];
}

static size_t grid_line_width(const struct text_grid *g)
{
	size_t w = 2;

	for (size_t i = 0; i < g->nr_cols; i++)
		w += g->width[i] + (i ? g->gap : 0);
	return w;
}

static void grid_build(struct text_grid *g, struct report *r, const struct table_desc *t,
		       const struct report_row *rows, size_t shown)
{
	memset(g, 0, sizeof(*g));
	g->cols = xcalloc(t->nr_cols + 1, sizeof(*g->cols));
	for (size_t i = 0; i < t->nr_cols; i++)
		if (t->cols[i].head)
			g->cols[g->nr_cols++] = &t->cols[i];
	g->nr_rows = shown;
	g->cells = xcalloc(shown * g->nr_cols + 1, sizeof(*g->cells));
	g->width = xcalloc(g->nr_cols + 1, sizeof(*g->width));
	g->gap = 2;
	for (size_t k = 0; k < g->nr_cols; k++)
		g->width[k] = strlen(g->cols[k]->head);
	for (size_t i = 0; i < shown; i++) {
		for (size_t k = 0; k < g->nr_cols; k++) {
			struct strbuf sb = STRBUF_INIT;
			struct cell c = { 0 };
			size_t w;

			g->cols[k]->get(r, &rows[i], &c);
			cell_text(&sb, r, g->cols[k], &c);
			w = text_len(sb.buf, sb.len);
			if (w > g->width[k])
				g->width[k] = w;
			*grid_cell(g, i, k) = strbuf_detach(&sb, NULL);
		}
	}
	if (!text_width)
		return;
	/* too wide: the shortenable columns give back, widest first, to their floor */
	while (grid_line_width(g) > text_width) {
		size_t best = g->nr_cols, over = grid_line_width(g) - text_width;

		for (size_t k = 0; k < g->nr_cols; k++) {
			size_t floor = strlen(g->cols[k]->head) > SHRINK_FLOOR ?
				       strlen(g->cols[k]->head) : SHRINK_FLOOR;

			if (col_shrinks(g->cols[k]) && g->width[k] > floor &&
			    (best == g->nr_cols || g->width[k] > g->width[best]))
				best = k;
		}
		if (best == g->nr_cols) {
			/* the last resort: one space between columns */
			if (g->gap == 2) {
				g->gap = 1;
				continue;
			}
			break;
		}
		{
			size_t floor = strlen(g->cols[best]->head) > SHRINK_FLOOR ?
				       strlen(g->cols[best]->head) : SHRINK_FLOOR;
			size_t give = g->width[best] - floor;

			g->width[best] -= give < over ? give : over;
		}
	}
}

static void grid_free(struct text_grid *g)
{
	for (size_t i = 0; i < g->nr_rows * g->nr_cols; i++)
		free(g->cells[i]);
	free(g->cells);
	free(g->cols);
	free(g->width);
}

/* One line of the grid: @texts[k] for column k, aligned as the column says */
static void grid_line(struct strbuf *out, const struct text_grid *g, char *const *texts)
{
	size_t end = out->len;

	strbuf_addstr(out, "  ");
	for (size_t k = 0; k < g->nr_cols; k++) {
		struct strbuf cut = STRBUF_INIT;
		const char *s = texts[k];
		size_t w;

		if (text_len(s, strlen(s)) > g->width[k]) {
			shorten(&cut, s, g->width[k]);
			s = cut.buf;
		}
		w = text_len(s, strlen(s));
		if (k)
			strbuf_addf(out, "%*s", (int)g->gap, "");
		if (g->cols[k]->width >= 0 && g->cols[k]->type != COL_PATH)
			strbuf_addf(out, "%*s", (int)(g->width[k] - w), "");
		strbuf_addstr(out, s);
		if (g->cols[k]->width < 0 || g->cols[k]->type == COL_PATH)
			strbuf_addf(out, "%*s", (int)(g->width[k] - w), "");
		strbuf_release(&cut);
	}
	/* no trailing blanks after a left-aligned last column */
	while (out->len > end && out->buf[out->len - 1] == ' ')
		out->len--;
	out->buf[out->len] = '\0';
	strbuf_addch(out, '\n');
}

/**
 * text_table - append a described table as the text report shows it
 * @out: where the text goes
 * @r: the report, after report_run()
 * @t: the table
 * @state: the layer's, for a layer's table; else NULL
 *
 * Each column is as wide as its widest value or its header; when the
 * line is wider than the terminal, paths (and COL_CLIP strings) are
 * shortened in the middle, down to 16 characters.  A table without rows
 * says so: its @empty line, else "none".
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
	shown = table_limit(r, t->text_limit, n);
	if (!n) {
		if (!t->header_with_rows)
			strbuf_addf(out, "  %s\n", t->empty ? t->empty : "none");
	} else {
		struct text_grid g;
		char **heads;

		grid_build(&g, r, t, rows, shown);
		heads = xcalloc(g.nr_cols + 1, sizeof(*heads));
		for (size_t k = 0; k < g.nr_cols; k++)
			heads[k] = (char *)g.cols[k]->head;
		grid_line(out, &g, heads);
		free(heads);
		for (size_t i = 0; i < shown; i++) {
			grid_line(out, &g, grid_cell(&g, i, 0));
			if (t->text_row_after)
				t->text_row_after(r, &rows[i], out);
		}
		grid_free(&g);
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
	char b[4][48];
	struct strbuf head = STRBUF_INIT, tail = STRBUF_INIT;

	/* the path takes what the rest of the line leaves of the terminal, at least 24 */
	strbuf_addf(&head, "  %s %s ", fmt_ns(b[0], 48, c->latency_ns), c->name);
	strbuf_addf(&tail, " (tid %d %s, uid %s)%s%s%s%s", c->tid, esc(b[3], 48, c->comm),
		    table_user_str(b[1], 48, &r->m, c->uid), c->err ? " " : "",
		    c->err ? table_errno_str(c->err) : "", c->err && c->err_origin ? " from " : "",
		    c->err && c->err_origin ? c->err_origin : "");
	strbuf_add(out, head.buf, head.len);
	if (c->path) {
		struct strbuf p = STRBUF_INIT;
		size_t used = text_len(head.buf, head.len) + text_len(tail.buf, tail.len);

		strbuf_add_escaped(&p, c->path, strlen(c->path));
		if (text_width)
			shorten(out, p.buf, used + 24 < text_width ? text_width - used : 24);
		else
			strbuf_add(out, p.buf, p.len);
		strbuf_release(&p);
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

int report_print_text(struct report *r, FILE *f, const struct text_opts *o)
{
	bool color = o->color, drill = o->drill;
	static const struct table_desc *const before_layers[] = {
		&table_syscalls, &table_oncpu, &table_mounts, &table_files, &table_nonfiles,
		&table_processes, &table_uids,
	};
	static const struct table_desc *const after_layers[] = {
		&table_layer_time, &table_errors, &table_audit, &table_slowest,
	};
	struct strbuf sb = STRBUF_INIT;
	int ret;

	text_width = o->width;
	{
		struct strbuf fl = STRBUF_INIT, j = STRBUF_INIT;

		report_findings(r, &fl, &j);
		strbuf_addstr(&sb, "Findings\n");
		if (!fl.len)
			strbuf_addstr(&sb, "  none\n");
		/* each finding wrapped at the terminal, its lines under its words */
		for (char *line = fl.buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			add_finding(&sb, line + 2);
		}
		strbuf_addch(&sb, '\n');
		strbuf_release(&fl);
		strbuf_release(&j);
	}
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
	for (size_t i = 0; i < ARRAY_SIZE(after_layers); i++) {
		const struct table_desc *t = after_layers[i];
		struct table_desc every;

		/* the errors that matter, grouped; --errors: every row, none folded */
		if (t == &table_errors && !r->f.errors_only) {
			t = &table_error_groups_text;
		} else if (t == &table_errors) {
			every = table_errors;
			every.title = "Errors (every row: --errors)";
			every.text_limit = LIMIT_NONE;
			every.text_footer = NULL;
			t = &every;
		}
		text_table(&sb, r, t, NULL);
	}
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

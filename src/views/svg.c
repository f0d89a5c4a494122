// SPDX-License-Identifier: GPL-2.0
/*
 * Standalone SVG views of the collector's heatmaps: for every map (all
 * calls, each syscall, mount and block device) a heatmap, time on x and
 * log latency on y, and a histogram with one bar per power of two.  They
 * are plain SVG 1.1 with no script and no style sheet, for a wiki page or
 * a bug report.  Each non-empty cell and bar carries its count in
 * data-count, so the cells of a file add up to the values of its map.
 * All heatmaps share the time axis and the latency range, so that two of
 * them side by side compare.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/stat.h>

#include "views/views.h"
#include "lib/output.h"
#include "lib/util.h"

#define PLOT_W	800.0	/* px of the time axis */
#define ROW_H	4	/* px per latency row */
#define LEFT	64
#define TOP	28
#define BOTTOM	34

static void xml_text(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			strbuf_addstr(sb, "&lt;");
			break;
		case '>':
			strbuf_addstr(sb, "&gt;");
			break;
		case '&':
			strbuf_addstr(sb, "&amp;");
			break;
		case '"':
			strbuf_addstr(sb, "&quot;");
			break;
		default:
			/* XML 1.0 has no control characters but tab and newline */
			strbuf_addch(sb, (unsigned char)*s < 0x20 ? '?' : *s);
		}
	}
}

static const char *short_ns(char *buf, size_t size, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, size, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, size, "%.3gus", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, size, "%.3gms", ns / 1e6);
	else
		snprintf(buf, size, "%.3gs", ns / 1e9);
	return buf;
}

/* The palette of the HTML page: light yellow to dark brown, on a log scale */
static void cell_color(char *buf, size_t size, uint32_t v, uint32_t max)
{
	static const int pal[][3] = {
		{ 255, 247, 188 }, { 254, 227, 145 }, { 254, 196, 79 }, { 254, 153, 41 },
		{ 236, 112, 20 }, { 204, 76, 2 }, { 140, 45, 4 }, { 80, 20, 4 },
	};
	const int n = ARRAY_SIZE(pal);
	double t = max > 1 ? log(v) / log(max) : 1, x = t * (n - 1), f;
	int i = (int)x;

	if (i > n - 2)
		i = n - 2;
	f = x - i;
	snprintf(buf, size, "#%02x%02x%02x", (int)(pal[i][0] + (pal[i + 1][0] - pal[i][0]) * f),
		 (int)(pal[i][1] + (pal[i + 1][1] - pal[i][1]) * f),
		 (int)(pal[i][2] + (pal[i + 1][2] - pal[i][2]) * f));
}

struct range {
	unsigned int rmin, rmax, ncols;
	uint64_t t0, width;	/* relative to the capture start */
};

static void svg_open(struct strbuf *sb, double w, double h, const char *title)
{
	strbuf_addf(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" "
		    "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" "
		    "font-size=\"11\">\n<title>", w, h, w, h);
	xml_text(sb, title);
	strbuf_addf(sb, "</title>\n<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", w, h);
}

static void svg_heatmap(struct strbuf *sb, const struct export_map *m, const struct range *g,
			const char *title)
{
	unsigned int nr = g->rmax - g->rmin + 1, ncols = g->ncols ? g->ncols : 1;
	double cw = PLOT_W / ncols, ph = nr * ROW_H;
	uint32_t max = 0;
	char b1[32], b2[32], color[16];

	for (unsigned int c = 0; c < g->ncols; c++)
		for (unsigned int r = g->rmin; r <= g->rmax; r++)
			if (heatmap_cell(m->map, c, r) > max)
				max = heatmap_cell(m->map, c, r);
	svg_open(sb, LEFT + PLOT_W + 12, TOP + ph + BOTTOM, title);
	strbuf_addf(sb, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">", LEFT);
	xml_text(sb, title);
	strbuf_addf(sb, "</text>\n<g class=\"heatmap\" data-timed=\"%llu\" data-untimed=\"%llu\">\n"
		    "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"#f7f8fa\"/>\n",
		    (unsigned long long)m->map->timed, (unsigned long long)m->map->untimed, LEFT, TOP,
		    PLOT_W, ph);
	for (unsigned int c = 0; c < g->ncols; c++) {
		for (unsigned int r = g->rmin; r <= g->rmax; r++) {
			uint32_t v = heatmap_cell(m->map, c, r);
			uint64_t hi = heatmap_row_hi(r);

			if (!v)
				continue;
			cell_color(color, sizeof(color), v, max);
			strbuf_addf(sb, "<rect class=\"cell\" x=\"%.2f\" y=\"%u\" width=\"%.2f\" "
				    "height=\"%d\" fill=\"%s\" data-count=\"%u\" data-col=\"%u\" "
				    "data-row=\"%u\"><title>%.6fs-%.6fs, %s-%s: %u</title></rect>\n",
				    LEFT + c * cw, TOP + (g->rmax - r) * ROW_H, cw, ROW_H, color, v, c, r,
				    (g->t0 + c * g->width) / 1e9, (g->t0 + (c + 1) * g->width) / 1e9,
				    short_ns(b1, sizeof(b1), heatmap_row_lo(r)),
				    hi == UINT64_MAX ? "inf" : short_ns(b2, sizeof(b2), hi), v);
		}
	}
	strbuf_addstr(sb, "</g>\n<g fill=\"#5f6b76\">\n");
	for (uint64_t d = 100; d <= 1000000000000ULL; d *= 10) {
		unsigned int r = heatmap_row(d);
		double y = TOP + (double)(g->rmax - r + 1) * ROW_H;

		if (r < g->rmin || r > g->rmax)
			continue;
		strbuf_addf(sb, "<rect x=\"%d\" y=\"%.1f\" width=\"4\" height=\"1\"/>"
			    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT - 4, y,
			    LEFT - 6, y + 4, short_ns(b1, sizeof(b1), d));
	}
	for (unsigned int i = 0; i <= 4; i++) {
		double x = LEFT + PLOT_W * i / 4;
		uint64_t t = g->t0 + (uint64_t)((double)ncols * g->width * i / 4);

		strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.4gs</text>\n",
			    x, TOP + ph + 14, t / 1e9);
	}
	strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">time from the start of "
		    "the capture; max %u per cell</text>\n</g>\n</svg>\n", LEFT + PLOT_W / 2,
		    TOP + ph + 28, max);
}

/* One bar per power of two: four heatmap rows (the first and last rows alone) */
static void svg_histogram(struct strbuf *sb, const struct export_map *m, const struct range *g,
			  const char *title)
{
	uint64_t rows[HEATMAP_ROWS] = { 0 }, bins[HEATMAP_ROWS], max = 1;
	unsigned int lo[HEATMAP_ROWS], nb = 0, top = HEATMAP_ROWS - 1;
	char b1[32], b2[32];

	for (unsigned int c = 0; c < g->ncols; c++)
		for (unsigned int r = 0; r < HEATMAP_ROWS; r++)
			rows[r] += heatmap_cell(m->map, c, r);
	for (unsigned int r = g->rmin; r <= g->rmax;) {
		unsigned int end = r == 0 || r == top ? r : r + 3 - (r - 1) % 4;

		lo[nb] = r;
		bins[nb] = 0;
		for (unsigned int k = r; k <= end; k++)
			bins[nb] += rows[k];
		if (bins[nb] > max)
			max = bins[nb];
		nb++;
		r = end + 1;
	}
	svg_open(sb, 520, TOP + nb * 16 + 10, title);
	strbuf_addstr(sb, "<text x=\"8\" y=\"18\" font-size=\"13\" font-weight=\"bold\">");
	xml_text(sb, title);
	strbuf_addf(sb, "</text>\n<g class=\"histogram\" data-timed=\"%llu\">\n",
		    (unsigned long long)m->map->timed);
	for (unsigned int i = 0; i < nb; i++) {
		unsigned int last = i + 1 < nb ? lo[i + 1] - 1 : g->rmax;
		uint64_t hi = heatmap_row_hi(last);
		double y = TOP + i * 16;

		strbuf_addf(sb, "<text x=\"150\" y=\"%.0f\" text-anchor=\"end\" fill=\"#5f6b76\">"
			    "%s - %s</text>\n", y + 11, short_ns(b1, sizeof(b1), heatmap_row_lo(lo[i])),
			    hi == UINT64_MAX ? "inf" : short_ns(b2, sizeof(b2), hi));
		if (!bins[i])
			continue;
		strbuf_addf(sb, "<rect class=\"bar\" x=\"158\" y=\"%.0f\" width=\"%.1f\" height=\"12\" "
			    "fill=\"#4e79a7\" data-count=\"%llu\"/><text x=\"%.1f\" y=\"%.0f\">%llu"
			    "</text>\n", y + 1, 1 + 280.0 * bins[i] / max, (unsigned long long)bins[i],
			    164 + 280.0 * bins[i] / max, y + 11, (unsigned long long)bins[i]);
	}
	strbuf_addstr(sb, "</g>\n</svg>\n");
}

static int write_file_all(const char *path, const struct strbuf *sb, mode_t mode)
{
	struct output out;
	int ret = output_open(&out, path, mode);

	if (ret)
		return ret;
	if (fwrite(sb->buf, 1, sb->len, out.f) != sb->len) {
		ret = -(errno ? errno : EIO);
		output_abort(&out);
		return ret;
	}
	return output_commit(&out);
}

/* "/usr/lib" -> "usr_lib"; "/" -> "root" */
static void file_part(struct strbuf *sb, const char *name)
{
	size_t start = sb->len;

	for (const char *p = name; *p; p++) {
		char ch = *p;

		if (ch == '/' && p == name)
			continue;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '.' || ch == '-' || ch == '_'))
			ch = '_';
		strbuf_addch(sb, ch);
	}
	if (sb->len == start)
		strbuf_addstr(sb, "root");
}

int export_svg(struct export_views *v, const char *dir, mode_t mode, char **failed)
{
	const struct heatmap_set *set = export_views_axis(v);
	struct report *r = export_views_report(v);
	struct range g = { HEATMAP_ROWS, 0, set->ncols, 0, set->width };
	struct export_map m;
	struct strbuf names = STRBUF_INIT;	/* "\n"-separated, for duplicates */
	int ret = 0;

	/* a new directory is searchable by those who may read the files */
	if (mkdir(dir, 0700 | (mode & 0040 ? 0050 : 0) | (mode & 0004 ? 0005 : 0)) &&
	    errno != EEXIST) {
		if (failed)
			*failed = xstrdup(dir);
		return -errno;
	}
	if (set->t0 > r->start_ns)
		g.t0 = set->t0 - r->start_ns;
	for (size_t i = 0; export_views_map(v, i, &m); i++)
		for (unsigned int c = 0; c < set->ncols; c++)
			for (unsigned int row = 0; row < HEATMAP_ROWS; row++)
				if (heatmap_cell(m.map, c, row)) {
					if (row < g.rmin)
						g.rmin = row;
					if (row > g.rmax)
						g.rmax = row;
				}
	if (g.rmin > g.rmax)
		g.rmin = g.rmax = 0;

	for (size_t i = 0; !ret && export_views_map(v, i, &m); i++) {
		struct strbuf base = STRBUF_INIT, path = STRBUF_INIT, sb = STRBUF_INIT;
		struct strbuf title = STRBUF_INIT;
		int dup = 1;

		strbuf_addstr(&base, m.group);
		if (strcmp(m.group, "all")) {
			strbuf_addch(&base, '-');
			file_part(&base, m.name);
		}
		/* "/a_b" and "/a/b" both become a_b */
		for (;;) {
			struct strbuf probe = STRBUF_INIT;

			strbuf_addf(&probe, "\n%s\n", base.buf);
			if (!strstr(names.buf, probe.buf)) {
				strbuf_release(&probe);
				break;
			}
			strbuf_release(&probe);
			if (dup > 1)
				base.len = strrchr(base.buf, '-') - base.buf;
			strbuf_addf(&base, "-%d", ++dup);
		}
		strbuf_addf(&names, "%s\n%s\n", names.len ? "" : "\n", base.buf);

		if (!strcmp(m.group, "device"))
			strbuf_addf(&title, "%s: device time (D2C) of the block requests of the calls",
				    m.name);
		else if (!strcmp(m.group, "all"))
			strbuf_addstr(&title, "All calls: latency");
		else
			strbuf_addf(&title, "%s %s: latency", m.group, m.name);
		strbuf_addf(&title, " (%llu)", (unsigned long long)m.map->timed);

		svg_heatmap(&sb, &m, &g, title.buf);
		strbuf_addf(&path, "%s/heatmap-%s.svg", dir, base.buf);
		ret = write_file_all(path.buf, &sb, mode);
		if (!ret) {
			strbuf_reset(&sb);
			svg_histogram(&sb, &m, &g, title.buf);
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/histogram-%s.svg", dir, base.buf);
			ret = write_file_all(path.buf, &sb, mode);
		}
		if (ret && failed)
			*failed = strbuf_detach(&path, NULL);
		strbuf_release(&path);
		strbuf_release(&base);
		strbuf_release(&sb);
		strbuf_release(&title);
	}
	strbuf_release(&names);
	return ret;
}

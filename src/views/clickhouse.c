// SPDX-License-Identifier: GPL-2.0
/*
 * The ClickHouse exporter (export --clickhouse): the reported calls, the
 * reported async requests (io_uring: rows of calls with their engine and
 * opcode) and what the layers attributed to them, as rows of the tables of
 * contrib/clickhouse/schema.sql, sent to ClickHouse's HTTP interface by
 * libcurl in RowBinary (lengths, no escaping: a hostile path arrives byte
 * for byte).  Rows are sent in batches of a bounded number of rows while
 * report_run() runs, so memory does not grow with the recording; the
 * captures row goes last, and only when every batch was accepted, so that
 * a failed export is never taken for a complete one (see schema.sql).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "views/views.h"
#include "lib/util.h"
#include <ftio/strbuf.h>
#include <ftio/syscall-table.h>

#include "views/schema-data.h"

#ifdef FTIO_HAVE_LIBCURL
#include <curl/curl.h>
#include <zlib.h>

struct ch_batch {
	const char *table;
	const char *columns;
	struct strbuf rows;
	unsigned int nr;
};

struct clickhouse {
	struct report *r;
	struct clickhouse_opts o;
	CURL *curl;
	char curl_err[CURL_ERROR_SIZE];
	struct strbuf reply;
	struct strbuf detail[2];	/* scratch for a child's detail */
	struct curl_slist *gzip_header;	/* Content-Encoding: gzip */
	z_stream z;
	void *zbuf;			/* a batch, compressed */
	size_t zcap;
	char *error;		/* the first failure, for the command */
	char capture_id[40];
	uint64_t export_id;
	uint64_t start_real_ns, start_mono_ns;
	uint64_t first_ns;	/* the unit's key with the capture id */
	uint64_t seq;
	struct ch_batch calls, children;
	struct clickhouse_stats st;
};

static const char calls_columns[] =
	"host,capture_id,export_id,seq,time,ts_ns,start_ns,latency_ns,syscall,engine,pid,tid,comm,"
	"uid,euid,user,ret,errno,origin,path,fd_kind,path_method,mount,fstype,device,bytes,"
	"lost_events_nearby,oncpu_ns,offcpu_ns,ctx_switches,major_faults,children";
static const char children_columns[] =
	"host,capture_id,export_id,seq,time,syscall,engine,mount,layer,what,count,start_ns,latency_ns,"
	"call_latency_ns,bytes,device,queue_ns,device_ns,error,detail";

/* ---- RowBinary: little-endian integers, strings as a LEB128 length and bytes ---- */

static void rb_u64(struct strbuf *sb, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	strbuf_add(sb, b, 8);
}

static void rb_u32(struct strbuf *sb, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	strbuf_add(sb, b, 4);
}

static void rb_u8(struct strbuf *sb, uint8_t v)
{
	strbuf_addch(sb, v);
}

static void rb_strn(struct strbuf *sb, const char *s, size_t len)
{
	size_t n = len;

	do {
		uint8_t b = n & 0x7f;

		n >>= 7;
		strbuf_addch(sb, n ? b | 0x80 : b);
	} while (n);
	strbuf_add(sb, s, len);
}

static void rb_str(struct strbuf *sb, const char *s)
{
	rb_strn(sb, s ? s : "", s ? strlen(s) : 0);
}

static void rb_nullable_str(struct strbuf *sb, const char *s)
{
	rb_u8(sb, !s);
	if (s)
		rb_str(sb, s);
}

static void rb_nullable_u64(struct strbuf *sb, bool known, uint64_t v)
{
	rb_u8(sb, !known);
	if (known)
		rb_u64(sb, v);
}

/* ---- HTTP ---- */

static size_t on_reply(char *data, size_t size, size_t n, void *arg)
{
	struct strbuf *sb = arg;

	/* the reply is a message or a small result: keep at most 64 KiB of it */
	if (sb->len < 65536)
		strbuf_add(sb, data, size * n < 65536 - sb->len ? size * n : 65536 - sb->len);
	return size * n;
}

static void set_error(struct clickhouse *ch, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(struct clickhouse *ch, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (ch->error)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ch->error = strbuf_detach(&sb, NULL);
}

/*
 * The server's message, on one line and escaped (it quotes our data back):
 * "Code: 60, e.displayText() = DB::Exception: Table ftio.calls doesn't
 * exist., e.what() = DB::Exception" becomes the part after "DB::Exception: ".
 */
static void server_error(struct clickhouse *ch, long status)
{
	struct strbuf msg = STRBUF_INIT;
	const char *s = ch->reply.buf, *p = strstr(s, "DB::Exception: ");
	size_t len;

	if (p)
		s = p + strlen("DB::Exception: ");
	len = strcspn(s, "\n");
	if ((p = strstr(s, ", e.what() = ")) && (size_t)(p - s) < len)
		len = p - s;
	strbuf_add_escaped(&msg, s, len);
	if (!msg.len)
		strbuf_addstr(&msg, "(no message)");
	set_error(ch, "HTTP %ld: %s", status, msg.buf);
	strbuf_release(&msg);
}

/*
 * POSTs @body (may be empty) with @query in the URL, run in @database
 * (unqualified names are its tables); the reply is in
 * ch->reply.  Returns 0, or -EIO with ch->error set.
 */
static int ch_post_db(struct clickhouse *ch, const char *database, const char *query,
		      const void *body, size_t len, bool gzipped)
{
	char *q = curl_easy_escape(ch->curl, query, 0);
	char *db = curl_easy_escape(ch->curl, database, 0);
	char *url = xasprintf("%s%sdatabase=%s&insert_distributed_sync=1&query=%s", ch->o.url,
			      strchr(ch->o.url, '?') ? "&" : "?", db, q);
	long status = 0;
	CURLcode rc;

	strbuf_reset(&ch->reply);
	ch->curl_err[0] = '\0';
	curl_easy_setopt(ch->curl, CURLOPT_URL, url);
	curl_easy_setopt(ch->curl, CURLOPT_POSTFIELDS, len ? body : "");
	curl_easy_setopt(ch->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(ch->curl, CURLOPT_HTTPHEADER, gzipped ? ch->gzip_header : NULL);
	rc = curl_easy_perform(ch->curl);
	curl_free(q);
	curl_free(db);
	free(url);
	ch->st.requests++;
	ch->st.wire_bytes += len;
	if (rc != CURLE_OK) {
		set_error(ch, "%s", ch->curl_err[0] ? ch->curl_err : curl_easy_strerror(rc));
		return -EIO;
	}
	curl_easy_getinfo(ch->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		server_error(ch, status);
		return -EIO;
	}
	return 0;
}

static int ch_post(struct clickhouse *ch, const char *query, const void *body, size_t len)
{
	return ch_post_db(ch, ch->o.database, query, body, len, false);
}

/*
 * The rows gzipped (level 1: a tenth of the bytes for little CPU; names
 * and paths repeat), or -ENOMEM; *@out points into ch->zbuf
 */
static int ch_gzip(struct clickhouse *ch, const void *in, size_t len, const void **out,
		   size_t *out_len)
{
	size_t bound = deflateBound(&ch->z, len) + 32;

	if (deflateReset(&ch->z) != Z_OK)
		return -ENOMEM;
	if (bound > ch->zcap) {
		free(ch->zbuf);
		ch->zbuf = xmalloc(bound);
		ch->zcap = bound;
	}
	ch->z.next_in = (Bytef *)in;
	ch->z.avail_in = len;
	ch->z.next_out = ch->zbuf;
	ch->z.avail_out = ch->zcap;
	if (deflate(&ch->z, Z_FINISH) != Z_STREAM_END)
		return -ENOMEM;
	*out = ch->zbuf;
	*out_len = ch->zcap - ch->z.avail_out;
	return 0;
}

static int batch_flush(struct clickhouse *ch, struct ch_batch *b)
{
	const void *body;
	size_t len;
	char *q;
	int ret;

	if (!b->nr || ch->error)
		return ch->error ? -EIO : 0;
	q = xasprintf("INSERT INTO %s (%s) FORMAT RowBinary", b->table, b->columns);
	ch->st.raw_bytes += b->rows.len;
	if (ch_gzip(ch, b->rows.buf, b->rows.len, &body, &len) == 0)
		ret = ch_post_db(ch, ch->o.database, q, body, len, true);
	else
		ret = ch_post(ch, q, b->rows.buf, b->rows.len);
	free(q);
	strbuf_reset(&b->rows);
	b->nr = 0;
	return ret;
}

/* ---- rows ---- */

static uint32_t wall_seconds(struct clickhouse *ch, uint64_t mono_ns, uint64_t *real_ns)
{
	uint64_t rel = mono_ns > ch->start_mono_ns ? mono_ns - ch->start_mono_ns : 0;

	*real_ns = ch->start_real_ns + rel;
	return (uint32_t)(*real_ns / 1000000000ull);
}

static void dev_str(char *buf, size_t len, unsigned int major, unsigned int minor, bool known)
{
	if (known)
		snprintf(buf, len, "%u:%u", major, minor);
	else
		buf[0] = '\0';
}

/* The layer's own members of the child, as the report's JSON has them, in one object */
static void add_detail(struct clickhouse *ch, const struct call_child *k)
{
	struct strbuf *members = &ch->detail[0], *obj = &ch->detail[1];
	struct child_view v = { .kind = CHILD_JSON, .ch = k, .out = members };

	strbuf_reset(members);
	strbuf_reset(obj);
	report_child_view(ch->r, &v);
	/* the members start with a comma each */
	strbuf_addch(obj, '{');
	if (members->len)
		strbuf_add(obj, members->buf + 1, members->len - 1);
	strbuf_addch(obj, '}');
	rb_strn(&ch->children.rows, obj->buf, obj->len);
}

static void add_children(struct clickhouse *ch, const struct call *c, const char *engine,
			 uint32_t t)
{
	struct strbuf *sb = &ch->children.rows;

	for (unsigned int i = 0; i < c->nr_children; i++) {
		const struct call_child *k = &c->children[i];
		struct child_view v = { .kind = CHILD_REQUEST, .ch = k };
		bool req = report_child_view(ch->r, &v);
		char dev[32];

		rb_str(sb, ch->o.host);
		rb_str(sb, ch->capture_id);
		rb_u64(sb, ch->export_id);
		rb_u64(sb, ch->seq);
		rb_u32(sb, t);
		rb_str(sb, c->name);
		rb_str(sb, engine);
		rb_str(sb, c->mount ? c->mount->point : NULL);
		rb_str(sb, k->layer);
		rb_str(sb, k->what);
		rb_u32(sb, k->count ? k->count : 1);
		rb_u64(sb, k->start_ns > ch->r->start_ns ? k->start_ns - ch->r->start_ns : 0);
		rb_u64(sb, k->latency_ns);
		rb_u64(sb, c->latency_ns);
		rb_u64(sb, k->bytes);
		/* the kernel's dev_t: 12 bits of major above 20 of minor */
		dev_str(dev, sizeof(dev), k->dev >> 20, k->dev & 0xfffff, k->dev != 0);
		rb_str(sb, dev);
		rb_nullable_u64(sb, req && (v.queue_ns || v.device_ns), v.queue_ns);
		rb_nullable_u64(sb, req && (v.queue_ns || v.device_ns), v.device_ns);
		rb_u32(sb, (uint32_t)k->error);
		add_detail(ch, k);
		ch->children.nr++;
		ch->st.children++;
	}
}

/* A call (engine "syscall") or an async request (its opcode in c->name) */
static void add_call(struct clickhouse *ch, const struct call *c, const char *engine)
{
	struct strbuf *sb = &ch->calls.rows;
	const struct mount *m = c->mount;
	uint64_t real_ns;
	uint32_t t = wall_seconds(ch, c->start_ns, &real_ns);
	bool oncpu = c->ctr_mask & (1u << CTR_ONCPU_NS);
	char dev[32];

	rb_str(sb, ch->o.host);
	rb_str(sb, ch->capture_id);
	rb_u64(sb, ch->export_id);
	rb_u64(sb, ch->seq);
	rb_u32(sb, t);
	rb_u64(sb, real_ns);
	rb_u64(sb, c->start_ns > ch->r->start_ns ? c->start_ns - ch->r->start_ns : 0);
	rb_u64(sb, c->latency_ns);
	rb_str(sb, c->name);
	rb_str(sb, engine);
	rb_u32(sb, (uint32_t)c->pid);
	rb_u32(sb, (uint32_t)c->tid);
	rb_strn(sb, c->comm, strnlen(c->comm, sizeof(c->comm)));
	rb_u64(sb, (uint64_t)(int64_t)c->uid);
	rb_u64(sb, (uint64_t)(int64_t)c->euid);
	rb_str(sb, model_user(&ch->r->m, c->uid));
	rb_u64(sb, (uint64_t)c->ret);
	rb_str(sb, c->err ? errno_name(c->err) : NULL);
	rb_str(sb, c->err ? c->err_origin : NULL);
	rb_nullable_str(sb, c->path);
	/* as the report's JSON names it */
	rb_str(sb, fd_kind_names[c->fd_kind < FD_KINDS ? c->fd_kind : FD_UNKNOWN]);
	rb_str(sb, c->path ? path_method_names[c->path_method] : NULL);
	rb_str(sb, m ? m->point : NULL);
	rb_str(sb, m ? m->fstype : NULL);
	dev_str(dev, sizeof(dev), m ? m->major : 0, m ? m->minor : 0, m != NULL);
	rb_str(sb, dev);
	rb_u64(sb, c->bytes);
	rb_u8(sb, c->tainted);
	rb_nullable_u64(sb, oncpu, c->ctr[CTR_ONCPU_NS]);
	rb_nullable_u64(sb, oncpu, offcpu_ns(c->latency_ns, c->ctr[CTR_ONCPU_NS]));
	rb_nullable_u64(sb, c->ctr_mask & (1u << CTR_CTX_SWITCHES), c->ctr[CTR_CTX_SWITCHES]);
	rb_nullable_u64(sb, c->ctr_mask & (1u << CTR_MAJOR_FAULTS), c->ctr[CTR_MAJOR_FAULTS]);
	rb_u32(sb, c->nr_children);
	ch->calls.nr++;
	ch->st.calls++;
	add_children(ch, c, engine, t);
	ch->seq++;
}

static void add_row(struct clickhouse *ch, const struct call *c, const char *engine)
{
	if (ch->error)
		return;		/* the export failed: the rest is not sent */
	add_call(ch, c, engine);
	if (ch->calls.nr >= ch->o.batch)
		batch_flush(ch, &ch->calls);
	if (ch->children.nr >= ch->o.batch)
		batch_flush(ch, &ch->children);
}

static void observe(struct report *r, const struct call *c, void *arg)
{
	add_row(arg, c, "syscall");
}

static void observe_request(struct report *r, const struct call *c, const char *engine,
			    void *arg)
{
	struct clickhouse *ch = arg;

	if (!ch->error)
		ch->st.async++;
	add_row(ch, c, engine);
}

/* ---- setup ---- */

static uint64_t random_id(void)
{
	uint64_t v = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, &v, sizeof(v)) != sizeof(v))
		v = now_real_ns() ^ ((uint64_t)getpid() << 32);
	if (fd >= 0)
		close(fd);
	return v ? v : 1;
}

static int create_schema(struct clickhouse *ch)
{
	char *q = xasprintf("CREATE DATABASE IF NOT EXISTS `%s`", ch->o.database);
	const char *s = clickhouse_schema;
	int ret;

	/* the database parameter must name a database that exists: system does */
	ret = ch_post_db(ch, "system", q, NULL, 0, false);
	free(q);
	while (!ret && *s) {
		const char *end = strstr(s, ";\n");
		size_t len = end ? (size_t)(end - s) : strlen(s);

		q = xstrndup(s, len);
		ret = ch_post(ch, q, NULL, 0);
		free(q);
		s += len + (end ? 2 : 0);
	}
	return ret;
}

/*
 * The first event of the files, from their chunk index (known before the
 * decoding): with the capture id it names what one export sends, so that
 * each rotated file of a capture is a unit of its own
 */
static uint64_t unit_first_ns(struct recording **recs, size_t n, uint64_t start)
{
	uint64_t first = UINT64_MAX;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < recs[i]->nr_chunks; k++) {
			uint64_t ts = recs[i]->chunks[k].info.first_ts;

			if (ts && ts < first)
				first = ts;
		}
	if (first == UINT64_MAX)
		return 0;
	return first > start ? first - start : 0;
}

struct clickhouse *clickhouse_new(struct recording **recs, size_t n,
				  const struct clickhouse_opts *o)
{
	struct clickhouse *ch = xcalloc(1, sizeof(*ch));
	uint64_t start_mono = recording_attr_u64(recs[0], "meta/start_mono_ns", 0);

	ch->o = *o;
	if (!ch->o.batch)
		ch->o.batch = CLICKHOUSE_BATCH;
	strbuf_init(&ch->reply, 0);
	strbuf_init(&ch->detail[0], 0);
	strbuf_init(&ch->detail[1], 0);
	ch->calls = (struct ch_batch){ "calls", calls_columns, STRBUF_INIT, 0 };
	ch->children = (struct ch_batch){ "children", children_columns, STRBUF_INIT, 0 };
	ch->export_id = random_id();
	ch->start_real_ns = recording_attr_u64(recs[0], "meta/start_real_ns", 0);
	snprintf(ch->capture_id, sizeof(ch->capture_id), "%016llx-%016llx",
		 (unsigned long long)ch->start_real_ns, (unsigned long long)start_mono);
	ch->first_ns = unit_first_ns(recs, n, start_mono);
	/* gzip framing (windowBits 15 + 16), level 1 */
	if (deflateInit2(&ch->z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		die("cannot set up zlib");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	ch->curl = curl_easy_init();
	if (!ch->curl)
		die("cannot set up libcurl");
	ch->gzip_header = curl_slist_append(NULL, "Content-Encoding: gzip");
	if (!ch->gzip_header)
		die("out of memory");
	curl_easy_setopt(ch->curl, CURLOPT_ERRORBUFFER, ch->curl_err);
	curl_easy_setopt(ch->curl, CURLOPT_WRITEFUNCTION, on_reply);
	curl_easy_setopt(ch->curl, CURLOPT_WRITEDATA, &ch->reply);
	curl_easy_setopt(ch->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(ch->curl, CURLOPT_CONNECTTIMEOUT, 10L);
	/* a server that stops answering fails the export rather than hanging it */
	curl_easy_setopt(ch->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(ch->curl, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(ch->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(ch->curl, CURLOPT_USERAGENT, "ftio/" FTIO_VERSION);
	return ch;
}

int clickhouse_begin(struct clickhouse *ch)
{
	char *q;
	int ret = 0;

	ch->st.start_ns = now_mono_ns();
	if (ch->o.create)
		ret = create_schema(ch);
	if (ret)
		return ret;
	/* the unit is (capture_id, first_ns): a row in captures means it is all there */
	q = xasprintf("SELECT count() FROM captures WHERE capture_id = '%s' AND first_ns = %llu "
		      "FORMAT TabSeparated", ch->capture_id, (unsigned long long)ch->first_ns);
	ret = ch_post(ch, q, NULL, 0);
	free(q);
	if (ret)
		return ret;
	if (strtoull(ch->reply.buf, NULL, 10) > 0)
		return 1;
	return 0;
}

void clickhouse_attach(struct clickhouse *ch, struct report *r)
{
	ch->r = r;
	ch->start_mono_ns = r->start_ns;
	report_observe(r, observe, ch);
	report_observe_requests(r, observe_request, ch);
}

/*
 * The recording boot's id: meta/boot_id, or a last-boot salvage's
 * salvage/boot_id; "" for a recording made before ftio wrote it
 */
static const char *boot_id_of(struct recording *rec)
{
	const char *b = recording_attr(rec, "meta/boot_id");

	if (!b || !*b)
		b = recording_attr(rec, "salvage/boot_id");
	return b && strcmp(b, "unknown") ? b : "";
}

static void add_capture(struct clickhouse *ch, struct strbuf *sb)
{
	struct report *r = ch->r;
	uint64_t dropped = 0;

	for (int i = 0; i < PAIR_CAUSES; i++)
		dropped += r->pairing[i];
	rb_str(sb, ch->o.host);
	rb_str(sb, ch->capture_id);
	rb_u64(sb, ch->export_id);
	rb_u32(sb, (uint32_t)(now_real_ns() / 1000000000ull));
	rb_u64(sb, ch->first_ns);
	rb_u32(sb, (uint32_t)(ch->start_real_ns / 1000000000ull));
	rb_u64(sb, ch->start_real_ns);
	rb_u64(sb, r->last_ts > r->first_ts ? r->last_ts - r->first_ts : 0);
	rb_u32(sb, (uint32_t)r->nr_recs);
	rb_str(sb, boot_id_of(r->rec));
	rb_str(sb, recording_attr(r->rec, "meta/kernel_release"));
	rb_str(sb, recording_attr(r->rec, "meta/arch"));
	rb_str(sb, recording_attr(r->rec, "meta/layers"));
	rb_str(sb, recording_attr(r->rec, "meta/strategy"));
	rb_str(sb, recording_attr(r->rec, "meta/ftio_version"));
	rb_u64(sb, ch->st.calls);
	rb_u64(sb, ch->st.children);
	rb_u64(sb, report_lost_events(r));
	rb_u64(sb, dropped);
	rb_u64(sb, r->damage.damaged_bytes + r->damage.truncated_bytes);
	rb_u8(sb, report_complete(r));
}

int clickhouse_finish(struct clickhouse *ch)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	/* the children before their calls' capture: both before the captures row */
	ret = batch_flush(ch, &ch->calls);
	if (!ret)
		ret = batch_flush(ch, &ch->children);
	if (!ret && ch->error)
		ret = -EIO;
	if (!ret) {
		add_capture(ch, &sb);
		ret = ch_post(ch, "INSERT INTO captures (host,capture_id,export_id,exported,first_ns,"
			      "start,start_real_ns,duration_ns,files,boot_id,kernel,arch,layers,strategy,"
			      "ftio_version,calls,children,lost_events,pairing_dropped,damaged_bytes,"
			      "complete) FORMAT RowBinary", sb.buf, sb.len);
		strbuf_release(&sb);
	}
	ch->st.end_ns = now_mono_ns();
	return ret;
}

const char *clickhouse_error(const struct clickhouse *ch)
{
	return ch->error;
}

const char *clickhouse_capture_id(const struct clickhouse *ch)
{
	return ch->capture_id;
}

void clickhouse_get_stats(const struct clickhouse *ch, struct clickhouse_stats *st)
{
	*st = ch->st;
}

void clickhouse_free(struct clickhouse *ch)
{
	if (!ch)
		return;
	curl_easy_cleanup(ch->curl);
	curl_slist_free_all(ch->gzip_header);
	curl_global_cleanup();
	deflateEnd(&ch->z);
	free(ch->zbuf);
	strbuf_release(&ch->reply);
	strbuf_release(&ch->detail[0]);
	strbuf_release(&ch->detail[1]);
	strbuf_release(&ch->calls.rows);
	strbuf_release(&ch->children.rows);
	free(ch->error);
	free(ch);
}

#else /* !FTIO_HAVE_LIBCURL: every other command, and this one says why not */

struct clickhouse {
	char *error;
};

struct clickhouse *clickhouse_new(struct recording **recs, size_t n,
				  const struct clickhouse_opts *o)
{
	struct clickhouse *ch = xcalloc(1, sizeof(*ch));

	ch->error = xstrdup("this ftio was built without libcurl (install libcurl4-openssl-dev "
			    "and rebuild)");
	(void)clickhouse_schema;
	return ch;
}

int clickhouse_begin(struct clickhouse *ch)
{
	return -EIO;
}

void clickhouse_attach(struct clickhouse *ch, struct report *r)
{
}

int clickhouse_finish(struct clickhouse *ch)
{
	return -EIO;
}

const char *clickhouse_error(const struct clickhouse *ch)
{
	return ch->error;
}

const char *clickhouse_capture_id(const struct clickhouse *ch)
{
	return "";
}

void clickhouse_get_stats(const struct clickhouse *ch, struct clickhouse_stats *st)
{
	memset(st, 0, sizeof(*st));
}

void clickhouse_free(struct clickhouse *ch)
{
	if (ch)
		free(ch->error);
	free(ch);
}

#endif /* FTIO_HAVE_LIBCURL */

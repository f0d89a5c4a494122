// SPDX-License-Identifier: GPL-2.0
/*
 * The recording reader.  One pass over the chunk headers builds the index
 * and loads every ATTR chunk; SUBBUF chunks are read later, one at a time
 * per CPU.  Memory is bounded by limits, not by the file's size: a chunk
 * claims at most 64 MiB, metadata at most RECORDING_MAX_ATTRS entries and
 * RECORDING_MAX_ATTR_BYTES bytes, and the decoder holds at most
 * DECODER_MAX_HELD bytes of inflated chunks.  A header that fails its
 * checksum starts a forward scan for the next valid one (holes are
 * skipped with SEEK_DATA); a chunk cut by the end of the file ends the
 * index.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "format/recording.h"
#include "lib/util.h"

void recording_warn(struct recording *r, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (r->nr_warnings >= RECORDING_MAX_WARNINGS) {
		r->dropped_warnings = u64_add_sat(r->dropped_warnings, 1);
		return;
	}
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	r->warnings = xrealloc(r->warnings, (r->nr_warnings + 1) * sizeof(*r->warnings));
	r->warnings[r->nr_warnings++] = strbuf_detach(&sb, NULL);
}

static ssize_t pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!n)
			break;
		done += n;
	}
	return done;
}

/* Finds the next offset > @from holding a chunk header whose checksum holds */
static uint64_t resync(struct recording *r, uint64_t from)
{
	uint8_t buf[65536 + FTIO_CHUNK_HEADER_SIZE];
	uint64_t off = from + 1;

	while (off + FTIO_CHUNK_HEADER_SIZE <= r->size) {
		ssize_t n;
		off_t data = lseek(r->fd, off, SEEK_DATA);

		/* a hole holds no chunk: 20 GB of one took 53 s to scan */
		if (data < 0 && errno == ENXIO)
			break;
		if (data > (off_t)off)
			off = data;
		n = pread_all(r->fd, buf, sizeof(buf), off);

		if (n < FTIO_CHUNK_HEADER_SIZE)
			break;
		for (ssize_t i = 0; i + FTIO_CHUNK_HEADER_SIZE <= n; i++) {
			struct chunk_info ci;

			if (buf[i] != 'F' || memcmp(buf + i, FTIO_CHUNK_MAGIC, 4))
				continue;
			if (!chunk_header_decode(buf + i, &ci))
				return off + i;
		}
		off += n - FTIO_CHUNK_HEADER_SIZE + 1;
	}
	return r->size;
}

static void add_attrs(struct recording *r, const void *buf, size_t len, uint64_t off)
{
	struct attr_iter it;
	uint64_t dropped = 0, unnamed = 0;
	int ret;

	attr_iter_init(&it, buf, len);
	while ((ret = attr_iter_next(&it)) > 0) {
		struct attr *a;

		if (!it.name_len) {
			unnamed++;
			continue;
		}
		/* per recording: a process that opened one before starts afresh */
		if (r->nr_attrs >= RECORDING_MAX_ATTRS ||
		    r->attr_bytes + it.name_len + it.value_len > RECORDING_MAX_ATTR_BYTES) {
			dropped++;
			continue;
		}
		r->attr_bytes += it.name_len + it.value_len;
		if (r->nr_attrs == r->attr_cap) {
			r->attr_cap = r->attr_cap ? 2 * r->attr_cap : 64;
			r->attrs = xrealloc(r->attrs, r->attr_cap * sizeof(*r->attrs));
		}
		a = &r->attrs[r->nr_attrs++];
		a->name = xstrndup(it.name, it.name_len);
		a->value = xmalloc(it.value_len + 1);
		memcpy(a->value, it.value, it.value_len);
		a->value[it.value_len] = '\0';
		a->len = it.value_len;
	}
	if (unnamed)
		recording_warn(r, "%llu metadata entries without a name in chunk at offset %llu: skipped",
			       (unsigned long long)unnamed, (unsigned long long)off);
	if (dropped)
		recording_warn(r, "chunk at offset %llu: %llu metadata entries past the bound of %u entries or %u MiB: not loaded",
			       (unsigned long long)off, (unsigned long long)dropped,
			       RECORDING_MAX_ATTRS, RECORDING_MAX_ATTR_BYTES >> 20);
	r->attrs_dropped = u64_add_sat(r->attrs_dropped, u64_add_sat(dropped, unnamed));
	if (ret < 0)
		recording_warn(r, "malformed metadata in chunk at offset %llu: kept what came before",
			       (unsigned long long)off);
}

static int index_file(struct recording *r)
{
	uint8_t hdr[FTIO_CHUNK_HEADER_SIZE];
	uint64_t off = sizeof(struct ftio_file_header);

	while (off < r->size) {
		struct chunk_info ci;
		ssize_t n = pread_all(r->fd, hdr, sizeof(hdr), off);
		int ret;

		if (n < 0)
			return n;
		if (n < (ssize_t)sizeof(hdr)) {
			r->truncated_bytes = r->size - off;
			recording_warn(r, "recording is cut at offset %llu: the last %llu bytes hold an incomplete chunk header",
				       (unsigned long long)off, (unsigned long long)(r->size - off));
			break;
		}
		ret = chunk_header_decode(hdr, &ci);
		if (ret) {
			uint64_t next = resync(r, off);

			if (next >= r->size && !r->nr_chunks && off == sizeof(struct ftio_file_header))
				recording_warn(r, "no valid chunk after offset %llu", (unsigned long long)off);
			if (next >= r->size) {
				/* all zeroes or garbage to the end: a cut or zeroed tail */
				r->truncated_bytes = r->size - off;
				recording_warn(r, "damaged data from offset %llu to the end (%llu bytes) skipped",
					       (unsigned long long)off, (unsigned long long)(r->size - off));
				break;
			}
			r->damaged_bytes += next - off;
			recording_warn(r, "damaged chunk at offset %llu: skipped %llu bytes",
				       (unsigned long long)off, (unsigned long long)(next - off));
			off = next;
			continue;
		}
		if (off + sizeof(hdr) + ci.stored_size > r->size) {
			r->truncated_bytes = r->size - off;
			recording_warn(r, "recording is cut at offset %llu: the last chunk (%u of %u bytes present) is incomplete",
				       (unsigned long long)off,
				       (unsigned)(r->size - off - sizeof(hdr)), ci.stored_size);
			break;
		}
		r->chunks = xrealloc(r->chunks, (r->nr_chunks + 1) * sizeof(*r->chunks));
		r->chunks[r->nr_chunks] = (struct chunk_ref){ .offset = off, .info = ci };
		r->nr_chunks++;
		if (ci.type == FTIO_CHUNK_ATTR || ci.type == FTIO_CHUNK_STATS ||
		    ci.type == FTIO_CHUNK_END) {
			void *buf;
			ssize_t len = recording_load(r, r->nr_chunks - 1, &buf);

			if (len >= 0) {
				add_attrs(r, buf, len, off);
				free(buf);
				if (ci.type == FTIO_CHUNK_END)
					r->clean_end = true;
			}
		}
		off += sizeof(hdr) + ci.stored_size;
	}
	return 0;
}

struct recording *recording_open(const char *path)
{
	struct recording *r = xcalloc(1, sizeof(*r));
	uint8_t fh[sizeof(struct ftio_file_header)];
	struct stat st;
	ssize_t n;
	int ret;

	r->path = xstrdup(path);
	/* O_NONBLOCK: a FIFO given as input must not block the open for ever */
	r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (r->fd < 0)
		goto fail;
	if (fstat(r->fd, &st) < 0)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	/* pread and a size the chunk walk can trust: a regular file only */
	if (!S_ISREG(st.st_mode)) {
		errno = RECORDING_ENOTREG;
		goto fail;
	}
	r->size = st.st_size;
	n = pread_all(r->fd, fh, sizeof(fh), 0);
	if (n < 0) {
		errno = -n;
		goto fail;
	}
	ret = file_header_decode(fh, n);
	if (ret) {
		errno = -ret;
		goto fail;
	}
	r->z.dctx = ZSTD_createDCtx();
	if (!r->z.dctx) {
		errno = ENOMEM;
		goto fail;
	}
	ret = index_file(r);
	if (ret) {
		errno = -ret;
		goto fail;
	}
	return r;
fail:
	ret = errno;
	recording_close(r);
	errno = ret;
	return NULL;
}

struct recording *recording_new_mem(const char *name)
{
	struct recording *r = xcalloc(1, sizeof(*r));

	r->path = xstrdup(name);
	r->fd = -1;
	/* nothing to cut: a live capture ends when its tracing does */
	r->clean_end = true;
	return r;
}

void recording_add_attrs(struct recording *r, const void *buf, size_t len)
{
	add_attrs(r, buf, len, 0);
}

void recording_close(struct recording *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	for (size_t i = 0; i < r->nr_attrs; i++) {
		free(r->attrs[i].name);
		free(r->attrs[i].value);
	}
	for (size_t i = 0; i < r->nr_warnings; i++)
		free(r->warnings[i]);
	chunk_inflater_release(&r->z);
	free(r->warnings);
	free(r->attrs);
	free(r->chunks);
	free(r->path);
	free(r);
}

const char *recording_attr(const struct recording *r, const char *name)
{
	for (size_t i = r->nr_attrs; i-- > 0;)
		if (!strcmp(r->attrs[i].name, name))
			return r->attrs[i].value;
	return NULL;
}

uint64_t recording_attr_u64(const struct recording *r, const char *name, uint64_t def)
{
	const char *v = recording_attr(r, name);
	unsigned long long u;

	if (!v || parse_uint(v, UINT64_MAX, &u))
		return def;
	return u;
}

ssize_t recording_inflate(const struct recording *r, size_t idx, struct chunk_inflater *z,
			  void **out, char **why)
{
	const struct chunk_ref *c = &r->chunks[idx];
	const struct chunk_info *ci = &c->info;
	struct strbuf msg = STRBUF_INIT;
	void *raw = NULL;
	ssize_t n;

	*out = NULL;
	*why = NULL;
	if (!z->dctx) {
		z->dctx = ZSTD_createDCtx();
		if (!z->dctx) {
			strbuf_addf(&msg, "cannot inflate chunk at offset %llu: %s",
				    (unsigned long long)c->offset, strerror(ENOMEM));
			goto bad;
		}
	}
	if (ci->stored_size > z->zcap) {
		free(z->zbuf);
		z->zbuf = xmalloc(ci->stored_size);
		z->zcap = ci->stored_size;
	}
	n = pread_all(r->fd, z->zbuf, ci->stored_size, c->offset + FTIO_CHUNK_HEADER_SIZE);
	if (n != (ssize_t)ci->stored_size) {
		strbuf_addf(&msg, "cannot read chunk at offset %llu: %s", (unsigned long long)c->offset,
			    n < 0 ? strerror(-n) : "short read");
		goto bad;
	}
	if (ftio_crc32(z->zbuf, ci->stored_size) != ci->payload_crc) {
		strbuf_addf(&msg, "chunk at offset %llu fails its checksum: skipped",
			    (unsigned long long)c->offset);
		goto bad;
	}
	raw = xmalloc(ci->raw_size ? ci->raw_size : 1);
	if (ci->flags & FTIO_CHUNK_ZSTD) {
		size_t frame = ZSTD_findFrameCompressedSize(z->zbuf, ci->stored_size);
		size_t zn;

		/* exactly one frame (ftio-format(5)): zstd itself would inflate them all */
		if (!ZSTD_isError(frame) && frame != ci->stored_size) {
			strbuf_addf(&msg, "chunk at offset %llu holds more than one zstd frame: skipped",
				    (unsigned long long)c->offset);
			goto bad;
		}
		zn = ZSTD_decompressDCtx(z->dctx, raw, ci->raw_size, z->zbuf, ci->stored_size);

		if (ZSTD_isError(zn) || zn != ci->raw_size) {
			strbuf_addf(&msg, "chunk at offset %llu does not inflate (%s): skipped",
				    (unsigned long long)c->offset,
				    ZSTD_isError(zn) ? ZSTD_getErrorName(zn) : "wrong size");
			goto bad;
		}
	} else if (ci->raw_size) {
		/* an empty chunk may have no buffer at all: memcpy(NULL, 0) is undefined */
		memcpy(raw, z->zbuf, ci->raw_size);
	}
	*out = raw;
	return ci->raw_size;
bad:
	free(raw);
	*why = strbuf_detach(&msg, NULL);
	return -EBADMSG;
}

void chunk_inflater_release(struct chunk_inflater *z)
{
	ZSTD_freeDCtx(z->dctx);
	free(z->zbuf);
	memset(z, 0, sizeof(*z));
}

ssize_t recording_load(struct recording *r, size_t idx, void **out)
{
	char *why;
	ssize_t n;

	*out = NULL;
	if (r->chunks[idx].bad)
		return -EBADMSG;
	n = recording_inflate(r, idx, &r->z, out, &why);
	if (n < 0)
		recording_load_failed(r, idx, why);
	return n;
}

void recording_load_failed(struct recording *r, size_t idx, char *why)
{
	recording_warn(r, "%s", why);
	free(why);
	r->chunks[idx].bad = true;
}

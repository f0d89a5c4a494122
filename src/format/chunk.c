// SPDX-License-Identifier: GPL-2.0
/*
 * Framing of ftio recordings: see include/ftio/format.h for the layout
 * and Documentation/ftio-format.5.txt for the rules readers follow.
 */
#include <errno.h>
#include <zlib.h>

#include "format/chunk.h"

uint32_t ftio_crc32(const void *data, size_t len)
{
	uLong crc = crc32(0L, Z_NULL, 0);
	const Bytef *p = data;

	/* zlib takes uInt lengths; feed large buffers in pieces */
	while (len) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;

		crc = crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)crc;
}

void file_header_encode(uint8_t out[sizeof(struct ftio_file_header)])
{
	memcpy(out, FTIO_FILE_MAGIC, FTIO_FILE_MAGIC_LEN);
	put_le32(out + 8, FTIO_FORMAT_VERSION);
	put_le32(out + 12, 0);
}

int file_header_decode(const uint8_t *in, size_t len)
{
	if (len < sizeof(struct ftio_file_header) ||
	    memcmp(in, FTIO_FILE_MAGIC, FTIO_FILE_MAGIC_LEN))
		return -EBADMSG;
	if (get_le32(in + 8) > FTIO_FORMAT_VERSION || get_le32(in + 8) == 0)
		return -EPROTONOSUPPORT;
	return 0;
}

void chunk_header_encode(const struct chunk_info *ci, uint8_t out[FTIO_CHUNK_HEADER_SIZE])
{
	memcpy(out, FTIO_CHUNK_MAGIC, 4);
	put_le16(out + 4, ci->type);
	put_le16(out + 6, ci->flags);
	put_le32(out + 8, ci->cpu);
	put_le32(out + 12, ci->seq);
	put_le64(out + 16, ci->first_ts);
	put_le64(out + 24, ci->last_ts);
	put_le32(out + 32, ci->raw_size);
	put_le32(out + 36, ci->stored_size);
	put_le32(out + 40, ci->payload_crc);
	put_le32(out + 44, ftio_crc32(out, 44));
}

int chunk_header_decode(const uint8_t in[FTIO_CHUNK_HEADER_SIZE], struct chunk_info *ci)
{
	if (memcmp(in, FTIO_CHUNK_MAGIC, 4) || get_le32(in + 44) != ftio_crc32(in, 44))
		return -EBADMSG;
	ci->type = get_le16(in + 4);
	ci->flags = get_le16(in + 6);
	ci->cpu = get_le32(in + 8);
	ci->seq = get_le32(in + 12);
	ci->first_ts = get_le64(in + 16);
	ci->last_ts = get_le64(in + 24);
	ci->raw_size = get_le32(in + 32);
	ci->stored_size = get_le32(in + 36);
	ci->payload_crc = get_le32(in + 40);
	if (ci->raw_size > FTIO_CHUNK_MAX_RAW || ci->stored_size > FTIO_CHUNK_MAX_RAW)
		return -E2BIG;
	if (!(ci->flags & FTIO_CHUNK_ZSTD) && ci->raw_size != ci->stored_size)
		return -EBADMSG;
	return 0;
}

void attr_add(struct strbuf *sb, const char *name, const void *value, size_t len)
{
	uint8_t hdr[8];
	size_t nlen = strlen(name);

	put_le32(hdr, nlen);
	put_le32(hdr + 4, len);
	strbuf_add(sb, hdr, sizeof(hdr));
	strbuf_add(sb, name, nlen);
	strbuf_add(sb, value, len);
}

void attr_addstr(struct strbuf *sb, const char *name, const char *value)
{
	attr_add(sb, name, value, strlen(value));
}

void attr_addf(struct strbuf *sb, const char *name, const char *fmt, ...)
{
	struct strbuf v = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&v, fmt, ap);
	va_end(ap);
	attr_add(sb, name, v.buf, v.len);
	strbuf_release(&v);
}

void attr_iter_init(struct attr_iter *it, const void *buf, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->buf = buf;
	it->len = len;
}

int attr_iter_next(struct attr_iter *it)
{
	size_t left = it->len - it->pos;
	uint32_t nlen, vlen;

	if (!left)
		return 0;
	if (left < 8)
		return -EBADMSG;
	nlen = get_le32(it->buf + it->pos);
	vlen = get_le32(it->buf + it->pos + 4);
	/* compare without adding, so hostile lengths cannot wrap */
	if (nlen > left - 8 || vlen > left - 8 - nlen)
		return -EBADMSG;
	it->name = (const char *)it->buf + it->pos + 8;
	it->name_len = nlen;
	it->value = it->name + nlen;
	it->value_len = vlen;
	it->pos += 8 + (size_t)nlen + vlen;
	return 1;
}

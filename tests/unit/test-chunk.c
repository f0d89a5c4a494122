// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the recording framing: file header, chunk headers, ATTR
 * payloads, and the reader's handling of damage (bad checksums, cut
 * files, garbage between chunks), using real files in a temp directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/chunk-writer.h"
#include "format/chunk.h"
#include "format/recording.h"
#include "unit.h"

static void test_header_roundtrip(void)
{
	struct chunk_info in = {
		.type = FTIO_CHUNK_SUBBUF, .flags = FTIO_CHUNK_ZSTD, .cpu = 3, .seq = 77,
		.first_ts = 0x1122334455667788ULL, .last_ts = 0x99aabbccddeeff00ULL,
		.raw_size = 262144, .stored_size = 12345, .payload_crc = 0xdeadbeef,
	}, out;
	uint8_t buf[FTIO_CHUNK_HEADER_SIZE];

	chunk_header_encode(&in, buf);
	is_int(chunk_header_decode(buf, &out), 0, "valid header decodes");
	ok(out.type == in.type && out.cpu == 3 && out.seq == 77 && out.first_ts == in.first_ts &&
	   out.last_ts == in.last_ts && out.raw_size == in.raw_size &&
	   out.stored_size == in.stored_size && out.payload_crc == in.payload_crc,
	   "every field survives the round trip");
	/* little-endian on disk whatever the host */
	ok(buf[8] == 3 && buf[9] == 0 && buf[16] == 0x88, "fields are little-endian");

	for (int i = 0; i < FTIO_CHUNK_HEADER_SIZE; i++) {
		uint8_t bad[FTIO_CHUNK_HEADER_SIZE];

		memcpy(bad, buf, sizeof(bad));
		bad[i] ^= 0x40;
		if (chunk_header_decode(bad, &out) == 0) {
			ok(0, "a flipped bit in byte %d is caught", i);
			return;
		}
	}
	ok(1, "a flipped bit anywhere in the header is caught");

	in.raw_size = FTIO_CHUNK_MAX_RAW + 1;
	chunk_header_encode(&in, buf);
	is_int(chunk_header_decode(buf, &out), -E2BIG, "oversized chunk claim is refused");
	in.raw_size = 10;
	in.stored_size = 20;
	in.flags = 0;
	chunk_header_encode(&in, buf);
	is_int(chunk_header_decode(buf, &out), -EBADMSG, "uncompressed chunk with mismatched sizes is refused");
}

static void test_file_header(void)
{
	uint8_t buf[sizeof(struct ftio_file_header)];

	file_header_encode(buf);
	is_int(file_header_decode(buf, sizeof(buf)), 0, "file header decodes");
	is_int(file_header_decode(buf, 8), -EBADMSG, "short file header is not a recording");
	buf[8] = 99;
	is_int(file_header_decode(buf, sizeof(buf)), -EPROTONOSUPPORT, "newer format version is refused");
	memcpy(buf, "#!/bin/s", 8);
	is_int(file_header_decode(buf, sizeof(buf)), -EBADMSG, "a script is not a recording");
}

static void test_attr(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct attr_iter it;
	int n = 0;

	attr_addstr(&sb, "meta/arch", "x86_64");
	attr_add(&sb, "bin", "a\0b", 3);
	attr_addf(&sb, "meta/cpus", "%d", 2);
	attr_iter_init(&it, sb.buf, sb.len);
	while (attr_iter_next(&it) > 0)
		n++;
	is_int(n, 3, "three entries come back");
	attr_iter_init(&it, sb.buf, sb.len);
	attr_iter_next(&it);
	attr_iter_next(&it);
	ok(it.value_len == 3 && !memcmp(it.value, "a\0b", 3), "binary values keep their NUL bytes");

	/* a hostile length must not read past the payload */
	put_le32(sb.buf, 0xfffffff0u);
	attr_iter_init(&it, sb.buf, sb.len);
	is_int(attr_iter_next(&it), -EBADMSG, "an entry claiming 4 GiB is malformed, not followed");
	attr_iter_init(&it, sb.buf, 5);
	is_int(attr_iter_next(&it), -EBADMSG, "a cut entry header is malformed");
	strbuf_release(&sb);
}

/* Writes a recording with @n ATTR chunks through the real writer */
static char *write_recording(const char *dir, int n)
{
	char *path = xasprintf("%s/rec-%d.dat", dir, n);
	char *old = NULL;
	int fd = recording_create(path, &old);
	struct chunk_writer *w;

	free(old);
	if (fd < 0)
		return path;
	w = chunk_writer_new(fd, 1, 4);
	for (int i = 0; i < n; i++) {
		struct strbuf sb = STRBUF_INIT;

		attr_addf(&sb, "test/n", "%d", i);
		/* compressible filler so chunks are zstd frames */
		for (int j = 0; j < 200; j++)
			attr_addstr(&sb, "test/filler", "the quick brown fox jumps over the lazy dog");
		chunk_writer_submit(w, FTIO_CHUNK_ATTR, 0, 0, 0, 0, sb.buf, sb.len);
	}
	chunk_writer_close(w);
	return path;
}

static void truncate_copy(const char *src, const char *dst, off_t len)
{
	size_t n;
	char *data = read_file(src, &n);
	int fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if ((size_t)len < n)
		n = len;
	if (write(fd, data, n) < 0)
		perror("write");
	close(fd);
	free(data);
}

static void test_reader_damage(void)
{
	char dir[] = "/tmp/ftio-unit-XXXXXX";
	char *path, *cut;
	struct recording *r;
	size_t size;
	char *data;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	path = write_recording(dir, 5);
	r = recording_open(path);
	ok(r && r->nr_chunks == 5 && r->nr_warnings == 0, "a clean recording indexes 5 chunks without warnings");
	ok(r && recording_attr(r, "test/n") && !strcmp(recording_attr(r, "test/n"), "4"),
	   "the last value of a name wins");
	recording_close(r);

	data = read_file(path, &size);
	cut = xasprintf("%s/cut.dat", dir);
	/* every cut point decodes the chunks before it, never more, never crashes */
	for (size_t at = 17; at < size; at += 97) {
		truncate_copy(path, cut, at);
		r = recording_open(cut);
		if (!r || r->nr_chunks > 5 || (at < size && r->nr_warnings == 0 && r->truncated_bytes == 0 &&
					       r->nr_chunks < 5)) {
			ok(0, "cut at %zu decodes with a warning", at);
			recording_close(r);
			goto out;
		}
		recording_close(r);
	}
	ok(1, "a recording cut at any offset decodes up to its last whole chunk, with a warning");

	truncate_copy(path, cut, 10);
	r = recording_open(cut);
	ok(!r && errno == EBADMSG, "a file shorter than the header is not a recording");
	recording_close(r);

	/* damage in the middle of the second chunk: the others survive */
	{
		struct recording *full = recording_open(path);
		uint64_t off = full->chunks[1].offset + FTIO_CHUNK_HEADER_SIZE + 10;
		int fd;

		recording_close(full);
		truncate_copy(path, cut, size);
		fd = open(cut, O_WRONLY);
		if (pwrite(fd, "XXXXXXXX", 8, off) != 8)
			perror("pwrite");
		close(fd);
		r = recording_open(cut);
		ok(r && r->nr_chunks == 5 && r->chunks[1].bad && r->nr_warnings == 1,
		   "a damaged payload loses only its own chunk, with a warning");
		recording_close(r);

		truncate_copy(path, cut, size);
		fd = open(cut, O_WRONLY);
		full = recording_open(path);
		off = full->chunks[2].offset + 4;
		recording_close(full);
		if (pwrite(fd, "\xff\xff", 2, off) != 2)
			perror("pwrite");
		close(fd);
		r = recording_open(cut);
		ok(r && r->nr_chunks == 4 && r->damaged_bytes > 0,
		   "a damaged chunk header is skipped by resynchronising on the next chunk");
		recording_close(r);
	}
out:
	free(data);
	free(cut);
	free(path);
	{
		char *cmd = xasprintf("rm -rf %s", dir);

		(void)!system(cmd);
		free(cmd);
	}
}

static void test_create_rules(void)
{
	char dir[] = "/tmp/ftio-unit-XXXXXX";
	char *path, *old = NULL, *link_path;
	int fd;
	struct stat st;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	path = xasprintf("%s/out.dat", dir);
	fd = recording_create(path, &old);
	ok(fd >= 0 && !old, "a new output is created");
	fstat(fd, &st);
	is_int(st.st_mode & 0777, 0600, "recordings are created 0600");
	close(fd);
	fd = recording_create(path, &old);
	ok(fd >= 0 && old && strstr(old, "out.dat.old"), "an existing output is kept as .old");
	close(fd);
	free(old);
	fd = recording_create(path, &old);
	ok(fd >= 0 && old && strstr(old, "out.dat.old.1"), "and a second one as .old.1, never overwritten");
	close(fd);
	free(old);
	link_path = xasprintf("%s/link.dat", dir);
	if (symlink("/etc/passwd", link_path))
		perror("symlink");
	is_int(recording_create(link_path, &old), -ELOOP, "a symlink at the output path is refused");
	free(link_path);
	free(path);
	{
		char *cmd = xasprintf("rm -rf %s", dir);

		(void)!system(cmd);
		free(cmd);
	}
}

int main(void)
{
	test_header_roundtrip();
	test_file_header();
	test_attr();
	test_reader_damage();
	test_create_rules();
	return done_testing();
}

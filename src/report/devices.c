// SPDX-License-Identifier: GPL-2.0
/*
 * The report's devices and inodes (see report.h): block device names and
 * mounts by device number, and the paths of inodes, from the recording's
 * snapshot and from what the layers learn while decoding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "lib/util.h"

static uint64_t kdev_major(uint32_t dev)
{
	return dev >> 20;
}

static uint64_t kdev_minor(uint32_t dev)
{
	return dev & ((1U << 20) - 1);
}

const char *report_dev_name(struct report *r, uint32_t dev, char *buf, size_t size)
{
	const char *name = intmap_get(&r->blockdevs, dev);

	if (name)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%llu:%llu", (unsigned long long)kdev_major(dev),
			 (unsigned long long)kdev_minor(dev));
	return buf;
}

const char *report_inode_path(struct report *r, uint32_t dev, uint64_t ino)
{
	uint8_t key[12];

	put_le32(key, dev);
	put_le64(key + 4, ino);
	return strmap_get(&r->inodes, key, sizeof(key));
}

void report_inode_learn(struct report *r, uint32_t dev, uint64_t ino, const char *path)
{
	uint8_t key[12];
	struct strmap_entry *e;

	if (!path)
		return;
	put_le32(key, dev);
	put_le64(key + 4, ino);
	e = strmap_insert(&r->inodes, key, sizeof(key), NULL, NULL);
	if (!e->val)
		e->val = xstrdup(path);
}

const struct mount *report_dev_mount(struct report *r, uint32_t dev)
{
	const struct mount *found = NULL;

	for (size_t i = 0; i < r->m.nr_mounts; i++) {
		const struct mount *mt = &r->m.mounts[i];

		if (mt->major == kdev_major(dev) && mt->minor == kdev_minor(dev)) {
			/* the shortest mount point: the filesystem's main mount, not a bind */
			if (!found || mt->point_len < found->point_len)
				found = &r->m.mounts[i];
		}
	}
	return found;
}

uint64_t report_start_ns(struct report *r)
{
	return r->start_ns;
}

unsigned int report_top(struct report *r)
{
	return r->top;
}

void report_load_blockdevs(struct report *r)
{
	const char *text = recording_attr(r->rec, "sideband/blockdevs");
	char *copy, *save = NULL;

	if (!text)
		return;
	copy = xstrdup(text);
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned int ma, mi;
		char name[64];

		if (sscanf(line, "%u:%u\t%63s", &ma, &mi, name) != 3)
			continue;
		free(intmap_put(&r->blockdevs, (uint64_t)ma << 20 | mi, xstrdup(name)));
	}
	free(copy);
}

/* Files open at capture start: their inode numbers name them for the lower layers */
void report_load_snapshot_inodes(struct report *r)
{
	for (size_t i = 0; i < r->rec->nr_attrs; i++) {
		char *copy, *save = NULL;

		if (strcmp(r->rec->attrs[i].name, "sideband/fds"))
			continue;
		copy = xstrdup(r->rec->attrs[i].value);
		for (char *line = strtok_r(copy, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			unsigned int ma, mi;
			unsigned long long ino;
			char *path = strrchr(line, '\t');
			char *col = line;

			for (int c = 0; c < 4 && col; c++) {
				col = strchr(col, '\t');
				col = col ? col + 1 : NULL;
			}
			if (!col || !path || sscanf(col, "%u:%u:%llu", &ma, &mi, &ino) != 3 || !ino)
				continue;
			path++;
			unescape_inplace(path);
			if (path[0] == '/')
				report_inode_learn(r, ma << 20 | mi, ino, path);
		}
		free(copy);
	}
}

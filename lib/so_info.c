/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading a storage object back: mostly its info file, parsed the way
 * rtslib-fb parses it, plus udev_path, enable, the unit serial and the
 * HBA's hba_info.
 */
#include <limits.h>
#include <stdio.h>
#include <strings.h>
#include <sys/stat.h>

#include "private.h"

/* A file of the object, or NULL (and no message) when it cannot be read. */
static char *so_read(struct lio_so *so, const char *group, const char *name)
{
	_cleanup_free_ char *path = lio_obj_file(&so->obj, group, name);
	char *value = NULL;

	if (!path || lio_read_file_quiet(path, &value) < 0)
		return NULL;
	return value;
}

int lio_so_info_text(struct lio_so *so, char **text)
{
	_cleanup_free_ char *path = lio_obj_file(&so->obj, NULL, "info");

	if (!path)
		return lio_err(so->obj.ctx, -ENOMEM, "Out of memory");
	if (!lio_obj_exists(&so->obj))
		return lio_err(so->obj.ctx, -ENOENT, "No storage object named %s/%s",
			       lio_plugin_name(so->plugin), so->obj.name);
	return lio_read_file(so->obj.ctx, path, text);
}

int lio_so_udev_path(struct lio_so *so, char **path)
{
	_cleanup_free_ char *info = NULL;
	char *dev = so_read(so, NULL, "udev_path");

	/* fileio objects made without udev_path still name their file in info. */
	if ((!dev || !*dev) && so->plugin == LIO_PLUGIN_FILEIO) {
		free(dev);
		dev = NULL;
		info = so_read(so, NULL, "info");
		if (info && lio_info_value(info, "File", &dev) < 0)
			dev = NULL;
	}
	*path = dev;
	return 0;
}

static bool info_bool(const char *info, const char *key)
{
	_cleanup_free_ char *v = NULL;

	return lio_info_value(info, key, &v) == 0 && strcmp(v, "0");
}

static uint64_t info_u64(const char *info, const char *key)
{
	_cleanup_free_ char *v = NULL;
	unsigned long long n;

	if (lio_info_value(info, key, &v) < 0 || lio_parse_uint(v, ULLONG_MAX, &n) < 0)
		return 0;
	return n;
}

/* ramdisk "PAGES/PAGE_SIZE: <pages>*<page size>" */
static uint64_t ramdisk_size(const char *info)
{
	_cleanup_free_ char *v = NULL;
	unsigned long long pages, page_size;
	char *star;

	if (lio_info_value(info, "PAGES/PAGE_SIZE", &v) < 0 || !(star = strchr(v, '*')))
		return 0;
	*star = '\0';
	if (lio_parse_uint(v, ULLONG_MAX, &pages) < 0 ||
	    lio_parse_uint(star + 1, ULLONG_MAX, &page_size) < 0)
		return 0;
	return pages * page_size;
}

static uint64_t fileio_size(const char *info, const char *dev)
{
	struct stat st;
	uint64_t bytes;

	/* On a block device the kernel follows the device's current size. */
	if (dev && stat(dev, &st) == 0 && S_ISBLK(st.st_mode) &&
	    lio_blockdev_size_rdev(st.st_rdev, &bytes) == 0)
		return bytes;
	return info_u64(info, "Size");
}

static uint64_t block_size(const char *info, const char *dev)
{
	_cleanup_free_ char *name = NULL;
	struct stat st;
	uint64_t bytes;

	/* The kernel's device name first: it survives an LV rename. */
	if (lio_info_value(info, "device", &name) == 0 &&
	    lio_blockdev_size_name(name, &bytes) == 0)
		return bytes;
	if (dev && stat(dev, &st) == 0 && S_ISBLK(st.st_mode) &&
	    lio_blockdev_size_rdev(st.st_rdev, &bytes) == 0)
		return bytes;
	return 0;
}

/* rtslib's control_tuples: the settings a restore must write again. */
static int user_control(struct lio_so *so, const char *info, char **out)
{
	_cleanup_free_ char *mb = NULL, *bs = NULL, *dp = NULL;
	char *s;

	if (lio_info_value(info, "MaxDataAreaMB", &mb) < 0 || !strcmp(mb, "NULL")) {
		free(mb);
		mb = NULL;
	}
	bs = so_read(so, "attrib", "hw_block_size");
	if (bs && (!*bs || !strcmp(bs, "NULL"))) {
		free(bs);
		bs = NULL;
	}
	if (lio_info_value(info, "DataPagesPerBlk", &dp) < 0 || !strcmp(dp, "NULL")) {
		free(dp);
		dp = NULL;
	}
	s = lio_strdupf("%s%s%s%s%s%s%s%s", mb ? "max_data_area_mb=" : "", mb ? mb : "",
			mb && (bs || dp) ? "," : "", bs ? "hw_block_size=" : "", bs ? bs : "",
			bs && dp ? "," : "", dp ? "data_pages_per_blk=" : "", dp ? dp : "");
	if (!s)
		return -ENOMEM;
	*out = s;
	return 0;
}

static int read_wwn(struct lio_so *so, char **wwn)
{
	_cleanup_free_ char *text = so_read(so, "wwn", "vpd_unit_serial");
	const char *colon, *start, *end;

	*wwn = NULL;
	if (!text || !(colon = strchr(text, ':')))
		return 0;
	for (start = colon + 1; *start == ' ' || *start == '\t'; start++)
		;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
		end--;
	if (end == start)
		return 0;
	*wwn = strndup(start, (size_t)(end - start));
	return *wwn ? 0 : -ENOMEM;
}

static int read_version(struct lio_so *so, char **version)
{
	_cleanup_free_ char *path = lio_strdupf("%s/hba_info", so->hba_path);
	_cleanup_free_ char *text = NULL;

	*version = NULL;
	if (!path)
		return -ENOMEM;
	if (lio_read_file_quiet(path, &text) < 0)
		return 0;
	if (lio_info_value(text, "version", version) == -ENOMEM)
		return -ENOMEM;
	return 0;
}

static int plugin_info(struct lio_so *so, const char *info, struct lio_so_info *out)
{
	_cleanup_free_ char *v = NULL;

	switch (so->plugin) {
	case LIO_PLUGIN_FILEIO:
		out->size = fileio_size(info, out->dev);
		out->aio = info_bool(info, "Async");
		break;
	case LIO_PLUGIN_BLOCK:
		out->size = block_size(info, out->dev);
		out->readonly = info_bool(info, "readonly");
		if (!out->dev && lio_info_value(info, "device", &v) == 0) {
			out->dev = lio_strdupf("/dev/%s", v);
			if (!out->dev)
				return -ENOMEM;
		}
		break;
	case LIO_PLUGIN_RAMDISK:
		out->size = ramdisk_size(info);
		out->nullio = info_bool(info, "nullio");
		break;
	case LIO_PLUGIN_USER:
		out->size = info_u64(info, "Size");
		out->hw_max_sectors = (uint32_t)info_u64(info, "HwMaxSectors");
		if (lio_info_value(info, "Config", &v) == 0 && strcmp(v, "NULL"))
			out->config = TAKE_PTR(v);
		return user_control(so, info, &out->control);
	case LIO_PLUGIN_PSCSI:
		break;
	}
	return 0;
}

int lio_so_get_info(struct lio_so *so, struct lio_so_info *out)
{
	_cleanup_free_ char *info = NULL, *status = NULL, *enable = NULL, *wc = NULL;
	struct lio_ctx *ctx = so->obj.ctx;
	int r;

	memset(out, 0, sizeof(*out));
	r = lio_so_info_text(so, &info);
	if (r < 0)
		return r;
	if (lio_info_value(info, "Status", &status) == 0)
		out->activated = !strcasecmp(status, "ACTIVATED");
	/* No enable file (old kernels) means always enabled, as rtslib reads it. */
	enable = so_read(so, NULL, "enable");
	out->configured = !enable || strcmp(enable, "0");
	wc = so_read(so, "attrib", "emulate_write_cache");
	out->write_back = wc && strcmp(wc, "0");
	r = lio_so_udev_path(so, &out->dev);
	if (r == 0 && out->dev && !*out->dev) {
		free(out->dev);
		out->dev = NULL;
	}
	if (r == 0)
		r = plugin_info(so, info, out);
	if (r == 0 && out->configured)
		r = read_wwn(so, &out->wwn);
	if (r == 0)
		r = read_version(so, &out->version);
	if (r < 0) {
		lio_so_info_clear(out);
		return lio_err(ctx, r, "Out of memory");
	}
	return 0;
}

void lio_so_info_clear(struct lio_so_info *info)
{
	if (!info)
		return;
	free(info->dev);
	free(info->wwn);
	free(info->config);
	free(info->control);
	free(info->version);
	memset(info, 0, sizeof(*info));
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the backstores need to know about host devices: block device type,
 * read-only flag, size, whether someone holds it, and SCSI H:C:T:L <->
 * device node (pscsi). sysfs is read directly; there is no udev here.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "private.h"

#define SYSFS "/sys"

/* An unsigned decimal from a sysfs file. */
static int read_sysfs_ull(const char *path, unsigned long long *v)
{
	_cleanup_free_ char *text = NULL;
	int r = lio_read_file_quiet(path, &text);

	if (r < 0)
		return r;
	return lio_parse_uint(text, ULLONG_MAX, v);
}

int lio_blockdev_check_disk(struct lio_ctx *ctx, const char *dev, const struct stat *st)
{
	_cleanup_free_ char *path = NULL;
	unsigned long long type;

	if (!S_ISBLK(st->st_mode))
		return lio_err(ctx, -ENODEV, "Device %s is not a block device", dev);
	path = lio_strdupf(SYSFS "/dev/block/%u:%u/device/type", major(st->st_rdev),
			   minor(st->st_rdev));
	if (!path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	/* Only SCSI devices have a type; partitions, loop, md, dm count as disks. */
	if (read_sysfs_ull(path, &type) == 0 && type != 0)
		return lio_err(ctx, -ENODEV, "Device %s is not a TYPE_DISK block device", dev);
	return 0;
}

int lio_dev_in_use(const char *dev, bool rdwr)
{
	/*
	 * O_EXCL without O_CREAT on a device claims it: it fails with EBUSY
	 * while it is mounted, part of md/dm, or held by the kernel target.
	 */
	int fd = open(dev, (rdwr ? O_RDWR : O_RDONLY) | O_EXCL | O_NDELAY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int lio_blockdev_readonly(struct lio_ctx *ctx, const char *dev, bool *ro)
{
	int fd, flag = 0;

	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		return lio_err(ctx, -e, "Could not open %s: %s", dev, strerror(e));
	}
	if (ioctl(fd, BLKROGET, &flag) < 0) {
		int e = errno;

		close(fd);
		return lio_err(ctx, -e, "Cannot read the read-only flag of %s: %s", dev,
			       strerror(e));
	}
	close(fd);
	*ro = flag != 0;
	return 0;
}

int lio_blockdev_size_rdev(dev_t rdev, uint64_t *bytes)
{
	_cleanup_free_ char *path = lio_strdupf(SYSFS "/dev/block/%u:%u/size", major(rdev),
						 minor(rdev));
	unsigned long long sectors;
	int r;

	if (!path)
		return -ENOMEM;
	r = read_sysfs_ull(path, &sectors);
	if (r < 0)
		return r;
	*bytes = sectors * 512; /* sysfs counts 512-byte units whatever the block size */
	return 0;
}

int lio_blockdev_size_name(const char *name, uint64_t *bytes)
{
	_cleanup_free_ char *path = NULL;
	unsigned long long sectors;
	int r;

	/* sysfs spells '/' in disk names (cciss/c0d0) as '!'. */
	path = lio_strdupf(SYSFS "/class/block/%s/size", name);
	if (!path)
		return -ENOMEM;
	for (char *p = path + strlen(SYSFS "/class/block/"); *p && strcmp(p, "/size"); p++)
		if (*p == '/')
			*p = '!';
	r = read_sysfs_ull(path, &sectors);
	if (r < 0)
		return r;
	*bytes = sectors * 512;
	return 0;
}

static bool parse_hctl(const char *s, unsigned hctl[4])
{
	unsigned long long v;
	char buf[64], *save = NULL, *tok;
	int i = 0;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	if (buf[0] == ':' || buf[strlen(buf) - 1] == ':' || strstr(buf, "::"))
		return false;
	for (tok = strtok_r(buf, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
		if (i == 4 || lio_parse_uint(tok, UINT_MAX, &v) < 0)
			return false;
		hctl[i++] = (unsigned)v;
	}
	return i == 4;
}

/* The SCSI device (H:C:T:L) behind a block or char device node. */
static int hctl_of_node(const struct stat *st, unsigned hctl[4])
{
	_cleanup_free_ char *path = NULL;
	char real[PATH_MAX];
	const char *base;

	if (!S_ISBLK(st->st_mode) && !S_ISCHR(st->st_mode))
		return -ENODEV;
	/* A partition has no device link of its own: pscsi takes whole devices. */
	path = lio_strdupf(SYSFS "/dev/%s/%u:%u/device", S_ISBLK(st->st_mode) ? "block" : "char",
			   major(st->st_rdev), minor(st->st_rdev));
	if (!path)
		return -ENOMEM;
	if (!realpath(path, real))
		return -ENODEV;
	base = strrchr(real, '/');
	return base && parse_hctl(base + 1, hctl) ? 0 : -ENODEV;
}

/* First entry of @dir, as /dev/<entry>. */
static int first_node(const char *dir, char **node)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int r = -ENOENT;

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			*node = lio_strdupf("/dev/%s", de->d_name);
			r = *node ? 0 : -ENOMEM;
			break;
		}
	closedir(d);
	return r;
}

int lio_scsi_resolve(struct lio_ctx *ctx, const char *dev, unsigned hctl[4], char **udev_path)
{
	_cleanup_free_ char *sdir = NULL, *dir = NULL;
	struct stat st;

	/* A path first, as rtslib: "0:0:1:0" is only H:C:T:L if no such file. */
	if (stat(dev, &st) == 0 && hctl_of_node(&st, hctl) == 0) {
		*udev_path = strdup(dev);
		return *udev_path ? 0 : lio_err(ctx, -ENOMEM, "Out of memory");
	}
	if (!parse_hctl(dev, hctl))
		return lio_err(ctx, -ENODEV,
			       "Cannot find SCSI device by path, and dev parameter not in H:C:T:L format: %s",
			       dev);
	sdir = lio_strdupf(SYSFS "/class/scsi_device/%u:%u:%u:%u/device", hctl[0], hctl[1],
			   hctl[2], hctl[3]);
	if (!sdir)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	if (!lio_is_dir(sdir))
		return lio_err(ctx, -ENODEV, "No SCSI device %s", dev);
	/* Prefer the block node; tapes, changers and the like only have sg. */
	dir = lio_strdupf("%s/block", sdir);
	if (dir && first_node(dir, udev_path) == 0)
		return 0;
	free(dir);
	dir = lio_strdupf("%s/scsi_generic", sdir);
	if (dir && first_node(dir, udev_path) == 0)
		return 0;
	return lio_err(ctx, -ENODEV, "Could not find path for SCSI hctl %s", dev);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Storage object creation, in rtslib-fb's configfs order: HBA mkdir, object
 * mkdir, the plugin's control writes (one write each), udev_path, enable,
 * unit serial, persistent reservations. Whatever fails, nothing we made is
 * left behind: not the directories, not a backing file we created.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

/* What the checks before any mkdir worked out. */
struct so_plan {
	const struct lio_so_spec *spec;
	uint64_t size;        /* fileio (file), ramdisk, user */
	bool create_file;     /* fileio: the backing file is ours to make */
	bool blockdev;        /* fileio on a block device */
	bool readonly;        /* block */
	unsigned hctl[4];     /* pscsi */
	char *udev_path;      /* pscsi: the device node */
	char *wwn;            /* unit serial to write; NULL for pscsi */
};

static bool tristate(enum lio_tristate t, bool dflt)
{
	return t == LIO_DEFAULT ? dflt : t != LIO_NO;
}

/* The kernel splits control strings at ',' and newlines. */
static int check_control_value(struct lio_ctx *ctx, const char *dev)
{
	if (strchr(dev, ','))
		return lio_err(ctx, -EINVAL, "Device path cannot contain ',': %s", dev);
	return 0;
}

static int need_dev(struct lio_ctx *ctx, const struct lio_so_spec *spec)
{
	if (!spec->dev || !*spec->dev)
		return lio_err(ctx, -EINVAL, "A device path is needed for a %s storage object",
			       lio_plugin_name(spec->plugin));
	/* Not echoed: messages stay on one line. */
	if (strpbrk(spec->dev, "\n\r"))
		return lio_err(ctx, -EINVAL, "A device path cannot contain line breaks");
	return 0;
}

/* targetcli-fb refuses a second object on the same file or device. */
static int check_not_used(struct lio_ctx *ctx, const char *dev, const struct stat *st)
{
	struct lio_so **list;
	size_t n;
	int r;

	r = lio_so_list(ctx, -1, &list, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n && r == 0; i++) {
		_cleanup_free_ char *other = NULL;
		struct stat ost;

		if (lio_so_udev_path(list[i], &other) < 0 || !other || !*other)
			continue;
		if (stat(other, &ost) == 0 && ost.st_dev == st->st_dev &&
		    ost.st_ino == st->st_ino)
			r = lio_err(ctx, -EEXIST, "storage object for %s already exists: %s", dev,
				    lio_so_name(list[i]));
	}
	lio_list_free(list, n);
	return r;
}

static int plan_fileio(struct lio_ctx *ctx, struct so_plan *plan)
{
	const struct lio_so_spec *spec = plan->spec;
	struct stat st;
	int r;

	r = need_dev(ctx, spec);
	if (r == 0)
		r = check_control_value(ctx, spec->dev);
	if (r < 0)
		return r;
	if (stat(spec->dev, &st) < 0) {
		int e = errno;

		if (e != ENOENT)
			return lio_err(ctx, -e, "Cannot open %s: %s", spec->dev, strerror(e));
		if (!spec->size)
			return lio_err(ctx, -EINVAL,
				       "Attempting to create file for new fileio backstore, need a size");
		plan->create_file = true;
		plan->size = spec->size;
		return 0;
	}
	r = check_not_used(ctx, spec->dev, &st);
	if (r < 0)
		return r;
	if (S_ISBLK(st.st_mode)) {
		r = lio_blockdev_check_disk(ctx, spec->dev, &st);
		if (r < 0)
			return r;
		r = lio_dev_in_use(spec->dev, false);
		if (r == -EBUSY)
			return lio_err(ctx, r, "Device %s is already in use", spec->dev);
		if (r < 0)
			return lio_err(ctx, r, "Cannot open %s: %s", spec->dev, strerror(-r));
		if (spec->size)
			lio_note(ctx, "Block device, size parameter ignored");
		lio_note(ctx, "Note: block backstore preferred for best results");
		plan->blockdev = true;
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return lio_err(ctx, -EINVAL, "Path %s exists but is not a file", spec->dev);
	if (spec->size && spec->size != (uint64_t)st.st_size)
		lio_note(ctx, "%s exists, using its size (%llu bytes) instead", spec->dev,
			 (unsigned long long)st.st_size);
	plan->size = (uint64_t)st.st_size;
	return 0;
}

static int plan_block(struct lio_ctx *ctx, struct so_plan *plan)
{
	const struct lio_so_spec *spec = plan->spec;
	struct stat st;
	int r;

	r = need_dev(ctx, spec);
	if (r == 0)
		r = check_control_value(ctx, spec->dev);
	if (r < 0)
		return r;
	if (stat(spec->dev, &st) < 0) {
		int e = errno;

		return lio_err(ctx, -e, "Cannot open %s: %s", spec->dev, strerror(e));
	}
	r = lio_blockdev_check_disk(ctx, spec->dev, &st);
	if (r < 0)
		return r;
	if (spec->readonly == LIO_DEFAULT) {
		r = lio_blockdev_readonly(ctx, spec->dev, &plan->readonly);
		if (r < 0)
			return r;
	} else {
		plan->readonly = spec->readonly != LIO_NO;
	}
	r = lio_dev_in_use(spec->dev, false);
	if (r == -EBUSY)
		return lio_err(ctx, r, "Device %s is already in use", spec->dev);
	if (r < 0)
		return lio_err(ctx, r, "Cannot open %s: %s", spec->dev, strerror(-r));
	return 0;
}

static int plan_pscsi(struct lio_ctx *ctx, struct so_plan *plan)
{
	struct stat st;
	int r;

	r = need_dev(ctx, plan->spec);
	if (r == 0)
		r = lio_scsi_resolve(ctx, plan->spec->dev, plan->hctl, &plan->udev_path);
	if (r < 0)
		return r;
	if (stat(plan->udev_path, &st) < 0) {
		int e = errno;

		return lio_err(ctx, -e, "Cannot open %s: %s", plan->udev_path, strerror(e));
	}
	/* sg nodes only take an exclusive open read-write. */
	r = lio_dev_in_use(plan->udev_path, S_ISCHR(st.st_mode));
	if (r == -EBUSY)
		return lio_err(ctx, r, "Device %s (SCSI %u:%u:%u:%u) is already in use",
			       plan->udev_path, plan->hctl[0], plan->hctl[1], plan->hctl[2],
			       plan->hctl[3]);
	if (r < 0)
		return lio_err(ctx, r, "Cannot open %s: %s", plan->udev_path, strerror(-r));
	if (S_ISBLK(st.st_mode))
		lio_note(ctx, "Note: block backstore recommended for SCSI block devices");
	return 0;
}

static int plan_user(struct lio_ctx *ctx, struct so_plan *plan)
{
	const char *config = plan->spec->config;
	const char *control = plan->spec->control;

	if (!config || !*config)
		return lio_err(ctx, -EINVAL, "A config string is needed for a user storage object");
	if (!strchr(config, '/'))
		return lio_err(ctx, -EINVAL,
			       "'config' must contain a '/' separating subtype from its configuration string");
	if (strchr(config, ':'))
		return lio_err(ctx, -EINVAL, "':' not allowed in config string");
	if (strchr(config, '\n') || (control && strchr(control, '\n')))
		return lio_err(ctx, -EINVAL, "Config and control strings cannot contain line breaks");
	plan->size = plan->spec->size;
	return 0;
}

static int plan_wwn(struct lio_ctx *ctx, struct so_plan *plan)
{
	const char *wwn = plan->spec->wwn;
	char uuid[37];
	int r;

	/* pscsi reports the device's own serial; the kernel cannot set it. */
	if (plan->spec->plugin == LIO_PLUGIN_PSCSI)
		return 0;
	if (wwn && *wwn) {
		if (strpbrk(wwn, "\n\r"))
			return lio_err(ctx, -EINVAL, "A unit serial cannot contain line breaks");
		plan->wwn = strdup(wwn);
	} else {
		r = lio_uuid4(uuid);
		if (r < 0)
			return lio_err(ctx, r, "Cannot generate a unit serial: %s", strerror(-r));
		plan->wwn = strdup(uuid);
	}
	return plan->wwn ? 0 : lio_err(ctx, -ENOMEM, "Out of memory");
}

/*
 * Under the lock: no object of this plugin and name, then a fresh HBA;
 * *before: core/'s key before it, for the names cache.
 */
static int make_hba(struct lio_ctx *ctx, const struct lio_so_spec *spec, unsigned *index,
		    struct lio_dir_key *before)
{
	unsigned existing;
	int fd, r;

	r = lio_hba_lock(ctx, &fd);
	if (r < 0)
		return r;
	r = lio_so_find(ctx, spec->plugin, spec->name, &existing);
	if (r == 0)
		r = lio_err(ctx, -EEXIST, "Storage object %s/%s exists",
			    lio_plugin_name(spec->plugin), spec->name);
	else if (r == -ENOENT) {
		lio_so_names_before(ctx, before);
		r = lio_hba_mkdir(ctx, lio_plugin_hba_prefix(spec->plugin), index);
	}
	lio_hba_unlock(fd);
	return r;
}

static int create_file(struct lio_ctx *ctx, const char *path, uint64_t size, bool sparse)
{
	int fd, r = 0;

	if (size > (uint64_t)INT64_MAX)
		return lio_err(ctx, -EFBIG, "Size %llu is too large for %s",
			       (unsigned long long)size, path);
	/*
	 * 0600: the file holds what initiators store on the LUN, which is no
	 * business of other local users (targetcli-fb's open("w+") leaves it
	 * to the umask). O_EXCL: a file that appeared since the checks is not
	 * ours to resize.
	 */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;

		return lio_err(ctx, -e, "Cannot create %s: %s", path, strerror(e));
	}
	if (sparse) {
		if (ftruncate(fd, (off_t)size) < 0)
			r = -errno;
	} else {
		lio_note(ctx, "Writing %llu bytes", (unsigned long long)size);
		r = -posix_fallocate(fd, 0, (off_t)size);
	}
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0) {
		unlink(path);
		return lio_err(ctx, r, "Could not expand %s to %llu bytes: %s", path,
			       (unsigned long long)size, strerror(-r));
	}
	return 0;
}

/* One configfs write of a formatted value to a file of the object. */
static int so_write(struct lio_so *so, const char *file, const char *fmt, ...)
	LIO_PRINTF(3, 4);
static int so_write(struct lio_so *so, const char *file, const char *fmt, ...)
{
	_cleanup_free_ char *path = lio_strdupf("%s/%s", so->obj.path, file);
	_cleanup_free_ char *value = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&value, fmt, ap);
	va_end(ap);
	if (r < 0)
		value = NULL;
	if (!path || !value)
		return lio_err(so->obj.ctx, -ENOMEM, "Out of memory");
	r = lio_write_file(so->obj.ctx, path, value);
	if (r < 0) {
		size_t len = strlen(value);

		/* Messages are one line: show "1", not "1\n". */
		if (len && value[len - 1] == '\n')
			value[--len] = '\0';
		return lio_err(so->obj.ctx, r, "Cannot write '%s' to %s: %s", value, path,
			       strerror(-r));
	}
	return 0;
}

static int configure_fileio(struct lio_so *so, const struct so_plan *plan)
{
	const struct lio_so_spec *spec = plan->spec;
	int r;

	if (plan->blockdev)
		r = so_write(so, "control", "fd_dev_name=%s", spec->dev);
	else
		r = so_write(so, "control", "fd_dev_name=%s,fd_dev_size=%llu", spec->dev,
			     (unsigned long long)plan->size);
	if (r == 0 && tristate(spec->write_back, true)) {
		r = so_write(so, "attrib/emulate_write_cache", "1");
		if (r == 0)
			r = so_write(so, "control", "fd_buffered_io=1");
	}
	if (r == 0 && tristate(spec->aio, false))
		r = so_write(so, "control", "fd_async_io=1");
	if (r == 0)
		r = so_write(so, "udev_path", "%s", spec->dev);
	return r;
}

static int configure_block(struct lio_so *so, const struct so_plan *plan)
{
	const char *dev = plan->spec->dev;
	int r;

	r = so_write(so, "udev_path", "%s", dev);
	if (r == 0)
		r = so_write(so, "control", "udev_path=%s", dev);
	if (r == 0)
		r = so_write(so, "control", "readonly=%d", plan->readonly ? 1 : 0);
	return r;
}

static int configure_ramdisk(struct lio_so *so, const struct so_plan *plan)
{
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t page = ps > 0 ? (uint64_t)ps : 4096;
	uint64_t pages = plan->size / page, rest = plan->size % page;
	int r;

	/* rtslib rounds size/pagesize the Python 3 way: halves to even. */
	if (rest * 2 > page || (rest * 2 == page && (pages & 1)))
		pages++;
	if (!pages)
		pages = 1;
	r = so_write(so, "control", "rd_pages=%llu", (unsigned long long)pages);
	if (r == 0 && plan->spec->nullio)
		r = so_write(so, "control", "rd_nullio=1");
	return r;
}

static int configure_pscsi(struct lio_so *so, const struct so_plan *plan)
{
	const unsigned *h = plan->hctl;
	int r;

	r = so_write(so, "control", "scsi_host_id=%u,scsi_channel_id=%u,scsi_target_id=%u,scsi_lun_id=%u",
		     h[0], h[1], h[2], h[3]);
	if (r == 0)
		r = so_write(so, "udev_path", "%s", plan->udev_path);
	return r;
}

static int configure_user(struct lio_so *so, const struct so_plan *plan)
{
	const struct lio_so_spec *spec = plan->spec;
	int r;

	r = so_write(so, "control", "dev_config=%s", spec->config);
	if (r == 0)
		r = so_write(so, "control", "dev_size=%llu", (unsigned long long)plan->size);
	if (r == 0 && spec->hw_max_sectors)
		r = so_write(so, "control", "hw_max_sectors=%u", spec->hw_max_sectors);
	if (r == 0 && spec->control) {
		const char *c = spec->control;
		size_t len;

		while (*c == ' ' || *c == '\t')
			c++;
		len = strlen(c);
		while (len && (c[len - 1] == ' ' || c[len - 1] == '\t'))
			len--;
		if (len)
			r = so_write(so, "control", "%.*s", (int)len, c);
	}
	return r;
}

/*
 * Registrations the kernel saved for this unit serial (APTPL) go back in,
 * one write per registration, its lines joined with ','.
 */
static int restore_aptpl(struct lio_so *so, const char *wwn)
{
	_cleanup_free_ char *dbroot = NULL, *path = NULL, *text = NULL, *reg = NULL;
	_cleanup_free_ char *dbroot_file = lio_strdupf("%s/dbroot", so->obj.ctx->root);
	char *save = NULL, *tok;
	bool skip_index = false;
	size_t len = 0;
	int r = 0;

	if (!dbroot_file)
		return lio_err(so->obj.ctx, -ENOMEM, "Out of memory");
	if (lio_read_file_quiet(dbroot_file, &dbroot) < 0 || !*dbroot) {
		free(dbroot);
		dbroot = strdup("/var/target"); /* the kernel's default */
	}
	path = dbroot ? lio_strdupf("%s/pr/aptpl_%s", dbroot, wwn) : NULL;
	if (!path)
		return lio_err(so->obj.ctx, -ENOMEM, "Out of memory");
	if (lio_read_file_quiet(path, &text) < 0 || strncmp(text, "PR_REG_START:", 13))
		return 0;
	reg = malloc(strlen(text) + 1);
	if (!reg)
		return lio_err(so->obj.ctx, -ENOMEM, "Out of memory");
	for (tok = strtok_r(text, " \t\r\n", &save); tok && r == 0;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		bool marker_index = skip_index && strspn(tok, "0123456789") == strlen(tok);

		skip_index = false;
		if (marker_index)
			continue;
		if (!strcmp(tok, "PR_REG_START:")) {
			len = 0;
			reg[0] = '\0';
			skip_index = true;
		} else if (!strcmp(tok, "PR_REG_END:")) {
			r = so_write(so, "pr/res_aptpl_metadata", "%s", reg);
			skip_index = true;
		} else {
			len += (size_t)sprintf(reg + len, "%s%s", len ? "," : "", tok);
		}
	}
	return r;
}

/* Remove what a failed create made, keeping the original failure's message. */
static void undo(struct lio_ctx *ctx, const char *so_path, const char *hba_path,
		 const char *file)
{
	char saved[sizeof(ctx->errmsg)];

	memcpy(saved, ctx->errmsg, sizeof(saved));
	if (so_path)
		rmdir(so_path);
	if (hba_path)
		rmdir(hba_path);
	if (file)
		unlink(file);
	memcpy(ctx->errmsg, saved, sizeof(saved));
}

static int plan_ramdisk(struct lio_ctx *ctx, struct so_plan *plan)
{
	(void)ctx;
	plan->size = plan->spec->size;
	return 0;
}

/*
 * What each plugin adds to a create: checks and decisions taken before
 * anything is touched (plan), then its configfs writes (configure).
 */
static const struct so_plugin_ops {
	int (*plan)(struct lio_ctx *ctx, struct so_plan *plan);
	int (*configure)(struct lio_so *so, const struct so_plan *plan);
} plugin_ops[LIO_PLUGINS] = {
	[LIO_PLUGIN_BLOCK] = { plan_block, configure_block },
	[LIO_PLUGIN_FILEIO] = { plan_fileio, configure_fileio },
	[LIO_PLUGIN_PSCSI] = { plan_pscsi, configure_pscsi },
	[LIO_PLUGIN_RAMDISK] = { plan_ramdisk, configure_ramdisk },
	[LIO_PLUGIN_USER] = { plan_user, configure_user },
};

static int make_plan(struct lio_ctx *ctx, struct so_plan *plan)
{
	int r = plugin_ops[plan->spec->plugin].plan(ctx, plan);

	return r < 0 ? r : plan_wwn(ctx, plan);
}

static int configure(struct lio_so *so, struct so_plan *plan)
{
	int r = plugin_ops[plan->spec->plugin].configure(so, plan);

	if (r == 0)
		r = so_write(so, "enable", "1\n");
	if (r == 0 && plan->wwn)
		r = so_write(so, "wwn/vpd_unit_serial", "%s\n", plan->wwn);
	if (r == 0 && plan->wwn)
		r = restore_aptpl(so, plan->wwn);
	return r;
}

int lio_so_create(struct lio_ctx *ctx, const struct lio_so_spec *spec, struct lio_so **out)
{
	_cleanup_free_ char *hba_path = NULL;
	struct so_plan plan = { .spec = spec };
	struct lio_so *so = NULL;
	bool made_so = false, made_file = false;
	struct lio_dir_key before = { 0 };
	unsigned index;
	int r;

	if (!spec || !lio_plugin_name(spec->plugin))
		return lio_err(ctx, -EINVAL, "Unknown storage plugin");
	if (spec->name && strpbrk(spec->name, "\n\r"))
		return lio_err(ctx, -EINVAL, "A storage object name cannot contain line breaks");
	if (!lio_so_name_valid(spec->name))
		return lio_err(ctx, -EINVAL,
			       "Invalid storage object name '%s': it cannot be empty, '.', '..', or contain /, newline or spaces/tabs",
			       spec->name ? spec->name : "");
	r = make_plan(ctx, &plan);
	if (r < 0)
		goto out;
	r = make_hba(ctx, spec, &index, &before);
	if (r < 0)
		goto out;
	hba_path = lio_strdupf("%s/core/%s_%u", ctx->root, lio_plugin_hba_prefix(spec->plugin),
			       index);
	if (!hba_path) {
		/* Without its path the HBA cannot be removed: say so. */
		r = lio_err(ctx, -ENOMEM, "Out of memory");
		goto out;
	}
	r = lio_so_alloc(ctx, spec->plugin, index, spec->name, &so);
	if (r == 0)
		r = lio_mkdir(ctx, so->obj.path);
	if (r == 0)
		made_so = true;
	if (r == 0 && plan.create_file) {
		r = create_file(ctx, spec->dev, plan.size, tristate(spec->sparse, true));
		made_file = r == 0;
	}
	if (r == 0)
		r = configure(so, &plan);
	if (r < 0) {
		undo(ctx, made_so ? so->obj.path : NULL, hba_path,
		     made_file ? spec->dev : NULL);
		lio_so_index_drop(ctx); /* rare: simpler to read core/ again */
		so = lio_so_unref(so);
		goto out;
	}
	lio_so_index_set(ctx, spec->plugin, spec->name, index, true);
	lio_so_names_note_hba(ctx, &before, strrchr(hba_path, '/') + 1, spec->name);
	*out = so;
out:
	free(plan.udev_path);
	free(plan.wwn);
	return r;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fabric table (rtslib's fabric_modules), fabric loading, hardware WWNs
 * from sysfs, WWN <-> configfs name conversion and iSCSI discovery auth.
 */
#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "private.h"

#define SYSFS_ROOT "/sys"

/* ------------------------------------------------------------------ */
/* Hardware WWNs                                                       */

struct strv {
	char **v;
	size_t n;
};

static int strv_push(struct strv *sv, char *s)
{
	char **nv;

	if (!s)
		return -ENOMEM;
	nv = realloc(sv->v, (sv->n + 1) * sizeof(*nv));
	if (!nv) {
		free(s);
		return -ENOMEM;
	}
	sv->v = nv;
	sv->v[sv->n++] = s;
	return 0;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* @s without its "0x" prefix, if any. */
static const char *skip_0x(const char *s)
{
	return (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? s + 2 : s;
}

/* glob(3) that treats "no match" as an empty result. */
static int glob_paths(const char *sysfs, const char *pattern, glob_t *g)
{
	_cleanup_free_ char *full = lio_strdupf("%s/%s", sysfs, pattern);
	int r;

	memset(g, 0, sizeof(*g));
	if (!full)
		return -ENOMEM;
	r = glob(full, 0, NULL, g);
	if (r == GLOB_NOMATCH || r == GLOB_ABORTED)
		return 0;
	if (r)
		return -ENOMEM;
	return 0;
}

/* InfiniBand port GIDs: "fe80:0000:...:8a41" -> "ib.fe80...8a41". */
static int srpt_wwns(const char *sysfs, struct strv *out)
{
	glob_t g;
	int r = glob_paths(sysfs, "class/infiniband/*/ports/*/gids/0", &g);

	for (size_t i = 0; r == 0 && i < g.gl_pathc; i++) {
		_cleanup_free_ char *gid = NULL;
		char *wwn, *w;

		if (lio_read_file_quiet(g.gl_pathv[i], &gid) < 0)
			continue;
		wwn = malloc(strlen(gid) + 4);
		if (!wwn) {
			r = -ENOMEM;
			break;
		}
		w = wwn + sprintf(wwn, "ib.");
		for (const char *p = gid; *p; p++)
			if (*p != ':')
				*w++ = *p;
		*w = '\0';
		lower(wwn);
		r = strv_push(out, wwn);
	}
	globfree(&g);
	return r;
}

/*
 * The FC HBA's device is three levels above the resolved fc_host entry
 * (<device>/hostN/fc_host/hostN); its "driver" (or, for FCoE, "subsystem")
 * link names who drives the port.
 */
static bool fc_host_matches(const char *host_dir, const char *link, const char *want)
{
	char resolved[PATH_MAX], target[PATH_MAX];
	_cleanup_free_ char *p = NULL;
	const char *base;

	if (!realpath(host_dir, resolved))
		return false;
	for (int up = 0; up < 3; up++) {
		char *slash = strrchr(resolved, '/');

		if (!slash || slash == resolved)
			return false;
		*slash = '\0';
	}
	p = lio_strdupf("%s/%s", resolved, link);
	if (!p || !realpath(p, target))
		return false;
	base = strrchr(target, '/');
	return base && !strcmp(base + 1, want);
}

static int fc_wwns(const char *sysfs, const char *link, const char *want,
		   struct strv *out)
{
	glob_t g;
	int r = glob_paths(sysfs, "class/fc_host/host*/port_name", &g);

	for (size_t i = 0; r == 0 && i < g.gl_pathc; i++) {
		_cleanup_free_ char *name = NULL, *host = strdup(g.gl_pathv[i]);
		char *slash;

		if (!host) {
			r = -ENOMEM;
			break;
		}
		slash = strrchr(host, '/');
		*slash = '\0';
		if (!fc_host_matches(host, link, want))
			continue;
		if (lio_read_file_quiet(g.gl_pathv[i], &name) < 0)
			continue;
		char *wwn = lio_strdupf("naa.%s", skip_0x(name));
		if (wwn)
			lower(wwn);
		r = strv_push(out, wwn);
	}
	globfree(&g);
	return r;
}

static int qla2xxx_wwns(const char *sysfs, struct strv *out)
{
	return fc_wwns(sysfs, "driver", "qla2xxx", out);
}

static int efct_wwns(const char *sysfs, struct strv *out)
{
	return fc_wwns(sysfs, "driver", "efct", out);
}

static int tcm_fc_wwns(const char *sysfs, struct strv *out)
{
	return fc_wwns(sysfs, "subsystem", "fcoe", out);
}

/* The first local FireWire node's GUID names the SBP target uniquely. */
static int sbp_wwns(const char *sysfs, struct strv *out)
{
	glob_t g;
	int r = glob_paths(sysfs, "bus/firewire/devices/fw*/is_local", &g);

	for (size_t i = 0; r == 0 && i < g.gl_pathc; i++) {
		_cleanup_free_ char *local = NULL, *guid = NULL, *guid_path = NULL;
		char *slash;

		if (lio_read_file_quiet(g.gl_pathv[i], &local) < 0 || strcmp(local, "1"))
			continue;
		guid_path = strdup(g.gl_pathv[i]);
		if (!guid_path) {
			r = -ENOMEM;
			break;
		}
		slash = strrchr(guid_path, '/');
		strcpy(slash + 1, "guid"); /* "guid" is shorter than "is_local" */
		if (lio_read_file_quiet(guid_path, &guid) < 0)
			continue;
		char *wwn = lio_strdupf("eui.%s", skip_0x(guid));
		if (wwn)
			lower(wwn);
		r = strv_push(out, wwn);
		break;
	}
	globfree(&g);
	return r;
}

/* devspec reads like "/vdevice/v-scsi-host@30000003"; the target is the unit. */
static int ibmvscsis_wwns(const char *sysfs, struct strv *out)
{
	glob_t g;
	int r = glob_paths(sysfs, "module/ibmvscsis/drivers/vio:ibmvscsis/*/devspec", &g);

	for (size_t i = 0; r == 0 && i < g.gl_pathc; i++) {
		_cleanup_free_ char *spec = NULL;
		const char *at;

		if (lio_read_file_quiet(g.gl_pathv[i], &spec) < 0)
			continue;
		at = strchr(spec, '@');
		r = strv_push(out, strdup(at ? at + 1 : spec));
	}
	globfree(&g);
	return r;
}

struct hw_source {
	const char *fabric;
	int (*fn)(const char *sysfs, struct strv *out);
};

static const struct hw_source hw_sources[] = {
	{ "srpt", srpt_wwns },         { "qla2xxx", qla2xxx_wwns },
	{ "efct", efct_wwns },         { "tcm_fc", tcm_fc_wwns },
	{ "sbp", sbp_wwns },           { "ibmvscsis", ibmvscsis_wwns },
};

int lio_fabric_hw_wwns_root(struct lio_ctx *ctx, const struct lio_fabric *fabric,
			    const char *sysfs, char ***wwns)
{
	struct strv sv = { 0 };
	int r;

	*wwns = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(hw_sources); i++) {
		if (strcmp(hw_sources[i].fabric, fabric->name))
			continue;
		r = hw_sources[i].fn(sysfs, &sv);
		if (r < 0) {
			lio_strv_free(sv.v, sv.n);
			return lio_err(ctx, r, "Cannot list %s hardware: %s", fabric->name,
				       strerror(-r));
		}
		*wwns = sv.v;
		return (int)sv.n;
	}
	return 0;
}

#define HW_WRAPPER(fname)                                                      \
	static int fname##_hw(struct lio_ctx *ctx, char ***wwns)               \
	{                                                                      \
		return lio_fabric_hw_wwns_root(ctx, lio_fabric_find(#fname),   \
					       SYSFS_ROOT, wwns);              \
	}
HW_WRAPPER(srpt)
HW_WRAPPER(qla2xxx)
HW_WRAPPER(efct)
HW_WRAPPER(tcm_fc)
HW_WRAPPER(sbp)
HW_WRAPPER(ibmvscsis)

/* ------------------------------------------------------------------ */
/* The table                                                           */

#define ISCSI_FEATURES                                                         \
	(LIO_FEAT_DISCOVERY_AUTH | LIO_FEAT_ACLS | LIO_FEAT_AUTH | LIO_FEAT_NPS | \
	 LIO_FEAT_TPGTS | LIO_FEAT_CPUS_ALLOWED_LIST)

/* targetcli's order (the order of its root node's children). */
static const struct lio_fabric fabrics[] = {
	{
		.name = "iscsi", .dir = "iscsi", .kmod = "iscsi_target_mod",
		.features = ISCSI_FEATURES,
		.wwn_types = LIO_WWN_IQN | LIO_WWN_NAA | LIO_WWN_EUI,
		.wwn_format = LIO_FWWN_IDENTITY,
	},
	{
		.name = "loopback", .dir = "loopback", .kmod = "tcm_loop",
		.features = LIO_FEAT_NEXUS,
		.wwn_types = LIO_WWN_NAA, .wwn_format = LIO_FWWN_IDENTITY,
	},
	{
		.name = "vhost", .dir = "vhost", .kmod = "tcm_vhost",
		.features = LIO_FEAT_NEXUS | LIO_FEAT_ACLS | LIO_FEAT_TPGTS,
		.wwn_types = LIO_WWN_NAA, .wwn_format = LIO_FWWN_IDENTITY,
	},
	{
		.name = "xen-pvscsi", .dir = "xen-pvscsi", .kmod = "xen-scsiback",
		.features = LIO_FEAT_NEXUS | LIO_FEAT_TPGTS,
		.wwn_types = LIO_WWN_NAA, .wwn_format = LIO_FWWN_IDENTITY,
	},
	{
		.name = "srpt", .dir = "srpt", .kmod = "ib_srpt",
		.features = LIO_FEAT_ACLS,
		.wwn_types = LIO_WWN_IB, .wwn_format = LIO_FWWN_IB_HEX,
		.hw_wwns = srpt_hw,
	},
	{
		.name = "qla2xxx", .dir = "qla2xxx", .kmod = "tcm_qla2xxx",
		.features = LIO_FEAT_ACLS,
		.wwn_types = LIO_WWN_NAA, .wwn_format = LIO_FWWN_COLON_HEX,
		.hw_wwns = qla2xxx_hw,
	},
	{
		.name = "efct", .dir = "efct", .kmod = "efct",
		.features = LIO_FEAT_ACLS,
		.wwn_types = LIO_WWN_NAA, .wwn_format = LIO_FWWN_COLON_HEX,
		.hw_wwns = efct_hw,
	},
	{
		.name = "tcm_fc", .dir = "fc", .kmod = "tcm_fc",
		.features = LIO_FEAT_ACLS,
		.wwn_types = LIO_WWN_NAA, .wwn_format = LIO_FWWN_COLON_HEX,
		.hw_wwns = tcm_fc_hw,
	},
	{
		.name = "sbp", .dir = "sbp", .kmod = "sbp_target",
		.features = 0,
		.wwn_types = LIO_WWN_EUI, .wwn_format = LIO_FWWN_EUI_BARE,
		.hw_wwns = sbp_hw, .no_auto_enable = true,
	},
	{
		.name = "ibmvscsis", .dir = "ibmvscsis", .kmod = "ibmvscsis",
		.features = 0,
		.wwn_types = LIO_WWN_FREE, .wwn_format = LIO_FWWN_IDENTITY,
		.hw_wwns = ibmvscsis_hw,
	},
	/* usb_gadget (tcm_usb_gadget) is left out, as targetcli does. */
};

size_t lio_fabric_count(void)
{
	return ARRAY_SIZE(fabrics);
}

const struct lio_fabric *lio_fabric_at(size_t i)
{
	return i < ARRAY_SIZE(fabrics) ? &fabrics[i] : NULL;
}

const struct lio_fabric *lio_fabric_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(fabrics); i++)
		if (!strcmp(fabrics[i].name, name))
			return &fabrics[i];
	return NULL;
}

int lio_fabric_hw_wwns(struct lio_ctx *ctx, const struct lio_fabric *fabric, char ***wwns)
{
	*wwns = NULL;
	if (!fabric->hw_wwns)
		return 0;
	return fabric->hw_wwns(ctx, wwns);
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */

bool lio_fabric_loaded(struct lio_ctx *ctx, const struct lio_fabric *fabric)
{
	_cleanup_free_ char *path = lio_strdupf("%s/%s", ctx->root, fabric->dir);

	return path && lio_is_dir(path);
}

static int mkdir_fabric(const char *path)
{
	int e;

	if (mkdir(path, 0755) == 0)
		return 0;
	e = errno;
	/* Someone else (another tool, a racing call) made it meanwhile. */
	if (e == EEXIST && lio_is_dir(path))
		return 0;
	return -e;
}

/*
 * The kernel creates target/<dir> on mkdir only once a fabric of that name
 * is registered (its module loaded, or loaded by the kernel's own
 * request_module for some names); so mkdir first, then load the module
 * and try again.
 */
int lio_fabric_dir(struct lio_ctx *ctx, const struct lio_fabric *fabric, char **out)
{
	_cleanup_free_ char *path = lio_strdupf("%s/%s", ctx->root, fabric->dir);
	int r;

	if (!path)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	if (lio_is_dir(path))
		goto done;
	r = mkdir_fabric(path);
	if (r == 0)
		goto done;
	/* It honours lio_set_autoload(); its message names the module. */
	r = lio_load_module(ctx, fabric->kmod);
	if (r < 0)
		return r;
	r = mkdir_fabric(path);
	if (r < 0)
		return lio_err(ctx, r, "Cannot load fabric %s: cannot create %s: %s",
			       fabric->name, path, strerror(-r));
done:
	if (out)
		*out = TAKE_PTR(path);
	return 0;
}

int lio_fabric_load(struct lio_ctx *ctx, const struct lio_fabric *fabric)
{
	return lio_fabric_dir(ctx, fabric, NULL);
}

/* ------------------------------------------------------------------ */
/* WWN <-> configfs directory name                                     */

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int lio_fabric_wwn_to_dir(const struct lio_fabric *fabric, const char *wwn, char **dir)
{
	const char *hex;
	char *out, *w;

	*dir = NULL;
	if (!wwn || !*wwn)
		return -EINVAL;
	switch (fabric->wwn_format) {
	case LIO_FWWN_IDENTITY:
		out = strdup(wwn);
		break;
	case LIO_FWWN_IB_HEX:
		if (!has_prefix(wwn, "ib.") || !wwn[3])
			return -EINVAL;
		out = lio_strdupf("0x%s", wwn + 3);
		break;
	case LIO_FWWN_COLON_HEX:
		if (!has_prefix(wwn, "naa.") || !wwn[4])
			return -EINVAL;
		hex = wwn + 4;
		out = malloc(strlen(hex) * 3 / 2 + 2);
		if (!out)
			return -ENOMEM;
		w = out;
		for (size_t i = 0; hex[i]; i++) {
			if (i && i % 2 == 0)
				*w++ = ':';
			*w++ = hex[i];
		}
		*w = '\0';
		break;
	case LIO_FWWN_EUI_BARE:
		if (!has_prefix(wwn, "eui.") || !wwn[4])
			return -EINVAL;
		out = strdup(wwn + 4);
		break;
	default:
		return -EINVAL;
	}
	if (!out)
		return -ENOMEM;
	*dir = out;
	return 0;
}

int lio_fabric_wwn_from_dir(const struct lio_fabric *fabric, const char *dir, char **wwn)
{
	char *out, *w;

	*wwn = NULL;
	if (!dir || !*dir)
		return -EINVAL;
	switch (fabric->wwn_format) {
	case LIO_FWWN_IDENTITY:
		out = strdup(dir);
		break;
	case LIO_FWWN_IB_HEX:
		/* "0x<hex>"; tolerate a GUID-style name with colons too. */
		dir = skip_0x(dir);
		/* fall through */
	case LIO_FWWN_COLON_HEX:
		out = malloc(strlen(dir) + 5);
		if (!out)
			return -ENOMEM;
		w = out + sprintf(out, "%s",
				  fabric->wwn_format == LIO_FWWN_IB_HEX ? "ib." : "naa.");
		for (; *dir; dir++)
			if (*dir != ':')
				*w++ = (char)tolower((unsigned char)*dir);
		*w = '\0';
		break;
	case LIO_FWWN_EUI_BARE:
		out = lio_strdupf("eui.%s", dir);
		break;
	default:
		return -EINVAL;
	}
	if (!out)
		return -ENOMEM;
	*wwn = out;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Discovery authentication                                            */

static int discovery_path(struct lio_ctx *ctx, const struct lio_fabric *fabric,
			  const char *file, char **out)
{
	_cleanup_free_ char *dir = NULL;
	int r;

	if (!(fabric->features & LIO_FEAT_DISCOVERY_AUTH))
		return lio_err(ctx, -EOPNOTSUPP,
			       "Fabric %s does not support discovery authentication",
			       fabric->name);
	r = lio_fabric_dir(ctx, fabric, &dir);
	if (r < 0)
		return r;
	*out = lio_strdupf("%s/discovery_auth/%s", dir, file);
	if (!*out)
		return lio_err(ctx, -ENOMEM, "Out of memory");
	return 0;
}

int lio_discovery_auth_get(struct lio_ctx *ctx, const struct lio_fabric *fabric,
			   enum lio_auth_key key, char **value)
{
	_cleanup_free_ char *path = NULL;
	const char *file = lio_auth_file(key);
	int r;

	if (!file)
		return lio_err(ctx, -EINVAL, "Unknown auth key");
	r = discovery_path(ctx, fabric, file, &path);
	if (r < 0)
		return r;
	return lio_auth_read_path(ctx, path, value);
}

int lio_discovery_auth_set(struct lio_ctx *ctx, const struct lio_fabric *fabric,
			   enum lio_auth_key key, const char *value)
{
	_cleanup_free_ char *path = NULL;
	const char *file = lio_auth_file(key);
	int r;

	if (!file)
		return lio_err(ctx, -EINVAL, "Unknown auth key");
	r = discovery_path(ctx, fabric, file, &path);
	if (r < 0)
		return r;
	return lio_auth_write_path(ctx, path, value);
}

int lio_discovery_auth_get_enforce(struct lio_ctx *ctx, const struct lio_fabric *fabric,
				   bool *enforce)
{
	_cleanup_free_ char *path = NULL;
	int r;

	r = discovery_path(ctx, fabric, "enforce_discovery_auth", &path);
	if (r < 0)
		return r;
	return lio_read_flag(ctx, path, enforce);
}

int lio_discovery_auth_set_enforce(struct lio_ctx *ctx, const struct lio_fabric *fabric,
				   bool enforce)
{
	_cleanup_free_ char *path = NULL;
	int r;

	r = discovery_path(ctx, fabric, "enforce_discovery_auth", &path);
	if (r < 0)
		return r;
	return lio_write_file(ctx, path, enforce ? "1" : "0");
}

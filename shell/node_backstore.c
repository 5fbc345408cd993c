// SPDX-License-Identifier: GPL-2.0-or-later
/* `/backstores` and `/backstores/<plugin>` (targetcli ui_backstore.py). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "complete_params.h"
#include "node_user_backstore.h"
#include "nodes.h"
#include "prefs.h"

/* The plugins shown, in targetcli's order; user:<handler> nodes follow them. */
static const enum lio_plugin shown[] = {
	LIO_PLUGIN_PSCSI, LIO_PLUGIN_RAMDISK, LIO_PLUGIN_FILEIO, LIO_PLUGIN_BLOCK,
};

static struct node *plugin_node(struct node *parent, enum lio_plugin p)
{
	struct node *n = node_new(&backstore_type, parent, lio_plugin_name(p), NULL);

	if (n)
		n->plugin = (int)p;
	return n;
}

static int backstores_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	(void)sh;
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		if (nodes_push(v, n, plugin_node(node, shown[i])) < 0)
			return sh_fail(sh, "Out of memory");
	return user_backstores_push(sh, node, v, n);
}

/* Only user:<handler> names ask tcmu-runner (over D-Bus) for its handlers. */
static int backstores_lookup(struct sh *sh, struct node *node, const char *name,
			     struct node **out)
{
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		if (strcmp(name, lio_plugin_name(shown[i])) == 0) {
			*out = plugin_node(node, shown[i]);
			return *out ? 0 : sh_fail(sh, "Out of memory");
		}
	}
	return user_backstore_lookup(sh, node, name, out);
}

const struct node_type backstores_type = {
	.kind = "backstores",
	.list = backstores_list,
	.lookup = backstores_lookup,
};

/* ---- /backstores/<plugin> ------------------------------------------- */

int bs_lookup_so(struct sh *sh, enum lio_plugin plugin, const char *name, struct lio_so **so)
{
	int r = lio_so_lookup(sh->lio, plugin, name, so);

	if (r == -ENOENT)
		return r;
	if (r < 0)
		return sh_fail_lio(sh);
	return 0;
}

/*
 * Each backstore type lists core/ for its own HBAs; `ls` of all of them
 * (eight types with tcmu-runner's four) lists core/ once instead.
 */
int bs_list_sos(struct sh *sh, int plugin, struct lio_so ***list, size_t *n)
{
	struct so_memo *m = sh->ls_sos;
	size_t k = 0;

	if (!m)
		return lio_so_list(sh->lio, plugin, list, n) < 0 ? sh_fail_lio(sh) : 0;
	if (!m->listed) {
		if (lio_so_list(sh->lio, -1, &m->list, &m->n) < 0)
			return sh_fail_lio(sh);
		m->listed = true;
	}
	*list = calloc(m->n + 1, sizeof(**list));
	if (!*list)
		return sh_fail(sh, "Out of memory");
	for (size_t i = 0; i < m->n; i++)
		if (plugin < 0 || (int)lio_so_plugin(m->list[i]) == plugin)
			(*list)[k++] = lio_so_ref(m->list[i]);
	*n = k;
	return 0;
}

static int backstore_list(struct sh *sh, struct node *node, struct node ***v, size_t *n)
{
	struct lio_so **list;
	size_t count;
	int r = 0;

	if (bs_list_sos(sh, node->plugin, &list, &count) < 0)
		return -1;
	for (size_t i = 0; i < count && r == 0; i++) {
		struct node *child;

		r = so_node_new(node, lio_so_ref(list[i]), &child);
		if (r == 0)
			r = nodes_push(v, n, child);
	}
	lio_list_free(list, count);
	return r < 0 ? sh_fail(sh, "Out of memory") : 0;
}

/* Completion among thousands of objects: names only, mostly from a cache. */
static int backstore_branch_names(struct sh *sh, struct node *node, const char *prefix,
				  struct strv *names)
{
	char **v;
	size_t n;
	int r = 0;

	if (lio_so_names_matching(sh->lio, node->plugin, prefix, &v, &n) < 0)
		return sh_fail_lio(sh);
	for (size_t i = 0; i < n; i++) {
		if (r == 0)
			r = strv_add(names, v[i]);
		free(v[i]);
	}
	free(v);
	return r;
}

static int backstore_lookup(struct sh *sh, struct node *node, const char *name, struct node **out)
{
	struct lio_so *so;
	int r = bs_lookup_so(sh, (enum lio_plugin)node->plugin, name, &so);

	if (r < 0)
		return r;
	return so_node_new(node, so, out);
}

static int backstore_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	size_t count;

	*h = H_NONE;
	if (node_child_count(sh, node, &count) < 0)
		return -1;
	return asprintf(text, "Storage Objects: %zu", count) < 0 ? -1 : 0;
}

static bool is_plugin(struct node *node, enum lio_plugin p)
{
	return node->plugin == (int)p;
}

static bool is_block(struct sh *sh, struct node *n) { (void)sh; return is_plugin(n, LIO_PLUGIN_BLOCK); }
static bool is_fileio(struct sh *sh, struct node *n) { (void)sh; return is_plugin(n, LIO_PLUGIN_FILEIO); }
static bool is_pscsi(struct sh *sh, struct node *n) { (void)sh; return is_plugin(n, LIO_PLUGIN_PSCSI); }
static bool is_ramdisk(struct sh *sh, struct node *n) { (void)sh; return is_plugin(n, LIO_PLUGIN_RAMDISK); }

/* After create, before its message: UIBackstore.setup_model_alias. */
static int model_alias(struct sh *sh, struct lio_so *so)
{
	if (pref_bool(sh->prefs, "export_backstore_name_as_model") &&
	    lio_attr_set(lio_obj(so), "attrib", "emulate_model_alias", "1") < 0)
		return sh_fail(sh, "'export_backstore_name_as_model' is set but emulate_model_alias\n"
				   "  not supported by kernel.");
	return 0;
}

/* After the message, as configshell's new_node: bookmark and maybe cd. */
static void enter_created(struct sh *sh, struct node *node, struct lio_so *so)
{
	struct node *child;

	if (so_node_new(node, lio_so_ref(so), &child) == 0) {
		sh_new_node(sh, child);
		node_unref(child);
	}
}

static int create_so(struct sh *sh, struct lio_so_spec *spec, struct lio_so **so)
{
	if (sh_assert_root(sh) < 0)
		return -1;
	if (lio_so_create(sh->lio, spec, so) < 0)
		return sh_fail_lio(sh);
	return 0;
}

static int tristate(struct sh *sh, const struct args *a, int i, enum lio_tristate *t)
{
	bool b;

	*t = LIO_DEFAULT;
	if (!arg_str(a, i))
		return 0;
	if (arg_bool(sh, a, i, false, &b) < 0)
		return -1;
	*t = b ? LIO_YES : LIO_NO;
	return 0;
}

/* block: create name dev [readonly] [wwn] */
static int cmd_create_block(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_so_spec spec = { .plugin = LIO_PLUGIN_BLOCK, .name = a->v[0], .dev = a->v[1] };
	struct lio_so *so;
	int r;

	if (tristate(sh, a, 2, &spec.readonly) < 0)
		return -1;
	spec.wwn = arg_str(a, 3);
	spec.write_back = LIO_DEFAULT;
	spec.sparse = LIO_DEFAULT;
	spec.aio = LIO_DEFAULT;
	if (create_so(sh, &spec, &so) < 0)
		return -1;
	r = model_alias(sh, so);
	if (r == 0) {
		pr_info(&sh->pr, "Created block storage object %s using %s.", spec.name, spec.dev);
		enter_created(sh, node, so);
	}
	lio_so_unref(so);
	return r;
}

/* The path with a leading ~ expanded, as os.path.expanduser. */
static char *expand_home(const char *path)
{
	const char *home = getenv("HOME");
	char *out;

	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') && home) {
		if (asprintf(&out, "%s%s", home, path + 1) < 0)
			return NULL;
		return out;
	}
	return strdup(path);
}

/* fileio: create name file_or_dev [size] [write_back] [sparse] [wwn] */
static int cmd_create_fileio(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_so_spec spec = { .plugin = LIO_PLUGIN_FILEIO, .name = a->v[0] };
	struct lio_so_info info;
	struct lio_so *so;
	bool wb = true, sparse = true;
	char *dev;
	int r;

	if (arg_bool(sh, a, 4, true, &sparse) < 0 || arg_bool(sh, a, 3, true, &wb) < 0)
		return -1;
	if (arg_str(a, 2) && lio_parse_size(a->v[2], &spec.size) < 0)
		return sh_fail(sh, "Cannot interpret size, wrong format: %s", a->v[2]);
	spec.write_back = wb ? LIO_YES : LIO_NO;
	spec.sparse = sparse ? LIO_YES : LIO_NO;
	spec.readonly = LIO_DEFAULT;
	spec.aio = LIO_DEFAULT;
	spec.wwn = arg_str(a, 5);
	if (!(dev = expand_home(a->v[1])))
		return sh_fail(sh, "Out of memory");
	spec.dev = dev;
	if (create_so(sh, &spec, &so) < 0) {
		free(dev);
		return -1;
	}
	r = model_alias(sh, so);
	if (r == 0) {
		uint64_t size = spec.size;

		if (lio_so_get_info(so, &info) == 0) {
			size = info.size;
			lio_so_info_clear(&info);
		}
		pr_info(&sh->pr, "Created fileio %s with size %llu", spec.name,
			(unsigned long long)size);
		enter_created(sh, node, so);
	}
	lio_so_unref(so);
	free(dev);
	return r;
}

/* pscsi: create name dev */
static int cmd_create_pscsi(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_so_spec spec = { .plugin = LIO_PLUGIN_PSCSI, .name = a->v[0], .dev = a->v[1] };
	struct lio_so *so;

	spec.write_back = spec.sparse = spec.readonly = spec.aio = LIO_DEFAULT;
	if (create_so(sh, &spec, &so) < 0)
		return -1;
	pr_info(&sh->pr, "Created pscsi storage object %s using %s", spec.name, spec.dev);
	enter_created(sh, node, so);
	lio_so_unref(so);
	return 0;
}

/* ramdisk: create name size [nullio] [wwn] */
static int cmd_create_ramdisk(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_so_spec spec = { .plugin = LIO_PLUGIN_RAMDISK, .name = a->v[0] };
	struct lio_so *so;
	bool nullio;
	int r;

	if (arg_bool(sh, a, 2, false, &nullio) < 0)
		return -1;
	if (lio_parse_size(a->v[1], &spec.size) < 0)
		return sh_fail(sh, "Cannot interpret size, wrong format: %s", a->v[1]);
	spec.nullio = nullio;
	spec.wwn = arg_str(a, 3);
	spec.write_back = spec.sparse = spec.readonly = spec.aio = LIO_DEFAULT;
	if (create_so(sh, &spec, &so) < 0)
		return -1;
	r = model_alias(sh, so);
	if (r == 0) {
		pr_info(&sh->pr, "Created ramdisk %s with size %s.", spec.name, a->v[1]);
		enter_created(sh, node, so);
	}
	lio_so_unref(so);
	return r;
}

/* delete name [save]: a child of this node (user:<handler> shows only its own) */
int backstore_cmd_delete(struct sh *sh, struct node *node, struct args *a)
{
	struct node *child;
	struct lio_so *so;
	bool save;
	int r;

	if (sh_assert_root(sh) < 0)
		return -1;
	r = node_child(sh, node, a->v[0], &child);
	if (r == -ENOENT)
		return sh_fail(sh, "No storage object named %s.", a->v[0]);
	if (r < 0)
		return sh->err ? -1 : sh_fail(sh, "Out of memory");
	so = lio_so_ref(lio_obj_so(child->obj));
	node_unref(child);
	if (arg_bool(sh, a, 1, false, &save) < 0) {
		lio_so_unref(so);
		return -1;
	}
	r = lio_so_delete(so);
	lio_so_unref(so);
	if (r < 0)
		return sh_fail_lio(sh);
	/* save=true: the object also leaves the default savefile */
	if (save && so_save_after_delete(sh, (enum lio_plugin)node->plugin, a->v[0]) < 0)
		return -1;
	pr_info(&sh->pr, "Deleted storage object %s.", a->v[0]);
	return 0;
}

static void complete_blockdev(struct sh *sh, struct node *node, const struct args *args,
			      const char *text, struct strv *out)
{
	complete_file(sh, node, args, text, out);
}

static const struct param p_block[] = {
	{ "name", T_STRING, NULL, true, NULL },
	{ "dev", T_STRING, NULL, true, complete_blockdev },
	{ "readonly", T_BOOL, NULL, false, complete_bool },
	{ "wwn", T_STRING, NULL, false, NULL },
	{ NULL },
};
static const struct param p_fileio[] = {
	{ "name", T_STRING, NULL, true, NULL },
	{ "file_or_dev", T_STRING, NULL, true, complete_file },
	{ "size", T_STRING, NULL, false, NULL },
	{ "write_back", T_BOOL, NULL, false, complete_bool },
	{ "sparse", T_BOOL, NULL, false, complete_bool },
	{ "wwn", T_STRING, NULL, false, NULL },
	{ NULL },
};
static const struct param p_pscsi[] = {
	{ "name", T_STRING, NULL, true, NULL },
	{ "dev", T_STRING, NULL, true, complete_blockdev },
	{ NULL },
};
static const struct param p_ramdisk[] = {
	{ "name", T_STRING, NULL, true, NULL },
	{ "size", T_STRING, NULL, true, NULL },
	{ "nullio", T_BOOL, NULL, false, complete_bool },
	{ "wwn", T_STRING, NULL, false, NULL },
	{ NULL },
};
const struct param backstore_delete_params[] = {
	{ "name", T_STRING, NULL, true, complete_child_name },
	{ "save", T_BOOL, NULL, false, complete_bool },
	{ NULL },
};

const char backstore_delete_help[] =
	"Recursively deletes the storage object having the specified name. If\n"
	"there are LUNs using this storage object, they will be deleted too.\n\n"
	"EXAMPLE\n=======\ndelete mystorage\n----------------\n"
	"Deletes the storage object named mystorage, and all associated LUNs.\n";

static const struct cmd backstore_cmds[] = {
	{ "create", p_block, NULL, NULL, cmd_create_block,
	  "Creates an Block Storage object. \"dev\" is the path to the TYPE_DISK\n"
	  "block device to use.\n", is_block },
	{ "create", p_fileio, NULL, NULL, cmd_create_fileio,
	  "Creates a FileIO storage object. If \"file_or_dev\" is a path\n"
	  "to a regular file to be used as backend, then the \"size\"\n"
	  "parameter is mandatory. Else, if \"file_or_dev\" is a path to a\n"
	  "block device, the size parameter must be omitted. If\n"
	  "present, \"size\" is the size of the file to be used, \"file\"\n"
	  "the path to the file or \"dev\" the path to a block device. The\n"
	  "\"write_back\" parameter is a boolean controlling write\n"
	  "caching. It is enabled by default. The \"sparse\" parameter is\n"
	  "only applicable when creating a new backing file. It is a\n"
	  "boolean stating if the created file should be created as a\n"
	  "sparse file (the default), or fully initialized.\n" SIZE_SYNTAX, is_fileio },
	{ "create", p_pscsi, NULL, NULL, cmd_create_pscsi,
	  "Creates a PSCSI storage object, with supplied name and SCSI device. The\n"
	  "SCSI device \"dev\" can either be a path name to the device, in which\n"
	  "case it is recommended to use the /dev/disk/by-id hierarchy to have\n"
	  "consistent naming should your physical SCSI system be modified, or an\n"
	  "SCSI device ID in the H:C:T:L format, which is not recommended as SCSI\n"
	  "IDs may vary in time.\n", is_pscsi },
	{ "create", p_ramdisk, NULL, NULL, cmd_create_ramdisk,
	  "Creates an RDMCP storage object. \"size\" is the size of the ramdisk.\n"
	  SIZE_SYNTAX, is_ramdisk },
	{ "delete", backstore_delete_params, NULL, NULL, backstore_cmd_delete,
	  backstore_delete_help, NULL },
	{ NULL },
};

const struct node_type backstore_type = {
	.kind = "backstore",
	.cmds = backstore_cmds,
	.list = backstore_list,
	.branch_names = backstore_branch_names,
	.lookup = backstore_lookup,
	.summary = backstore_summary,
};

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor's reads: what a save and an `ls` of the whole tree must read,
 * found by listing directories as any reader must (it does not know the
 * configuration), and read once each. Nothing is formatted or written:
 * the floor is the kernel's share of the work.
 *
 * save: per storage object its info, WWN, attributes and ALUA groups; the
 * target's parameters; the TPG's enable, attributes, parameters and CHAP;
 * each LUN's link and ALUA group; each portal's iser/offload flags; each
 * ACL's attributes, CHAP, tag and mapped LUNs (link, write_protect); the
 * discovery auth flag.
 * ls: per storage object its info and ALUA groups' states; the TPG's
 * enable and the attributes its summary shows; each LUN's link and ALUA
 * group; each mapped LUN's link and write_protect; the ACLs and portals.
 */
#include <string.h>

#include "bench_config.h"
#include "floor.h"
#include "floor_fs.h"

static char buf[8192];
static unsigned long long nbytes;

static void rd(const char *dir, const char *file)
{
	nbytes += fl_read(buf, sizeof(buf), "%s/%s", dir, file);
}

static void rd_kvs(const char *dir, const struct bench_kv *kv)
{
	for (; kv->key; kv++)
		rd(dir, kv->key);
}

static void rd_names(const char *dir, const char *const *names)
{
	for (; *names; names++)
		rd(dir, *names);
}

/* The one symlink of a LUN or mapped LUN directory. */
static void rd_link(const char *dir)
{
	struct fl_list l;

	fl_list(&l, "%s", dir);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].kind == FL_LINK)
			nbytes += fl_readlink(buf, sizeof(buf), "%s/%s", dir, l.v[i].name);
	fl_list_free(&l);
}

static void storage_objects(bool save)
{
	struct fl_list hbas, sos, groups;
	char so[FL_PATH], g[FL_PATH];

	fl_list(&hbas, "core");
	for (size_t h = 0; h < hbas.n; h++) {
		/* HBAs are <type>_<N>; core/alua holds LU groups, not objects. */
		if (hbas.v[h].kind != FL_DIR || !strchr(hbas.v[h].name, '_'))
			continue;
		fl_list(&sos, "core/%s", hbas.v[h].name);
		for (size_t s = 0; s < sos.n; s++) {
			if (sos.v[s].kind != FL_DIR)
				continue;
			fl_sub(so, "core/%s/%s", hbas.v[h].name, sos.v[s].name);
			rd(so, "info");
			if (save) {
				rd(so, "wwn/vpd_unit_serial");
				fl_sub(g, "%s/attrib", so);
				rd_kvs(g, bench_so_attrs);
			}
			fl_list(&groups, "%s/alua", so);
			for (size_t i = 0; i < groups.n; i++) {
				fl_sub(g, "%s/alua/%s", so, groups.v[i].name);
				if (save)
					rd_names(g, bench_alua_files);
				else
					rd(g, "alua_access_state");
			}
			fl_list_free(&groups);
		}
		fl_list_free(&sos);
	}
	fl_list_free(&hbas);
}

static void luns(const char *tpg)
{
	struct fl_list l;
	char d[FL_PATH];

	fl_list(&l, "%s/lun", tpg);
	for (size_t i = 0; i < l.n; i++) {
		fl_sub(d, "%s/lun/%s", tpg, l.v[i].name);
		rd_link(d);
		rd(d, "alua_tg_pt_gp");
	}
	fl_list_free(&l);
}

static void acls(const char *tpg, bool save)
{
	struct fl_list l, m;
	char acl[FL_PATH], d[FL_PATH];

	fl_list(&l, "%s/acls", tpg);
	for (size_t a = 0; a < l.n; a++) {
		fl_sub(acl, "%s/acls/%s", tpg, l.v[a].name);
		if (save) {
			fl_sub(d, "%s/attrib", acl);
			rd_kvs(d, bench_acl_attrs);
			rd(d, "authentication");
			fl_sub(d, "%s/auth", acl);
			rd_names(d, bench_auth_files);
			rd(acl, "tag");
		}
		fl_list(&m, "%s", acl);
		for (size_t i = 0; i < m.n; i++) {
			if (m.v[i].kind != FL_DIR || strncmp(m.v[i].name, "lun_", 4))
				continue;
			fl_sub(d, "%s/%s", acl, m.v[i].name);
			rd_link(d);
			rd(d, "write_protect");
		}
		fl_list_free(&m);
	}
	fl_list_free(&l);
}

static void portals(const char *tpg, bool save)
{
	struct fl_list l;
	char d[FL_PATH];

	fl_list(&l, "%s/np", tpg);
	for (size_t i = 0; save && i < l.n; i++) {
		fl_sub(d, "%s/np/%s", tpg, l.v[i].name);
		rd(d, "iser");
		rd(d, "cxgbit");
	}
	fl_list_free(&l);
}

static void targets(bool save)
{
	struct fl_list ts, tpgs;
	char t[FL_PATH], tpg[FL_PATH], d[FL_PATH];

	if (save)
		rd("iscsi/discovery_auth", "enforce_discovery_auth");
	fl_list(&ts, "iscsi");
	for (size_t i = 0; i < ts.n; i++) {
		if (ts.v[i].kind != FL_DIR || !strcmp(ts.v[i].name, "discovery_auth"))
			continue;
		fl_sub(t, "iscsi/%s", ts.v[i].name);
		if (save)
			rd(t, "param/cmd_completion_affinity");
		fl_list(&tpgs, "%s", t);
		for (size_t j = 0; j < tpgs.n; j++) {
			if (strncmp(tpgs.v[j].name, "tpgt_", 5))
				continue;
			fl_sub(tpg, "%s/%s", t, tpgs.v[j].name);
			rd(tpg, "enable");
			fl_sub(d, "%s/attrib", tpg);
			if (save) {
				rd_kvs(d, bench_tpg_attrs);
				fl_sub(d, "%s/param", tpg);
				rd_kvs(d, bench_tpg_params);
				fl_sub(d, "%s/auth", tpg);
				rd_names(d, bench_auth_files);
			} else {
				rd(d, "generate_node_acls");
				rd(d, "authentication");
			}
			luns(tpg);
			portals(tpg, save);
			acls(tpg, save);
		}
		fl_list_free(&tpgs);
	}
	fl_list_free(&ts);
}

unsigned long long floor_read_all(bool save)
{
	storage_objects(save);
	targets(save);
	return nbytes;
}

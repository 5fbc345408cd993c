// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor's clear: remove every target and storage object, children
 * before parents, finding them by listing directories (a clear cannot
 * know what is configured): per TPG the mapped LUNs (symlink, directory),
 * the ACLs, the LUNs (symlink, directory), the portals, then the TPG and
 * the target; then each storage object and its HBA. It does not depend on
 * the benchmark's configuration, so it also resets configfs after a
 * contender was stopped half-way.
 */
#include <string.h>

#include "floor.h"
#include "floor_fs.h"

/* Unlink the symlinks of @dir, then remove it. */
static void rm_linkdir(const char *dir)
{
	struct fl_list l;

	fl_list(&l, "%s", dir);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].kind == FL_LINK)
			fl_unlink("%s/%s", dir, l.v[i].name);
	fl_list_free(&l);
	fl_rmdir("%s", dir);
}

/* Remove the subdirectories of @dir whose names start with @prefix
 * (NULL: all), each with rm_linkdir or, when @inner, its own children. */
static void rm_children(const char *dir, const char *prefix, void (*inner)(const char *))
{
	struct fl_list l;
	char d[FL_PATH];

	fl_list(&l, "%s", dir);
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].kind != FL_DIR || (prefix && strncmp(l.v[i].name, prefix, strlen(prefix))))
			continue;
		fl_sub(d, "%s/%s", dir, l.v[i].name);
		if (inner)
			inner(d);
		else
			rm_linkdir(d);
	}
	fl_list_free(&l);
}

static void rm_acl(const char *acl)
{
	rm_children(acl, "lun_", NULL);
	fl_rmdir("%s", acl);
}

static void rm_tpg(const char *tpg)
{
	char d[FL_PATH];

	/* Disable first, as a TPG delete does: no new logins meanwhile. */
	fl_write("0", "%s/enable", tpg);
	fl_sub(d, "%s/acls", tpg);
	rm_children(d, NULL, rm_acl);
	fl_sub(d, "%s/lun", tpg);
	rm_children(d, NULL, NULL);
	fl_sub(d, "%s/np", tpg);
	rm_children(d, NULL, NULL);
	fl_rmdir("%s", tpg);
}

static void rm_target(const char *t)
{
	rm_children(t, "tpgt_", rm_tpg);
	fl_rmdir("%s", t);
}

static void rm_hba(const char *hba)
{
	struct fl_list l;

	fl_list(&l, "%s", hba);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].kind == FL_DIR)
			fl_rmdir("%s/%s", hba, l.v[i].name);
	fl_list_free(&l);
	fl_rmdir("%s", hba);
}

void floor_clear(void)
{
	struct fl_list fabrics, ts, hbas;
	char d[FL_PATH];

	fl_list(&fabrics, ".");
	for (size_t f = 0; f < fabrics.n; f++) {
		if (fabrics.v[f].kind != FL_DIR || !strcmp(fabrics.v[f].name, "core"))
			continue;
		fl_list(&ts, "%s", fabrics.v[f].name);
		for (size_t i = 0; i < ts.n; i++) {
			/* Targets are directories; discovery_auth is the fabric's own. */
			if (ts.v[i].kind != FL_DIR || !strcmp(ts.v[i].name, "discovery_auth"))
				continue;
			fl_sub(d, "%s/%s", fabrics.v[f].name, ts.v[i].name);
			rm_target(d);
		}
		fl_list_free(&ts);
	}
	fl_list_free(&fabrics);
	fl_list(&hbas, "core");
	for (size_t h = 0; h < hbas.n; h++) {
		if (hbas.v[h].kind != FL_DIR || !strchr(hbas.v[h].name, '_'))
			continue;
		fl_sub(d, "core/%s", hbas.v[h].name);
		rm_hba(d);
	}
	fl_list_free(&hbas);
}

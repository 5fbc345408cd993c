// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The floor's changes: the configfs mkdirs, writes and symlinks that
 * restoring the benchmark's configuration needs, in the order of the
 * reference (storage objects with their attributes, then the target: TPG
 * attributes and parameters, LUNs, portal, ACLs with their mapped LUNs,
 * enable), and the one-shot create and delete of a storage object and of
 * a LUN. It writes everything the saved file holds, as a restore of that
 * file does (every attribute, write_protect of each mapped LUN), and reads
 * nothing: no lookups, no checks.
 */
#include <stdio.h>

#include "bench_config.h"
#include "floor.h"
#include "floor_fs.h"

#define TPG "iscsi/" BENCH_TARGET "/tpgt_1"

static void write_kvs(const struct bench_kv *kv, const char *dir)
{
	for (; kv->key; kv++)
		fl_write(kv->value, "%s/%s", dir, kv->key);
}

/* Storage object @name in HBA rd_mcp_@hba, as a restore configures it. */
static void so_create(unsigned hba, const char *name, const char *wwn, bool attrs)
{
	char so[FL_PATH];

	fl_mkdir("core/rd_mcp_%u", hba);
	fl_sub(so, "core/rd_mcp_%u/%s", hba, name);
	fl_mkdir("%s", so);
	fl_write("rd_pages=" BENCH_RD_PAGES, "%s/control", so);
	fl_write("rd_nullio=1", "%s/control", so);
	fl_write("1\n", "%s/enable", so);
	fl_write(wwn, "%s/wwn/vpd_unit_serial", so);
	if (attrs) {
		char dir[FL_PATH];

		fl_sub(dir, "%s/attrib", so);
		write_kvs(bench_so_attrs, dir);
	}
}

static void lun_create(unsigned lun, unsigned hba, const char *so, const char *alias)
{
	fl_mkdir(TPG "/lun/lun_%u", lun);
	fl_symlink(fl_abs("core/rd_mcp_%u/%s", hba, so), TPG "/lun/lun_%u/%s", lun, alias);
}

static void mapped_lun_create(int acl, unsigned lun, const char *alias)
{
	char init[FL_PATH];

	fl_sub(init, BENCH_INITIATOR_FMT, acl);
	fl_mkdir(TPG "/acls/%s/lun_%u", init, lun);
	fl_symlink(fl_abs(TPG "/lun/lun_%u", lun), TPG "/acls/%s/lun_%u/%s", init, lun, alias);
	fl_write("0", TPG "/acls/%s/lun_%u/write_protect", init, lun);
}

void floor_restore(unsigned n)
{
	char name[FL_PATH], wwn[FL_PATH], alias[FL_PATH], init[FL_PATH];

	for (unsigned i = 0; i < n; i++) {
		fl_sub(name, BENCH_SO_FMT, i);
		fl_sub(wwn, BENCH_SO_WWN_FMT, i);
		so_create(i, name, wwn, true);
	}
	/* The fabric directory outlives a clear while its module is loaded. */
	if (!floor_exists("iscsi"))
		fl_mkdir("iscsi");
	fl_mkdir("iscsi/" BENCH_TARGET);
	fl_mkdir(TPG);
	write_kvs(bench_tpg_attrs, TPG "/attrib");
	write_kvs(bench_tpg_params, TPG "/param");
	for (unsigned i = 0; i < n; i++) {
		fl_sub(name, BENCH_SO_FMT, i);
		fl_sub(alias, BENCH_LUN_ALIAS_FMT, i);
		lun_create(i, i, name, alias);
	}
	fl_mkdir(TPG "/np/" BENCH_PORTAL);
	for (int a = 0; a < BENCH_NACLS; a++) {
		char dir[FL_PATH];

		fl_sub(init, BENCH_INITIATOR_FMT, a);
		fl_mkdir(TPG "/acls/%s", init);
		fl_sub(dir, TPG "/acls/%s/attrib", init);
		write_kvs(bench_acl_attrs, dir);
		for (unsigned i = 0; i < n; i++) {
			fl_sub(alias, BENCH_MLUN_ALIAS_FMT, a, i);
			mapped_lun_create(a, i, alias);
		}
	}
	fl_write("1", TPG "/enable");
}

/* The one-shot commands' objects: storage object "benchx" takes the
 * HBA number after the configuration's, LUN n after its LUNs. */
#define X_NAME "benchx"
#define X_WWN "00000000-0000-4000-8000-ffffffffffff"

void floor_create_so(unsigned n)
{
	so_create(n, X_NAME, X_WWN, false);
}

void floor_delete_so(unsigned n)
{
	fl_rmdir("core/rd_mcp_%u/" X_NAME, n);
	fl_rmdir("core/rd_mcp_%u", n);
}

void floor_create_lun(unsigned n)
{
	char alias[FL_PATH];

	lun_create(n, n, X_NAME, "xxxxxxxxxx");
	for (int a = 0; a < BENCH_NACLS; a++) {
		fl_sub(alias, "x%d", a);
		mapped_lun_create(a, n, alias);
	}
}

void floor_delete_lun(unsigned n)
{
	char init[FL_PATH];

	for (int a = 0; a < BENCH_NACLS; a++) {
		fl_sub(init, BENCH_INITIATOR_FMT, a);
		fl_unlink(TPG "/acls/%s/lun_%u/x%d", init, n, a);
		fl_rmdir(TPG "/acls/%s/lun_%u", init, n);
	}
	fl_unlink(TPG "/lun/lun_%u/xxxxxxxxxx", n);
	fl_rmdir(TPG "/lun/lun_%u", n);
}

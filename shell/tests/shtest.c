// SPDX-License-Identifier: GPL-2.0-or-later
#include "shtest.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prefs.h"

static void mkdirs(const char *path)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
}

void fx_mkdir(struct fixture *fx, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", fx->root, rel);
	mkdirs(path);
}

void fx_write(struct fixture *fx, const char *rel, const char *content)
{
	char path[512], dir[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fx->root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	f = fopen(path, "w");
	if (!f)
		return;
	fputs(content, f);
	fclose(f);
}

void fx_link(struct fixture *fx, const char *rel, const char *target_rel)
{
	char path[512], target[512];

	snprintf(path, sizeof(path), "%s/%s", fx->root, rel);
	snprintf(target, sizeof(target), "%s/%s", fx->root, target_rel);
	if (symlink(target, path) < 0)
		perror(path);
}

#define T "target/"
#define FIO T "core/fileio_0/disk1/"
#define RD T "core/rd_mcp_1/ram1/"
#define IQN "iqn.2003-01.org.example:t1"
#define TPG T "iscsi/" IQN "/tpgt_1/"
#define INI "iqn.1994-05.com.redhat:client"
#define LOOP T "loopback/naa.5001405aaaaaaaaa/tpgt_1/"

/*
 * The default tree: a fileio and a ramdisk object, an iSCSI target with
 * TPG 1 (three LUNs, one broken; a portal; an ACL mapping LUN 0 and one
 * mapping nothing), a loopback target.
 */
static void build(struct fixture *fx)
{
	fx_write(fx, FIO "enable", "1\n");
	fx_write(fx, FIO "udev_path", "/var/tmp/disk1.img\n");
	fx_write(fx, FIO "info",
		 "Status: ACTIVATED  Max Queue Depth: 0  SectorSize: 512  HwMaxSectors: 16384\n"
		 "        TCM FILEIO ID: 0        File: /var/tmp/disk1.img  Size: 104857600  Mode: Buffered-WCE Async: 0\n");
	fx_write(fx, FIO "attrib/emulate_write_cache", "1\n");
	fx_write(fx, FIO "attrib/emulate_tpu", "0\n");
	fx_write(fx, FIO "attrib/block_size", "512\n");
	fx_write(fx, FIO "wwn/vpd_unit_serial", "T10 VPD Unit Serial Number: 1234\n");
	fx_write(fx, FIO "alua/default_tg_pt_gp/alua_access_state", "0\n");
	fx_write(fx, FIO "alua/default_tg_pt_gp/tg_pt_gp_id", "0\n");
	fx_write(fx, FIO "alua/default_tg_pt_gp/members", "\n");
	fx_write(fx, T "core/fileio_0/hba_info", "HBA Index: 0 plugin: fileio version: v5.0\n");

	fx_write(fx, RD "enable", "1\n");
	fx_write(fx, RD "info",
		 "Status: ACTIVATED  Max Queue Depth: 0  SectorSize: 512  HwMaxSectors: 1024\n"
		 "        TCM RamDisk ID: 0  RamDisk Makeup: rd_mcp\n"
		 "        PAGES/PAGE_SIZE: 16384*4096  SG_table_count: 1  nullio: 0\n");
	fx_write(fx, RD "attrib/emulate_write_cache", "0\n");
	fx_write(fx, RD "wwn/vpd_unit_serial", "T10 VPD Unit Serial Number: 5678\n");
	fx_write(fx, RD "alua/default_tg_pt_gp/alua_access_state", "1\n");

	fx_write(fx, TPG "enable", "1\n");
	fx_write(fx, TPG "attrib/authentication", "0\n");
	fx_write(fx, TPG "attrib/generate_node_acls", "0\n");
	fx_write(fx, TPG "param/MaxConnections", "1\n");
	fx_write(fx, TPG "auth/userid", "NULL\n");
	fx_write(fx, TPG "auth/password", "NULL\n");
	fx_write(fx, TPG "auth/userid_mutual", "NULL\n");
	fx_write(fx, TPG "auth/password_mutual", "NULL\n");
	fx_mkdir(fx, TPG "lun/lun_0");
	fx_link(fx, TPG "lun/lun_0/a1b2c3d4e5", FIO);
	fx_write(fx, TPG "lun/lun_0/alua_tg_pt_gp", "TG Port Alias: default_tg_pt_gp\n");
	fx_mkdir(fx, TPG "lun/lun_2");
	fx_link(fx, TPG "lun/lun_2/f6e5d4c3b2", RD);
	fx_write(fx, TPG "lun/lun_2/alua_tg_pt_gp", "TG Port Alias: default_tg_pt_gp\n");
	fx_mkdir(fx, TPG "lun/lun_10");
	fx_mkdir(fx, TPG "np/0.0.0.0:3260");
	fx_write(fx, TPG "acls/" INI "/lun_0/write_protect", "0\n");
	fx_link(fx, TPG "acls/" INI "/lun_0/9f8e7d6c5b", TPG "lun/lun_0");
	fx_write(fx, TPG "acls/" INI "/auth/userid", "NULL\n");
	fx_write(fx, TPG "acls/" INI "/auth/password", "NULL\n");
	fx_write(fx, TPG "acls/" INI "/tag", "\n");
	fx_write(fx, TPG "acls/" INI "2/tag", "\n");
	fx_write(fx, TPG "acls/" INI "2/auth/userid", "NULL\n");
	fx_write(fx, TPG "acls/" INI "2/auth/password", "NULL\n");

	fx_write(fx, LOOP "nexus", "naa.5001405bbbbbbbbb\n");
	fx_mkdir(fx, LOOP "lun");
}

void fx_setup(struct fixture *fx)
{
	snprintf(fx->root, sizeof(fx->root), "/tmp/shtest.XXXXXX");
	if (!mkdtemp(fx->root))
		abort();
	snprintf(fx->home, sizeof(fx->home), "%s/home", fx->root);
	build(fx);
	if (sh_init(&fx->sh, fx->home, fx->root) < 0)
		abort();
	fx->sh.as_root = true;
	/* a test must not depend on the terminal it runs in */
	fx->sh.pr.tty = false;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void fx_teardown(struct fixture *fx)
{
	sh_fini(&fx->sh);
	nftw(fx->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int fx_run(struct fixture *fx, const char *line, char **out, char **err)
{
	size_t olen, elen;
	FILE *o = open_memstream(out, &olen), *e = open_memstream(err, &elen);
	int r;

	fx->sh.pr.out = o;
	fx->sh.pr.err = e;
	r = sh_run_line(&fx->sh, line);
	fclose(o);
	fclose(e);
	fx->sh.pr.out = stdout;
	fx->sh.pr.err = stderr;
	return r;
}

void fx_expect(struct fixture *fx, const char *line, const char *out, const char *err,
	       const char *file, int lineno)
{
	char *o, *e;
	int r = fx_run(fx, line, &o, &e);

	if (err) {
		tap_check(r < 0 && fx->sh.err && !strcmp(fx->sh.err, err), file, lineno, line,
			  "want error '%s', got rc %d '%s'", err, r,
			  fx->sh.err ? fx->sh.err : "(none)");
	} else {
		tap_check(r == 0, file, lineno, line, "failed: %s",
			  fx->sh.err ? fx->sh.err : "(no message)");
	}
	if (out)
		tap_check(!strcmp(o, out), file, lineno, line, "output:\n%s\nwant:\n%s", o, out);
	free(o);
	free(e);
}

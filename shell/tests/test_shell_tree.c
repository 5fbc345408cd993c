// SPDX-License-Identifier: GPL-2.0-or-later
/* ls rendering on the fake tree: names, dots to 132 columns, summaries. */
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shtest.h"

/*
 * Every listing of a directory (getdents64 from offset 0), by path: `ls`
 * lists each directory once, its line's count ("LUNs: 3") included, and
 * core/ once for all backstore types.
 */
static struct {
	char path[512];
	int n;
} g_listed[256];
static size_t g_nlisted;
static bool g_counting;

static void listed(const char *path)
{
	size_t i = 0;

	while (i < g_nlisted && strcmp(g_listed[i].path, path))
		i++;
	if (i == g_nlisted && g_nlisted < sizeof(g_listed) / sizeof(g_listed[0]))
		snprintf(g_listed[g_nlisted++].path, sizeof(g_listed[0].path), "%s", path);
	if (i < g_nlisted)
		g_listed[i].n++;
}

/* liblio lists with getdents64() directly, or with opendir()/readdir(). */
ssize_t getdents64(int fd, void *buf, size_t count);
ssize_t getdents64(int fd, void *buf, size_t count)
{
	char link[64], path[512];
	ssize_t len;

	if (g_counting && lseek(fd, 0, SEEK_CUR) == 0) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		len = readlink(link, path, sizeof(path) - 1);
		if (len > 0) {
			path[len] = '\0';
			listed(path);
		}
	}
	return syscall(SYS_getdents64, fd, buf, count);
}

DIR *opendir(const char *name)
{
	static DIR *(*real)(const char *);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "opendir");
	if (g_counting)
		listed(name);
	return real(name);
}

/* How many directories under @root were listed, and none twice. */
static void check_listed_once(const char *root, size_t at_least)
{
	size_t under = 0;

	for (size_t i = 0; i < g_nlisted; i++) {
		if (strncmp(g_listed[i].path, root, strlen(root)))
			continue;
		under++;
		CHECK_MSG(g_listed[i].n == 1, "%s listed %d times", g_listed[i].path,
			  g_listed[i].n);
	}
	CHECK_MSG(under >= at_least, "%zu directories listed", under);
	g_nlisted = 0;
}

static const char full_tree[] =
"o- / ......................................................................................................................... [...]\n"
"  o- backstores .............................................................................................................. [...]\n"
"  | o- block .................................................................................................. [Storage Objects: 0]\n"
"  | o- fileio ................................................................................................. [Storage Objects: 1]\n"
"  | | o- disk1 ................................................................ [/var/tmp/disk1.img (100.0MiB) write-back activated]\n"
"  | |   o- alua ................................................................................................... [ALUA Groups: 1]\n"
"  | |     o- default_tg_pt_gp ....................................................................... [ALUA state: Active/optimized]\n"
"  | o- pscsi .................................................................................................. [Storage Objects: 0]\n"
"  | o- ramdisk ................................................................................................ [Storage Objects: 1]\n"
"  |   o- ram1 ................................................................................................ [(64.0MiB) activated]\n"
"  |     o- alua ................................................................................................... [ALUA Groups: 1]\n"
"  |       o- default_tg_pt_gp ................................................................... [ALUA state: Active/non-optimized]\n"
"  o- iscsi ............................................................................................................ [Targets: 1]\n"
"  | o- iqn.2003-01.org.example:t1 ........................................................................................ [TPGs: 1]\n"
"  |   o- tpg1 ............................................................................................... [no-gen-acls, no-auth]\n"
"  |     o- acls .......................................................................................................... [ACLs: 2]\n"
"  |     | o- iqn.1994-05.com.redhat:client ........................................................................ [Mapped LUNs: 1]\n"
"  |     | | o- mapped_lun0 ................................................................................ [lun0 fileio/disk1 (rw)]\n"
"  |     | o- iqn.1994-05.com.redhat:client2 ....................................................................... [Mapped LUNs: 0]\n"
"  |     o- luns .......................................................................................................... [LUNs: 3]\n"
"  |     | o- lun0 ........................................................... [fileio/disk1 (/var/tmp/disk1.img) (default_tg_pt_gp)]\n"
"  |     | o- lun2 ................................................................................ [ramdisk/ram1 (default_tg_pt_gp)]\n"
"  |     | o- lun10 ........................................................................................... [BROKEN STORAGE LINK]\n"
"  |     o- portals .................................................................................................... [Portals: 1]\n"
"  |       o- 0.0.0.0:3260 ..................................................................................................... [OK]\n"
"  o- loopback ......................................................................................................... [Targets: 1]\n"
"  | o- naa.5001405aaaaaaaaa ................................................................................. [naa.5001405bbbbbbbbb]\n"
"  |   o- luns ............................................................................................................ [LUNs: 0]\n"
"  o- vhost ............................................................................................................ [Targets: 0]\n"
"  o- xen-pvscsi ....................................................................................................... [Targets: 0]\n";

int main(void)
{
	struct fixture fx;
	char *out, *err;

	fx_setup(&fx);
	g_counting = true;
	fx_run(&fx, "ls", &out, &err);
	g_counting = false;
	CHECK_STR(out, full_tree);
	check_listed_once(fx.root, 15);
	free(out);
	free(err);

	/* depth limits the levels below the listed node */
	EXPECT(&fx, "ls /backstores 1",
	       "o- backstores ................................................................................................................ [...]\n"
	       "  o- block .................................................................................................... [Storage Objects: 0]\n"
	       "  o- fileio ................................................................................................... [Storage Objects: 1]\n"
	       "  o- pscsi .................................................................................................... [Storage Objects: 0]\n"
	       "  o- ramdisk .................................................................................................. [Storage Objects: 1]\n",
	       NULL);
	/* a relative path, as the ovirt client does from the portals node */
	EXPECT(&fx, "/iscsi/iqn.2003-01.org.example:t1/tpg1/portals ls 0.0.0.0:3260",
	       "o- 0.0.0.0:3260 ............................................................................................................... [OK]\n",
	       NULL);
	EXPECT(&fx, "ls / x", NULL, "The tree depth must be a number.");
	/* prefs shaping the tree */
	EXPECT(&fx, "set global tree_round_nodes=false tree_status_mode=false", NULL, NULL);
	EXPECT(&fx, "ls /backstores/ramdisk",
	       "+- ramdisk\n  +- ram1\n    +- alua\n      +- default_tg_pt_gp\n", NULL);
	EXPECT(&fx, "set global tree_show_root=false tree_round_nodes=true", NULL, NULL);
	EXPECT(&fx, "ls /backstores/ramdisk",
	       "o- ram1\n  o- alua\n    o- default_tg_pt_gp\n", NULL);
	EXPECT(&fx, "set global tree_show_root=true tree_status_mode=true tree_max_depth=1", NULL, NULL);
	EXPECT(&fx, "ls /loopback",
	       "o- loopback ........................................................................................................... [Targets: 1]\n"
	       "  o- naa.5001405aaaaaaaaa ................................................................................... [naa.5001405bbbbbbbbb]\n",
	       NULL);
	/* the width follows the terminal, capped at 132 */
	fx.sh.pr.width_override = 60;
	EXPECT(&fx, "ls /vhost", "o- vhost ...................................... [Targets: 0]\n", NULL);
	fx_teardown(&fx);
	return tap_done();
}

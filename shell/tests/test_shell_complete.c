// SPDX-License-Identifier: GPL-2.0-or-later
/* Completion candidates for the word under the cursor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shtest.h"

/* The candidates for @line (cursor at its end), joined with '|'. */
static void cands(struct fixture *fx, const char *line, const char *want, int lineno)
{
	struct strv out = { 0 };
	char got[2048] = "";

	sh_complete(&fx->sh, line, strlen(line), &out);
	for (size_t i = 0; i < out.n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", i ? "|" : "", out.v[i]);
	tap_check(!strcmp(got, want), __FILE__, lineno, line, "got '%s', want '%s'", got, want);
	strv_clear(&out);
}
#define CANDS(line, want) cands(&fx, line, want, __LINE__)

int main(void)
{
	struct fixture fx;

	fx_setup(&fx);
	/* first word: commands and children */
	CANDS("b", "backstores/|bookmarks ");
	CANDS("/backstores/f", "/backstores/fileio/");
	CANDS("/backstores/fileio/", "/backstores/fileio/disk1/");
	CANDS("/iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lun1", "/iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lun10 ");
	/* numbered names are made only for the numbers that match */
	CANDS("cd /iscsi/iqn.2003-01.org.example:t1/tpg1/luns/",
	      "/iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lun0 |"
	      "/iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lun10 |"
	      "/iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lun2 ");
	CANDS("cd /iscsi/iqn.2003-01.org.example:t1/tpg1/luns/l",
	      "/iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lun0 |"
	      "/iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lun10 |"
	      "/iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lun2 ");
	CANDS("cd /iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lun2",
	      "/iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lun2 ");
	CANDS("cd /iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lun3", "");
	CANDS("cd /iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lux", "");
	CANDS("cd /iscsi/iqn.2003-01.org.example:t1/tpg1/luns/lun10x", "");
	CANDS("cd /iscsi/iqn.2003-01.org.example:t1/tpg1/acls/iqn.1994-05.com.redhat:client/m",
	      "/iscsi/iqn.2003-01.org.example:t1/tpg1/acls/iqn.1994-05.com.redhat:client/mapped_lun0 ");
	CANDS("cd /iscsi/iqn.2003-01.org.example:t1/tpg1/acls/iqn.1994-05.com.redhat:client/mapped_lun1",
	      "");
	CANDS("cd /backstores/fileio/d", "/backstores/fileio/disk1/");
	CANDS("cd /backstores/fileio/x", "");
	CANDS("/backstores/fileio c", "cd |create ");
	/* parameters: keywords and values */
	CANDS("/backstores/fileio create name=x file_or_dev=/x write_back=t", "write_back=true");
	CANDS("/backstores/fileio create x /y s", "size=|sparse=");
	CANDS("/backstores/fileio delete ", "disk1|name=|save=");
	CANDS("set global tree_r", "tree_round_nodes=");
	CANDS("set global color_mode=", "color_mode=false|color_mode=true");
	CANDS("set g", "global|group=");
	CANDS("get global prompt", "prompt_length ");
	CANDS("ls /backstores/r", "/backstores/ramdisk/");
	CANDS("cd /iscsi/iqn.2003-01.org.example:t1/tpg1/p", "/iscsi/iqn.2003-01.org.example:t1/tpg1/portals/");
	CANDS("help cr", "");
	CANDS("/iscsi help cr", "create ");
	CANDS("/iscsi/iqn.2003-01.org.example:t1/tpg1/luns delete ", "0|10|2|lun=");
	CANDS("bookmarks ", "action=|add|bookmark=|del|go|show");
	/* portal addresses: this host's, from the kernel through libnl */
	CANDS("/iscsi/iqn.2003-01.org.example:t1/tpg1/portals create 127.", "127.0.0.1");
	CANDS("/iscsi/iqn.2003-01.org.example:t1/tpg1/portals create 0.", "0.0.0.0");
	fx_teardown(&fx);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/* Path resolution, cd/pwd, bookmarks, iterall, help and get/set output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefs.h"
#include "repl.h"
#include "shtest.h"

#define IQN "/iscsi/iqn.2003-01.org.example:t1"
#define INI "iqn.1994-05.com.redhat:client"
#define TPG_REL "target/iscsi/iqn.2003-01.org.example:t1/tpgt_1/"
#define ACLS_REL TPG_REL "acls/"

static void prompt_is(struct fixture *fx, const char *want)
{
	char *p = sh_prompt(&fx->sh);

	CHECK_STR(p, want);
	free(p);
}

int main(void)
{
	struct fixture fx;

	fx_setup(&fx);
	EXPECT(&fx, "pwd", "/\n", NULL);
	EXPECT(&fx, "iscsi", NULL, "Command not found iscsi");  /* a path needs a '/' */
	EXPECT(&fx, "cd iscsi", "", NULL);                        /* but not after cd */
	EXPECT(&fx, "pwd", "/iscsi\n", NULL);
	EXPECT(&fx, "iqn.2003-01.org.example:t1/tpg1/", "", NULL);  /* a bare path is cd */
	EXPECT(&fx, "pwd", IQN "/tpg1\n", NULL);
	prompt_is(&fx, "/iscsi/iqn.20...ample:t1/tpg1> ");
	EXPECT(&fx, "cd ../..//", "", NULL);
	EXPECT(&fx, "pwd", "/iscsi\n", NULL);
	EXPECT(&fx, "cd .", "", NULL);
	EXPECT(&fx, "pwd", "/iscsi\n", NULL);
	EXPECT(&fx, "cd /..", "", NULL);  /* the root is its own parent */
	EXPECT(&fx, "pwd", "/\n", NULL);
	EXPECT(&fx, "cd " IQN "/tpg1/luns/lun0", "", NULL);
	/* history: / /iscsi .../tpg1 /iscsi / .../lun0 */
	EXPECT(&fx, "cd <", "Taking you back to /.\n", NULL);
	EXPECT(&fx, "cd <", "Taking you back to /iscsi.\n", NULL);
	EXPECT(&fx, "cd >", "Taking you back to /.\n", NULL);
	EXPECT(&fx, "cd >", "Taking you back to " IQN "/tpg1/luns/lun0.\n", NULL);
	EXPECT(&fx, "cd >", "Reached the end of path history.\n", NULL);
	EXPECT(&fx, "cd /nope", NULL, "No such path /nope");
	EXPECT(&fx, IQN "/tpg1/luns/lun7 ls", NULL, "No such path " IQN "/tpg1/luns/lun7");
	EXPECT(&fx, IQN "/tpg2 ls", NULL, "No such path " IQN "/tpg2");
	/* ACLs by WWN, or by tag for a tagged one (not by its WWN then) */
	EXPECT(&fx, IQN "/tpg1/acls/" INI " pwd", IQN "/tpg1/acls/" INI "\n", NULL);
	fx_write(&fx, ACLS_REL INI "2/tag", "grp\n");
	EXPECT(&fx, IQN "/tpg1/acls/grp pwd", IQN "/tpg1/acls/grp\n", NULL);
	EXPECT(&fx, IQN "/tpg1/acls/" INI "2 pwd", NULL,
	       "No such path " IQN "/tpg1/acls/" INI "2");
	EXPECT(&fx, IQN "/tpg1/acls/nobody pwd", NULL, "No such path " IQN "/tpg1/acls/nobody");
	fx_write(&fx, ACLS_REL INI "2/tag", "\n");
	EXPECT(&fx, IQN "/tpg1/acls/" INI "2 pwd", IQN "/tpg1/acls/" INI "2\n", NULL);

	/* bookmarks */
	EXPECT(&fx, "cd " IQN "/tpg1", "", NULL);
	EXPECT(&fx, "bookmarks add t1", "Bookmarked " IQN "/tpg1 as t1.\n", NULL);
	EXPECT(&fx, "bookmarks add t1", NULL, "Bookmark t1 already exists.");
	EXPECT(&fx, "cd /", "", NULL);
	EXPECT(&fx, "@t1 pwd", IQN "/tpg1\n", NULL);
	EXPECT(&fx, "ls @t1/portals", NULL, "No such bookmark t1/portals");
	EXPECT(&fx, "cd @t1", "", NULL);
	EXPECT(&fx, "pwd", IQN "/tpg1\n", NULL);
	EXPECT(&fx, "cd @nope", NULL, "No such bookmark nope");
	EXPECT(&fx, "bookmarks show", "\nBOOKMARKS\n=========\n\nt1\n--\n" IQN "/tpg1\n", NULL);
	EXPECT(&fx, "bookmarks del t1", "Deleted bookmark t1.\n", NULL);
	EXPECT(&fx, "bookmarks show", "\nBOOKMARKS\n=========\n\nNo bookmarks yet.\n", NULL);

	/* iterall: the command on every child, each announced */
	EXPECT(&fx, "/backstores/* status",
	       "[/backstores/block]\nStatus for /backstores/block: Storage Objects: 0\n"
	       "[/backstores/fileio]\nStatus for /backstores/fileio: Storage Objects: 1\n"
	       "[/backstores/pscsi]\nStatus for /backstores/pscsi: Storage Objects: 0\n"
	       "[/backstores/ramdisk]\nStatus for /backstores/ramdisk: Storage Objects: 1\n",
	       NULL);
	EXPECT(&fx, "/backstores/fileio/disk1 status",
	       "Status for /backstores/fileio/disk1: /var/tmp/disk1.img (100.0MiB) write-back activated\n",
	       NULL);

	/* get/set output */
	EXPECT(&fx, "/ get", "\nAVAILABLE CONFIGURATION GROUPS\n==============================\nglobal\n",
	       NULL);
	EXPECT(&fx, IQN "/tpg1 get",
	       "\nAVAILABLE CONFIGURATION GROUPS\n==============================\n"
	       "global parameter attribute auth\n", NULL);
	EXPECT(&fx, "get global prompt_length color_mode",
	       "prompt_length=30 \ncolor_mode=true \n", NULL);
	EXPECT(&fx, IQN "/tpg1 get attribute",
	       "ATTRIBUTE CONFIG GROUP\n======================\n"
	       "authentication=0\n----------------\n"
	       "If set to 1, enforce authentication for this TPG.\n\n"
	       "generate_node_acls=0\n--------------------\n"
	       "If set to 1, allow all initiators to login (i.e. demo mode).\n", NULL);
	EXPECT(&fx, IQN "/tpg1 set attribute authentication=1 generate_node_acls=01",
	       "Parameter authentication is now '1'.\nParameter generate_node_acls is now '1'.\n",
	       NULL);
	EXPECT(&fx, IQN "/tpg1 status",
	       "Status for " IQN "/tpg1: gen-acls, tpg-auth, 1-way auth\n", NULL);
	EXPECT(&fx, IQN "/tpg1 set auth userid=admin password=secret",
	       "Parameter userid is now 'admin'.\nParameter password is now 'secret'.\n", NULL);
	EXPECT(&fx, IQN "/tpg1 get auth userid", "userid=admin \n", NULL);
	EXPECT(&fx, "/backstores/fileio/disk1 get attribute block_size emulate_tpu",
	       "block_size=512 \nemulate_tpu=0 \n", NULL);
	EXPECT(&fx, "set global color_mode=false", "Parameter color_mode is now 'false'.\n", NULL);
	/* without colours, log lines carry their level */
	EXPECT(&fx, "/ status", "Info: Status for /: \n", NULL);
	EXPECT(&fx, "/ version", "Info: targetcli version " SHELL_VERSION "\n", NULL);

	/* tags: ACLs sharing one show as one node; writes go to every member */
	EXPECT(&fx, IQN "/tpg1/acls tag iqn.1994-05.com.redhat:client grp", "", NULL);
	EXPECT(&fx, IQN "/tpg1/acls tag iqn.1994-05.com.redhat:client2 grp", "", NULL);
	EXPECT(&fx, IQN "/tpg1/acls tag grp a.b", NULL, "'.' not permitted in tag names.");
	EXPECT(&fx, IQN "/tpg1/acls/grp status", "Info: Status for " IQN "/tpg1/acls/grp: (group of 2), auth via tpg, Mapped LUNs: 1\n", NULL);
	EXPECT(&fx, IQN "/tpg1/acls/grp set auth userid=user1", "Parameter userid is now 'user1'.\n", NULL);
	EXPECT(&fx, IQN "/tpg1/acls untag grp", "", NULL);
	EXPECT(&fx, IQN "/tpg1/acls/iqn.1994-05.com.redhat:client2 get auth userid", "userid=user1 \n", NULL);

	/* help */
	EXPECT(&fx, "help exit",
	       "\nSYNTAX\n======\nexit \n\n\nDESCRIPTION\n===========\n\nExits the command line interface.\n",
	       NULL);
	{
		char *out, *err;

		fx_run(&fx, IQN "/tpg1/luns help", &out, &err);
		CHECK(strstr(out, "AVAILABLE COMMANDS\n==================\n"));
		CHECK(strstr(out, "  - create storage_object [lun] [add_mapped_luns] \n"
				  "  - delete lun \n  - exit \n  - get [group] [parameter...] \n"));
		CHECK(strstr(out, "  - set [group] [parameter=value...] \n"));
		free(out);
		free(err);
	}
	fx_teardown(&fx);

	/* CHAP that is set is enforced once every ACL has credentials */
	fx_setup(&fx);
	for (int i = 0; i < 2; i++) {
		char rel[256];

		snprintf(rel, sizeof(rel), ACLS_REL "%s/auth/userid", i ? INI "2" : INI);
		fx_write(&fx, rel, "");
		snprintf(rel, sizeof(rel), ACLS_REL "%s/auth/password", i ? INI "2" : INI);
		fx_write(&fx, rel, "");
	}
	fx_write(&fx, TPG_REL "auth/userid", "");
	fx_write(&fx, ACLS_REL INI "/auth/userid_mutual", "");
	EXPECT(&fx, IQN "/tpg1/acls/" INI " set auth userid=u1 password=p1",
	       "Parameter userid is now 'u1'.\nParameter password is now 'p1'.\n"
	       "Warning: CHAP is not enforced on TPG 1: ACLs without credentials: " INI "2; "
	       "to enforce it: " IQN "/tpg1 set attribute authentication=1\n", NULL);
	EXPECT(&fx, IQN "/tpg1/acls ls",
	       "o- acls .................................................................................................................. [ACLs: 2]\n"
	       "  o- iqn.1994-05.com.redhat:client ............................................................. [Mapped LUNs: 1, auth not enforced]\n"
	       "  | o- mapped_lun0 ........................................................................................ [lun0 fileio/disk1 (rw)]\n"
	       "  o- iqn.1994-05.com.redhat:client2 ............................................................................... [Mapped LUNs: 0]\n",
	       NULL);
	EXPECT(&fx, IQN "/tpg1/acls/" INI "2 set auth userid=u2",
	       "Parameter userid is now 'u2'.\n"
	       "Warning: CHAP is not enforced on TPG 1: ACLs without credentials: " INI "2; "
	       "to enforce it: " IQN "/tpg1 set attribute authentication=1\n", NULL);
	EXPECT(&fx, IQN "/tpg1/acls/" INI "2 set auth password=p2",
	       "Parameter password is now 'p2'.\n"
	       "CHAP is now enforced on TPG 1: every ACL has credentials (attribute authentication=1).\n",
	       NULL);
	EXPECT(&fx, IQN "/tpg1 get attribute authentication", "authentication=1 \n", NULL);
	EXPECT(&fx, IQN "/tpg1/acls/" INI " status",
	       "Status for " IQN "/tpg1/acls/" INI ": 1-way auth, Mapped LUNs: 1\n", NULL);
	/* a later explicit authentication=0 is kept; ls then flags the ACLs */
	EXPECT(&fx, IQN "/tpg1 set attribute authentication=0", "Parameter authentication is now '0'.\n",
	       NULL);
	EXPECT(&fx, IQN "/tpg1/acls/" INI "2 status",
	       "Status for " IQN "/tpg1/acls/" INI "2: Mapped LUNs: 0, auth not enforced\n", NULL);
	/* TPG credentials while authentication=0: a warning only */
	EXPECT(&fx, IQN "/tpg1 set auth userid=t",
	       "Parameter userid is now 't'.\n"
	       "Warning: CHAP is not enforced on TPG 1 (attribute authentication=0), and TPG "
	       "credentials are only used with generate_node_acls=1; to enforce it: " IQN
	       "/tpg1 set attribute authentication=1\n", NULL);
	EXPECT(&fx, IQN "/tpg1 get attribute authentication", "authentication=0 \n", NULL);
	/* clearing a credential enforces nothing; demo mode is left alone */
	EXPECT(&fx, IQN "/tpg1/acls/" INI " set auth mutual_userid=", NULL, NULL);
	EXPECT(&fx, IQN "/tpg1 get attribute authentication", "authentication=0 \n", NULL);
	EXPECT(&fx, IQN "/tpg1 set attribute generate_node_acls=1", NULL, NULL);
	EXPECT(&fx, IQN "/tpg1/acls/" INI " set auth userid=u1", "Parameter userid is now 'u1'.\n", NULL);
	EXPECT(&fx, IQN "/tpg1 get attribute authentication", "authentication=0 \n", NULL);

	/* sessions, from the ACLs' info files */
	EXPECT(&fx, "sessions", "(no open sessions)\n", NULL);
	fx_write(&fx, ACLS_REL INI "/info",
		 "InitiatorName: " INI "\nInitiatorAlias: host1\n"
		 "LIO Session ID: 7   ISID: 0x23d000000   TSIH: 3  SessionType: Normal\n"
		 "Session State: TARG_SESS_STATE_LOGGED_IN\n"
		 "---------------------[iSCSI Session Values]-----------------------\n"
		 "  CmdSN/WR  :  CmdSN/WC  :  ExpCmdSN  :  MaxCmdSN  :     ITT    :     TTT\n"
		 " 0x00000001   0x00000001   0x00000001   0x00000040   0x00000000   0xffffffff\n"
		 "----------------------[iSCSI Connections]-------------------------\n"
		 "CID: 0  Connection State: TARG_CONN_STATE_LOGGED_IN\n"
		 "   Address 127.0.0.1 TCP  StatSN: 0x00000002\n");
	fx_write(&fx, ACLS_REL INI "2/info", "No active iSCSI Session for Initiator Endpoint: " INI "2\n");
	EXPECT(&fx, "sessions", "alias: host1\tsid: 7 type: Normal session-state: LOGGED_IN\n", NULL);
	EXPECT(&fx, "sessions detail 7",
	       "alias: host1\tsid: 7 type: Normal session-state: LOGGED_IN\n"
	       "    name: " INI " (NOT AUTHENTICATED)\n"
	       "    mapped-lun: 0 backstore: fileio/disk1 mode: rw\n"
	       "    address: 127.0.0.1 (TCP)  cid: 0 connection-state: LOGGED_IN\n", NULL);
	EXPECT(&fx, "sessions list 8", NULL, "no session found with sid 8");
	EXPECT(&fx, "sessions sid=x", NULL, "sid must be a number, 'x' given");
	EXPECT(&fx, "sessions all", NULL, "action must be one of: list, detail");
	fx_teardown(&fx);
	return tap_done();
}

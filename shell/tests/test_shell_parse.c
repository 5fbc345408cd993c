// SPDX-License-Identifier: GPL-2.0-or-later
/* The command-line grammar and parameter matching, with configshell's messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "shtest.h"

static void parse_ok(const char *line, const char *path, const char *cmd, const char *pp,
		     const char *kw)
{
	struct cmdline cl;
	char got_pp[256] = "", got_kw[256] = "";

	CHECK_MSG(cmdline_parse(line, &cl) == 0, "parse %s", line);
	for (size_t i = 0; i < cl.npp; i++)
		snprintf(got_pp + strlen(got_pp), sizeof(got_pp) - strlen(got_pp), "%s[%s]",
			 i ? " " : "", cl.pp[i]);
	for (size_t i = 0; i < cl.nkw; i++)
		snprintf(got_kw + strlen(got_kw), sizeof(got_kw) - strlen(got_kw), "%s%s=%s",
			 i ? " " : "", cl.kw[i].key, cl.kw[i].value);
	CHECK_MSG((!path && !cl.path) || (path && cl.path && !strcmp(path, cl.path)),
		  "%s: path '%s'", line, cl.path ? cl.path : "(none)");
	CHECK_MSG((!cmd && !cl.command) || (cmd && cl.command && !strcmp(cmd, cl.command)),
		  "%s: command '%s'", line, cl.command ? cl.command : "(none)");
	CHECK_MSG(!strcmp(pp, got_pp), "%s: pparams '%s' want '%s'", line, got_pp, pp);
	CHECK_MSG(!strcmp(kw, got_kw), "%s: kparams '%s' want '%s'", line, got_kw, kw);
	cmdline_clear(&cl);
}

static void type_ok(struct sh *sh, enum ptype t, const char *in, const char *canon, const char *shown)
{
	char *v = NULL;

	CHECK_MSG(ptype_parse(sh, t, in, &v) == 0, "%s '%s'", ptype_name(t), in);
	CHECK_MSG((!canon && !v) || (canon && v && !strcmp(canon, v)), "%s '%s' -> '%s'",
		  ptype_name(t), in, v ? v : "(None)");
	CHECK_STR(ptype_show(t, v), shown);
	free(v);
}

int main(void)
{
	struct fixture fx;

	/* a first word is a path only with a '/', or @bookmark, ., .., * */
	parse_ok("ls", NULL, "ls", "", "");
	parse_ok("iscsi/ create", "iscsi/", "create", "", "");
	parse_ok("/backstores/fileio create f1 /tmp/f1.img 1G", "/backstores/fileio", "create",
		 "[f1] [/tmp/f1.img] [1G]", "");
	parse_ok(".. ls", "..", "ls", "", "");
	parse_ok(". ls", ".", "ls", "", "");
	parse_ok("* ls", "*", "ls", "", "");
	parse_ok("@last", "@last", NULL, "", "");
	parse_ok("tpg1", NULL, "tpg1", "", "");
	/* keyword parameters: key of [A-Za-z0-9_-], value may be empty or hold '=' */
	parse_ok("create name=disk1 size=50M file_or_dev=/x", NULL, "create", "",
		 "name=disk1 size=50M file_or_dev=/x");
	parse_ok("create add_mapped_luns=false iqn.1994-05.com.redhat:c2", NULL, "create",
		 "[iqn.1994-05.com.redhat:c2]", "add_mapped_luns=false");
	parse_ok("set auth password= userid=a=b", NULL, "set", "[auth]", "password= userid=a=b");
	parse_ok("set x a.b=c", NULL, "set", "[x] [a.b=c]", "");
	/* blanks anywhere */
	parse_ok("  /iscsi/iqn.x/tpg1/portals   create 127.0.0.1  ", "/iscsi/iqn.x/tpg1/portals",
		 "create", "[127.0.0.1]", "");
	/* pyparsing stops a command word at other characters */
	parse_ok("foo-bar", NULL, "foo", "[-bar]", "");

	fx_setup(&fx);
	/* typed values: canonical form and display, as configshell's ui_type_* */
	type_ok(&fx.sh, T_NUMBER, "42", "42", "42");
	type_ok(&fx.sh, T_NUMBER, "", NULL, "n/a");
	type_ok(&fx.sh, T_STRING, "", NULL, "n/a");
	type_ok(&fx.sh, T_BOOL, "TRUE", "true", "true");
	type_ok(&fx.sh, T_BOOL, "False", "false", "false");
	type_ok(&fx.sh, T_COLOR, "default", NULL, "default");
	type_ok(&fx.sh, T_COLORDEFAULT, "none", NULL, "none");
	type_ok(&fx.sh, T_COLOR, "red", "red", "red");
	type_ok(&fx.sh, T_LOGLEVEL, "debug", "debug", "debug");
	type_ok(&fx.sh, T_YESNO, "Yes", "Yes", "Yes");
	{
		char *v;

		CHECK(ptype_parse(&fx.sh, T_YESNO, "yes", &v) < 0);
		CHECK_STR(fx.sh.err, "Syntax error, 'yes' is not Yes|No.");
		CHECK(ptype_parse(&fx.sh, T_COLOR, "pink", &v) < 0);
		CHECK_STR(fx.sh.err, "Syntax error, 'pink' is not black|red|green|yellow|blue|magenta|cyan|white|default");
	}
	/* errors, exactly as configshell words them */
	EXPECT(&fx, "foo", NULL, "Command not found foo");
	EXPECT(&fx, "tpg1", NULL, "Command not found tpg1");
	EXPECT(&fx, "/nothere/x ls", NULL, "No such path /nothere");
	EXPECT(&fx, "/backstores/fileio/nope ls", NULL, "No such path /backstores/fileio/nope");
	EXPECT(&fx, "/backstores/fileio create", NULL,
	       "Missing required parameters 'file_or_dev', 'name'");
	EXPECT(&fx, "/backstores/fileio create x", NULL, "Missing required parameter file_or_dev");
	EXPECT(&fx, "/backstores/fileio create x y bogus=1", NULL,
	       "Unexpected keyword parameter 'bogus'.");
	EXPECT(&fx, "/backstores/fileio create x y a=1 b=2", NULL,
	       "Unexpected keyword parameters 'a', 'b'.");
	EXPECT(&fx, "/backstores/fileio create x y name=z", NULL, "Duplicate parameter name.");
	EXPECT(&fx, "pwd x", NULL, "Got 1 positionnal parameters, expected exactly 0.");
	EXPECT(&fx, "ls / 1 2", NULL, "Got 3 positionnal parameters, expected at most 2.");
	EXPECT(&fx, "/iscsi/iqn.2003-01.org.example:t1/tpg1/portals delete", NULL,
	       "Missing required parameters 'ip_address', 'ip_port'");
	EXPECT(&fx, "bookmarks", NULL, "Missing required parameter action");
	EXPECT(&fx, "bookmarks frob", NULL, "Syntax error, see 'help bookmarks'.");
	EXPECT(&fx, "set global color_mode=maybe", NULL,
	       "Not setting color_mode! Syntax error, 'maybe' is not true|false.");
	EXPECT(&fx, "set global prompt_length=x", NULL,
	       "Not setting prompt_length! Syntax error, 'x' is not a NUMBER.");
	EXPECT(&fx, "set global loglevel_console=loud", NULL,
	       "Not setting loglevel_console! Syntax error, 'loud' is not critical|error|warning|info|verbose|debug");
	EXPECT(&fx, "set global nope=1", NULL, "Unknown parameter nope in group 'global'.");
	EXPECT(&fx, "set nogroup a=1", NULL, "Unknown configuration group: nogroup");
	EXPECT(&fx, "get global nope", NULL, "No parameter 'nope' in group 'global'.");
	EXPECT(&fx, "help nope", NULL, "Cannot find help topic nope.");
	/* comment lines and blank lines do nothing */
	EXPECT(&fx, "# create target", "", NULL);
	EXPECT(&fx, "   ", "", NULL);
	/* booleans are case-insensitive */
	EXPECT(&fx, "set global auto_cd_after_create=FALSE", "Parameter auto_cd_after_create is now 'false'.\n", NULL);
	fx_teardown(&fx);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/* Commands present on every node (configshell ConfigNode, targetcli UINode). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "complete_params.h"

static const char help_intro[] =
	"\n"
	"GENERALITIES\n"
	"============\n"
	"This is a shell in which you can create, delete and configure\n"
	"configuration objects.\n"
	"\n"
	"The available commands depend on the current path or target\n"
	"path you want to run a command in: different path have\n"
	"different sets of available commands, i.e. a path pointing at\n"
	"an iSCSI target will not have the same available commands as,\n"
	"say, a path pointing at a storage object.\n"
	"\n"
	"The prompt that starts each command line indicates your\n"
	"current path. Alternatively (useful if the prompt displays\n"
	"an abbreviated path to save space), you can run the\n"
	"`pwd` command to display the complete current path.\n"
	"\n"
	"Navigating the tree is done using the `cd` command. Please\n"
	"try `help cd` for navigation tips.\n"
	"\n"
	"COMMAND SYNTAX\n"
	"==============\n"
	"Commands are built using the following syntax:\n"
	"\n"
	"[TARGET_PATH] COMMAND_NAME [OPTIONS]\n"
	"\n"
	"TARGET_PATH indicates the path to run the command from.\n"
	"If omitted, the command is run from your current path.\n"
	"\n"
	"OPTIONS depend on the command. Please use `help` to\n"
	"get more information.\n"
	"\n"
	"\n"
	"AVAILABLE COMMANDS\n"
	"==================\n"
	"The following commands are available in the\n"
	"current path:\n"
	"\n";

/* configshell's get_command_syntax: "cmd req [opt] [var...] [kw=value...] " */
static void syntax(const struct cmd *c, char *buf, size_t len)
{
	size_t off = (size_t)snprintf(buf, len, "%s ", c->name);

	for (size_t i = 0; c->params && c->params[i].name && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, c->params[i].required ? "%s " : "[%s] ",
					c->params[i].name);
	if (c->varargs && off < len)
		off += (size_t)snprintf(buf + off, len - off, "[%s...] ", c->varargs);
	if (c->varkw && off < len)
		snprintf(buf + off, len - off, "[%s=value...] ", c->varkw);
}

static int cmd_help(struct sh *sh, struct node *node, struct args *a)
{
	const struct cmd *cmds[64], *c;
	size_t n = node_commands(sh, node, cmds, 64);
	char buf[512];

	if (!a->v[0]) {
		pr_raw(&sh->pr, help_intro);
		for (size_t i = 0; i < n; i++) {
			syntax(cmds[i], buf, sizeof(buf));
			pr_line(&sh->pr, "  - %s", buf);
		}
		return 0;
	}
	if (!(c = node_command(sh, node, a->v[0])))
		return sh_fail(sh, "Cannot find help topic %s.", a->v[0]);
	syntax(c, buf, sizeof(buf));
	pr_raw(&sh->pr, "\nSYNTAX\n======\n");
	pr_line(&sh->pr, "%s\n", buf);
	{
		char defs[512] = "";
		size_t off = 0;

		for (size_t i = 0; c->params && c->params[i].name; i++)
			if (c->params[i].def && off < sizeof(defs))
				off += (size_t)snprintf(defs + off, sizeof(defs) - off, "%s=%s ",
							c->params[i].name, c->params[i].def);
		if (*defs)
			pr_line(&sh->pr, "\nDEFAULT VALUES\n==============\n%s\n", defs);
	}
	pr_raw(&sh->pr, "\nDESCRIPTION\n===========\n\n");
	pr_raw(&sh->pr, c->help ? c->help : "No description available.\n");
	return 0;
}

static int cmd_exit(struct sh *sh, struct node *node, struct args *a)
{
	(void)node;
	(void)a;
	sh->exit = true;
	return 0;
}

static int cmd_refresh(struct sh *sh, struct node *node, struct args *a)
{
	/* nothing is cached: every command reads configfs afresh */
	(void)sh;
	(void)node;
	(void)a;
	return 0;
}

static int cmd_status(struct sh *sh, struct node *node, struct args *a)
{
	enum health h;
	char *desc;

	(void)a;
	if (node_summary(sh, node, &desc, &h) < 0)
		return sh_fail(sh, "Out of memory");
	pr_info(&sh->pr, "Status for %s: %s", node->path, desc);
	free(desc);
	return 0;
}

/* ---- the table ----------------------------------------------------- */

static const struct param p_help[] = {
	{ "topic", T_STRING, NULL, false, complete_command_name },
	{ NULL },
};
static const struct param p_ls[] = {
	{ "path", T_STRING, NULL, false, complete_node_path },
	{ "depth", T_NUMBER, NULL, false, NULL },
	{ NULL },
};
static const struct param p_cd[] = {
	{ "path", T_STRING, NULL, false, complete_node_path },
	{ NULL },
};
static const struct param p_bookmarks[] = {
	{ "action", T_STRING, NULL, true, complete_bookmark_action },
	{ "bookmark", T_STRING, NULL, false, complete_bookmark_name },
	{ NULL },
};
static const struct param p_group[] = {
	{ "group", T_STRING, NULL, false, complete_group_name },
	{ NULL },
};

const struct cmd common_cmds[] = {
	{ "bookmarks", p_bookmarks, NULL, NULL, cmd_bookmarks,
	  "Manage your bookmarks.\n\n"
	  "Note that you can also access your bookmarks with the\n"
	  "`cd` command. For instance, the following commands\n"
	  "are equivalent:\n"
	  "    - `cd @mybookmark`\n"
	  "    - `bookmarks go mybookmark``\n\n"
	  "You can also use bookmarks anywhere where you would use\n"
	  "a normal path:\n"
	  "    - `@mybookmark ls` performs the `ls` command\n"
	  "    in the bookmarked path.\n"
	  "    - `ls @mybookmark` shows you the objects tree from\n"
	  "    the bookmarked path.\n\n\n"
	  "PARAMETERS\n==========\n\naction\n------\n"
	  "The \"action\" parameter is one of:\n"
	  "    - `add` adds the current path to your bookmarks.\n"
	  "    - `del` deletes a bookmark.\n"
	  "    - `go` takes you to a bookmarked path.\n"
	  "    - `show` shows you all your bookmarks.\n\n"
	  "bookmark\n--------\nThis is the name of the bookmark.\n\n"
	  "SEE ALSO\n========\nls cd\n", NULL },
	{ "cd", p_cd, NULL, NULL, cmd_cd,
	  "Change current path to path.\n\n"
	  "The path is constructed just like a unix path, with \"/\" as separator\n"
	  "character, \".\" for the current node, \"..\" for the parent node.\n"
	  "Without a path, `cd` takes you to the root node.\n\n"
	  "You can also navigate the path history with \"<\" and \">\":\n"
	  "    - `cd <` takes you back one step in the path history\n"
	  "    - `cd >` takes you one step forward in the path history\n\n"
	  "SEE ALSO\n========\nls cd\n", NULL },
	{ "exit", NULL, NULL, NULL, cmd_exit, "Exits the command line interface.\n", NULL },
	{ "get", p_group, "parameter", NULL, cmd_get,
	  "Gets the value of one or more configuration parameters in the given\n"
	  "group.\n\n"
	  "Run with no parameter nor group to list all available groups, or\n"
	  "with just a group name to list all available parameters within that\n"
	  "group.\n\n"
	  "Example: get global color_mode loglevel_console\n\n"
	  "SEE ALSO\n========\nset\n", NULL },
	{ "help", p_help, NULL, NULL, cmd_help,
	  "Displays the manual page for a topic, or list available topics.\n", NULL },
	{ "ls", p_ls, NULL, NULL, cmd_ls,
	  "Display either the nodes tree relative to path or to the current node.\n\n"
	  "PARAMETERS\n==========\n\npath\n----\n"
	  "The path to display the nodes tree of. Can be an absolute path, a\n"
	  "relative path or a bookmark.\n\n"
	  "depth\n-----\n"
	  "The depth parameter limits the maximum depth of the tree to display.\n"
	  "If set to 0, then the complete tree will be displayed (the default).\n\n"
	  "SEE ALSO\n========\ncd bookmarks\n", NULL },
	{ "pwd", NULL, NULL, NULL, cmd_pwd,
	  "Displays the current path.\n\nSEE ALSO\n========\nls cd\n", NULL },
	{ "refresh", NULL, NULL, NULL, cmd_refresh,
	  "Refreshes and updates the objects tree from the current path.\n", NULL },
	{ "set", p_group, NULL, "parameter", cmd_set,
	  "Sets one or more configuration parameters in the given group.\n"
	  "The \"global\" group contains all global CLI preferences.\n"
	  "Other groups are specific to the current path.\n\n"
	  "Run with no parameter nor group to list all available groups, or\n"
	  "with just a group name to list all available parameters within that\n"
	  "group.\n\n"
	  "Example: set global color_mode=true loglevel_console=info\n\n"
	  "SEE ALSO\n========\nget\n", NULL },
	{ "status", NULL, NULL, NULL, cmd_status,
	  "Displays the current node's status summary.\n\nSEE ALSO\n========\nls\n", NULL },
	{ NULL },
};

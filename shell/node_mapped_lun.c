// SPDX-License-Identifier: GPL-2.0-or-later
/* One mapped LUN of a node ACL (targetcli UIMappedLUN). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodes.h"

/* ---- one mapped LUN ----------------------------------------------------------- */

static int mlun_summary(struct sh *sh, struct node *node, char **text, enum health *h)
{
	struct lio_mapped_lun *m = lio_obj_mapped_lun(node->obj);
	struct lio_lun *lun;
	struct lio_so *so;
	char *label;
	bool wp = false;
	int r;

	*h = H_OK;
	if (lio_mapped_lun_get_lun(m, &lun) < 0) {
		*h = H_BAD;
		*text = strdup("BROKEN LUN LINK");
		return 0;
	}
	lio_mapped_lun_get_write_protect(m, &wp);
	if (lun_so_label(sh, lun, &label, &so) < 0) {
		r = asprintf(text, "lun%u (%s)", lio_lun_index(lun), wp ? "ro" : "rw");
	} else {
		r = asprintf(text, "lun%u %s (%s)", lio_lun_index(lun), label, wp ? "ro" : "rw");
		lio_so_unref(so);
		free(label);
	}
	lio_lun_unref(lun);
	if (r < 0)
		*text = NULL;
	return 0;
}

static int cmd_mlun_info(struct sh *sh, struct node *node, struct args *a)
{
	struct lio_mapped_lun *m = lio_obj_mapped_lun(node->obj);
	char *alias = NULL;
	unsigned t;
	bool wp = false;

	(void)a;
	lio_mapped_lun_get_alias(m, &alias);
	lio_mapped_lun_get_write_protect(m, &wp);
	pr_info(&sh->pr, "alias: %s", alias ? alias : "");
	pr_info(&sh->pr, "index: %u", lio_mapped_lun_index(m));
	if (lio_mapped_lun_get_tpg_lun(m, &t) == 0)
		pr_info(&sh->pr, "tpg_lun: %u", t);
	pr_info(&sh->pr, "write_protect: %s", wp ? "True" : "False");
	free(alias);
	return 0;
}

static const struct cmd mlun_cmds[] = {
	{ "info", NULL, NULL, NULL, cmd_mlun_info,
	  "Displays information about the mapped LUN.\n", NULL },
	{ NULL },
};

const struct node_type mapped_lun_type = {
	.kind = "mapped_lun",
	.cmds = mlun_cmds,
	.summary = mlun_summary,
};

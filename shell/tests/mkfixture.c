// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkfixture: print the path of a fresh fake configfs root holding the
 * default test tree (see shtest.c), to try the shell by hand:
 *   TARGETCLI_CONFIGFS=$(mkfixture) TARGETCLI_HOME=/tmp/h targetcli ls
 */
#include <stdio.h>

#include "shtest.h"

int main(void)
{
	struct fixture fx;

	fx_setup(&fx);
	sh_fini(&fx.sh);
	printf("%s\n", fx.root);
	return 0;
}

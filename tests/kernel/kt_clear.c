/* kt-clear: empty the LIO configuration (test tool for the compatibility runs). */
#include <stdio.h>

#include "lio.h"

int main(void)
{
	struct lio_ctx *ctx;
	int r = lio_new(&ctx, NULL);

	if (r < 0)
		return 1;
	r = lio_setup(ctx, NULL, LIO_SETUP_NO_DBROOT);
	if (r >= 0)
		r = lio_clear(ctx);
	if (r < 0)
		fprintf(stderr, "kt-clear: %s\n", lio_errmsg(ctx));
	lio_unref(ctx);
	return r < 0;
}

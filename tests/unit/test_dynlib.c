/*
 * Optional libraries loaded at first use: the loader's outcomes, and libkmod
 * reached through it (the module lookup must fail on the module, never on
 * loading libkmod itself).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dynlib.h"
#include "lio.h"
#include "tap.h"

static size_t (*dl_strlen_p)(const char *);

static void loader_outcomes(void)
{
	static const struct dynlib_sym good[] = { { "strlen", (void **)&dl_strlen_p } };
	static void *unused;
	static const struct dynlib_sym bad_sym[] = { { "lio_no_such_symbol", &unused } };
	struct dynlib missing = { "libnot-there.so.9", good, 1, 0, "" };
	struct dynlib nosym = { "libc.so.6", bad_sym, 1, 0, "" };
	struct dynlib libc = { "libc.so.6", good, 1, 0, "" };

	CHECK_INT(dynlib_load(&missing), -ENOENT);
	CHECK_MSG(strstr(missing.error, "cannot load libnot-there.so.9: ") == missing.error,
		  "error: %s", missing.error);
	/* The first outcome stands. */
	CHECK_INT(dynlib_load(&missing), -ENOENT);

	CHECK_INT(dynlib_load(&nosym), -ENOENT);
	CHECK_STR(nosym.error, "libc.so.6 has no symbol lio_no_such_symbol");

	CHECK_INT(dynlib_load(&libc), 0);
	CHECK(dl_strlen_p && dl_strlen_p("four") == 4);
	CHECK_INT(dynlib_load(&libc), 0);
}

static void kmod_reached(void)
{
	struct lio_ctx *ctx = NULL;
	int r;

	CHECK_INT(lio_new(&ctx, "/nonexistent-configfs"), 0);
	lio_set_autoload(ctx, false);
	r = lio_load_module(ctx, "lio_no_such_module");
	CHECK(r < 0);
	/* "not found" or "Cannot look up" (no module tree here): libkmod answered. */
	CHECK_MSG(strstr(lio_errmsg(ctx), "lio_no_such_module") &&
			  !strstr(lio_errmsg(ctx), "cannot load") &&
			  !strstr(lio_errmsg(ctx), "has no symbol"),
		  "message: %s", lio_errmsg(ctx));
	lio_unref(ctx);
}

int main(void)
{
	loader_outcomes();
	kmod_reached();
	return tap_done();
}

/*
 * Helpers for the kernel tests: they run inside the test VM against the
 * real LIO configfs, as root, one program per test group.
 */
#ifndef LIO_KT_H
#define LIO_KT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lio.h"
#include "tap.h"

/* A context on the real configfs, set up (modules loaded by the library). */
struct lio_ctx *kt_ctx(void);

/* Check that a liblio call succeeded, printing lio_errmsg() if it did not. */
#define CHECK_OK(ctx, call)                                                    \
	do {                                                                   \
		int _r = (call);                                               \
		tap_check(_r >= 0, __FILE__, __LINE__, #call, "returned %d: %s", _r, \
			  lio_errmsg(ctx));                                    \
	} while (0)
/* Check that a call failed with @err and its message contains @msg. */
#define CHECK_FAIL(ctx, call, err, msg)                                        \
	do {                                                                   \
		int _r = (call);                                               \
		tap_check(_r == (err) && strstr(lio_errmsg(ctx), (msg)), __FILE__, \
			  __LINE__, #call, "returned %d '%s', want %d '...%s...'", _r, \
			  lio_errmsg(ctx), (err), (msg));                      \
	} while (0)

/*
 * Run a program (argv[0] looked up in PATH) with @env_extra added to the
 * environment (NULL-terminated "K=V" list, may be NULL); capture its
 * stdout and stderr in *out (may be NULL). Returns the exit status, or
 * -1 if it could not run or was killed.
 */
int kt_run(char **out, const char *const *env_extra, const char *const argv[]);
#define KT_RUN(out, ...) kt_run(out, NULL, (const char *const[]){ __VA_ARGS__, NULL })

/* Every path under the target root (dirs, files, links), sorted, one per line. */
char *kt_tree(const char *root);
/* The object directories under the target root (no attribute files). */
char *kt_objects(const char *root);
/* Whether the configuration is empty: no HBA, no target. */
bool kt_config_empty(struct lio_ctx *ctx, char **why);

/* Attach a sparse file of @size bytes to a free loop device; its path in @dev. */
int kt_loop_attach(const char *file, unsigned long long size, char dev[64]);
int kt_loop_detach(const char *dev);

/* Whether @rel exists under the target root. */
bool kt_exists(struct lio_ctx *ctx, const char *rel);

/* A scratch directory for the test's files. */
const char *kt_scratch(void);

/* A program's exit status and what it printed, apart. */
struct kt_res {
	int rc;
	char *out;
	char *err;
};
/* A whole file as a string ("" when unreadable). */
char *kt_slurp(const char *path);
void kt_res_free(struct kt_res *r);
/*
 * Run @bin with @argv (after the program name), stdin from @in (NULL:
 * /dev/null), the environment without TARGETCLI_* plus @env_extra (NULL:
 * none); the test log gets the command and all it printed. Returns r->rc.
 */
int kt_run_capture(struct kt_res *r, const char *bin, char *env_extra, const char *in,
		   const char *const *argv);
/* One `ls` line as targetcli lays it out on a 132-column non-tty. */
void kt_ls_line(FILE *f, const char *margin, const char *name, const char *desc);

#endif

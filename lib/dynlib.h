/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Optional libraries loaded when first needed. libkmod (module loading)
 * and libnl (portal completion) pull in more libraries between them
 * (OpenSSL, compressors), and linking them doubled the start-up time of
 * every one-shot command that never uses them. Internal to liblio and the
 * shell.
 */
#ifndef LIO_DYNLIB_H
#define LIO_DYNLIB_H

#include <stdbool.h>
#include <stddef.h>

struct dynlib_sym {
	const char *name;
	void **slot; /* address of a function pointer */
};

struct dynlib {
	const char *soname;
	const struct dynlib_sym *syms;
	size_t n_syms;
	int state;       /* 0 not tried, 1 loaded, -1 failed */
	char error[256]; /* why it failed */
};

/* X-macro helpers: a pointer named dl_<fn> of fn's own type, and its entry. */
#define DYNLIB_DECLARE(fn) static __typeof__(fn) *dl_##fn;
#define DYNLIB_ENTRY(fn) { #fn, (void **)&dl_##fn },

/*
 * Loads lib->soname and every symbol once per process; later calls return
 * the first outcome. Returns 0, or -ENOENT with lib->error set ("cannot
 * load libkmod.so.2: ..."), in which case no slot is usable.
 */
int dynlib_load(struct dynlib *lib);

#endif

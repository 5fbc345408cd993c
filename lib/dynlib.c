/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "dynlib.h"

int dynlib_load(struct dynlib *lib)
{
	void *handle;
	size_t i;

	if (lib->state)
		return lib->state > 0 ? 0 : -ENOENT;
	lib->state = -1;
	/* Never closed: a library's own dependencies may not support unloading. */
	handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		snprintf(lib->error, sizeof(lib->error), "cannot load %s: %s", lib->soname,
			 dlerror());
		return -ENOENT;
	}
	for (i = 0; i < lib->n_syms; i++) {
		void *p = dlsym(handle, lib->syms[i].name);

		if (!p) {
			snprintf(lib->error, sizeof(lib->error), "%s has no symbol %s",
				 lib->soname, lib->syms[i].name);
			dlclose(handle);
			return -ENOENT;
		}
		*lib->syms[i].slot = p;
	}
	lib->state = 1;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The floor's operations (floor.c runs them; see there). */
#ifndef FLOOR_H
#define FLOOR_H

#include <stdbool.h>

/* floor_write.c: N is the configuration's size (gen.py N). */
void floor_restore(unsigned n);
void floor_create_so(unsigned n);
void floor_delete_so(unsigned n);
void floor_create_lun(unsigned n);
void floor_delete_lun(unsigned n);
/* floor_read.c: what a save (or an ls) reads; returns the bytes read. */
unsigned long long floor_read_all(bool save);
/* floor_clear.c */
void floor_clear(void);
/* floor.c: whether the path (relative to the root) exists. */
bool floor_exists(const char *rel);

#endif

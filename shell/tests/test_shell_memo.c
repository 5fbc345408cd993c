// SPDX-License-Identifier: GPL-2.0-or-later
/* The per-command memo: lookups, replacement, growth past its first size. */
#include <stdio.h>
#include <string.h>

#include "memo.h"
#include "shtest.h"

int main(void)
{
	struct memo m = { 0 };
	char key[32], val[32];
	int bad = 0;

	CHECK(memo_get(&m, "x") == NULL); /* empty, never allocated */
	CHECK_INT(memo_put(&m, "a", "1"), 0);
	CHECK_INT(memo_put(&m, "a", "2"), 0);
	CHECK_STR(memo_get(&m, "a"), "2");
	CHECK_INT((int)m.n, 1);
	CHECK(memo_get(&m, "b") == NULL);
	/* thousands of keys: the table grows and keeps every one */
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "/lun/lun_%d", i);
		snprintf(val, sizeof(val), "ramdisk/rd%d", i);
		if (memo_put(&m, key, val) < 0)
			bad++;
	}
	CHECK_INT(bad, 0);
	for (int i = 0; i < 5000; i++) {
		const char *got;

		snprintf(key, sizeof(key), "/lun/lun_%d", i);
		snprintf(val, sizeof(val), "ramdisk/rd%d", i);
		got = memo_get(&m, key);
		if (!got || strcmp(got, val))
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK_INT((int)m.n, 5001);
	CHECK(m.cap >= 2 * m.n);
	memo_clear(&m);
	CHECK(m.cap == 0 && memo_get(&m, "a") == NULL);
	return tap_done();
}

#include <stdarg.h>
#include <stdio.h>

#include "tap.h"

int tap_failures;
int tap_count;

void tap_check(bool ok, const char *file, int line, const char *expr, const char *fmt, ...)
{
	tap_count++;
	if (ok)
		return;
	tap_failures++;
	fprintf(stderr, "FAIL %s:%d: %s", file, line, expr);
	if (fmt) {
		va_list ap;

		fputs(": ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
	}
	fputc('\n', stderr);
}

int tap_done(void)
{
	printf("%d checks, %d failed\n", tap_count, tap_failures);
	return tap_failures ? 1 : 0;
}

/* Minimal test helpers: each check prints a line; main returns non-zero on failure. */
#ifndef LIO_TEST_TAP_H
#define LIO_TEST_TAP_H
#include <stdbool.h>
#include <string.h>

extern int tap_failures;
extern int tap_count;
void tap_check(bool ok, const char *file, int line, const char *expr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
int tap_done(void);

#define CHECK(expr) tap_check(!!(expr), __FILE__, __LINE__, #expr, NULL)
#define CHECK_MSG(expr, ...) tap_check(!!(expr), __FILE__, __LINE__, #expr, __VA_ARGS__)
#define CHECK_STR(a, b)                                                        \
	do {                                                                   \
		const char *_a = (a), *_b = (b);                               \
		tap_check(_a && _b && !strcmp(_a, _b), __FILE__, __LINE__,     \
			  #a " == " #b, "got '%s', want '%s'", _a ? _a : "(null)", \
			  _b ? _b : "(null)");                                 \
	} while (0)
#define CHECK_INT(a, b)                                                        \
	do {                                                                   \
		long long _a = (long long)(a), _b = (long long)(b);            \
		tap_check(_a == _b, __FILE__, __LINE__, #a " == " #b,          \
			  "got %lld, want %lld", _a, _b);                      \
	} while (0)
#endif

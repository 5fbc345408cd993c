/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* WWN validation, normalisation and generation, as targetcli-fb does them. */
#include <ctype.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "private.h"

/* RFC 3720 caps iSCSI names at 223 bytes; the kernel refuses longer ones. */
#define ISCSI_NAME_MAX 223

static const struct {
	enum lio_wwn_type type;
	const char *name;
} wwn_types[] = {
	{ LIO_WWN_IQN, "iqn" },
	{ LIO_WWN_NAA, "naa" },
	{ LIO_WWN_EUI, "eui" },
	{ LIO_WWN_IB, "ib" },
	{ LIO_WWN_UNIT_SERIAL, "unit_serial" },
	{ LIO_WWN_FREE, "free" },
};

const char *lio_wwn_type_name(enum lio_wwn_type type)
{
	for (size_t i = 0; i < ARRAY_SIZE(wwn_types); i++)
		if (wwn_types[i].type == type)
			return wwn_types[i].name;
	return NULL;
}

static bool all_hex(const char *s, size_t n, bool upper_ok)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!(isdigit((unsigned char)c) || (c >= 'a' && c <= 'f') ||
		      (upper_ok && c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

static bool is_iqn(const char *s)
{
	/* iqn.YYYY-MM.<something>.<something>, no spaces or underscores */
	if (strncmp(s, "iqn.", 4) || strlen(s) > ISCSI_NAME_MAX)
		return false;
	s += 4;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	if (s[4] != '-' || (s[5] != '0' && s[5] != '1') || !isdigit((unsigned char)s[6]) ||
	    s[7] != '.')
		return false;
	s += 8;
	if (!strchr(s, '.'))
		return false;
	return !strpbrk(s, " _\t\n");
}

static bool is_naa(const char *s)
{
	if (strncmp(s, "naa.", 4) || strlen(s) != 4 + 16)
		return false;
	s += 4;
	/* NAA types 1, 2, 5 and 6 (C-F are the locally assigned variants). */
	if (!strchr("125cdefCDEF", s[0]))
		return false;
	return all_hex(s + 1, 15, true);
}

static bool is_hex_prefixed(const char *s, const char *prefix, size_t digits)
{
	size_t pl = strlen(prefix);

	return !strncmp(s, prefix, pl) && strlen(s) == pl + digits &&
	       all_hex(s + pl, digits, false);
}

static bool is_unit_serial(const char *s)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };

	for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
		if (!all_hex(s, (size_t)groups[g], true) || strnlen(s, (size_t)groups[g]) < (size_t)groups[g])
			return false;
		s += groups[g];
		if (g < ARRAY_SIZE(groups) - 1 && *s++ != '-')
			return false;
	}
	return *s == '\0';
}

static bool matches(const char *wwn, enum lio_wwn_type type)
{
	switch (type) {
	case LIO_WWN_IQN:
		return is_iqn(wwn);
	case LIO_WWN_NAA:
		return is_naa(wwn);
	case LIO_WWN_EUI:
		return is_hex_prefixed(wwn, "eui.", 16);
	case LIO_WWN_IB:
		return is_hex_prefixed(wwn, "ib.", 32);
	case LIO_WWN_UNIT_SERIAL:
		return is_unit_serial(wwn);
	case LIO_WWN_FREE:
		return *wwn != '\0';
	}
	return false;
}

enum lio_wwn_type lio_wwn_match(const char *wwn, unsigned types)
{
	for (size_t i = 0; i < ARRAY_SIZE(wwn_types); i++)
		if ((types & wwn_types[i].type) && matches(wwn, wwn_types[i].type))
			return wwn_types[i].type;
	return 0;
}

/* naa/eui/ib WWNs are often written 0x-prefixed or with ':' or '-' between bytes. */
static char *cleanse(const char *lower, const char *type_name)
{
	size_t len = strlen(lower);
	char *out = malloc(len + strlen(type_name) + 2), *w;

	if (!out)
		return NULL;
	if (!strncmp(lower, "0x", 2))
		lower += 2;
	w = out;
	if (strncmp(lower, "naa.", 4) && strncmp(lower, "eui.", 4) && strncmp(lower, "ib.", 3))
		w += sprintf(w, "%s.", type_name);
	for (; *lower; lower++)
		if (*lower != '-' && *lower != ':')
			*w++ = *lower;
	*w = '\0';
	return out;
}

int lio_wwn_normalize(struct lio_ctx *ctx, const char *wwn, unsigned types, char **out,
		      enum lio_wwn_type *type)
{
	_cleanup_free_ char *lower = NULL;
	char names[128] = "";

	if (!wwn)
		wwn = "";
	lower = strdup(wwn);
	if (!lower)
		return -ENOMEM;
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);

	for (size_t i = 0; i < ARRAY_SIZE(wwn_types); i++) {
		enum lio_wwn_type t = wwn_types[i].type;
		char *candidate;

		if (!(types & t))
			continue;
		if (names[0])
			strcat(names, ", ");
		strcat(names, wwn_types[i].name);
		if (t == LIO_WWN_NAA || t == LIO_WWN_EUI || t == LIO_WWN_IB)
			candidate = cleanse(lower, wwn_types[i].name);
		else
			candidate = strdup(lower);
		if (!candidate)
			return -ENOMEM;
		if (matches(candidate, t)) {
			*out = candidate;
			if (type)
				*type = t;
			return 0;
		}
		free(candidate);
	}
	return lio_err(ctx, -EINVAL, "WWN not valid as: %s: '%s'", names, wwn);
}

int lio_uuid4(char out[37])
{
	unsigned char b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t r = getrandom(b + got, sizeof(b) - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)r;
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
		 b[12], b[13], b[14], b[15]);
	return 0;
}

/* @digits random lower-case hex digits and a NUL. */
static int random_hex(char *out, size_t digits)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[32];
	size_t need = (digits + 1) / 2, got = 0;

	if (need > sizeof(b))
		return -EINVAL;
	while (got < need) {
		ssize_t r = getrandom(b + got, need - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)r;
	}
	for (size_t i = 0; i < digits; i++)
		out[i] = hex[(b[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
	out[digits] = '\0';
	return 0;
}

int lio_gen_alias(char out[11])
{
	return random_hex(out, 10);
}

static void copy_without(char *dst, size_t len, const char *src, char drop)
{
	size_t w = 0;

	for (; *src && w + 1 < len; src++)
		if (*src != drop)
			dst[w++] = (char)tolower((unsigned char)*src);
	dst[w] = '\0';
}

int lio_wwn_generate(enum lio_wwn_type type, char **out)
{
	char hex[33], host[256] = "localhost", shorthost[256], machine[128];
	struct utsname uts;
	int r;

	switch (type) {
	case LIO_WWN_IQN:
		r = random_hex(hex, 12);
		if (r < 0)
			return r;
		gethostname(host, sizeof(host) - 1);
		host[strcspn(host, ".")] = '\0';
		copy_without(shorthost, sizeof(shorthost), host, '_');
		machine[0] = '\0';
		if (uname(&uts) == 0)
			copy_without(machine, sizeof(machine), uts.machine, '_');
		*out = lio_strdupf("iqn.2003-01.org.linux-iscsi.%s.%s:sn.%s", shorthost,
				   machine, hex);
		break;
	case LIO_WWN_NAA:
		r = random_hex(hex, 9);
		if (r < 0)
			return r;
		*out = lio_strdupf("naa.5001405%s", hex);
		break;
	case LIO_WWN_EUI:
		r = random_hex(hex, 10);
		if (r < 0)
			return r;
		*out = lio_strdupf("eui.001405%s", hex);
		break;
	case LIO_WWN_IB:
		r = random_hex(hex, 32);
		if (r < 0)
			return r;
		*out = lio_strdupf("ib.%s", hex);
		break;
	case LIO_WWN_UNIT_SERIAL:
	case LIO_WWN_FREE: {
		char uuid[37];

		r = lio_uuid4(uuid);
		if (r < 0)
			return r;
		*out = strdup(uuid);
		break;
	}
	default:
		return -EINVAL;
	}
	return *out ? 0 : -ENOMEM;
}

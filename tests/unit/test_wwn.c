/* WWN validation, normalisation and generation. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "lio.h"
#include "tap.h"

static const unsigned ISCSI = LIO_WWN_IQN | LIO_WWN_NAA | LIO_WWN_EUI;

static void expect_norm(unsigned types, const char *in, const char *want,
			enum lio_wwn_type want_type)
{
	enum lio_wwn_type type = 0;
	char *out = NULL;
	int r = lio_wwn_normalize(NULL, in, types, &out, &type);

	CHECK_MSG(r == 0, "normalize '%s' returned %d", in, r);
	CHECK_STR(out, want);
	CHECK_INT(type, want_type);
	free(out);
}

static void expect_bad(struct lio_ctx *ctx, unsigned types, const char *in, const char *msg)
{
	char *out = NULL;
	int r = lio_wwn_normalize(ctx, in, types, &out, NULL);

	CHECK_MSG(r == -EINVAL, "'%s' should be refused, got %d", in, r);
	CHECK(out == NULL);
	CHECK_MSG(strstr(lio_errmsg(ctx), msg) != NULL, "message '%s' lacks '%s'",
		  lio_errmsg(ctx), msg);
}

int main(void)
{
	struct lio_ctx *ctx;
	char *g;

	CHECK(lio_new(&ctx, "/nonexistent") == 0);
	expect_norm(ISCSI, "iqn.2003-01.org.linux-iscsi.host:sn.1234", "iqn.2003-01.org.linux-iscsi.host:sn.1234", LIO_WWN_IQN);
	expect_norm(ISCSI, "IQN.2024-03.Org.Example:Disk1", "iqn.2024-03.org.example:disk1", LIO_WWN_IQN);
	expect_norm(ISCSI, "naa.5001405abcdef012", "naa.5001405abcdef012", LIO_WWN_NAA);
	expect_norm(ISCSI, "0x50:01:40:5A:BC:DE:F0:12", "naa.5001405abcdef012", LIO_WWN_NAA);
	expect_norm(ISCSI, "eui.0014051234567890", "eui.0014051234567890", LIO_WWN_EUI);
	expect_norm(LIO_WWN_IB, "0xfe800000000000000002c90300a0b0c1", "ib.fe800000000000000002c90300a0b0c1", LIO_WWN_IB);
	expect_norm(LIO_WWN_NAA, "21:00:00:24:ff:31:4c:5e", "naa.21000024ff314c5e", LIO_WWN_NAA);
	expect_norm(LIO_WWN_FREE, "Anything-Goes", "anything-goes", LIO_WWN_FREE);
	expect_norm(LIO_WWN_UNIT_SERIAL, "043A5A3A-b788-4dce-80df-74399f76a519",
		    "043a5a3a-b788-4dce-80df-74399f76a519", LIO_WWN_UNIT_SERIAL);

	expect_bad(ctx, ISCSI, "iqn.2003-01.org_bad.host:x", "WWN not valid as: iqn, naa, eui");
	expect_bad(ctx, ISCSI, "iqn.2003-13x.org.host", "iqn");
	expect_bad(ctx, ISCSI, "iqn.2003-01.nodot", "iqn");
	expect_bad(ctx, ISCSI, "iqn.2003-01.org.with space", "iqn");
	expect_bad(ctx, ISCSI, "naa.3001405abcdef012", "naa");  /* NAA type 3 */
	expect_bad(ctx, ISCSI, "naa.5001405abcdef01", "naa");   /* 15 digits */
	expect_bad(ctx, ISCSI, "eui.00140512345678zz", "eui");
	expect_bad(ctx, ISCSI, "", "iqn");
	expect_bad(ctx, LIO_WWN_NAA, "iqn.2003-01.org.a.b", "WWN not valid as: naa");
	{
		char longname[300] = "iqn.2003-01.org.example.";
		memset(longname + strlen(longname), 'a', 250);
		longname[299] = '\0';
		expect_bad(ctx, ISCSI, longname, "iqn");
	}

	CHECK(lio_wwn_match("iqn.2003-01.a.b", ISCSI) == LIO_WWN_IQN);
	/* 16-digit NAA type 6 does not exist; targets rewrite it to type 5 first. */
	CHECK(lio_wwn_match("naa.6001405abcdef012", LIO_WWN_NAA) == 0);
	CHECK(lio_wwn_match("garbage", ISCSI) == 0);
	CHECK_STR(lio_wwn_type_name(LIO_WWN_UNIT_SERIAL), "unit_serial");

	for (int i = 0; i < 20; i++) {
		CHECK(lio_wwn_generate(LIO_WWN_IQN, &g) == 0);
		CHECK_MSG(lio_wwn_match(g, LIO_WWN_IQN) == LIO_WWN_IQN, "generated '%s'", g);
		CHECK(!strncmp(g, "iqn.2003-01.org.linux-iscsi.", 28));
		CHECK(strstr(g, ":sn.") && strlen(strstr(g, ":sn.")) == 16);
		free(g);
		CHECK(lio_wwn_generate(LIO_WWN_NAA, &g) == 0);
		CHECK_MSG(lio_wwn_match(g, LIO_WWN_NAA) && !strncmp(g, "naa.5001405", 11), "%s", g);
		free(g);
		CHECK(lio_wwn_generate(LIO_WWN_EUI, &g) == 0);
		CHECK_MSG(lio_wwn_match(g, LIO_WWN_EUI) && !strncmp(g, "eui.001405", 10), "%s", g);
		free(g);
		CHECK(lio_wwn_generate(LIO_WWN_UNIT_SERIAL, &g) == 0);
		CHECK_MSG(lio_wwn_match(g, LIO_WWN_UNIT_SERIAL) && g[14] == '4', "%s", g);
		free(g);
		CHECK(lio_wwn_generate(LIO_WWN_IB, &g) == 0);
		CHECK_MSG(lio_wwn_match(g, LIO_WWN_IB), "%s", g);
		free(g);
	}
	{
		char a[37], b[37];
		CHECK(lio_uuid4(a) == 0 && lio_uuid4(b) == 0);
		CHECK(strcmp(a, b) != 0);
	}
	lio_unref(ctx);
	return tap_done();
}

/*
 * saveconfig.json from the real kernel: the ArchWiki walk-through of
 * tests/compat/public/archwiki_oneshot.sh, made with liblio in targetcli-fb's
 * order, dumped to $LIO_VM_OUT/kt_save.archwiki.json; the host compares it
 * with what targetcli-fb saved for the same case (tests/compat).
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kt.h"

#define IQN "iqn.2024-03.org.archlinux.nas:iscsi"
#define INI "iqn.2005-03.org.open-iscsi:5f4e0b1c2d3a"

int main(void)
{
	struct lio_ctx *ctx = kt_ctx();
	const struct lio_fabric *iscsi = lio_fabric_find("iscsi");
	struct lio_so_spec s = { .plugin = LIO_PLUGIN_FILEIO, .name = "md_block0",
				 .dev = "/var/tmp/lab-data/md_block0.img", .size = 64 << 20,
				 .write_back = LIO_DEFAULT, .sparse = LIO_DEFAULT,
				 .readonly = LIO_DEFAULT, .aio = LIO_DEFAULT };
	struct lio_so *so = NULL;
	struct lio_target *t = NULL;
	struct lio_tpg *tpg = NULL;
	struct lio_lun *lun = NULL;
	struct lio_acl *acl = NULL;
	struct lio_mapped_lun *ml = NULL;
	struct lio_portal *p = NULL;
	struct json_object *cfg = NULL;
	char *text = NULL, out[512];
	const char *dir = getenv("LIO_VM_OUT");

	mkdir("/var/tmp/lab-data", 0755);
	CHECK_OK(ctx, lio_so_create(ctx, &s, &so));
	CHECK_OK(ctx, lio_attr_set(lio_obj(so), "attrib", "emulate_model_alias", "1"));
	CHECK_OK(ctx, lio_target_create(ctx, iscsi, IQN, &t));
	CHECK_OK(ctx, lio_tpg_create(t, 0, &tpg));
	CHECK_OK(ctx, lio_tpg_set_enable(tpg, true));
	CHECK_OK(ctx, lio_attr_set(lio_obj(tpg), "attrib", "authentication", "0"));
	CHECK_OK(ctx, lio_portal_create(tpg, "0.0.0.0", 3260, &p));
	CHECK_OK(ctx, lio_lun_create(tpg, so, -1, NULL, &lun));
	CHECK_OK(ctx, lio_acl_create(tpg, INI, &acl));
	CHECK_OK(ctx, lio_mapped_lun_create(acl, 0, 0, false, NULL, &ml));
	CHECK_OK(ctx, lio_auth_set(lio_obj(acl), LIO_AUTH_USERID, "nasuser"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(acl), LIO_AUTH_PASSWORD, "nas-secret-1"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(acl), LIO_AUTH_MUTUAL_USERID, "initiatoruser"));
	CHECK_OK(ctx, lio_auth_set(lio_obj(acl), LIO_AUTH_MUTUAL_PASSWORD, "initiator-secret-2"));
	CHECK_OK(ctx, lio_attr_set(lio_obj(tpg), "attrib", "authentication", "0"));

	CHECK_OK(ctx, lio_config_dump(ctx, &cfg));
	CHECK(cfg && lio_json_format(cfg, &text) == 0);
	CHECK(text && text[strlen(text) - 1] == '\n');
	CHECK(dir != NULL);
	if (text && dir) {
		snprintf(out, sizeof(out), "%s/kt_save.archwiki.json", dir);
		FILE *f = fopen(out, "w");
		CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0);
	}
	/* a save lays the configuration out object by object: the same text */
	if (text) {
		char saved[4096];
		FILE *f;
		char *back = NULL;
		size_t cap = 0;
		ssize_t len;

		snprintf(saved, sizeof(saved), "%s/kt_save.lazy.json", kt_scratch());
		CHECK_OK(ctx, lio_config_save(ctx, saved, NULL, NULL));
		f = fopen(saved, "r");
		len = f ? getdelim(&back, &cap, '\0', f) : -1;
		CHECK_MSG(len > 0 && !strcmp(back, text), "saved:\n%s\ndumped:\n%s",
			  back ? back : "", text);
		if (f)
			fclose(f);
		free(back);
		unlink(saved);
	}
	free(text);
	json_object_put(cfg);

	CHECK_OK(ctx, lio_clear(ctx));
	lio_portal_unref(p);
	lio_mapped_lun_unref(ml);
	lio_acl_unref(acl);
	lio_lun_unref(lun);
	lio_tpg_unref(tpg);
	lio_target_unref(t);
	lio_so_unref(so);
	lio_unref(ctx);
	return tap_done();
}

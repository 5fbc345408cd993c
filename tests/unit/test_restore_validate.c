/*
 * saveconfig.json validation before a restore: exact JSON paths for wrong
 * types, dangling references, duplicate indexes and names, files that are
 * not JSON; unknown keys as warnings; every published savefile of
 * tests/compat/savefiles validates. No kernel: the context points at a
 * configfs that does not exist, so no storage object "exists".
 */
#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lio.h"
#include "tap.h"

static struct lio_ctx *ctx;

/* tests/compat, found from this file's path (CMake compiles absolute paths). */
static const char *compat_dir(void)
{
	static char dir[4096];

	if (!dir[0]) {
		const char *f = __FILE__, *s = strstr(f, "/unit/test_restore_validate.c");

		snprintf(dir, sizeof(dir), "%.*s/compat", s ? (int)(s - f) : 1, s ? f : ".");
	}
	return dir;
}

static bool has_line(char **v, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], want))
			return true;
	return false;
}

static void dump_lines(const char *what, char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "  %s: %s\n", what, v[i]);
}

/* Validate @json with @opts (NULL: defaults); check the result and messages. */
static void expect(const char *json, const struct lio_restore_opts *opts, int want_r,
		   const char *const *errors, const char *const *warnings)
{
	struct lio_restore_report rep = { 0 };
	struct json_object *cfg = json_tokener_parse(json);
	size_t ne = 0, nw = 0;
	int r;

	CHECK_MSG(cfg != NULL, "test JSON does not parse: %s", json);
	r = lio_config_validate(ctx, cfg, opts, &rep);
	CHECK_MSG(r == want_r, "validate returned %d, want %d for %s", r, want_r, json);
	for (; errors && errors[ne]; ne++)
		CHECK_MSG(has_line(rep.errors, rep.nerrors, errors[ne]), "missing error '%s'",
			  errors[ne]);
	for (; warnings && warnings[nw]; nw++)
		CHECK_MSG(has_line(rep.warnings, rep.nwarnings, warnings[nw]),
			  "missing warning '%s'", warnings[nw]);
	CHECK_MSG(rep.nerrors == ne, "%zu errors, want %zu", rep.nerrors, ne);
	CHECK_MSG(rep.nwarnings == nw, "%zu warnings, want %zu", rep.nwarnings, nw);
	if (rep.nerrors != ne || rep.nwarnings != nw) {
		dump_lines("error", rep.errors, rep.nerrors);
		dump_lines("warning", rep.warnings, rep.nwarnings);
	}
	if (want_r < 0 && rep.nerrors)
		CHECK(strstr(lio_errmsg(ctx), rep.errors[0]) != NULL);
	lio_restore_report_clear(&rep);
	CHECK(rep.errors == NULL && rep.nerrors == 0 && rep.warnings == NULL);
	json_object_put(cfg);
}

#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

#define SO_X "{\"name\":\"x\",\"plugin\":\"fileio\",\"dev\":\"/tmp/x\",\"size\":4096}"
#define TGT(tpg) "{\"fabric\":\"iscsi\",\"wwn\":\"iqn.2003-01.org.example:t1\",\"tpgs\":[" tpg "]}"

static void test_types(void)
{
	expect("{\"storage_objects\":[{\"name\":\"x\",\"plugin\":\"fileio\",\"dev\":\"/tmp/x\","
	       "\"size\":\"big\",\"write_back\":1}]}",
	       NULL, -EINVAL,
	       LIST("storage_objects[0].size: expected an integer, got a string",
		    "storage_objects[0].write_back: expected a boolean, got an integer"),
	       NULL);
	expect("{\"targets\":[" TGT("{\"tag\":\"1\",\"luns\":{}}") "]}", NULL, -EINVAL,
	       LIST("targets[0].tpgs[0].tag: expected an integer, got a string",
		    "targets[0].tpgs[0].luns: expected an array, got an object"),
	       NULL);
	expect("[]", NULL, -EINVAL, LIST("(top level): expected an object, got an array"), NULL);
	expect("{\"targets\":{}}", NULL, -EINVAL,
	       LIST("targets: expected an array, got an object"), NULL);
	expect("{\"storage_objects\":[" SO_X ",5]}", NULL, -EINVAL,
	       LIST("storage_objects[1]: expected an object, got an integer"), NULL);
	expect("{\"storage_objects\":[{\"name\":\"x\",\"plugin\":\"fileio\",\"dev\":\"/tmp/x\","
	       "\"attributes\":{\"block_size\":[512]}}]}",
	       NULL, -EINVAL,
	       LIST("storage_objects[0].attributes.block_size: expected a number or a string, got an array"),
	       NULL);
	expect("{\"targets\":[" TGT("{\"tag\":1,\"portals\":[{\"ip_address\":\"0.0.0.0\","
				    "\"port\":70000}]}") "]}",
	       NULL, -EINVAL,
	       LIST("targets[0].tpgs[0].portals[0].port: 70000 is out of range 0..65535"), NULL);
	expect("{\"storage_objects\":[{\"plugin\":\"fileio\",\"dev\":\"/tmp/x\"},"
	       "{\"name\":\"y\",\"plugin\":\"floppy\"}],"
	       "\"targets\":[{\"wwn\":\"iqn.2003-01.org.example:t1\"},"
	       "{\"fabric\":\"iscsi\",\"wwn\":\"not a wwn\"}]}",
	       NULL, -EINVAL,
	       LIST("storage_objects[0]: missing key 'name'",
		    "storage_objects[1].plugin: unknown plugin 'floppy'",
		    "targets[0]: missing key 'fabric'",
		    "targets[1].wwn: WWN not valid as: iqn, naa, eui: 'not a wwn'"),
	       NULL);
}

static void test_references(void)
{
	/* The example of the issue: the 4th LUN names a missing object. */
	expect("{\"storage_objects\":[" SO_X "],\"targets\":[" TGT(
		       "{\"tag\":1,\"luns\":["
		       "{\"index\":0,\"storage_object\":\"/backstores/fileio/x\"},"
		       "{\"index\":1,\"storage_object\":\"/backstores/fileio/x\"},"
		       "{\"index\":2,\"storage_object\":\"/backstores/fileio/x\"},"
		       "{\"index\":3,\"storage_object\":\"/backstores/block/x\"}]}") "]}",
	       NULL, -EINVAL,
	       LIST("targets[0].tpgs[0].luns[3].storage_object: no storage object /backstores/block/x"),
	       NULL);
	expect("{\"storage_objects\":[" SO_X "],\"targets\":[" TGT(
		       "{\"tag\":1,\"luns\":[{\"index\":0,\"storage_object\":\"/backstores/fileio/x\"}],"
		       "\"node_acls\":[{\"node_wwn\":\"iqn.1994-05.com.example:i1\",\"mapped_luns\":["
		       "{\"index\":0,\"tpg_lun\":0},{\"index\":1,\"tpg_lun\":7}]}]}") "]}",
	       NULL, -EINVAL,
	       LIST("targets[0].tpgs[0].node_acls[0].mapped_luns[1].tpg_lun: no LUN 7 in targets[0].tpgs[0]"),
	       NULL);
	expect("{\"storage_objects\":[" SO_X "],\"targets\":[" TGT(
		       "{\"tag\":1,\"luns\":[{\"index\":0,\"storage_object\":\"/backstores/fileio/x\","
		       "\"alua_tg_pt_gp_name\":\"secondary\"}]}") "]}",
	       NULL, -EINVAL,
	       LIST("targets[0].tpgs[0].luns[0].alua_tg_pt_gp_name: no ALUA group secondary in /backstores/fileio/x"),
	       NULL);
	expect("{\"targets\":[" TGT("{\"tag\":1,\"luns\":[{\"index\":0,\"storage_object\":\"x\"}]}") "]}",
	       NULL, -EINVAL,
	       LIST("targets[0].tpgs[0].luns[0].storage_object: malformed reference 'x' (want /backstores/<plugin>/<name>)"),
	       NULL);
	/* target=: the file's storage objects are not restored, so not there. */
	{
		struct lio_restore_opts o = { .target = "iqn.2003-01.org.example:t1" };

		expect("{\"storage_objects\":[" SO_X "],\"targets\":[" TGT(
			       "{\"tag\":1,\"luns\":[{\"index\":0,\"storage_object\":\"/backstores/fileio/x\"}]}") "]}",
		       &o, -EINVAL,
		       LIST("targets[0].tpgs[0].luns[0].storage_object: no storage object /backstores/fileio/x"),
		       NULL);
	}
	/* storage_object=: targets are not restored, their references do not matter. */
	{
		struct lio_restore_opts o = { .storage_object = "x" };

		expect("{\"storage_objects\":[" SO_X "],\"targets\":[" TGT(
			       "{\"tag\":1,\"luns\":[{\"index\":0,\"storage_object\":\"/backstores/fileio/nope\"}]}") "]}",
		       &o, 0, NULL, NULL);
	}
}

static void test_duplicates(void)
{
	expect("{\"storage_objects\":[" SO_X "," SO_X "]}", NULL, -EINVAL,
	       LIST("storage_objects[1].name: duplicate storage object /backstores/fileio/x"), NULL);
	expect("{\"storage_objects\":[" SO_X "],\"targets\":[" TGT(
		       "{\"tag\":1,\"luns\":["
		       "{\"index\":0,\"storage_object\":\"/backstores/fileio/x\"},"
		       "{\"index\":0,\"storage_object\":\"/backstores/fileio/x\"}]},"
		       "{\"tag\":1}") "," TGT("") "]}",
	       NULL, -EINVAL,
	       LIST("targets[0].tpgs[0].luns[1].index: duplicate LUN index 0 (also targets[0].tpgs[0].luns[0])",
		    "targets[0].tpgs[1].tag: duplicate TPG tag 1 (also targets[0].tpgs[0])",
		    "targets[1].wwn: duplicate target iscsi iqn.2003-01.org.example:t1 (also targets[0])"),
	       NULL);
	expect("{\"targets\":[" TGT("{\"tag\":1,\"portals\":[{\"ip_address\":\"::0\",\"port\":3260},"
				    "{\"ip_address\":\"[::0]\",\"port\":3260}],"
				    "\"node_acls\":[{\"node_wwn\":\"IQN.1994-05.com.example:i1\"},"
				    "{\"node_wwn\":\"iqn.1994-05.com.example:i1\",\"mapped_luns\":[]}]}") "]}",
	       NULL, -EINVAL,
	       LIST("targets[0].tpgs[0].portals[1]: duplicate portal [::0]:3260 (also targets[0].tpgs[0].portals[0])",
		    "targets[0].tpgs[0].node_acls[1].node_wwn: duplicate ACL iqn.1994-05.com.example:i1 (also targets[0].tpgs[0].node_acls[0])"),
	       NULL);
	expect("{\"storage_objects\":[{\"name\":\"x\",\"plugin\":\"block\",\"dev\":\"/dev/sdx\","
	       "\"alua_tpgs\":[{\"name\":\"a\",\"tg_pt_gp_id\":5},{\"name\":\"b\",\"tg_pt_gp_id\":5},"
	       "{\"name\":\"a\",\"tg_pt_gp_id\":6}]}]}",
	       NULL, -EINVAL,
	       LIST("storage_objects[0].alua_tpgs[1].tg_pt_gp_id: duplicate id 5 (also storage_objects[0].alua_tpgs[0])",
		    "storage_objects[0].alua_tpgs[2].name: duplicate ALUA group a (also storage_objects[0].alua_tpgs[0])"),
	       NULL);
}

static void test_unknown_keys(void)
{
	expect("{\"format_version\":3,\"storage_objects\":[{\"name\":\"r\",\"plugin\":\"rd_mcp\","
	       "\"size\":1048576,\"nullio\":true,\"exists\":true,\"dev\":\"/dev/x\",\"color\":\"blue\"}],"
	       "\"targets\":[" TGT("{\"tag\":1,\"enable\":true,\"flavour\":1,\"luns\":["
				   "{\"index\":0,\"storage_object\":\"/backstores/ramdisk/r\",\"alua_tg_pt_gp_name\":null}]}") "]}",
	       NULL, 0, NULL,
	       LIST("format_version: unknown key, ignored",
		    "storage_objects[0].color: unknown key, ignored",
		    "storage_objects[0].dev: not a ramdisk key, ignored",
		    "targets[0].tpgs[0].flavour: unknown key, ignored"));
}

/* Fields of older and newer targetcli-fb versions: no error, no warning. */
static void test_versions(void)
{
	/* Old rtslib: buffered_mode, no alua_tpgs, no aliases, no iser/offload. */
	expect("{\"fabric_modules\":[],\"storage_objects\":[{\"name\":\"f\",\"plugin\":\"fileio\","
	       "\"dev\":\"/srv/f.img\",\"size\":1048576,\"buffered_mode\":true,\"write_back\":false,"
	       "\"wwn\":\"abc\",\"attributes\":{\"block_size\":512}},"
	       "{\"name\":\"p\",\"plugin\":\"pscsi\",\"dev\":\"/dev/sg0\"},"
	       "{\"name\":\"r\",\"plugin\":\"rd_mcp\",\"size\":1048576},"
	       "{\"name\":\"b\",\"plugin\":\"iblock\",\"dev\":\"/dev/sdz\"}],"
	       "\"targets\":[" TGT("{\"tag\":1,\"luns\":[{\"index\":0,\"storage_object\":\"/backstores/fileio/f\"},"
				   "{\"index\":1,\"storage_object\":\"/backstores/block/b\"}],"
				   "\"portals\":[{\"ip_address\":\"0.0.0.0\",\"port\":3260}],"
				   "\"node_acls\":[{\"node_wwn\":\"iqn.1994-05.com.example:i1\","
				   "\"chap_userid\":\"u\",\"chap_password\":\"p\",\"mapped_luns\":[{\"index\":0,\"tpg_lun\":0}]}]}") "]}",
	       NULL, 0, NULL, NULL);
	/* HEAD: exclusive, aio, ALUA support attributes, target parameters,
	 * IPv6 portals, user backstores, discovery auth, a tcm_fc target. */
	expect("{\"fabric_modules\":[{\"name\":\"iscsi\",\"discovery_enable_auth\":true,"
	       "\"discovery_userid\":\"d\",\"discovery_password\":\"p\"}],"
	       "\"storage_objects\":[{\"name\":\"b\",\"plugin\":\"block\",\"dev\":\"/dev/sdz\","
	       "\"exclusive\":true,\"readonly\":false,\"write_back\":false,\"wwn\":\"w\","
	       "\"attributes\":{\"alua_support\":1,\"pgr_support\":1},\"alua_tpgs\":[]},"
	       "{\"name\":\"u\",\"plugin\":\"user\",\"config\":\"qcow/x\",\"size\":1048576,"
	       "\"hw_max_sectors\":128,\"control\":\"max_data_area_mb=8\",\"wwn\":\"w2\"},"
	       "{\"name\":\"f\",\"plugin\":\"fileio\",\"dev\":\"/srv/f\",\"size\":1,\"aio\":true}],"
	       "\"targets\":[{\"fabric\":\"iscsi\",\"wwn\":\"iqn.2003-01.org.example:t1\","
	       "\"parameters\":{\"cmd_completion_affinity\":\"-1\"},\"tpgs\":[{\"tag\":1,"
	       "\"portals\":[{\"ip_address\":\"[::0]\",\"port\":3260,\"iser\":false,\"offload\":false}],"
	       "\"luns\":[{\"index\":0,\"storage_object\":\"/backstores/user/u\",\"alua_tg_pt_gp_name\":null}]}]},"
	       "{\"fabric\":\"tcm_fc\",\"wwn\":\"naa.20000cfd3762c308\",\"tpgs\":[{\"tag\":1,"
	       "\"luns\":[{\"index\":0,\"storage_object\":\"/backstores/block/b\","
	       "\"alua_tg_pt_gp_name\":\"default_tg_pt_gp\"}]}]}]}",
	       NULL, 0, NULL, NULL);
	/* Fabric rules: no portals or ACLs where the fabric has none, one TPG. */
	expect("{\"targets\":[{\"fabric\":\"loopback\",\"wwn\":\"naa.5001405aabbccdd0\",\"tpgs\":["
	       "{\"tag\":1,\"portals\":[{\"ip_address\":\"0.0.0.0\",\"port\":3260}],"
	       "\"node_acls\":[{\"node_wwn\":\"naa.5001405aabbccdd1\"}]},{\"tag\":2}]}]}",
	       NULL, -EINVAL,
	       LIST("targets[0].tpgs: fabric loopback takes one TPG, the file has 2",
		    "targets[0].tpgs[0].portals: fabric loopback has no network portals",
		    "targets[0].tpgs[0].node_acls: fabric loopback has no ACLs"),
	       NULL);
}

static void test_savefiles(void)
{
	char dir[4200];
	struct dirent *de;
	DIR *d;
	int count = 0;

	snprintf(dir, sizeof(dir), "%s/savefiles", compat_dir());
	d = opendir(dir);
	CHECK_MSG(d != NULL, "cannot open %s", dir);
	while (d && (de = readdir(d))) {
		struct lio_restore_report rep = { 0 };
		struct lio_restore_opts o = { .clear_existing = true };
		struct json_object *cfg = NULL;
		char path[8500];
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		CHECK_MSG(lio_config_load_file(ctx, path, &cfg) == 0, "%s: %s", path, lio_errmsg(ctx));
		CHECK_MSG(lio_config_validate(ctx, cfg, &o, &rep) == 0, "%s: %s", path,
			  lio_errmsg(ctx));
		CHECK_MSG(rep.nerrors == 0 && rep.nwarnings == 0, "%s: %zu errors, %zu warnings",
			  de->d_name, rep.nerrors, rep.nwarnings);
		dump_lines("error", rep.errors, rep.nerrors);
		dump_lines("warning", rep.warnings, rep.nwarnings);
		lio_restore_report_clear(&rep);
		json_object_put(cfg);
		count++;
	}
	if (d)
		closedir(d);
	CHECK_MSG(count == 5, "%d savefiles validated, want 5", count);
}

static void test_files(void)
{
	char tmpl[] = "/tmp/lio-restore-XXXXXX", path[64];
	struct lio_restore_report rep = { 0 };
	FILE *f;
	int fd;

	/* Missing file. */
	CHECK_INT(lio_config_restore_file(ctx, "/nonexistent/saveconfig.json", NULL, &rep), -ENOENT);
	CHECK_STR(lio_errmsg(ctx), "Restore file /nonexistent/saveconfig.json not found");
	CHECK(rep.nerrors == 1);
	lio_restore_report_clear(&rep);

	/* Not JSON: nothing applied (the configfs does not even exist). */
	fd = mkstemp(tmpl);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs("{\n  \"targets\": [\n    oops\n", f);
	fclose(f);
	CHECK_INT(lio_config_restore_file(ctx, tmpl, NULL, &rep), -EINVAL);
	snprintf(path, sizeof(path), "%s is not valid JSON", tmpl);
	CHECK_MSG(strstr(lio_errmsg(ctx), path) && strstr(lio_errmsg(ctx), "line 3"), "got '%s'",
		  lio_errmsg(ctx));
	lio_restore_report_clear(&rep);

	/* Empty file. */
	f = fopen(tmpl, "w");
	fclose(f);
	CHECK_INT(lio_config_restore_file(ctx, tmpl, NULL, &rep), -EINVAL);
	CHECK(strstr(lio_errmsg(ctx), "empty file") != NULL);
	lio_restore_report_clear(&rep);

	/* Valid JSON, invalid schema: refused before touching anything. */
	f = fopen(tmpl, "w");
	fputs("{\"storage_objects\": [{\"name\": \"x\", \"plugin\": \"fileio\", \"dev\": 5}]}", f);
	fclose(f);
	CHECK_INT(lio_config_restore_file(ctx, tmpl, NULL, &rep), -EINVAL);
	CHECK(has_line(rep.errors, rep.nerrors, "storage_objects[0].dev: expected a string, got an integer"));
	CHECK_MSG(strstr(lio_errmsg(ctx), "nothing restored") != NULL, "got '%s'", lio_errmsg(ctx));
	lio_restore_report_clear(&rep);
	unlink(tmpl);
}

int main(void)
{
	if (lio_new(&ctx, "/nonexistent-configfs") < 0)
		return 2;
	test_types();
	test_references();
	test_duplicates();
	test_unknown_keys();
	test_versions();
	test_savefiles();
	test_files();
	lio_unref(ctx);
	return tap_done();
}

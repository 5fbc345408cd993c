/*
 * save_samples OUTDIR FILE...: save each saveconfig document of FILE (a
 * document, or a case result with "saveconfig" and "default_savefile"
 * members) through the library's save code into OUTDIR, for the schema and
 * layout checks of run.sh: a full save, a second full save of the same
 * document with backups, and a partial save of its first storage object
 * into a file that does not exist yet.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lio.h"
#include "save_private.h"

static int save_one(struct lio_ctx *ctx, struct json_object *doc, const char *outdir,
		    const char *name)
{
	struct lio_save_opts backup = { .flags = LIO_SAVE_BACKUP, .max_backups = 2 };
	struct json_object *sos, *so0, *pl, *nm;
	char path[4096], so_path[1024];

	snprintf(path, sizeof(path), "%s/%s.json", outdir, name);
	if (lio_config_save_json(ctx, doc, path, NULL, NULL) < 0 ||
	    lio_config_save_json(ctx, doc, path, &backup, NULL) < 0)
		goto fail;
	if (json_object_object_get_ex(doc, "storage_objects", &sos) &&
	    json_object_array_length(sos) > 0) {
		so0 = json_object_array_get_idx(sos, 0);
		if (!json_object_object_get_ex(so0, "plugin", &pl) ||
		    !json_object_object_get_ex(so0, "name", &nm))
			return 0;
		snprintf(so_path, sizeof(so_path), "/backstores/%s/%s", json_object_get_string(pl),
			 json_object_get_string(nm));
		snprintf(path, sizeof(path), "%s/%s.partial.json", outdir, name);
		if (lio_config_save_so_json(ctx, doc, so_path, path, NULL, NULL) < 0)
			goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "save_samples: %s\n", lio_errmsg(ctx));
	return 1;
}

int main(int argc, char **argv)
{
	struct lio_ctx *ctx;
	int fails = 0, n = 0;

	if (argc < 3 || lio_new(&ctx, "/nonexistent-configfs") < 0)
		return 2;
	for (int i = 2; i < argc; i++) {
		struct json_object *data = json_object_from_file(argv[i]), *m, *c;
		const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		char name[512];

		if (!data) {
			fprintf(stderr, "save_samples: cannot parse %s\n", argv[i]);
			fails++;
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(base, "."), base);
		if (json_object_object_get_ex(data, "exit_codes", NULL)) {
			if (json_object_object_get_ex(data, "saveconfig", &m) && m) {
				char nm[600];

				snprintf(nm, sizeof(nm), "%s.saveconfig", name);
				fails += save_one(ctx, m, argv[1], nm), n++;
			}
			if (json_object_object_get_ex(data, "default_savefile", &m) && m &&
			    json_object_object_get_ex(m, "config", &c)) {
				char nm[600];

				snprintf(nm, sizeof(nm), "%s.default", name);
				fails += save_one(ctx, c, argv[1], nm), n++;
			}
		} else {
			fails += save_one(ctx, data, argv[1], name), n++;
		}
		json_object_put(data);
	}
	printf("save_samples: %d documents saved, %d failures\n", n, fails);
	lio_unref(ctx);
	return fails ? 1 : 0;
}

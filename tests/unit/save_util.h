/* Helpers of the save tests (test_save*.c): documents, files, temp dirs. */
#ifndef LIO_TEST_SAVE_UTIL_H
#define LIO_TEST_SAVE_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lio.h"
#include "save_private.h"

#define ARRAY_SIZE_T(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A saveconfig.json document with @nso fileio objects (each with a full
 * attribute block) and one iSCSI target with a LUN on each; @gen makes
 * documents differ.
 */
static inline struct json_object *make_doc(int nso, int gen)
{
	struct json_object *root = json_object_new_object();
	struct json_object *sos = json_object_new_array(), *tgts = json_object_new_array();
	struct json_object *tgt = json_object_new_object(), *tpgs = json_object_new_array();
	struct json_object *tpg = json_object_new_object(), *luns = json_object_new_array();
	char buf[128];

	json_object_object_add(root, "fabric_modules", json_object_new_array());
	for (int i = 0; i < nso; i++) {
		struct json_object *so = json_object_new_object(), *at = json_object_new_object();
		struct json_object *lun = json_object_new_object();

		for (int a = 0; a < 30; a++) {
			snprintf(buf, sizeof(buf), "attribute_number_%02d", a);
			json_object_object_add(at, buf, json_object_new_int(a * 7 + gen));
		}
		json_object_object_add(so, "attributes", at);
		json_object_object_add(so, "alua_tpgs", json_object_new_array());
		snprintf(buf, sizeof(buf), "disk%d", i);
		json_object_object_add(so, "name", json_object_new_string(buf));
		json_object_object_add(so, "plugin", json_object_new_string("fileio"));
		snprintf(buf, sizeof(buf), "/var/lib/images/disk%d-gen%d.img", i, gen);
		json_object_object_add(so, "dev", json_object_new_string(buf));
		json_object_object_add(so, "size", json_object_new_int64(1073741824LL * (i + 1)));
		json_object_object_add(so, "write_back", json_object_new_boolean(gen & 1));
		json_object_object_add(so, "aio", json_object_new_boolean(false));
		snprintf(buf, sizeof(buf), "%08x-0000-4000-8000-%012d", gen, i);
		json_object_object_add(so, "wwn", json_object_new_string(buf));
		json_object_array_add(sos, so);

		json_object_object_add(lun, "index", json_object_new_int(i));
		snprintf(buf, sizeof(buf), "/backstores/fileio/disk%d", i);
		json_object_object_add(lun, "storage_object", json_object_new_string(buf));
		snprintf(buf, sizeof(buf), "%010x", (unsigned)(i * 977 + gen));
		json_object_object_add(lun, "alias", json_object_new_string(buf));
		json_object_object_add(lun, "alua_tg_pt_gp_name",
				       json_object_new_string("default_tg_pt_gp"));
		json_object_array_add(luns, lun);
	}
	json_object_object_add(root, "storage_objects", sos);
	json_object_object_add(tpg, "tag", json_object_new_int(1));
	json_object_object_add(tpg, "enable", json_object_new_boolean(true));
	json_object_object_add(tpg, "luns", luns);
	json_object_object_add(tpg, "portals", json_object_new_array());
	json_object_object_add(tpg, "node_acls", json_object_new_array());
	json_object_array_add(tpgs, tpg);
	json_object_object_add(tgt, "fabric", json_object_new_string("iscsi"));
	snprintf(buf, sizeof(buf), "iqn.2003-01.org.linux-iscsi.test:sn.gen%d", gen);
	json_object_object_add(tgt, "wwn", json_object_new_string(buf));
	json_object_object_add(tgt, "tpgs", tpgs);
	json_object_array_add(tgts, tgt);
	json_object_object_add(root, "targets", tgts);
	return root;
}

static inline char *doc_text(struct json_object *doc)
{
	char *text = NULL;

	if (lio_json_format(doc, &text) < 0)
		abort();
	return text;
}

/* The file's bytes, NULL if unreadable. */
static inline char *read_all(const char *path)
{
	char *data;
	size_t len;

	return lio_slurp(path, false, &data, &len) == 0 ? data : NULL;
}

static inline bool file_equals(const char *path, const char *text)
{
	char *data = read_all(path);
	bool eq = data && !strcmp(data, text);

	free(data);
	return eq;
}

static inline int mode_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) < 0 ? -1 : (int)(st.st_mode & 07777);
}

/* Entries of @dir whose name contains @part. */
static inline int count_entries(const char *dir, const char *part)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strstr(e->d_name, part))
			n++;
	closedir(d);
	return n;
}

static inline void rm_rf(const char *path)
{
	pid_t pid = fork();

	if (pid == 0) {
		execlp("rm", "rm", "-rf", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static inline char *make_tmpdir(const char *tag)
{
	char tmpl[256];
	const char *base = getenv("TMPDIR");

	snprintf(tmpl, sizeof(tmpl), "%s/lio-%s-XXXXXX", base && *base ? base : "/tmp", tag);
	if (!mkdtemp(tmpl))
		abort();
	return strdup(tmpl);
}

#endif

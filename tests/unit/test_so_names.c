/*
 * Storage object names for completion and their cache: names come from
 * the HBA directories the first time, from the cache file afterwards for
 * HBAs that kept their name and inode number; a new, recreated or removed
 * HBA is read again or dropped; a cache file others could write, or one
 * that is not ours, is ignored. The file records core/'s dir key and all
 * its HBAs: while core/ keeps that key it is not listed at all.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lio.h"
#include "tap.h"

/* Test paths are short. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static char g_tmp[PATH_MAX], g_cache[PATH_MAX + 16], g_file[PATH_MAX + 32], g_line[512];

static void mk(const char *rel)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/target/%s", g_tmp, rel);
	CHECK_MSG(mkdir(path, 0755) == 0, "mkdir %s: %s", path, strerror(errno));
}

static void rm(const char *rel)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/target/%s", g_tmp, rel);
	CHECK_MSG(rmdir(path) == 0, "rmdir %s: %s", path, strerror(errno));
}

/* A result's names, sorted and joined with spaces (freed). */
static char *joined(int r, char **v, size_t n)
{
	static char out[4096];

	out[0] = '\0';
	if (r < 0)
		return strcpy(out, "ERROR");
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(v[j], v[i]) < 0) {
				char *t = v[i];

				v[i] = v[j];
				v[j] = t;
			}
	for (size_t i = 0; i < n; i++) {
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "", v[i]);
		free(v[i]);
	}
	free(v);
	return out;
}

static char *names(struct lio_ctx *ctx, int plugin)
{
	char **v = NULL;
	size_t n = 0;
	int r = lio_so_names(ctx, plugin, &v, &n);

	return joined(r, v, n);
}

static char *matching(struct lio_ctx *ctx, int plugin, const char *prefix)
{
	char **v = NULL;
	size_t n = 0;
	int r = lio_so_names_matching(ctx, plugin, prefix, &v, &n);

	return joined(r, v, n);
}

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return strcpy(buf, "(none)");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void spit(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* Replace the object name recorded for @hba: seen in a result, it proves
 * that the HBA was not read again. */
static void forge(const char *hba, const char *name)
{
	char *text = strdup(slurp(g_file)), *line, out[8192] = "";

	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *tab = strchr(line, '\t');

		if (tab && !strncmp(line, hba, (size_t)(tab - line)) && strlen(hba) == (size_t)(tab - line)) {
			*strrchr(line, '\t') = '\0';
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s\t%s\n", line, name);
		} else {
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s\n", line);
		}
	}
	free(text);
	spit(g_file, out, 0600);
}

/* core/'s dir key as the file's second line has it. */
static char *core_key_line(void)
{
	static char line[256];
	char path[PATH_MAX + 64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/target/core", g_tmp);
	if (stat(path, &st) < 0)
		return strcpy(line, "(no core)");
	snprintf(line, sizeof(line), "%llu %llu %lld %ld %lld %ld %llu\n",
		 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
		 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
		 st.st_ctim.tv_nsec, (unsigned long long)st.st_nlink);
	return line;
}

/* Whether the file's header says it is core/ as it is now. */
static bool file_is_current(void)
{
	char *text = slurp(g_file), *nl = strchr(text, '\n');
	const char *key = core_key_line();

	return !strncmp(text, "lio-so-names 3\n", 15) && nl && !strncmp(nl + 1, key, strlen(key));
}

/* Change core/'s times, as any mkdir or rmdir in it would, without one. */
static void touch_core(void)
{
	char path[PATH_MAX + 64];
	struct timespec ts[2] = { { 12345, 0 }, { 12345, 0 } };

	snprintf(path, sizeof(path), "%s/target/core", g_tmp);
	CHECK(utimensat(AT_FDCWD, path, ts, 0) == 0);
}

static void append(const char *line)
{
	char text[8192];

	snprintf(text, sizeof(text), "%s%s", slurp(g_file), line);
	spit(g_file, text, 0600);
}

static int rm_tree(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

int main(void)
{
	struct lio_ctx *ctx = NULL;
	struct stat st;

	snprintf(g_tmp, sizeof(g_tmp), "/tmp/lio-so-names.XXXXXX");
	if (!mkdtemp(g_tmp))
		return 1;
	snprintf(g_cache, sizeof(g_cache), "%s/run", g_tmp);
	snprintf(g_file, sizeof(g_file), "%s/so-names", g_cache);
	mk("");
	mk("core");
	mk("core/rd_mcp_0");
	mk("core/rd_mcp_0/ram0");
	mk("core/fileio_1");
	mk("core/fileio_1/disk1");
	mk("core/rd_mcp_2");
	mk("core/rd_mcp_2/ram2");
	mk("core/alua"); /* not an HBA */
	CHECK_INT(lio_new(&ctx, g_tmp), 0);

	/* a plain directory tree gets no cache unless one is set */
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ram0 ram2");
	CHECK(stat(g_file, &st) < 0);

	CHECK_INT(lio_set_cache_dir(ctx, g_cache), 0);
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ram0 ram2");
	CHECK(stat(g_cache, &st) == 0 && (st.st_mode & 0777) == 0700);
	CHECK(stat(g_file, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(strstr(slurp(g_file), "rd_mcp_0\t") && strstr(slurp(g_file), "\tram2\n"));
	/* core/ as it was when listed, all its HBAs, but not alua */
	CHECK(file_is_current());
	CHECK(!strstr(slurp(g_file), "alua"));
	/* fileio_1 was not asked for: recorded as not read */
	CHECK(!strstr(slurp(g_file), "disk1"));
	{
		char *line = strstr(slurp(g_file), "\nfileio_1\t");

		CHECK(line && strspn(line + 10, "0123456789") > 0 &&
		      line[10 + strspn(line + 10, "0123456789")] == '\n');
	}
	CHECK_STR(names(ctx, -1), "disk1 ram0 ram2");
	CHECK(strstr(slurp(g_file), "fileio_1\t") != NULL);
	CHECK(strstr(slurp(g_file), "\tdisk1\n") != NULL);
	CHECK(file_is_current());

	/*
	 * While core/ keeps its key, the file is core/: an HBA only the file
	 * has is believed (core/ was not listed). A change of core/ (its
	 * times, as any mkdir or rmdir sets them) and it is listed again.
	 */
	append("rd_mcp_9\t1\tghost9\n");
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ghost9 ram0 ram2");
	/* the same from a file of exactly one page (read, not mapped) */
	{
		long page = sysconf(_SC_PAGESIZE);
		size_t have = strlen(slurp(g_file)), fill = strlen("rd_mcp_8\t1\t\n");
		char line[8192];

		CHECK(page > 0 && page < (long)sizeof(line) && have + fill + 1 <= (size_t)page);
		if (page > 0 && page < (long)sizeof(line) && have + fill + 1 <= (size_t)page) {
			snprintf(line, sizeof(line), "rd_mcp_8\t1\t%0*d\n",
				 (int)((size_t)page - have - fill), 8);
			append(line);
			CHECK(stat(g_file, &st) == 0 && st.st_size == page);
			CHECK(strstr(names(ctx, LIO_PLUGIN_RAMDISK), "ghost9 ram0 ram2") != NULL);
			CHECK(strstr(names(ctx, LIO_PLUGIN_RAMDISK), "008 ") != NULL);
		}
	}
	touch_core();
	CHECK(!file_is_current());
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ram0 ram2");
	CHECK(!strstr(slurp(g_file), "ghost9"));
	CHECK(file_is_current());
	/* an HBA without objects is recorded as read and empty */
	mk("core/rd_mcp_7");
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ram0 ram2");
	CHECK(strstr(slurp(g_file), "\nrd_mcp_7\t") && strstr(slurp(g_file), "\t\n"));
	CHECK(file_is_current());
	rm("core/rd_mcp_7");
	/* a file without core/'s key (or another one) is only a hint */
	{
		char text[8192], *nl;

		snprintf(text, sizeof(text), "%s", slurp(g_file));
		nl = strchr(text, '\n');
		if (nl) {
			char fixed[8192];

			snprintf(fixed, sizeof(fixed), "lio-so-names 3\n-\n%s", strchr(nl + 1, '\n') + 1);
			spit(g_file, fixed, 0600);
		}
	}
	append("rd_mcp_9\t1\tghost9\n");
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ram0 ram2");
	CHECK(file_is_current());

	/* an unchanged HBA comes from the file, not from its directory */
	forge("rd_mcp_0", "cached0");
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "cached0 ram2");

	/* a new HBA is read and recorded */
	mk("core/rd_mcp_3");
	mk("core/rd_mcp_3/ram3");
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "cached0 ram2 ram3");
	CHECK(strstr(slurp(g_file), "\tram3\n") != NULL);

	/* a removed HBA is gone from the result and from the file */
	rm("core/rd_mcp_2/ram2");
	rm("core/rd_mcp_2");
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "cached0 ram3");
	CHECK(!strstr(slurp(g_file), "rd_mcp_2"));

	/* a recreated HBA (another inode) is read again */
	forge("rd_mcp_3", "stale3");
	{
		char path[PATH_MAX + 64], *line = strstr(slurp(g_file), "rd_mcp_3\t");
		unsigned long long ino = line ? strtoull(line + 9, NULL, 10) : 0;
		char text[8192];

		/* the same name recorded under another inode number */
		snprintf(path, sizeof(path), "rd_mcp_3\t%llu\t", ino);
		snprintf(text, sizeof(text), "%s", slurp(g_file));
		line = strstr(text, path);
		CHECK(line != NULL);
		if (line) {
			char fixed[8192];

			*line = '\0';
			snprintf(fixed, sizeof(fixed), "%srd_mcp_3\t%llu\tstale3\n%s", text, ino + 1,
				 strchr(line + 1, '\n') + 1);
			spit(g_file, fixed, 0600);
		}
	}
	touch_core(); /* as removing and making it again changes core/ */
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "cached0 ram3");

	/* a file others may write is not trusted */
	forge("rd_mcp_0", "evil0");
	chmod(g_file, 0622);
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ram0 ram3");
	/* nor one in a directory others may write, where none is written */
	CHECK(!strstr(slurp(g_file), "evil0")); /* rewritten from the directories */
	forge("rd_mcp_0", "evil0");
	chmod(g_cache, 0777);
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ram0 ram3");
	CHECK(strstr(slurp(g_file), "evil0") != NULL);
	chmod(g_cache, 0700);

	/* garbage, a wrong header, a name with a slash: the file is ignored */
	spit(g_file, "lio-so-names 1\nrd_mcp_0\t1\tx\n", 0600); /* the old format */
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ram0 ram3");
	snprintf(g_line, sizeof(g_line), "lio-so-names 3\n%s0 0-0\nrd_mcp_0\tnot-a-number\tx\n",
		 core_key_line());
	spit(g_file, g_line, 0600);
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ram0 ram3");
	spit(g_file, "something else\n", 0600);
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ram0 ram3");
	forge("rd_mcp_0", "a/b");
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ram0 ram3");

	/* completion's names: from a current file's text, those that match */
	CHECK_STR(names(ctx, -1), "disk1 ram0 ram3");
	CHECK(file_is_current());
	forge("rd_mcp_0", "filed0");
	CHECK_STR(matching(ctx, LIO_PLUGIN_RAMDISK, ""), "filed0 ram3");
	CHECK_STR(matching(ctx, LIO_PLUGIN_RAMDISK, "f"), "filed0");
	CHECK_STR(matching(ctx, LIO_PLUGIN_RAMDISK, "ram"), "ram3");
	CHECK_STR(matching(ctx, LIO_PLUGIN_RAMDISK, "x"), "");
	CHECK_STR(matching(ctx, LIO_PLUGIN_FILEIO, "d"), "disk1");
	/* a file no longer current: the directories, then matching */
	touch_core();
	CHECK_STR(matching(ctx, LIO_PLUGIN_RAMDISK, "r"), "ram3");
	CHECK_STR(matching(ctx, -1, "d"), "disk1");

	/* no cache at all again */
	CHECK_INT(lio_set_cache_dir(ctx, NULL), 0);
	forge("rd_mcp_0", "cached0");
	CHECK_STR(names(ctx, LIO_PLUGIN_RAMDISK), "ram0 ram3");

	lio_unref(ctx);
	nftw(g_tmp, rm_tree, 16, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
#include "parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool is_cmd_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool is_key_char(char c)
{
	return is_cmd_char(c) || c == '-';
}

/* Characters of pyparsing's path regex before the first '/'. */
static bool is_path_char(char c)
{
	return isalnum((unsigned char)c) || strchr(":_.[]-", c) != NULL;
}

static bool is_path_word(const char *w, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	if (w[0] == '@')
		return len > 1;
	if ((len == 1 && (w[0] == '.' || w[0] == '*')) || (len == 2 && !strncmp(w, "..", 2)))
		return true;
	for (i = 0; i < len && w[i] != '/'; i++)
		if (!is_path_char(w[i]))
			return false;
	return i < len;
}

static int add_token(struct cmdline *cl, enum token_kind kind, size_t start, size_t end)
{
	struct token *t = realloc(cl->tokens, (cl->ntokens + 1) * sizeof(*t));

	if (!t)
		return -1;
	cl->tokens = t;
	t[cl->ntokens++] = (struct token){ kind, start, end };
	return 0;
}

static int add_param(struct cmdline *cl, const char *line, size_t start, size_t end)
{
	const char *w = line + start;
	size_t len = end - start, k = 0;

	while (k < len && is_key_char(w[k]))
		k++;
	if (k > 0 && k < len && w[k] == '=') {
		struct kv *kw = realloc(cl->kw, (cl->nkw + 1) * sizeof(*kw));

		if (!kw)
			return -1;
		cl->kw = kw;
		kw[cl->nkw].key = strndup(w, k);
		kw[cl->nkw].value = strndup(w + k + 1, len - k - 1);
		if (!kw[cl->nkw].key || !kw[cl->nkw].value) {
			free(kw[cl->nkw].key);
			free(kw[cl->nkw].value);
			return -1;
		}
		cl->nkw++;
		return add_token(cl, TK_KPARAM, start, end);
	}
	char **pp = realloc(cl->pp, (cl->npp + 1) * sizeof(*pp));

	if (!pp)
		return -1;
	cl->pp = pp;
	if (!(pp[cl->npp] = strndup(w, len)))
		return -1;
	cl->npp++;
	return add_token(cl, TK_PPARAM, start, end);
}

int cmdline_parse(const char *line, struct cmdline *cl)
{
	size_t i = 0, len = strlen(line);
	int pos = 0; /* 0: path possible, 1: command possible, 2: parameters */

	memset(cl, 0, sizeof(*cl));
	while (i < len) {
		size_t start, end;

		while (i < len && isspace((unsigned char)line[i]))
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && !isspace((unsigned char)line[i]))
			i++;
		end = i;
		if (pos == 0 && is_path_word(line + start, end - start)) {
			if (!(cl->path = strndup(line + start, end - start)) ||
			    add_token(cl, TK_PATH, start, end) < 0)
				goto oom;
			pos = 1;
			continue;
		}
		if (pos <= 1 && is_cmd_char(line[start])) {
			size_t c = start;

			while (c < end && is_cmd_char(line[c]))
				c++;
			if (!(cl->command = strndup(line + start, c - start)) ||
			    add_token(cl, TK_COMMAND, start, c) < 0)
				goto oom;
			pos = 2;
			/* pyparsing stops the command word at the first other
			 * character; the rest is read as a parameter */
			if (c < end && add_param(cl, line, c, end) < 0)
				goto oom;
			continue;
		}
		pos = 2;
		if (add_param(cl, line, start, end) < 0)
			goto oom;
	}
	return 0;
oom:
	cmdline_clear(cl);
	return -1;
}

void cmdline_clear(struct cmdline *cl)
{
	free(cl->path);
	free(cl->command);
	for (size_t i = 0; i < cl->npp; i++)
		free(cl->pp[i]);
	free(cl->pp);
	for (size_t i = 0; i < cl->nkw; i++) {
		free(cl->kw[i].key);
		free(cl->kw[i].value);
	}
	free(cl->kw);
	free(cl->tokens);
	memset(cl, 0, sizeof(*cl));
}

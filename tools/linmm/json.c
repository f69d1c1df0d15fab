/* SPDX-License-Identifier: MIT */
/*
 * json.c - `linmm run --json`: the run as one JSON document on standard
 * output (the commands' text goes to standard error meanwhile, main.c):
 *
 *   {
 *     "script": "x.linmm",
 *     "snapshots": [                      every `cat` of the run, in order
 *       { "line": 3, "command": "cat /proc/meminfo", "path": "/proc/meminfo",
 *         "text": "MemTotal: ...",        the whole file at that moment
 *         "fields": { "MemTotal": 1015880, ... } },   when every line is
 *       ...                                           "KEY[:] NUMBER [kB]"
 *     ],
 *     "final": { "meminfo": {...}, "vmstat": {...} },  just before shutdown
 *     "exit_status": 0
 *   }
 *
 * "fields" holds the numbers of key-value files (/proc/meminfo in kB as the
 * file shows them, /proc/vmstat, sysctls); other files (buddyinfo,
 * zoneinfo, slabinfo) have "text" only.  "final" is absent if the run never
 * booted a machine.
 *
 * The document is built with json-c (Debian's libjson-c-dev; linked into
 * the command line only).  Linmm's own front end: no kernel counterpart.
 * One run per process: the document lives in static storage between
 * script_json_begin() and script_json_write().
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include <linmm/linmm.h>

#include "tools/linmm/script.h"

static struct json_object *doc;		/* NULL: --json is off */
static struct json_object *snapshots;	/* doc's "snapshots" array */

static void json_cat(const struct linmm_script *s, const char *command, const char *path);
static void json_final(const struct linmm_script *s);

static const struct script_observer json_observer = {
	.cat = json_cat,
	.final = json_final,
};

void script_json_begin(const char *name)
{
	doc = json_object_new_object();
	snapshots = json_object_new_array();
	json_object_object_add(doc, "script", json_object_new_string(name));
	json_object_object_add(doc, "snapshots", snapshots);
	script_observe(&json_observer);
}

/*
 * One "KEY[:] NUMBER [kB]" line [p, end) into @fields.
 * Return: false if the line has another shape.
 */
static bool parse_field(const char *p, const char *end, struct json_object *fields)
{
	size_t klen = strcspn(p, ": \t\n");
	const char *q = p + klen;
	char key[128], *num_end;
	long long v;

	if (!klen || klen >= sizeof(key) || q >= end)
		return false;
	if (*q == ':')
		q++;
	while (q < end && isblank((unsigned char)*q))
		q++;
	errno = 0;
	v = strtoll(q, &num_end, 10);
	if (num_end == q || errno || num_end > end)
		return false;
	q = num_end;
	while (q < end && isblank((unsigned char)*q))
		q++;
	if (end - q == 2 && !strncmp(q, "kB", 2))
		q = end;
	if (q != end)
		return false;
	memcpy(key, p, klen);
	key[klen] = '\0';
	json_object_object_add(fields, key, json_object_new_int64(v));
	return true;
}

struct json_object *script_json_fields(const char *text)
{
	struct json_object *fields = json_object_new_object();
	const char *p = text;

	while (*p) {
		const char *end = strchr(p, '\n');

		if (!end)
			end = p + strlen(p);
		if (end > p && !parse_field(p, end, fields)) {
			json_object_put(fields);
			return NULL;
		}
		p = *end ? end + 1 : end;
	}
	return fields;
}

static void json_cat(const struct linmm_script *s, const char *command, const char *path)
{
	struct json_object *snap, *fields;
	char *text;

	if (!doc)
		return;
	text = linmm_proc_read(path);
	if (!text)
		return;
	snap = json_object_new_object();
	json_object_object_add(snap, "line", json_object_new_int64(s->lineno));
	json_object_object_add(snap, "command", json_object_new_string(command));
	json_object_object_add(snap, "path", json_object_new_string(path));
	json_object_object_add(snap, "text", json_object_new_string(text));
	fields = script_json_fields(text);
	if (fields)
		json_object_object_add(snap, "fields", fields);
	json_object_array_add(snapshots, snap);
	linmm_free(text);
}

static void json_final(const struct linmm_script *s)
{
	static const char *const files[][2] = {
		{ "meminfo", "/proc/meminfo" },
		{ "vmstat", "/proc/vmstat" },
	};
	struct json_object *final;

	if (!doc)
		return;
	final = json_object_new_object();
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *text = linmm_proc_read(files[i][1]);
		struct json_object *fields = text ? script_json_fields(text) : NULL;

		if (fields)
			json_object_object_add(final, files[i][0], fields);
		linmm_free(text);
	}
	json_object_object_add(doc, "final", final);
}

int script_json_write(int fd, int status)
{
	const char *out;
	size_t len, done = 0;
	int ret = 0;

	json_object_object_add(doc, "exit_status", json_object_new_int(status));
	out = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(out);
	while (done < len) {
		ssize_t n = write(fd, out + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = -errno;
			break;
		}
		done += (size_t)n;
	}
	if (!ret && write(fd, "\n", 1) != 1)
		ret = -EIO;
	json_object_put(doc);
	doc = snapshots = NULL;
	script_unobserve(&json_observer);
	return ret;
}

/* SPDX-License-Identifier: MIT */
/*
 * commands_proc.c - the script commands that read the machine's files:
 * `cat PATH [node=N] [zone=NAME]` (any /proc or /sys file linmm renders, or
 * one zone's section of a zoneinfo-style file), `dmesg` (the kernel
 * log) and `sysctl` (the /proc/sys knobs, printed as sysctl(8) prints them:
 * "vm.min_free_kbytes = 4096").
 *
 * Mirrors the user-space tools cat(1), dmesg(1) and sysctl(8) over
 * linmm_proc_read()/linmm_sysctl_read() and friends (fs/, kernel/printk.c).
 *
 * All text returned by the library is freed with linmm_free() before the
 * command returns.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linmm/linmm.h>
#include <linmm/printk.h>

#include "tools/linmm/script.h"

#define PROC_SYS "/proc/sys/"

/* Report an unknown path with the list of files there are, so the user can pick. */
static enum script_status no_such_file(struct linmm_script *s, const char *cmd, const char *path)
{
	const char *const *paths = linmm_proc_paths();
	char files[4096] = "";

	for (; paths && *paths; paths++) {
		if (files[0])
			strncat(files, " ", sizeof(files) - strlen(files) - 1);
		strncat(files, *paths, sizeof(files) - strlen(files) - 1);
	}
	return script_error(s, "%s: %s: %s (files: %s)", cmd, path, linmm_last_error(), files);
}

bool script_text_section(const char **start, const char **end, long long node, const char *zone)
{
	const char *p = *start;

	for (; p && p < *end; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *z;
		char *after;
		size_t zl = strlen(zone);

		if (strncmp(p, "Node ", 5) || strtoll(p + 5, &after, 10) != node || *after != ',')
			continue;
		z = after + 1;
		while (*z == ' ')
			z++;
		if (strncmp(z, "zone", 4))
			continue;
		z += 4;
		while (*z == ' ')
			z++;
		if (strncmp(z, zone, zl) || !isspace((unsigned char)z[zl]))
			continue;
		*start = p;
		for (p = strchr(p, '\n'); p && p + 1 < *end; p = strchr(p + 1, '\n')) {
			if (!strncmp(p + 1, "Node ", 5)) {
				*end = p + 1;
				break;
			}
		}
		return true;
	}
	return false;
}

char *script_read_source(struct linmm_script *s, const char *what)
{
	char *text;

	if (!strcmp(what, "dmesg")) {
		text = linmm_dmesg(7);
		if (!text)
			script_error(s, "dmesg: out of host memory");
		return text;
	}
	if (what[0] == '/') {
		text = linmm_proc_read(script_proc_path(what));
		if (!text)
			no_such_file(s, "expect", what);
		return text;
	}
	if (strchr(what, '.')) {
		text = linmm_sysctl_read(what);
		if (!text)
			script_error(s, "unknown sysctl '%s': %s", what, linmm_last_error());
		return text;
	}
	script_error(s, "'%s' is neither a /proc or /sys path, a sysctl name nor dmesg", what);
	return NULL;
}

/* Parse cat's "node=N" and "zone=NAME" selectors. Return false if malformed. */
static bool parse_selector(const char *arg, long long *node, const char **zone)
{
	char *end;

	if (!strncmp(arg, "zone=", 5) && arg[5]) {
		*zone = arg + 5;
		return true;
	}
	if (strncmp(arg, "node=", 5) || !isdigit((unsigned char)arg[5]))
		return false;
	*node = strtoll(arg + 5, &end, 10);
	return !*end;
}

enum script_status cmd_cat(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	static const char usage[] = "usage: cat PATH [node=N] [zone=NAME] (a /proc or /sys file, "
				    "e.g. /proc/meminfo; zone= shows one zone of /proc/zoneinfo)";
	const char *zone = NULL, *start, *end;
	long long node = 0;
	char *text;

	if (argc < 1 || argv[0][0] != '/')
		return script_error(s, "%s", usage);
	for (int i = 1; i < argc; i++)
		if (!parse_selector(argv[i], &node, &zone))
			return script_error(s, "cat: unknown argument '%s'; %s", argv[i], usage);
	if (argc > 1 && !zone)
		return script_error(s, "cat: node= needs zone=NAME too; %s", usage);
	/* A task's name stands for its pid; observers see the translated path. */
	argv[0] = (char *)script_proc_path(argv[0]);
	text = linmm_proc_read(argv[0]);
	if (!text)
		return no_such_file(s, "cat", argv[0]);
	start = text;
	end = text + strlen(text);
	if (zone && !script_text_section(&start, &end, node, zone)) {
		linmm_free(text);
		return script_error(s, "cat: %s has no section 'Node %lld, zone %s'", argv[0], node, zone);
	}
	fwrite(start, 1, (size_t)(end - start), stdout);
	linmm_free(text);
	return SCRIPT_OK;
}

enum script_status cmd_dmesg(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	char *text;

	if (argc)
		return script_error(s, "usage: dmesg (takes no arguments)");
	text = linmm_dmesg(7);
	if (!text)
		return script_error(s, "dmesg: out of host memory");
	fputs(text, stdout);
	linmm_free(text);
	return SCRIPT_OK;
}

/* Print "name = value" (or just the value for -n), as sysctl(8) does. */
static enum script_status sysctl_show(struct linmm_script *s, const char *name, bool value_only)
{
	char *value = linmm_sysctl_read(name);
	size_t len;

	if (!value)
		return script_error(s, "sysctl: unknown key '%s': %s", name, linmm_last_error());
	len = strlen(value);
	while (len && value[len - 1] == '\n')
		value[--len] = '\0';
	if (value_only)
		printf("%s\n", value);
	else
		printf("%s = %s\n", name, value);
	linmm_free(value);
	return SCRIPT_OK;
}

/* sysctl -a: every file under /proc/sys, by dotted name. */
static enum script_status sysctl_show_all(struct linmm_script *s, bool value_only)
{
	const char *const *paths = linmm_proc_paths();
	char name[256];

	for (; paths && *paths; paths++) {
		enum script_status st;

		if (strncmp(*paths, PROC_SYS, strlen(PROC_SYS)))
			continue;
		snprintf(name, sizeof(name), "%s", *paths + strlen(PROC_SYS));
		for (char *p = name; *p; p++)
			if (*p == '/')
				*p = '.';
		st = sysctl_show(s, name, value_only);
		if (st != SCRIPT_OK)
			return st;
	}
	return SCRIPT_OK;
}

enum script_status cmd_sysctl(struct linmm_script *s, int argc, char **argv, const char *rest)
{
	bool value_only = false, all = false;
	char *eq;
	int ret;

	for (; argc && argv[0][0] == '-'; argc--, argv++) {
		if (!strcmp(argv[0], "-a"))
			all = true;
		else if (!strcmp(argv[0], "-n"))
			value_only = true;
		else if (strcmp(argv[0], "-w"))
			return script_error(s, "sysctl: unknown option '%s' (options: -a -n -w)", argv[0]);
	}
	if (all && !argc)
		return sysctl_show_all(s, value_only);
	if (all || argc != 1)
		return script_error(s, "usage: sysctl NAME | sysctl NAME=VALUE | sysctl -a");
	eq = strchr(argv[0], '=');
	if (!eq)
		return sysctl_show(s, argv[0], value_only);
	*eq = '\0';
	ret = linmm_sysctl_write(argv[0], eq + 1);
	if (ret)
		return script_error(s, "sysctl: setting key '%s' to '%s': %s (%s)", argv[0], eq + 1,
				    strerror(-ret), linmm_last_error());
	/* A write-only knob (vm.drop_caches, 0200): sysctl(8) echoes what it wrote. */
	{
		char *value = linmm_sysctl_read(argv[0]);

		if (!value) {
			if (value_only)
				printf("%s\n", eq + 1);
			else
				printf("%s = %s\n", argv[0], eq + 1);
			return SCRIPT_OK;
		}
		linmm_free(value);
	}
	return sysctl_show(s, argv[0], value_only);
}

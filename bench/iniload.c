/*
 * iniload: load an INI file with iniparser and nothing else, so that
 * bench/run.sh can tell iniparser's share of 'qlaunch print' from qlaunch's.
 *
 *   iniload FILE      iniparser_load(FILE) + iniparser_freedict(), exit 0
 *   iniload -n FILE   start and exit without loading (this program's own
 *                     process start, subtracted from the line above)
 *
 * Built by run.sh: cc -O2 -o iniload iniload.c -liniparser
 */
#include <stdio.h>
#include <string.h>
#include <iniparser/iniparser.h>

static int quiet(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

int main(int argc, char **argv)
{
	dictionary *d;

	if (argc == 3 && strcmp(argv[1], "-n") == 0)
		return 0;
	if (argc != 2) {
		fprintf(stderr, "usage: iniload [-n] FILE\n");
		return 2;
	}
	iniparser_set_error_callback(quiet);
	d = iniparser_load(argv[1]);
	if (!d) {
		fprintf(stderr, "iniload: cannot load %s\n", argv[1]);
		return 1;
	}
	if (iniparser_getnsec(d) < 1) {
		fprintf(stderr, "iniload: %s has no sections\n", argv[1]);
		return 1;
	}
	iniparser_freedict(d);
	return 0;
}

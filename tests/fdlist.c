/*
 * Test helper that stands in for QEMU: it prints what it inherited.
 *   fd N TARGET cloexec=0|1     one line per open fd (from /proc/self/fd)
 *   SigBlk: HEX, SigIgn: HEX    the blocked and ignored signal sets
 *   argv: WORD...               its arguments after argv[0]
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[64], target[4096], line[256];
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	FILE *status;

	if (!d)
		return 2;
	while ((de = readdir(d))) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		ssize_t n;

		if (*end || end == de->d_name || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%ld", fd);
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		printf("fd %ld %s cloexec=%d\n", fd, target,
		       (fcntl((int)fd, F_GETFD) & FD_CLOEXEC) ? 1 : 0);
	}
	closedir(d);
	status = fopen("/proc/self/status", "re");
	while (status && fgets(line, sizeof(line), status))
		if (strncmp(line, "SigBlk:", 7) == 0 || strncmp(line, "SigIgn:", 7) == 0)
			fputs(line, stdout);
	if (status)
		fclose(status);
	fputs("argv:", stdout);
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	putchar('\n');
	return 0;
}

#include <qlconfig.h>

#include "safedir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sd_check_tree(const char *dir, char **bad, unsigned *uid)
{
	char *real = realpath(dir, NULL), *end;
	int r = SD_SAFE;

	*bad = NULL;
	*uid = 0;
	if (!real) {
		r = -errno;
		*bad = strdup(dir);
		return r;
	}
	end = real + strlen(real);
	for (;;) {
		char save = *end;
		const char *here;
		struct stat st;

		*end = '\0';
		here = *real ? real : "/";
		if (stat(here, &st) < 0)
			r = -errno;
		else if (st.st_uid != 0 && st.st_uid != geteuid())
			r = SD_OWNER;
		else if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
			r = SD_OTHERS_WRITABLE;
		else if ((st.st_mode & S_IWGRP) && !(st.st_mode & S_ISVTX))
			r = SD_GROUP_WRITABLE;
		if (r != SD_SAFE) {
			*bad = strdup(here);
			*uid = (unsigned)st.st_uid;
		}
		*end = save;
		if (r != SD_SAFE || end == real)
			break;
		while (--end > real && *end != '/')
			;
	}
	free(real);
	return r;
}

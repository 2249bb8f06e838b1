/*
 * Not a plugin: an LD_PRELOAD shim for the prebind tests.  When the
 * prebound QMP socket starts listening under its temporary name, it puts
 * a regular file at $QLAUNCH_RACE_PATH, as another user racing qlaunch
 * could: moving the socket into place must then fail, not replace it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

__attribute__((visibility("default")))
int listen(int fd, int backlog)
{
	int (*real)(int, int) = (int (*)(int, int))dlsym(RTLD_NEXT, "listen");
	const char *path = getenv("QLAUNCH_RACE_PATH");

	if (path) {
		int f = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

		if (f >= 0) {
			if (write(f, "planted\n", 8) != 8)
				_exit(99);
			close(f);
		}
	}
	return real ? real(fd, backlog) : -1;
}

/* Reading and writing whole buffers through file descriptors. */
#ifndef QL_IO_H
#define QL_IO_H

#include <stddef.h>

/*
 * Read what fd holds, which fstat said is size bytes: *out (NUL-terminated,
 * caller frees) and *len, which is less than size if the file shrank.
 * Returns 0, -EFBIG if there was more than size bytes (the file grew while
 * being read), -ENOMEM or -errno from read.
 */
int io_read_all(int fd, size_t size, char **out, size_t *len);

/* Write all of buf to fd, going on after EINTR and short writes.
 * Returns 0 or -errno (-EIO if write wrote nothing). */
int io_write_all(int fd, const char *buf, size_t len);

#endif

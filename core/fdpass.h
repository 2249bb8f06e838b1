/*
 * Placing the fds handed to QEMU at 3, 4, ... and closing (on exec)
 * everything else.  Runs just before exec; not for use elsewhere.
 */
#ifndef QL_FDPASS_H
#define QL_FDPASS_H

#include <stddef.h>

/*
 * Make fds[i] become fd 3 + i without close-on-exec, and mark every other
 * fd from 3 up close-on-exec.  Sources may lie anywhere, also inside the
 * target window.  fds[] is updated to the final numbers.  Returns 0 or a
 * negative errno value (then the fd table is in an unspecified state).
 */
int fdp_place(int *fds, size_t n);

#endif

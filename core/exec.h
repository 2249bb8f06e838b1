/* Replacing qlaunch with QEMU. */
#ifndef QL_EXEC_H
#define QL_EXEC_H

#include "build.h"
#include "diag.h"

/* Open /dev/null on any of fds 0-2 that is closed.  Call first thing in
 * main(), so that no file qlaunch opens takes one of those numbers. */
int ex_std_fds(void);

/*
 * Place l's fds at 3.., reset the signal mask and
 * dispositions, and execve argv[0] (an absolute path) with the current
 * environment.  Returns only on failure: the exit status to use (127 if the
 * binary does not exist, 126 otherwise), with the reason added to dg.
 */
int ex_exec(struct launch *l, struct diag *dg);

#endif

/*
 * exec1: exec argv[1] with the rest of argv, and nothing else.
 *
 * The cheapest launcher there can be: bench/run.sh times 'exec1 /bin/true'
 * against '/bin/true' to show what one more execve() of a dynamically linked
 * program costs on the machine, the floor under any launcher that execs
 * QEMU in place, qlaunch included.
 *
 * Built by run.sh: cc -O2 -o exec1 exec1.c
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: exec1 PROGRAM [ARG...]\n");
		return 2;
	}
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}

/*
 * iniclock: an LD_PRELOAD library that splits one process's time between
 * iniparser_load() and everything else, measured inside the same process.
 *
 * Subtracting two separately timed programs (qlaunch print FILE minus
 * iniload FILE) leaves qlaunch's own work buried in the noise of
 * iniparser's quadratic load at 10,000 sections.  Timing both parts in the
 * same run removes that noise: the pair always comes from one process.
 *
 *   LD_PRELOAD=./iniclock.so QLAUNCH_BENCH_CLOCK=FILE qlaunch print X.ini
 *
 * appends one line to FILE when a process that called iniparser_load()
 * exits normally:
 *
 *   <wall us from load to exit> <wall us in iniparser_load>
 *   <cpu us from load to exit>  <cpu us in iniparser_load>
 *
 * "From load" is when the dynamic loader runs this library's constructor,
 * after qlaunch's own libraries are mapped and before main(); the process
 * start (exec, mapping libc and libiniparser) is therefore not included,
 * while everything main() does (plugins, parsing, argv, output) is.
 *
 * Built by run.sh: cc -O2 -shared -fPIC -o iniclock.so iniclock.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct _dictionary_ dictionary;

/* This is a measuring tool for one single-threaded process: plain statics. */
static long long start_wall, start_cpu, ini_wall, ini_cpu;
static int ini_calls;

static long long usec(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

__attribute__((constructor)) static void clock_start(void)
{
	start_wall = usec(CLOCK_MONOTONIC);
	start_cpu = usec(CLOCK_PROCESS_CPUTIME_ID);
}

dictionary *iniparser_load(const char *path)
{
	dictionary *(*real)(const char *);
	long long w, c;
	dictionary *d;

	*(void **)&real = dlsym(RTLD_NEXT, "iniparser_load");
	if (!real) {
		fprintf(stderr, "iniclock: no iniparser_load after this library\n");
		abort();
	}
	w = usec(CLOCK_MONOTONIC);
	c = usec(CLOCK_PROCESS_CPUTIME_ID);
	d = real(path);
	ini_wall += usec(CLOCK_MONOTONIC) - w;
	ini_cpu += usec(CLOCK_PROCESS_CPUTIME_ID) - c;
	ini_calls++;
	return d;
}

__attribute__((destructor)) static void clock_stop(void)
{
	const char *out = getenv("QLAUNCH_BENCH_CLOCK");
	char line[128];
	int fd, n;

	if (!out || !ini_calls)
		return;         /* not a process that loaded a config */
	n = snprintf(line, sizeof(line), "%lld %lld %lld %lld\n",
		     usec(CLOCK_MONOTONIC) - start_wall, ini_wall,
		     usec(CLOCK_PROCESS_CPUTIME_ID) - start_cpu, ini_cpu);
	fd = open(out, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, line, (size_t)n) != n)
			fprintf(stderr, "iniclock: short write to %s\n", out);
		close(fd);
	}
}

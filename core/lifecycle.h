/*
 * The lifecycle commands: wait, status, stop and qmp, over the QMP socket
 * of a config (the socket key of its first [qmp] or [qmp.NAME] section in
 * file order) or the one given with --qmp.  See qlaunch(1) for what each
 * prints and its exit statuses (LC_EXIT_*).
 */
#ifndef QL_LIFECYCLE_H
#define QL_LIFECYCLE_H

#include <stddef.h>

#include "config.h"
#include "diag.h"

struct json_object;

enum lc_command { LC_WAIT, LC_STATUS, LC_STOP, LC_QMP };

/* Exit statuses besides 0 (running; stopped by the guest; answered). */
enum {
	LC_EXIT_ERROR = 1,      /* an error, or wait: no answer in time */
	LC_EXIT_USAGE = 2,
	LC_EXIT_NOT_RUNNING = 3, /* status: QEMU there, the guest not running;
				  * stop: QEMU had to be quit */
	LC_EXIT_ABSENT = 4,     /* no QEMU answers on the socket */
};

/* Default timeouts in milliseconds, where --timeout is not given. */
#define LC_WAIT_TIMEOUT_MS 30000
#define LC_STATUS_TIMEOUT_MS 10000
#define LC_STOP_TIMEOUT_MS 60000
#define LC_QMP_TIMEOUT_MS 10000

struct lc_request {
	enum lc_command cmd;
	const char *config;       /* the config file, or NULL (then qmp_path) */
	const struct cfg *cfg;    /* it loaded, or NULL */
	const char *qmp_path;     /* --qmp PATH, or NULL: the config's socket */
	int timeout_ms;           /* < 0: the command's default */
	const char *command;      /* qmp: the QMP command */
	struct json_object *args; /* qmp: its arguments (an object), or NULL;
				   * borrowed */
};

/* Parse the JSON-ARGUMENTS of 'qmp': an object.  0 and *out (the caller
 * owns it: json_object_put), or -EINVAL with the reason in err. */
int lc_parse_arguments(const char *text, struct json_object **out, char *err,
		       size_t errlen);

/* The socket of cfg's first [qmp] section, which must be a unix socket
 * with server on: 0 and *path (borrowed from cfg), or the error in dg. */
int lc_config_socket(const struct cfg *cfg, struct diag *dg, const char **path);

/* Run rq; prints its one line (or the reply) on stdout, and errors to dg
 * (each a complete line, "qlaunch: " first).  Returns the exit status. */
int lc_run(const struct lc_request *rq, struct diag *dg);

#endif

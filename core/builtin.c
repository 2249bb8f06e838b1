/*
 * The standard plugins compiled into this qlaunch (./configure
 * --with-builtin-plugins=LIST): configure defines QL_BUILTINS as a list
 * X(name) X(name) ..., and each such plugin's descriptor is built under the
 * name ql_builtin_NAME (QL_PLUGIN_DESCRIPTOR, see <qlaunch/plugin.h>).
 */
#include <qlconfig.h>

#include "plugin.h"

#ifdef QL_BUILTINS
#define X(n) extern const struct ql_plugin ql_builtin_##n;
QL_BUILTINS
#undef X
#endif

const struct plg_builtin plg_builtins[] = {
#ifdef QL_BUILTINS
#define X(n) { #n, &ql_builtin_##n },
	QL_BUILTINS
#undef X
#endif
	{ NULL, NULL },
};

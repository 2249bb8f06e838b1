/*
 * Would QEMU take this value?  The grammar of the values QEMU 7.2 parses
 * for a property or parameter of a known type, for check's comparison
 * with the binary (capcheck.h).  Each returns NULL if the value is fine
 * or cannot be judged (false alarms are worse than misses), else what is
 * expected ("an integer from 0 to 255"), in buf or a constant.
 */
#ifndef QL_CAPVALUE_H
#define QL_CAPVALUE_H

#include <stddef.h>

struct json_object;

/* A device, CPU or machine property of QOM type type (device-list-
 * properties' "bool", "uint32", "size", "OnOffAuto", ...) and
 * description desc (may be NULL: an enum's values are listed there, as
 * in "Error handling policy, report/ignore/enospc/stop/auto"). */
const char *cv_property(const char *type, const char *desc, const char *value, char *buf, size_t len);

/* A member of a schema SPEC (probe.h): "bool", "int" (sizes too),
 * "number", or an array of an enum's values. */
const char *cv_member(struct json_object *spec, const char *value, char *buf, size_t len);

/* A parameter of query-command-line-options: "boolean", "number",
 * "size". */
const char *cv_parameter(const char *type, const char *value);

/* Does s parse as QEMU's sizes do (512, 1.5G, +4K, 0x1000; suffixes B, K,
 * M, G, T, P, E in either case)? */
int cv_is_size(const char *s);

#endif

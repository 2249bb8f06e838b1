/*
 * What [netdev] and [nic] share: QEMU 7.2's network back-end types
 * (qemu-system-x86_64 -netdev help).
 */
#ifndef QL_PLUGINS_NET_H
#define QL_PLUGINS_NET_H

static const char *const net_types[] = {
	"user", "tap", "bridge", "socket", "stream", "dgram", "l2tpv3", "vde",
	"hubport", "vhost-user", "vhost-vdpa", NULL,
};

#endif

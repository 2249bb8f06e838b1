#!/bin/sh
# gen-sections.sh N: print a valid qlaunch config with N [device.dN]
# sections (plus [qemu] and [machine]), QEMU being /bin/true.
set -eu
n=${1:?usage: gen-sections.sh N}
printf '[qemu]\nbinary = /bin/true\nnodefaults = on\n\n[machine]\ntype = q35\naccel = tcg\n'
awk -v n="$n" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "\n[device.d%d]\ndriver = virtio-net-pci\nmac = 52:54:%02x:%02x:%02x:%02x\n",
		       i, int(i / 16777216) % 256, int(i / 65536) % 256, int(i / 256) % 256, i % 256
}'

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='32-bit armhf: the cross build, and long-size handling when it decodes x86_64 recordings'
. "$(dirname "$0")/test-lib.sh"

top=$(dirname "$TEST_DIRECTORY")

test_lazy_prereq ARMHF '
	test_have_prereq ROOT &&
	command -v arm-linux-gnueabihf-gcc >/dev/null && command -v qemu-arm >/dev/null &&
	test -d /usr/arm-linux-gnueabihf/lib
'

test_expect_success ARMHF 'make CROSS_COMPILE=arm-linux-gnueabihf- builds a 32-bit ftio' '
	R=$("$top/contrib/armhf-sysroot.sh")/root &&
	L=$R/usr/lib/arm-linux-gnueabihf &&
	make -s -C "$top" O="$PWD/armhf" CROSS_COMPILE=arm-linux-gnueabihf- WERROR=1 SANITIZE= \
		PKG_CONFIG_LIBDIR=$L/pkgconfig:$R/usr/share/pkgconfig \
		PKG_CONFIG="env PKG_CONFIG_SYSROOT_DIR=$R PKG_CONFIG_LIBDIR=$L/pkgconfig:$R/usr/share/pkgconfig pkg-config" \
		LDFLAGS="-L$L -Wl,-rpath-link,$L" >build.log 2>&1 &&
	file armhf/ftio | grep -q "ELF 32-bit LSB.*ARM"
'

test_expect_success ARMHF 'the 32-bit ftio reads x86_64 recordings exactly as the host does' '
	L=$("$top/contrib/armhf-sysroot.sh")/root/usr/lib/arm-linux-gnueabihf &&
	for c in "report --json" "report --drill" "replay" "info"; do
		QEMU_LD_PREFIX=/usr/arm-linux-gnueabihf LD_LIBRARY_PATH=$L \
			qemu-arm armhf/ftio $c -i "$FIXTURES/seed.dat" >arm.out 2>/dev/null &&
		"$FTIO" $c -i "$FIXTURES/seed.dat" >host.out 2>/dev/null &&
		test_cmp host.out arm.out || return 1
	done
'

test_done

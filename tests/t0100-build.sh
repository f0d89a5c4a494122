#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
test_description='the build: out of tree, install, and the arm64 cross build'
. "$(dirname "$0")/test-lib.sh"

top=$(dirname "$TEST_DIRECTORY")

test_expect_success 'an out-of-tree build (O=) with -Werror works and installs' '
	make -s -C "$top" O="$PWD/out" WERROR=1 >build.log 2>&1 &&
	test -x out/ftio &&
	make -s -C "$top" O="$PWD/out" DESTDIR="$PWD/root" prefix=/usr install >install.log 2>&1 &&
	test -x root/usr/bin/ftio &&
	test -f root/usr/share/man/man1/ftio-record.1 &&
	test -f root/usr/share/man/man5/ftio-format.5 &&
	root/usr/bin/ftio --version | grep "^ftio version "
'

test_expect_success 'V=1 shows the compiler command lines' '
	rm -rf out2 &&
	make -C "$top" O="$PWD/out2" V=1 2>&1 | grep -E "gcc .* -Wall -Wextra .* -c -o"
'

test_lazy_prereq CROSS_ARM64 '
	command -v aarch64-linux-gnu-gcc >/dev/null &&
	test -f /usr/lib/aarch64-linux-gnu/pkgconfig/libtracefs.pc
'

test_expect_success CROSS_ARM64 'make CROSS_COMPILE=aarch64-linux-gnu- builds an arm64 ftio' '
	make -s -C "$top" O="$PWD/arm64" CROSS_COMPILE=aarch64-linux-gnu- WERROR=1 >cross.log 2>&1 &&
	file arm64/ftio | grep -q "ARM aarch64"
'

test_done

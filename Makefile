# SPDX-License-Identifier: GPL-2.0
#
# ftio build.  make V=1 shows commands, O=DIR builds out of tree,
# CROSS_COMPILE=aarch64-linux-gnu- cross-builds, WERROR=1 adds -Werror
# (CI sets it), SANITIZE=1 builds with ASan+UBSan.

VERSION = 0.1.0

prefix ?= /usr/local
bindir ?= $(prefix)/bin
mandir ?= $(prefix)/share/man
DESTDIR ?=

CC = $(CROSS_COMPILE)gcc
AR = $(CROSS_COMPILE)ar
PKG_CONFIG ?= pkg-config
ifneq ($(CROSS_COMPILE),)
# multiarch .pc files live under the target triplet; make 4.3 does not pass
# exported variables to $(shell), so pkg-config gets it on its command line
PKG_CONFIG_LIBDIR ?= /usr/lib/$(patsubst %-,%,$(CROSS_COMPILE))/pkgconfig:/usr/share/pkgconfig
PKG_CONFIG := PKG_CONFIG_LIBDIR=$(PKG_CONFIG_LIBDIR) $(PKG_CONFIG)
export PKG_CONFIG_LIBDIR
endif

ifeq ($(O),)
OUT := .
else
OUT := $(patsubst %/,%,$(O))
endif

ifeq ($(V),1)
Q =
msg = @true
else
Q = @
msg = @printf '  %-8s %s\n' $(1) $(2);
endif

PKGS = libtracefs libtraceevent libzstd zlib
# libcurl for export --clickhouse; a build without it (a board's cross
# build, NO_CURL=1) has every other command, and that option says why not
ifneq ($(NO_CURL),1)
HAVE_CURL := $(shell $(PKG_CONFIG) --exists libcurl 2>/dev/null && echo y)
endif
ifeq ($(HAVE_CURL),y)
PKGS += libcurl
CURL_CFLAGS = -DFTIO_HAVE_LIBCURL
endif
# ncursesw for ftio top's screen; a build without it (NO_NCURSES=1, or a
# board's cross build without the -dev package) prints top's plain text
ifneq ($(NO_NCURSES),1)
HAVE_NCURSES := $(shell $(PKG_CONFIG) --exists ncursesw 2>/dev/null && echo y)
endif
ifeq ($(HAVE_NCURSES),y)
PKGS += ncursesw
NCURSES_CFLAGS = -DFTIO_HAVE_NCURSES
endif
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 \
	  -D_GNU_SOURCE -DFTIO_VERSION='"$(VERSION)"' $(CURL_CFLAGS) $(NCURSES_CFLAGS) -Iinclude $(SRC_INCLUDES) -Iplugins $(PKG_CFLAGS) \
	  -MMD -MP
ifeq ($(WERROR),1)
CFLAGS += -Werror
endif
ifeq ($(SANITIZE),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif
LIBS = $(PKG_LIBS) -lpfm -lpthread -lm

# The layer API wall (as libperf's include/perf against include/internal):
# plugins/ are compiled without -Isrc, so a layer that includes a src/
# header does not build; check-layer-api also catches a relative path.
SRC_INCLUDES = -Isrc
$(OUT)/plugins/%.o: SRC_INCLUDES =

# src/ holds the commands; src/<stage>/ the pipeline's stages (see README)
STAGES := record format decode report views top lib
LIB_SRCS := $(sort $(filter-out src/ftio.c,$(wildcard src/*.c $(STAGES:%=src/%/*.c))) \
	$(wildcard plugins/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(OUT)/%.o)
MAIN_OBJ := $(OUT)/src/ftio.o
LIBFTIO := $(OUT)/libftio.a
FTIO := $(OUT)/ftio

UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(UNIT_SRCS:%.c=$(OUT)/%)
HELPER_SRCS := $(filter-out tests/helpers/slowfs.c tests/helpers/uring-open.c,$(wildcard tests/helpers/*.c))
HELPER_BINS := $(HELPER_SRCS:%.c=$(OUT)/%)
ifneq ($(wildcard tests/helpers/slowfs.c),)
ifneq ($(shell $(PKG_CONFIG) --exists fuse3 && echo y),)
HELPER_BINS += $(OUT)/tests/helpers/slowfs
endif
endif
# liburing (liburing-dev) for the io_uring test; without it t3200 skips
ifneq ($(shell $(PKG_CONFIG) --exists liburing && echo y),)
HELPER_BINS += $(OUT)/tests/helpers/uring-open
endif

all: $(FTIO) doc

# The HTML page's markup, style and script live in their own files and are
# embedded as C strings at build time, by sh and awk only, so that cross builds
# need nothing of the target.  Generated files go under $(OUT)/gen, never next
# to the sources, so an in-tree build cannot shadow an O= build's header.
GEN := $(OUT)/gen
PAGE_SRCS := src/views/page.html src/views/page.css src/views/page.js
PAGE_H := $(GEN)/views/page-data.h

$(PAGE_H): src/views/embed-page.sh $(PAGE_SRCS)
	@mkdir -p $(dir $@)
	$(call msg,GEN,$@)
	$(Q)sh src/views/embed-page.sh src/views/page.html >$@.tmp && mv $@.tmp $@

$(OUT)/src/views/html.o: $(PAGE_H)
$(OUT)/src/views/html.o: CFLAGS += -I$(GEN)

# export --clickhouse --create runs the schema users read in contrib/
SCHEMA_H := $(GEN)/views/schema-data.h

$(SCHEMA_H): src/views/embed-sql.sh contrib/clickhouse/schema.sql
	@mkdir -p $(dir $@)
	$(call msg,GEN,$@)
	$(Q)sh src/views/embed-sql.sh contrib/clickhouse/schema.sql >$@.tmp && mv $@.tmp $@

$(OUT)/src/views/clickhouse.o: $(SCHEMA_H)
$(OUT)/src/views/clickhouse.o: CFLAGS += -I$(GEN)

$(OUT)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(LIBFTIO): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(FTIO): $(MAIN_OBJ) $(LIBFTIO)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(OUT)/tests/unit/%: tests/unit/%.c $(LIBFTIO)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIBFTIO) $(LIBS) -ldl

$(OUT)/tests/helpers/slowfs: tests/helpers/slowfs.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(shell $(PKG_CONFIG) --cflags fuse3) $(LDFLAGS) -o $@ $< \
		$(shell $(PKG_CONFIG) --libs fuse3)

$(OUT)/tests/helpers/uring-open: tests/helpers/uring-open.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(shell $(PKG_CONFIG) --cflags liburing) $(LDFLAGS) -o $@ $< \
		$(shell $(PKG_CONFIG) --libs liburing)

# small workload programs; static where a test needs a binary without libc hooks
$(OUT)/tests/helpers/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

# static on purpose (no C library to hook), so never with the sanitizers' runtime
$(OUT)/tests/helpers/static-open: tests/helpers/static-open.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(filter-out -fsanitize=%,$(CFLAGS)) -static -o $@ $<

# the decode floor 'make bench' measures the readers against (bench/decode-floor.c)
BENCH_BINS := $(OUT)/bench/decode-floor
$(OUT)/bench/decode-floor: bench/decode-floor.c $(LIBFTIO)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBFTIO) $(LIBS)

test-progs: $(UNIT_BINS) $(HELPER_BINS) $(BENCH_BINS)

check: all test-progs check-layer-api
	FTIO_BUILD_DIR=$(abspath $(OUT)) bash tests/run-tests.sh $(T)

# the full kernel profile alone: Debian's kernel under QEMU (make check runs it too)
# every VM test on each Debian suite's kernel: make check-vm VM_SUITES="sid"
VM_SUITES ?= bookworm trixie sid
check-vm: all test-progs
	@fail=; for s in $(VM_SUITES); do \
		echo "check-vm: suite $$s"; \
		FTIO_VM_SUITE=$$s FTIO_BUILD_DIR=$(abspath $(OUT)) bash tests/run-tests.sh 't7*' || fail=1; \
	done; test -z "$$fail"

# plugins/ and the API headers include only system headers and <ftio/...>
check-layer-api:
	$(call msg,CHECK,layer-api)
	$(Q)bad=$$(grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' plugins/*.[ch] include/ftio/*.h | \
		grep -v '^plugins/[^:]*:[0-9]*:[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z0-9-]*\.h"'; \
		grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*<\(src\|\.\)' plugins/*.[ch] include/ftio/*.h); \
	if [ -n "$$bad" ]; then \
		echo "$$bad"; echo "plugins/ and include/ftio/ may include only <ftio/...>, system headers and a layer's own header in plugins/" >&2; \
		exit 1; fi

# functions over 150 lines, files over 800 (the layout keeps both empty)
sizes:
	@sh contrib/sizes.sh

check-unit: test-progs
	FTIO_BUILD_DIR=$(abspath $(OUT)) bash tests/run-tests.sh 'unit/*'

bench: all test-progs
	FTIO_BUILD_DIR=$(abspath $(OUT)) bash bench/run.sh
	FTIO_BUILD_DIR=$(abspath $(OUT)) bash bench/backends.sh
	FTIO_BUILD_DIR=$(abspath $(OUT)) bash bench/live.sh

# The manual pages, rendered into the build tree (gen/man), where "ftio help"
# and "--help" look first: the path is compiled into ftio, as git does.
# Each page is also kept as its text (<page>.txt), which ftio shows when
# asciidoctor or man is missing.  The roff pages tracked next to their
# sources (Documentation/*.[15]) are rendered the same way, by hand when a
# page changes: make man-tracked.
MAN_SRCS := $(wildcard Documentation/*.txt)
MAN_DIR := $(GEN)/man
MAN_PAGES := $(MAN_SRCS:Documentation/%.txt=$(MAN_DIR)/%)
MAN_TEXTS := $(MAN_SRCS:Documentation/%=$(MAN_DIR)/%)
ASCIIDOCTOR ?= asciidoctor

$(MAN_DIR)/%.txt: Documentation/%.txt
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# rendered with asciidoctor; without it, no roff page: ftio help shows the text
$(MAN_DIR)/%: Documentation/%.txt
	@mkdir -p $(dir $@)
	$(call msg,MAN,$@)
	$(Q)if command -v $(ASCIIDOCTOR) >/dev/null 2>&1; then \
		$(ASCIIDOCTOR) -b manpage -o $@.tmp $< && mv $@.tmp $@; else rm -f $@; fi

doc: $(MAN_TEXTS) $(MAN_PAGES)

man-tracked:
	@for f in Documentation/*.[15]; do $(ASCIIDOCTOR) -b manpage -o $$f $$f.txt || exit 1; done

$(OUT)/src/help.o: CFLAGS += -DFTIO_MAN_BUILD_DIR='"$(abspath $(MAN_DIR))"'

# without asciidoctor, the text is installed as the page
install: all doc
	install -d $(DESTDIR)$(bindir)
	install -m 0755 $(FTIO) $(DESTDIR)$(bindir)/ftio
	@for t in $(MAN_TEXTS); do \
		f=$${t%.txt}; b=$$(basename $$f); s=$${b##*.}; \
		test -f $$f || f=$$t; \
		install -d $(DESTDIR)$(mandir)/man$$s; \
		install -m 0644 $$f $(DESTDIR)$(mandir)/man$$s/$$b; \
	done

clean:
	rm -rf $(OUT)/src/*.o $(OUT)/src/*.d $(STAGES:%=$(OUT)/src/%/*.[od]) \
		$(OUT)/plugins/*.o $(OUT)/plugins/*.d \
		$(LIBFTIO) $(FTIO) $(UNIT_BINS) $(HELPER_BINS) $(OUT)/tests/unit/*.d \
		$(OUT)/tests/helpers/*.d $(OUT)/tests/helpers/slowfs $(GEN)

.PHONY: all check check-layer-api check-vm check-unit bench install clean test-progs doc man-tracked

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d)

# The README's main job: record the built-in workload, then report it
demo: all
	./ftio record -o demo.dat -- sh contrib/workload.sh
	./ftio report -i demo.dat

.PHONY: demo

# fuzzing (clang, libFuzzer): its own rules
-include tests/fuzz/fuzz.mk

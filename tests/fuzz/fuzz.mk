# SPDX-License-Identifier: GPL-2.0
#
# libFuzzer target over the recording reader, the decoder and the reading
# commands (info, replay, report), included by the top Makefile.  Every
# source is compiled again with clang and the fuzzer's instrumentation
# into $(OUT)/tests/fuzz/obj/: libftio.a is built by gcc without coverage,
# and a fuzzer that cannot see its target's branches only guesses.
#
#   make fuzz                        build $(OUT)/tests/fuzz/fuzz-recording
#   make fuzz-run FUZZ_SECONDS=60    fuzz that long from the seed corpus
#   make fuzz-regress                run every seed and regression input once
#
# fuzz-run copies the seeds to a scratch directory, so the checked-in
# corpus never grows; FUZZ_WORK=DIR keeps the grown corpus in DIR instead.
# Crashes land in $(OUT)/tests/fuzz/artifacts/; a fixed one belongs in
# tests/fuzz/regressions/ (see tests/fuzz/README).

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
# FUZZ_JOBS=N > 1 fuzzes in N processes (libFuzzer's -fork mode)
FUZZ_JOBS ?= 1
FUZZ_ARGS ?=
FUZZ_WORK ?=
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -std=gnu11 -Wall -Wno-unused-parameter \
	-D_GNU_SOURCE -DFTIO_VERSION='"$(VERSION)"' -Iinclude -Isrc -Iplugins $(PKG_CFLAGS) \
	-MMD -MP $(FUZZ_SAN)

FUZZ_OBJDIR := $(OUT)/tests/fuzz/obj
# src/ftio.c holds main(), which libFuzzer provides: it is built with main renamed
FUZZ_SRCS := $(LIB_SRCS) src/ftio.c
FUZZ_OBJS := $(FUZZ_SRCS:%.c=$(FUZZ_OBJDIR)/%.o)
FUZZ_BIN := $(OUT)/tests/fuzz/fuzz-recording
FUZZ_ARTIFACTS := $(OUT)/tests/fuzz/artifacts

$(FUZZ_OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,FUZZCC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_OBJDIR)/src/ftio.o: src/ftio.c
	@mkdir -p $(dir $@)
	$(call msg,FUZZCC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -Dmain=ftio_main -c -o $@ $<

$(FUZZ_BIN): $(FUZZ_OBJDIR)/tests/fuzz/fuzz-recording.o $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	$(call msg,FUZZLD,$@)
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(LIBS)

fuzz: $(FUZZ_BIN)

# -close_fd_mask=3: the commands print reports and warnings for every
# input; sanitizer and libFuzzer reports still reach the terminal
fuzz-run: $(FUZZ_BIN)
	@mkdir -p $(FUZZ_ARTIFACTS)
	$(Q)work='$(FUZZ_WORK)'; tmp=; \
	if test -z "$$work"; then tmp=$$(mktemp -d) && work=$$tmp; fi; \
	mkdir -p "$$work" && cp tests/fuzz/corpus/* "$$work"/ && \
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) $(if $(filter-out 0 1,$(FUZZ_JOBS)),-fork=$(FUZZ_JOBS)) \
		-max_len=262144 -timeout=20 -rss_limit_mb=3072 -close_fd_mask=3 -print_final_stats=1 \
		-artifact_prefix=$(abspath $(FUZZ_ARTIFACTS))/ $(FUZZ_ARGS) "$$work"; \
	rc=$$?; test -z "$$tmp" || rm -rf "$$tmp"; exit $$rc

# Each input once, as plain files: what a crash fix is checked against;
# names every input that still fails, with its report in $(FUZZ_ARTIFACTS)
fuzz-regress: $(FUZZ_BIN)
	@mkdir -p $(FUZZ_ARTIFACTS)
	$(Q)bad=0; for f in $(wildcard tests/fuzz/corpus/* tests/fuzz/regressions/*); do \
		log=$(FUZZ_ARTIFACTS)/regress-$${f##*/}.log; \
		if $(FUZZ_BIN) -close_fd_mask=1 "$$f" >"$$log" 2>&1; then rm -f "$$log"; \
		else bad=$$((bad + 1)); echo "FAIL $$f: $$(grep -m1 -e 'ERROR:' -e 'runtime error' "$$log")"; fi; \
	done; test $$bad = 0 || { echo "$$bad inputs fail; reports in $(FUZZ_ARTIFACTS)/regress-*.log"; exit 1; }

fuzz-clean:
	rm -rf $(FUZZ_OBJDIR) $(FUZZ_BIN) $(FUZZ_ARTIFACTS)

.PHONY: fuzz fuzz-run fuzz-regress fuzz-clean

-include $(FUZZ_OBJS:.o=.d) $(FUZZ_OBJDIR)/tests/fuzz/fuzz-recording.d

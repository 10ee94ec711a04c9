# claimscan: `make` builds, `make test` runs every test, `make run` processes
# corpus/ into out/. Missing Debian packages are installed on first use.

CC      ?= cc
PREFIX  ?= /usr/local
PKGS    := libpcre2-8 libxml-2.0 sqlite3 jansson libcrypto libutf8proc poppler-glib libzip uchardet
# Libraries (-dev), then the tools the tests and benchmarks drive: the sqlite3
# shell, pdftotext (the PDF benchmark's reference), sqlite-utils (Datasette's
# FTS detection), GNU parallel (the shard recipe; ssh, sshd and rsync for its
# run over ssh to this machine) and the English word lists.
DEBS    := libpcre2-dev libxml2-dev libsqlite3-dev libcriterion-dev libjansson-dev libssl-dev \
           libutf8proc-dev libpoppler-glib-dev libzip-dev libuchardet-dev pkg-config \
           sqlite3 poppler-utils sqlite-utils parallel wbritish openssh-server openssh-client rsync
TOOLS   := sqlite3 pdftotext sqlite-utils parallel
SHARED  ?= ../shared

OPT     ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Werror -pedantic -Wstrict-prototypes -Wno-overlength-strings
SAN     ?=
# Recursive (=) so pkg-config runs after the deps step has installed it.
PKGCFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKGLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS_ALL = $(OPT) $(WARN) $(SAN) -pthread -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(PKGCFLAGS) -MMD -MP
LDLIBS_ALL = $(PKGLIBS) -lm -pthread

BUILD   ?= build
LIBSRC  := $(filter-out src/claimscan.c,$(wildcard src/*.c))
LIBOBJ  := $(LIBSRC:src/%.c=$(BUILD)/%.o)
TESTSRC := $(wildcard tests/*.c)
TESTOBJ := $(TESTSRC:tests/%.c=$(BUILD)/tests/%.o)
BIN     ?= claimscan
TESTBIN := $(BUILD)/run_tests
DEPSTAMP := $(BUILD)/.deps-ok

.PHONY: all deps test run bench bench-scale bench-page check-shared fuzz fuzz-seeds fuzz-smoke asan ubsan tsan leakcheck lint format install clean check-shared

all: $(BIN)

# Installs the Debian packages that pkg-config (or the Criterion header) lacks.
$(DEPSTAMP):
	@mkdir -p $(BUILD)/tests
	@missing=""; \
	pkg-config --version >/dev/null 2>&1 || missing="pkg-config"; \
	pkg-config --exists $(PKGS) criterion 2>/dev/null || missing="$$missing libs"; \
	for t in $(TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	test -r /usr/share/dict/british-english || missing="$$missing wbritish"; \
	if [ -n "$$missing" ]; then \
	  echo "claimscan: missing$$missing; installing Debian packages: $(DEBS)"; \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "claimscan: missing packages and not root; run: sudo apt-get install -y $(DEBS)" >&2; exit 1; fi; \
	  ok=0; for try in 1 2 3 4 5; do \
	    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq $(DEBS) >/dev/null && \
	    { ok=1; break; }; \
	    echo "claimscan: apt-get failed (try $$try of 5; the package lock may be busy), retrying" >&2; sleep 20; \
	  done; [ $$ok = 1 ] || exit 1; \
	fi
	@touch $@

deps: $(DEPSTAMP)

$(BUILD)/%.o: src/%.c | $(DEPSTAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c | $(DEPSTAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Isrc -c $< -o $@

# Stored findings are reused only by the code that computed them: check.o
# carries a hash of the library's sources, and is compiled again whenever
# one of them changes.
LIBHDR := $(wildcard src/*.h)
$(BUILD)/check.o: $(LIBSRC) $(LIBHDR)
$(BUILD)/check.o: CFLAGS_ALL += -DCHECK_SOURCE_ID=\"$$(cat $(sort $(LIBSRC) $(LIBHDR)) | sha256sum | cut -c1-16)\"

$(BIN): $(LIBOBJ) $(BUILD)/claimscan.o
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LDLIBS_ALL)

$(TESTBIN): $(LIBOBJ) $(TESTOBJ)
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LDLIBS_ALL) -lcriterion

# Every test: unit and data-driven tests (Criterion), the rule examples, and
# the CLI end to end, then a short run of each fuzz harness. Tests that need
# ../shared say so and skip without it.
# Without $(SHARED) the tests that need its data skip; the run then lists
# them with the reason, and the failures if any, instead of passing quietly.
test: $(BIN) $(TESTBIN)
	./$(BIN) rules test --rules rules
	@if [ -d $(SHARED) ]; then \
	  echo "CLAIMSCAN_BIN=$(abspath $(BIN)) CLAIMSCAN_SHARED=$(SHARED) ./$(TESTBIN) -j2"; \
	  CLAIMSCAN_BIN=$(abspath $(BIN)) CLAIMSCAN_SHARED=$(SHARED) ./$(TESTBIN) -j2; \
	else \
	  echo "$(SHARED) not found: the tests that need its gold, pages and specs are skipped (set SHARED=DIR to run them)"; \
	  CLAIMSCAN_BIN=$(abspath $(BIN)) CLAIMSCAN_SHARED=$(SHARED) ./$(TESTBIN) -j2 --verbose > $(BUILD)/test.log 2>&1; rc=$$?; \
	  grep -v '^\[RUN \]\|^\[PASS\]\|^\[====\] Running' $(BUILD)/test.log; exit $$rc; \
	fi
	@$(MAKE) --no-print-directory fuzz-smoke

BENCHBIN := $(BUILD)/bench
$(BENCHBIN): $(LIBOBJ) bench/bench.c | $(DEPSTAMP)
	$(CC) $(CFLAGS_ALL) -Isrc -o $@ bench/bench.c $(LIBOBJ) $(LDLIBS_ALL)

# Speed and memory, never asserted in tests: medians over repeated runs.
BENCH_DOCS ?= 10000
BENCH_PDF_ROUNDS ?= 7
bench: $(BIN) $(BENCHBIN) check-shared
	$(BENCHBIN) clean $(SHARED)/bench/readability-pages 7
	$(BENCHBIN) rules $(SHARED)/bench/readability-pages 7
	$(BENCHBIN) ingest $(SHARED)/bench/readability-pages corpus $(BENCH_DOCS) $(BUILD)/bench.db
	bench/pdf.sh ./$(BIN) $(SHARED)/bench/public-pdfs $(BENCH_PDF_ROUNDS) $(BUILD)/bench-pdf

# Generated archives (varied places and figures) through the CLI: ingest
# with -j 1 and -j 2, database size, check, timeline and report, each with
# its time and peak memory. BENCH_DOCS="N ..." picks the archive sizes.
SCALE_SIZES = $(if $(filter command line environment,$(origin BENCH_DOCS)),$(BENCH_DOCS),1000 10000 100000)
bench-scale: $(BIN) $(BENCHBIN)
	bench/scale.sh ./$(BIN) $(BENCHBIN) $(BUILD)/scale $(SCALE_SIZES)

# The cost of one large page (plain text and HTML generated from corpus/
# text, PAGE_SIZES in MiB, and one element with 100,000 attributes): time
# and peak memory of extract, each per input megabyte.
PAGE_SIZES ?= 1 10 60
bench-page: $(BIN)
	bench/page-cost.sh ./$(BIN) $(BUILD)/page-cost $(PAGE_SIZES)

check-shared:
	@test -d $(SHARED)/bench || { echo "bench needs $(SHARED)/bench (set SHARED=...)" >&2; exit 2; }

run: $(BIN)
	./$(BIN) ingest --db out/claims.db corpus/
	./$(BIN) check --db out/claims.db > out/findings.txt
	./$(BIN) timeline --db out/claims.db --format timelinejs > out/timeline.json
	./$(BIN) report --db out/claims.db --out out/report.html
	@echo "claimscan: findings in out/findings.txt, timeline in out/timeline.json, report in out/report.html"

# Criterion's runner leaks a few bytes of its own now and then (48 bytes a
# time, inside libcriterion): tests/lsan.supp keeps that from failing the run.
asan:
	LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp) $(MAKE) BUILD=build-asan BIN=build-asan/claimscan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

ubsan:
	$(MAKE) BUILD=build-ubsan BIN=build-ubsan/claimscan OPT="-O1 -g" SAN="-fsanitize=undefined -fno-sanitize-recover=all" test

# Data races in the threaded paths, under ThreadSanitizer: the CLI ingests
# the corpus with four extraction threads twice (stored, then unchanged),
# extract runs on three, and the benchmark's ingest runs 400 pages of
# repeating sites with checkpoints, a thread per processor. (Criterion cannot start under
# ThreadSanitizer, so the Criterion tests are not the driver here.) GLib's
# slice allocator, which poppler uses, is told to use malloc, which the
# sanitizer sees; tests/tsan.supp names the races inside uninstrumented
# system libraries whose own locks it cannot see.
TSANENV = TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/tests/tsan.supp" G_SLICE=always-malloc
tsan:
	$(MAKE) BUILD=build-tsan BIN=build-tsan/claimscan OPT="-O1 -g" SAN="-fsanitize=thread" \
	  build-tsan/claimscan build-tsan/bench
	rm -f build-tsan/tsan.db*
	$(TSANENV) ./build-tsan/claimscan ingest -q -j 4 --db build-tsan/tsan.db corpus/
	$(TSANENV) ./build-tsan/claimscan ingest -q -j 4 --db build-tsan/tsan.db corpus/
	$(TSANENV) ./build-tsan/claimscan extract -j 3 corpus/ > build-tsan/extract.jsonl
	@if [ -d $(SHARED)/bench ]; then \
	  echo "$(TSANENV) ./build-tsan/bench ingest $(SHARED)/bench/readability-pages corpus 400 build-tsan/tsan-bench.db"; \
	  $(TSANENV) ./build-tsan/bench ingest $(SHARED)/bench/readability-pages corpus 400 build-tsan/tsan-bench.db; \
	else echo "$(SHARED)/bench not found: the benchmark's ingest under ThreadSanitizer is skipped"; fi

# No leaks: the library tests under valgrind (Criterion's forked workers are
# followed), then the CLI over the corpus, every subcommand.
VALGRIND := CLAIMSCAN_NO_JIT=1 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99
leakcheck: $(BIN) $(TESTBIN)
	CLAIMSCAN_BIN=$(abspath $(BIN)) CLAIMSCAN_SHARED=$(SHARED) $(VALGRIND) ./$(TESTBIN) -j1 \
	  --filter='!(cli/*)'
	rm -f $(BUILD)/leak.db*
	$(VALGRIND) ./$(BIN) extract corpus/ > /dev/null
	$(VALGRIND) ./$(BIN) clean --explain corpus/ > /dev/null
	$(VALGRIND) ./$(BIN) ingest -q --db $(BUILD)/leak.db corpus/
	$(VALGRIND) ./$(BIN) check --db $(BUILD)/leak.db > /dev/null
	rm -f $(BUILD)/leak-merged.db*
	$(VALGRIND) ./$(BIN) merge -q --db $(BUILD)/leak-merged.db $(BUILD)/leak.db
	$(VALGRIND) ./$(BIN) timeline --db $(BUILD)/leak.db --format timelinejs > /dev/null
	$(VALGRIND) ./$(BIN) report -q --db $(BUILD)/leak.db --out $(BUILD)/leak.html
	$(VALGRIND) ./$(BIN) claims --db $(BUILD)/leak.db --format csv > /dev/null
	$(VALGRIND) ./$(BIN) search --db $(BUILD)/leak.db "children's services" > /dev/null
	$(VALGRIND) ./$(BIN) rules test > /dev/null

# libFuzzer harnesses (clang), one per entry point: documents (extract),
# rule files, PDFs, office files, the file loader with its size cap, the
# directory walk, the CSV/TSV writers, database files (store), documents
# stored then checked, reported and searched (pipeline), and the CLI's
# options. The library is built once with the sanitizers for all of them.
# `make fuzz` runs FUZZERS for FUZZ_SECONDS each, one at a time; `make
# fuzz-smoke` (part of `make test`) runs each for FUZZ_SMOKE_SECONDS, two at
# a time. Seeds come from corpus/ and tests/data (fuzz/seeds.sh).
FUZZERS ?= extract rules pdf office load walk rows store pipeline cli
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 4
FUZZ_JOBS ?= 1
FUZZDIR := build/fuzz
FUZZCFLAGS = -std=c11 -g -O1 -fno-sanitize-recover=all -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(PKGCFLAGS) -Isrc
FUZZOBJ := $(LIBSRC:src/%.c=$(FUZZDIR)/obj/%.o) $(FUZZDIR)/obj/harness.o
FUZZBINS = $(FUZZERS:%=$(FUZZDIR)/fuzz_%)

$(FUZZDIR)/obj/%.o: src/%.c | $(DEPSTAMP)
	@mkdir -p $(dir $@)
	clang $(FUZZCFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c $< -o $@
$(FUZZDIR)/obj/harness.o: fuzz/harness.c fuzz/harness.h | $(DEPSTAMP)
	@mkdir -p $(dir $@)
	clang $(FUZZCFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@
$(FUZZDIR)/fuzz_%: fuzz/fuzz_%.c $(FUZZOBJ) fuzz/harness.h
	clang $(FUZZCFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZOBJ) $(LDLIBS_ALL)
$(FUZZDIR)/fuzz_cli: src/claimscan.c

fuzz-seeds: $(BIN)
	@for h in $(FUZZERS); do rm -rf $(FUZZDIR)/$$h-seeds; fuzz/seeds.sh $$h $(FUZZDIR)/$$h-seeds ./$(BIN) || exit 1; done

fuzz: $(FUZZBINS) fuzz-seeds
	fuzz/run.sh $(FUZZDIR) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZERS)

fuzz-smoke:
	@if command -v clang > /dev/null; then \
	  $(MAKE) --no-print-directory $(FUZZBINS) fuzz-seeds && \
	  echo "fuzz/run.sh $(FUZZDIR) $(FUZZ_SMOKE_SECONDS) 2 $(FUZZERS)" && \
	  fuzz/run.sh $(FUZZDIR) $(FUZZ_SMOKE_SECONDS) 2 $(FUZZERS); \
	else echo "clang not found: the fuzz harnesses' smoke run is skipped"; fi

lint: $(BIN)
	./$(BIN) rules lint --rules rules
	cppcheck -q --std=c11 --error-exitcode=1 --suppress=missingIncludeSystem src

format:
	clang-format -i src/*.c src/*.h tests/*.c

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/claimscan/rules $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/claimscan  # finds ../share/claimscan/rules
	install -m 644 rules/*.rules rules/*.txt rules/README.md $(DESTDIR)$(PREFIX)/share/claimscan/rules/
	install -m 644 doc/claimscan.1 $(DESTDIR)$(PREFIX)/share/man/man1/claimscan.1

clean:
	rm -rf build build-asan build-ubsan build-tsan claimscan out/claims.db* out/*.html out/*.json out/*.png

-include $(LIBOBJ:.o=.d) $(TESTOBJ:.o=.d) $(BUILD)/claimscan.d $(wildcard $(FUZZDIR)/obj/*.d)

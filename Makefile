# bitext - plain GNU Makefile. `make` builds ./bitext and build/libbitext.a,
# `make check` runs every test, `make demo` aligns the bundled samples.

PKGS     := icu-uc icu-i18n libxml-2.0 zlib libdeflate jansson xlsxwriter sqlite3 libmicrohttpd
CC       ?= cc
OPT      ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith \
            -Wcast-qual -Wundef -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN     += -Werror
endif
# Read when make starts: `make demo` and `make check` install what is
# missing first, then call make again, so a fresh machine builds in one go.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Opened when first used (base/dl*.c), not linked: loading them cost every
# run most of its start-up (ICU, libxml2 and SQLite 6 ms of 7; zlib,
# libdeflate and jansson 0.6 ms of a 4.5 ms look-up). libm is opened so too
# (base/dl_m.c); the tests, which call it themselves, link it.
LAZY_PKGS  := xlsxwriter libmicrohttpd icu-uc icu-i18n libxml-2.0 sqlite3 zlib libdeflate jansson
PKG_LIBS   := $(shell pkg-config --libs $(filter-out $(LAZY_PKGS),$(PKGS)) 2>/dev/null)
# The unit tests and fuzz harnesses call ICU and libxml2 themselves, as the
# authority their results are checked against, and zlib, libdeflate and
# jansson to make and read their inputs.
TEST_LIBS  := $(shell pkg-config --libs icu-uc icu-i18n libxml-2.0 zlib libdeflate jansson 2>/dev/null) -lm
PKG_OK     := $(shell pkg-config --exists $(PKGS) 2>/dev/null && echo yes)
CFLAGS   += $(OPT) $(WARN) $(PKG_CFLAGS) -D_GNU_SOURCE -Ibuild/gen $(SAN)
LDFLAGS  += $(SAN)
LDLIBS   += $(PKG_LIBS) -ldl -lpthread

B        := build
MODULES  := base corpus align tmx gloss check review
LIB_SRC  := $(foreach m,$(MODULES),$(wildcard $(m)/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/lexicon_data.o $(B)/gen/review_page.o
CLI_SRC  := $(wildcard cli/*.c)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
LEXICON  := $(sort $(wildcard data/*.tsv data/dict/*.tsv))

BIN      ?= bitext
VERSION  := $(shell sed -n 's/^\#define BITEXT_VERSION "\(.*\)"/\1/p' cli/cli.h)

# Objects are rebuilt when the compiler or its flags change (WERROR=1 after
# a plain build, say), not only when a source does.
FLAGS_STAMP := $(B)/.cflags
ifeq ($(PKG_OK),yes)
$(shell mkdir -p $(B); echo '$(CC) $(CFLAGS)' | cmp -s - $(FLAGS_STAMP) || \
  echo '$(CC) $(CFLAGS)' > $(FLAGS_STAMP))
endif

.PHONY: all deps deps-build demo check check-programs check-cluster unit clean asan ubsan \
        bench bench-pairs bench-quality fit-judge regen-golden install uninstall print-ldlibs
all: $(BIN)

# Fuzz harnesses: replay builds for `make check`, libFuzzer builds for
# `make fuzz` (see docs/robustness.md).
include tests/fuzz/Makefile.inc

# written above when the libraries are found; missing, it stops the build
$(FLAGS_STAMP):
	@echo "bitext: libraries missing ($(PKGS)); run 'sh scripts/deps.sh build'" \
	  "(as root) or 'make demo'" >&2; exit 1

$(B)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# The curated lexicon is compiled into the library, so the program needs no
# data files at run time.
$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $<
$(B)/gen/lexicon_data.c: $(B)/tools/embed $(LEXICON)
	@mkdir -p $(dir $@)
	$(B)/tools/embed $(LEXICON) > $@.tmp && mv $@.tmp $@
$(B)/gen/lexicon_data.o: $(B)/gen/lexicon_data.c
	$(CC) $(OPT) -c $< -o $@

# The review page (HTML, CSS and script in one file) is served from the
# binary: a C string, each line of it escaped.
$(B)/gen/review_page.c: review/page.html
	@mkdir -p $(dir $@)
	{ echo '/* generated from review/page.html - do not edit */'; \
	  echo 'const char bt_review_page[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@.tmp && mv $@.tmp $@
$(B)/gen/review_page.o: $(B)/gen/review_page.c
	$(CC) $(OPT) -c $< -o $@

$(B)/libbitext.a: $(LIB_OBJ)
	rm -f $@.tmp
	ar rcs $@.tmp $^ && mv -f $@.tmp $@

# The default lexicon's tables, made at build time by the library's own
# code (tools/lexicon_image.c) and compiled into bitext: a run starts with
# them built. Remade whenever the library (its data or its code) changes;
# programs linking the library alone build the tables at run time.
$(B)/tools/lexicon_image: tools/lexicon_image.c $(B)/libbitext.a $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -o $@ $< $(B)/libbitext.a $(LDFLAGS) $(LDLIBS)
$(B)/gen/lexicon_image.c: $(B)/tools/lexicon_image
	@mkdir -p $(dir $@)
	$(B)/tools/lexicon_image > $@.tmp && mv $@.tmp $@
$(B)/gen/lexicon_image.o: $(B)/gen/lexicon_image.c align/lexicon_table_int.h \
                          align/lexicon_int.h align/align.h gloss/lookup_int.h gloss/gloss.h
	$(CC) $(OPT) $(PKG_CFLAGS) $(SAN) -Ialign -Igloss -c $< -o $@

# linked beside and renamed, so a test running the old binary never sees a
# half-written one
$(BIN): $(CLI_OBJ) $(B)/gen/lexicon_image.o $(B)/libbitext.a
	$(CC) $(LDFLAGS) -o $@.tmp $(CLI_OBJ) $(B)/gen/lexicon_image.o $(B)/libbitext.a $(LDLIBS) \
	  && mv -f $@.tmp $@

$(B)/tests/%: tests/unit/%.c $(B)/libbitext.a $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -o $@ $< $(B)/libbitext.a $(LDFLAGS) $(LDLIBS) $(TEST_LIBS) -lcmocka
# the image against the tables the library builds at run time
$(B)/tests/test_lexicon_image: tests/unit/test_lexicon_image.c $(B)/gen/lexicon_image.o \
                               $(B)/libbitext.a $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -o $@ $< $(B)/gen/lexicon_image.o $(B)/libbitext.a $(LDFLAGS) \
	  $(LDLIBS) $(TEST_LIBS) -lcmocka

# deps: what the tests need too; deps-build: only what building needs.
deps:
	@sh scripts/deps.sh test
deps-build:
	@sh scripts/deps.sh build

unit: $(UNIT_BIN)

# Installing comes first and alone; the second make reads pkg-config anew.
check:
	@sh scripts/deps.sh test
	@$(MAKE) --no-print-directory check-programs
	@BITEXT=$(abspath $(BIN)) BUILD=$(abspath $(B)) sh tests/run.sh
check-programs: $(BIN) $(UNIT_BIN)

# The map and reduce of scripts/slurm/ and scripts/parallel/ on a Slurm
# and two sshd started here for the test (as root; tests/cluster/run.sh).
check-cluster:
	@sh scripts/deps.sh cluster
	@$(MAKE) --no-print-directory $(BIN)
	@BITEXT=$(abspath $(BIN)) TOP=$(CURDIR) sh tests/cluster/run.sh

demo:
	@sh scripts/deps.sh build
	@$(MAKE) --no-print-directory $(BIN)
	./$(BIN) align -o demo-out corpus/samples
	@echo "outputs in demo-out/: memory.tmx pairs.jsonl glossary.tsv glossary.tbx glossary.txt manifest.json"

# The whole suite under the sanitizers, in its own build tree.
asan:
	$(MAKE) B=build-asan BIN=build-asan/bitext OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" check
ubsan:
	$(MAKE) B=build-ubsan BIN=build-ubsan/bitext OPT="-O1 -g" \
	  SAN="-fsanitize=undefined -fno-sanitize-recover=all" check

# make install [PREFIX=/usr/local] [DESTDIR=]: the program, its man page and
# bash completion, the library with its public headers (in include/bitext/,
# including each other by plain name) and bitext.pc for pkg-config.
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
LIBDIR   ?= $(PREFIX)/lib
INCDIR   ?= $(PREFIX)/include
MANDIR   ?= $(PREFIX)/share/man
COMPDIR  ?= $(PREFIX)/share/bash-completion/completions
PUBLIC_H := base/base.h corpus/corpus.h align/align.h tmx/tmx.h gloss/gloss.h check/check.h \
            review/review.h
INSTALLED := $(BINDIR)/bitext $(LIBDIR)/libbitext.a $(LIBDIR)/pkgconfig/bitext.pc \
             $(MANDIR)/man1/bitext.1 $(COMPDIR)/bitext \
             $(addprefix $(INCDIR)/bitext/,$(notdir $(PUBLIC_H)))

install: $(BIN) $(B)/libbitext.a
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	  $(DESTDIR)$(INCDIR)/bitext $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/bitext
	install -m 644 $(B)/libbitext.a $(DESTDIR)$(LIBDIR)/libbitext.a
	for h in $(PUBLIC_H); do \
	  sed 's|^#include "\.\./[a-z]*/|#include "|' $$h > $(DESTDIR)$(INCDIR)/bitext/$${h##*/} && \
	  chmod 644 $(DESTDIR)$(INCDIR)/bitext/$${h##*/} || exit 1; done
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCDIR@|$(INCDIR)|' \
	  -e 's|@INCLUDEDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@REQUIRES@|$(PKGS)|' \
	  scripts/bitext.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/bitext.pc
	install -m 644 docs/bitext.1 $(DESTDIR)$(MANDIR)/man1/bitext.1
	install -m 644 scripts/bitext.bash-completion $(DESTDIR)$(COMPDIR)/bitext

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(INCDIR)/bitext 2>/dev/null

clean:
	rm -rf build build-asan build-ubsan build-fuzz bitext bitext.tmp demo-out

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d) $(B)/tools/lexicon_image.d

# Benchmarks: every bench/*.sh, figures on stdout (see docs/benchmarks.md).
bench: $(BIN) $(B)/libbitext.a
	@for b in bench/*.sh; do [ -f "$$b" ] && BITEXT=$(abspath $(BIN)) sh "$$b"; done
# Rewrite tests/golden from the current build (review the diff).
regen-golden: $(BIN)
	@BITEXT=$(abspath $(BIN)) sh tests/golden/regen.sh

# Quality of the memory on labelled data (bench/quality.sh, docs/benchmarks.md).
bench-quality: $(BIN) $(B)/libbitext.a
	@BITEXT=$(abspath $(BIN)) BUILD=$(B) sh bench/quality.sh

# Fit the judges' weights on the development set (tools/fit_judge.c for
# captions, tools/fit_sentences.c for whole articles); review the diff of
# data/judge.tsv, data/judge_sentences.tsv and the figures of make bench-quality.
fit-judge: $(B)/libbitext.a
	@mkdir -p $(B)/tools
	$(CC) $(CFLAGS) -o $(B)/tools/fit_judge tools/fit_judge.c $(B)/libbitext.a $(LDFLAGS) $(LDLIBS)
	$(B)/tools/fit_judge -o data/judge.tsv.tmp tests/data/dev/captions tests/data/dev/pairs && mv data/judge.tsv.tmp data/judge.tsv
	$(CC) $(CFLAGS) -o $(B)/tools/fit_sentences tools/fit_sentences.c $(B)/libbitext.a $(LDFLAGS) $(LDLIBS)
	$(B)/tools/fit_sentences -o data/judge_sentences.tsv.tmp tests/data/dev/pairs && \
	  mv data/judge_sentences.tsv.tmp data/judge_sentences.tsv

# The libraries a program linked with libbitext.a needs (bench/pairs.sh).
print-ldlibs:
	@echo $(LDLIBS)

bench-pairs: $(BIN) $(B)/libbitext.a
	@BITEXT=$(abspath $(BIN)) sh bench/pairs.sh

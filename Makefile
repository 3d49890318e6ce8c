# piiguard: one GNU Makefile. `make` builds build/piiguard; `make test` installs
# missing build dependencies (apt-get as root, else prints the command), builds
# with -Werror and runs every test; `make run` starts the agent (piiguard watch)
# in the foreground on the current user's Desktop and Downloads (as root: every
# user's folders). User CFLAGS/LDFLAGS are appended, never overridden.

VERSION := 0.1.0
BUILD ?= build
CC ?= cc
PKG_CONFIG ?= pkg-config

DEPS_DEBIAN := gcc make pkg-config perl libpcre2-dev libinih-dev libsodium-dev libuchardet-dev libcmocka-dev \
	libsqlite3-dev libsystemd-dev rsyslog chromium sqlite3 libmagic-dev libarchive-dev libxml2-dev \
	libpoppler-glib-dev zip zlib1g-dev libbrotli-dev libzstd-dev libsnappy-dev liblz4-dev libseccomp-dev \
	libtesseract-dev libleptonica-dev libzbar-dev libheif-dev tesseract-ocr-vie tesseract-ocr-eng \
	tesseract-ocr-chi-sim tesseract-ocr-fas libjpeg-dev libpng-dev gettext
LIBS_PC := libpcre2-8 inih libsodium uchardet sqlite3 libsystemd libmagic libarchive libxml-2.0 poppler-glib \
	zlib libbrotlidec libzstd liblz4 libseccomp tesseract lept zbar libheif libjpeg libpng

WARN_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wwrite-strings -Wvla -Wundef \
	-Wimplicit-fallthrough -Wswitch-enum -Werror
WARN := $(WARN_BASE)
ifeq ($(shell $(CC) -dM -E -x c /dev/null 2>/dev/null | grep -c __clang__),0)
WARN += -Wlogical-op -Wduplicated-cond -Wjump-misses-init
endif
HARDEN := -O2 -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fstack-clash-protection -fcf-protection=full -fPIE
HARDEN_LD := -pie -Wl,-z,relro,-z,now
SANITIZE_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

# Library headers (GLib, poppler) are not held to our warnings: -isystem.
PC_CFLAGS = $(patsubst -I%,-isystem %,$(shell $(PKG_CONFIG) --cflags $(LIBS_PC) 2>/dev/null))
PC_LIBS = $(shell $(PKG_CONFIG) --libs $(LIBS_PC) 2>/dev/null)

ALL_CFLAGS = $(WARN) $(MODE_CFLAGS) -Icommon -Iagent -I$(BUILD) $(PC_CFLAGS) -DPIIGUARD_VERSION='"$(VERSION)"' $(WORKER_CFLAGS) -MMD -MP $(CFLAGS)
ALL_LDFLAGS = $(MODE_LDFLAGS) $(LDFLAGS)
LDLIBS_ALL = $(PC_LIBS) -lsnappy -lm -lpthread

ifeq ($(SANITIZE),1)
MODE_CFLAGS := $(SANITIZE_FLAGS)
MODE_LDFLAGS := -fsanitize=address,undefined
else
MODE_CFLAGS := $(HARDEN)
MODE_LDFLAGS := $(HARDEN_LD)
endif

COMMON_SRC := $(sort $(wildcard common/*.c))
AGENT_SRC := $(sort $(wildcard agent/*.c))
RULE_FILES := $(sort $(wildcard rules/*.rules))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
PO_FILES := $(sort $(wildcard po/*.po))

COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/rules_builtin.o $(BUILD)/obj/rules_builtin_data.o
AGENT_OBJ := $(AGENT_SRC:%.c=$(BUILD)/obj/%.o)
AGENT_LIB_OBJ := $(filter-out $(BUILD)/obj/agent/main.o,$(AGENT_OBJ))
LIB := $(BUILD)/libpiiguard.a
AGENT_LIB := $(BUILD)/libagent.a
BIN := $(BUILD)/piiguard
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/replay/%)
MO_OUT := $(PO_FILES:po/%.po=$(BUILD)/locale/%/LC_MESSAGES/piiguard.mo)

.PHONY: all test check-deps deps unit e2e lint-rules replay run bench sanitize torture stress fuzz analyze format-check clean \
	man install deb check-control po FORCE

all: $(BIN) $(MO_OUT)

$(BIN): $(BUILD)/obj/agent/main.o $(AGENT_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(BUILD)/obj/agent/main.o $(AGENT_LIB) $(LIB) $(LDLIBS_ALL)
	ln -sf piiguard $(BUILD)/piiguardd

$(LIB): $(COMMON_OBJ)
	rm -f $@
	ar rcs $@ $^

# The commands' code, for unit tests of what lives with the programs.
$(AGENT_LIB): $(AGENT_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# libpng's pngconf.h needs the system <limits.h>, which -Icommon hides behind
# common/limits.h: image_png.c finds its own headers beside it instead.
$(BUILD)/obj/common/image_png.o: common/image_png.c
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -Icommon,$(ALL_CFLAGS)) -c -o $@ $<

# One run writes both (a grouped target: make -j must not run it twice at once).
$(BUILD)/rules_builtin.S $(BUILD)/rules_builtin.c &: $(RULE_FILES) build-aux/embed-rules.sh
	@mkdir -p $(BUILD)
	sh build-aux/embed-rules.sh $(BUILD) $(RULE_FILES)

$(BUILD)/obj/rules_builtin_data.o: $(BUILD)/rules_builtin.S
	@mkdir -p $(dir $@)
	$(CC) -c -o $@ $<

$(BUILD)/obj/rules_builtin.o: $(BUILD)/rules_builtin.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(AGENT_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(AGENT_LIB) $(LIB) $(LDLIBS_ALL) -lcmocka

# Fuzz targets are also built with a small driver that replays their corpus,
# so `make test` runs every saved input without clang's libFuzzer.
$(BUILD)/replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c $(LIB) $(LDLIBS_ALL)

# --- dependencies -------------------------------------------------------------
check-deps:
	@missing=""; for p in $(DEPS_DEBIAN); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "missing build dependencies; run:"; \
			echo "  sudo apt-get install$$missing"; exit 1; \
		fi; \
	fi

deps: check-deps

# --- tests --------------------------------------------------------------------
test: check-deps
	$(MAKE) --no-print-directory all unit-bins replay-bins
	$(MAKE) --no-print-directory unit lint-rules replay e2e

unit-bins: $(UNIT_BIN)
replay-bins: $(REPLAY_BIN)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; PIIGUARD_TESTDATA=tests/data $$t; done

lint-rules: $(BIN)
	$(BIN) rules lint rules

replay: $(REPLAY_BIN)
	@set -e; for t in $(REPLAY_BIN); do n=$$(basename $$t); $$t tests/fuzz/corpus/$${n#fuzz_}; done

# The agent's tests wait for findings within limits (2 s): under ASan they
# get five times as long.
e2e: $(BIN)
	PIIGUARD=$(abspath $(BIN)) PIIGUARD_SRC=$(CURDIR) PIIGUARD_TIME_SCALE=$(if $(filter 1,$(SANITIZE)),5,1) \
		prove -v $(sort $(wildcard tests/e2e/t[0-9]*.sh))

# The wipe's race and kill tests at the issue's full counts (200 and 20), as root.
# The long runs: the wipe's races and kills at full count (200 swaps, 20
# kills) and the agent killed 100 times while it scans and records.
stress: $(BIN) $(BUILD)/tests/test_wipe
	PIIGUARD_STRESS=1 PIIGUARD_TESTDATA=tests/data $(BUILD)/tests/test_wipe
	PIIGUARD=$(abspath $(BIN)) PIIGUARD_SRC=$(CURDIR) PIIGUARD_STRESS=1 prove -v $(sort $(wildcard tests/e2e/t004[0-9]-wipe*.sh))
	PIIGUARD=$(abspath $(BIN)) PIIGUARD_SRC=$(CURDIR) PIIGUARD_KILL_ITERATIONS=100 prove -v tests/e2e/t0051-agent-kill9.sh

sanitize: check-deps
	$(MAKE) --no-print-directory BUILD=build/sanitize SANITIZE=1 all unit-bins replay-bins
	$(MAKE) --no-print-directory BUILD=build/sanitize SANITIZE=1 unit lint-rules replay e2e

# --- other targets -------------------------------------------------------------
run: $(BIN)
	@echo "piiguard watch: watching (not root: your Desktop and Downloads); Ctrl-C stops, 'piiguard status' tells more"
	$(BIN) watch

bench: $(BIN) $(BUILD)/bench/gencorpus $(BUILD)/bench/cards
	sh bench/run.sh $(BUILD)

$(BUILD)/bench/cards: bench/cards.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(LDLIBS_ALL)

$(BUILD)/bench/gencorpus: bench/gencorpus.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -Wno-format-nonliteral -O2 -o $@ $<

FUZZ_SECONDS ?= 30
# Allocation-failure torture: every allocation of each scenario fails in turn,
# under ASan and LeakSanitizer (tests/torture/torture.c).
TORTURE_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup
torture: check-deps
	$(MAKE) --no-print-directory BUILD=build/sanitize SANITIZE=1 build/sanitize/torture
	ASAN_OPTIONS=detect_leaks=1 build/sanitize/torture tests/fuzz/corpus

$(BUILD)/torture: tests/torture/torture.c $(AGENT_LIB) $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(TORTURE_WRAP) -o $@ $< $(AGENT_LIB) $(LIB) $(LDLIBS_ALL)

fuzz: check-deps
	@command -v clang >/dev/null || { echo "make fuzz needs clang (apt-get install clang libclang-rt-14-dev)"; exit 1; }
	$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang SANITIZE=1 CFLAGS=-fsanitize=fuzzer-no-link build/fuzz/libpiiguard.a
	@set -e; mkdir -p build/fuzz/bin; for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
		clang $(WARN_BASE) $(SANITIZE_FLAGS) -fsanitize=fuzzer -Icommon -Iagent -Ibuild/fuzz $(PC_CFLAGS) -o build/fuzz/bin/$$n $$f \
			build/fuzz/libpiiguard.a $(LDLIBS_ALL); \
		mkdir -p tests/fuzz/corpus/$${n#fuzz_} build/fuzz/new/$${n#fuzz_}; \
		echo "== $$n ($(FUZZ_SECONDS) s)"; \
		build/fuzz/bin/$$n -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=tests/fuzz/corpus/$${n#fuzz_}/crash- \
			build/fuzz/new/$${n#fuzz_} tests/fuzz/corpus/$${n#fuzz_} 2>&1 | grep -E '^(#[0-9]+ *DONE|Done|==)' || true; \
	done

# --- manual pages, install, Debian package -------------------------------------
# The program has its paths built in (/etc/piiguard, /usr/share/piiguard/rules,
# /var/lib/piiguard), so PREFIX is /usr; DESTDIR stages a package. A build
# given WORKER_PATH execs its workers from there (the package: the link
# /usr/lib/piiguard/piiguard-worker); otherwise from /proc/self/exe.
PREFIX ?= /usr
DESTDIR ?=
WORKER_PATH ?=
WORKER_CFLAGS = $(if $(WORKER_PATH),-DPIIGUARD_WORKER_PATH='"$(WORKER_PATH)"')
# pool.o is rebuilt when WORKER_PATH changes.
$(BUILD)/obj/agent/pool.o: $(BUILD)/worker-path.stamp
$(BUILD)/worker-path.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(WORKER_PATH)' | cmp -s - $@ || echo '$(WORKER_PATH)' >$@
FORCE:
SYSTEMD_UNIT_DIR ?= $(or $(shell $(PKG_CONFIG) --variable=systemdsystemunitdir systemd 2>/dev/null),/lib/systemd/system)
SYSUSERS_DIR ?= $(or $(shell $(PKG_CONFIG) --variable=sysusersdir systemd 2>/dev/null),/usr/lib/sysusers.d)
MAN_SRC := $(sort $(wildcard docs/man/*.scd))
MAN_OUT := $(MAN_SRC:docs/man/%.scd=$(BUILD)/man/%)
UNITS := $(sort $(wildcard packaging/systemd/*.service packaging/systemd/*.timer))
# In DEPS_DEBIAN but not Build-Depends: build-essential, or only for make test.
DEPS_TEST_ONLY := gcc make perl libcmocka-dev rsyslog chromium sqlite3 zip
# In DEPS_DEBIAN for the tests, and needed at run time: the package's Depends or Recommends.
DEPS_RUNTIME := tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-fas

# Messages for people in Vietnamese (gettext): po/piiguard.pot is extracted from
# the files in po/POTFILES by `make po`, which also merges it into each
# po/LANG.po; the catalogues are compiled into $(BUILD)/locale for the tests
# (PIIGUARD_LOCALEDIR) and installed under $(PREFIX)/share/locale.
po:
	xgettext --from-code=UTF-8 --keyword=_ --add-comments=TRANSLATORS: --package-name=piiguard \
		--package-version=$(VERSION) --msgid-bugs-address=piiguard@example.org \
		-o po/piiguard.pot $$(cat po/POTFILES)
	set -e; for p in $(PO_FILES); do msgmerge --quiet --update --backup=none $$p po/piiguard.pot; done

$(BUILD)/locale/%/LC_MESSAGES/piiguard.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

man: $(MAN_OUT)

$(BUILD)/man/%: docs/man/%.scd
	@mkdir -p $(dir $@)
	scdoc <$< >$@

install: $(BIN) $(MAN_OUT) $(MO_OUT)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/piiguard \
		$(DESTDIR)$(PREFIX)/share/piiguard/rules $(DESTDIR)/etc/piiguard/conf.d \
		$(DESTDIR)$(SYSTEMD_UNIT_DIR) $(DESTDIR)$(SYSUSERS_DIR) $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/piiguard
	ln -sf ../bin/piiguard $(DESTDIR)$(PREFIX)/sbin/piiguardd
	ln -sf ../../bin/piiguard $(DESTDIR)$(PREFIX)/lib/piiguard/piiguard-worker
	install -m 0644 $(RULE_FILES) $(DESTDIR)$(PREFIX)/share/piiguard/rules/
	install -m 0644 packaging/piiguard.conf $(DESTDIR)/etc/piiguard/piiguard.conf
	install -m 0644 packaging/systemd/network-forward.conf $(DESTDIR)$(PREFIX)/share/piiguard/
	install -m 0644 $(UNITS) $(DESTDIR)$(SYSTEMD_UNIT_DIR)/
	install -m 0644 packaging/systemd/piiguard.sysusers.conf $(DESTDIR)$(SYSUSERS_DIR)/piiguard.conf
	install -m 0644 packaging/bash-completion/piiguard $(DESTDIR)$(PREFIX)/share/bash-completion/completions/piiguard
	ln -sf piiguard $(DESTDIR)$(PREFIX)/share/bash-completion/completions/piiguardd
	set -e; for m in $(MO_OUT); do l=$${m#$(BUILD)/locale/}; install -d $(DESTDIR)$(PREFIX)/share/locale/$${l%/piiguard.mo}; \
		install -m 0644 $$m $(DESTDIR)$(PREFIX)/share/locale/$$l; done
	set -e; for m in $(MAN_OUT); do s=$${m##*.}; install -d $(DESTDIR)$(PREFIX)/share/man/man$$s; \
		install -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/; done

# Build-Depends in packaging/debian/control must be DEPS_DEBIAN without DEPS_TEST_ONLY.
check-control:
	sh build-aux/check-control.sh packaging/debian/control "$(filter-out $(DEPS_TEST_ONLY) $(DEPS_RUNTIME),$(DEPS_DEBIAN))" \
		"$(DEPS_RUNTIME)"

# piiguard_VERSION_ARCH.deb in $(BUILD)/, built by dpkg-buildpackage in a copy of
# the tree with packaging/debian as debian/ (build-aux/mkdeb.sh).
deb: check-control
	sh build-aux/mkdeb.sh $(BUILD) $(VERSION)

analyze:
	@set -e; for f in $(COMMON_SRC) $(AGENT_SRC); do echo "analyze $$f"; inc=-Icommon; \
		[ "$$f" = common/image_png.c ] && inc=; \
		$(CC) $(WARN) -O1 -fanalyzer $$inc -Iagent -I$(BUILD) $(PC_CFLAGS) -DPIIGUARD_VERSION='"$(VERSION)"' -c -o /dev/null $$f; done
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr -Icommon -Iagent $(COMMON_SRC) $(AGENT_SRC)

format-check:
	clang-format --dry-run --Werror $(COMMON_SRC) $(AGENT_SRC) $(wildcard common/*.h agent/*.h tests/unit/*.c tests/fuzz/*.c tests/torture/*.c bench/*.c)

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(BUILD)/tests $(BUILD)/replay -name '*.d' 2>/dev/null)

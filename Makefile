# nashra build. `make` builds build/nashra; `make check` runs every test
# (scripts/test.sh); `make asan` builds the sanitizer variant in build/asan,
# `make tsan` the ThreadSanitizer one in build/tsan; `make fuzz` builds the
# libFuzzer drivers (fuzz/README.md) with clang into build/fuzz.
# Sources are found by directory, so adding a module needs no edit here.

PKGS    := libh2o-evloop openssl sqlite3 libpq libcmark libsodium zlib libutf8proc libxml-2.0 vips
BUILD   ?= build
OPT     ?= -O2 -g
CFLAGS  := -std=gnu11 -Wall -Wextra -Werror $(OPT) -D_GNU_SOURCE -DH2O_USE_LIBUV=0 -Isrc \
           $(shell pkg-config --cflags $(PKGS)) $(EXTRA_CFLAGS)
LDLIBS  := $(shell pkg-config --libs $(PKGS)) -lpthread -lm
TESTLIBS := $(shell pkg-config --libs cmocka json-c)

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CFLAGS  += -DNASHRA_VERSION='"$(VERSION)"'

LIB_SRCS  := $(shell find src -name '*.c' ! -path 'src/cli/main.c' | sort)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
TEST_SRCS := $(shell find tests -name 'test_*.c' 2>/dev/null | sort)
TEST_BINS := $(TEST_SRCS:%.c=$(BUILD)/%)

.PHONY: all clean check asan tsan fuzz fuzz-drivers tests demo setup bench-render bench-writer
all: $(BUILD)/nashra

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libnashra.a: $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/nashra: $(BUILD)/src/cli/main.o $(BUILD)/libnashra.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/libnashra.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka json-c) -Itests -o $@ $^ $(LDLIBS) $(TESTLIBS)

tests: $(BUILD)/nashra $(TEST_BINS)

# bench/render.c, bench/writer.c: programs on the library, for bench/
$(BUILD)/bench/%: bench/%.c $(BUILD)/libnashra.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

bench-render: $(BUILD)/bench/render
bench-writer: $(BUILD)/bench/writer

# AddressSanitizer and UBSan, stopping at the first report (also the fuzz drivers')
ASAN_UBSAN := -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g $(ASAN_UBSAN)" EXTRA_LDFLAGS=-fsanitize=address,undefined tests

# Every worker thread shares the response cache, the change-log follower and
# the per-address counts; this build is how scripts/test.sh checks that.
tsan:
	$(MAKE) BUILD=build/tsan OPT="-O1 -g -fsanitize=thread" tests

# libFuzzer drivers: fuzz/fuzz_NAME.c -> build/fuzz/fuzz_NAME. The library is
# compiled again with clang and the same sanitizers plus coverage
# instrumentation (fuzzer-no-link), so the fuzzer is guided by what the
# input does inside it, not only by the driver's own branches.
FUZZ_SRCS := $(wildcard fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:fuzz/%.c=build/fuzz/%)

fuzz:
	$(MAKE) CC=clang BUILD=build/fuzz/obj OPT="-O1 -g $(ASAN_UBSAN) -fsanitize=fuzzer-no-link" fuzz-drivers

# (only meaningful inside the sub-make above, which sets CC and BUILD)
fuzz-drivers: $(FUZZ_BINS)

$(FUZZ_BINS): build/fuzz/%: fuzz/%.c $(BUILD)/libnashra.a
	@mkdir -p $(dir $@) $(BUILD)/fuzz
	$(CC) $(CFLAGS) -fsanitize=fuzzer -MMD -MP -MF $(BUILD)/fuzz/$*.d -o $@ $< $(BUILD)/libnashra.a $(LDLIBS)

setup:
	scripts/setup.sh

demo:
	scripts/demo.sh

check:
	scripts/test.sh

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

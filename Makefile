# nashra build. `make` builds build/nashra; `make check` runs every test
# (scripts/test.sh); `make asan` builds the sanitizer variant in build/asan.
# Sources are found by directory, so adding a module needs no edit here.

PKGS    := libh2o-evloop openssl sqlite3 libcmark libsodium zlib libutf8proc libxml-2.0
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

.PHONY: all clean check asan tests demo setup bench-render
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

$(BUILD)/bench/render: bench/render.c $(BUILD)/libnashra.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

bench-render: $(BUILD)/bench/render

asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    EXTRA_LDFLAGS=-fsanitize=address,undefined tests

setup:
	scripts/setup.sh

demo:
	scripts/demo.sh

check:
	scripts/test.sh

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

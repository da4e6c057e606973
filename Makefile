# Mimic's build: one non-recursive Makefile, output in build/.
# `make` builds, `make check` runs every test, `make run` sets up and runs
# the default guest.  Configure first (./configure); `make check` and
# `make run` do it (and install the missing packages) on a fresh clone.

BUILD_DIR := build
-include $(BUILD_DIR)/config.mak
comma := ,
empty :=
space := $(empty) $(empty)

.DEFAULT_GOAL := all
.SECONDARY:
.PHONY: all check check-sanitizers setup run run-demo clean distclean bench \
	unit-tests tcg-tests guests images

ifeq ($(SRC_PATH),)
all:
	@echo "Not configured: run ./configure first (or 'make check', 'make run')." >&2; exit 1

# README's test command works on a fresh clone: set up as `make run` does,
# then make check again, now with config.mak included.
check: setup
	@test -f $(BUILD_DIR)/config.mak || \
		{ echo "./configure did not write $(BUILD_DIR)/config.mak" >&2; exit 1; }
	@$(MAKE) --no-print-directory -j2 check
else

HOST_ARCH ?= x86_64

# A configure newer than the build's config.mak (a pull that added a
# target or a library) configures again with the same options; make then
# restarts with the new config.mak.
$(BUILD_DIR)/config.mak: configure
	./configure $(CONFIGURE_ARGS) $(if $(CONFIGURE_ARGS),,$(if \
		$(filter yes,$(CONFIG_SANITIZERS)),--enable-sanitizers)) \
		--builddir=$(BUILD_DIR)
GEN := $(BUILD_DIR)/gen
CFLAGS_ALL := $(BASE_CFLAGS) -I. -Iinclude -I$(BUILD_DIR) -I$(GEN) -MMD -MP $(CFLAGS)
LDFLAGS_ALL := $(BASE_LDFLAGS) $(LDFLAGS)

# The libraries (docs/devel/build.md): libmimic-common.a is what every
# target and mode uses (util, the IR and host backend, the execution
# loop, the soft-float core of fpu/); libmimic-system.a is the system emulator's (devices, the softmmu
# TLB, block, net, ui, monitor, the gdbstub's chardev glue, the command
# line; the GDB protocol itself is common); each guest has
# one, libmimic-<arch>.a, from target/<dir>/ and its boards in hw/<dir>/.
# A program links its main object, its target's library and the common
# ones as one group (they refer to each other; the linker takes only the
# objects that are used).
COMMON_SRCS := $(sort $(wildcard util/*.c tcg/*.c tcg/$(HOST_ARCH)/*.c accel/tcg/*.c \
	fpu/*.c) \
	gdbstub/packet.c gdbstub/protocol.c)
SYSTEM_ONLY_ACCEL := $(wildcard accel/tcg/cputlb.c accel/tcg/sysemu.c)
COMMON_SRCS := $(filter-out $(SYSTEM_ONLY_ACCEL),$(COMMON_SRCS))
SYSTEM_SRCS := $(sort $(SYSTEM_ONLY_ACCEL) $(wildcard chardev/*.c hw/core/*.c hw/block/*.c \
	hw/char/*.c hw/misc/*.c hw/intc/*.c hw/rtc/*.c hw/virtio/*.c hw/9pfs/*.c \
	hw/pci/*.c system/*.c gdbstub/system.c monitor/*.c semihosting/*.c block/*.c \
	net/*.c hw/display/*.c hw/input/*.c ui/*.c))
SYSTEM_SRCS := $(filter-out system/main.c ui/sdl.c,$(SYSTEM_SRCS))

# Guests: configure's TARGET_LIST names ARCH-softmmu and ARCH-linux-user;
# TARGET_DIR_<arch> is the folder of target/ and hw/ that ARCH lives in.
TARGET_DIR_riscv64 := riscv
TARGET_DIR_x86_64 := x86
TARGET_ARCHS := $(sort $(foreach t,$(TARGET_LIST),$(firstword $(subst -, ,$(t)))))
target_srcs = $(sort $(wildcard target/$(TARGET_DIR_$(1))/*.c hw/$(TARGET_DIR_$(1))/*.c \
	linux-user/$(1)/*.c))
target_lib = $(BUILD_DIR)/libmimic-$(1).a

LIB_SRCS := $(COMMON_SRCS) $(SYSTEM_SRCS) $(foreach a,$(TARGET_ARCHS),$(call target_srcs,$(a)))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD_DIR)/%.o)
COMMON_LIB := $(BUILD_DIR)/libmimic-common.a
SYSTEM_LIB := $(BUILD_DIR)/libmimic-system.a
USER_LIB := $(BUILD_DIR)/libmimic-user.a
link_libs = -Wl,--start-group $(1) -Wl,--end-group

# What a unit test or fuzz harness needs (tests/needs.sh): each says so on
# its first line, "/* needs: riscv64-softmmu */" (or "none", a target, or
# a guest ARCH in either mode).  Only those whose needs this build's
# --target-list has are built (make check skips the others), and each
# links exactly the libraries of its needs, whatever else is configured:
# a need left out fails to link in every build, the full one of CI too.
UNIT_SRCS := $(wildcard tests/unit/test-*.c)
FUZZ_SRCS := $(filter-out tests/fuzz/fuzz-common.c,$(wildcard tests/fuzz/fuzz-*.c))
# (A config.mak without ALL_TARGETS is an older configure's: make runs
# configure again and restarts.)
NEEDS := $(if $(ALL_TARGETS),$(shell ALL_TARGETS="$(ALL_TARGETS)" \
	TARGET_LIST="$(TARGET_LIST)" HOST_ARCH="$(HOST_ARCH)" sh tests/needs.sh --met $(UNIT_SRCS) \
	$(FUZZ_SRCS) || echo NEEDS-ERROR))
ifneq ($(filter NEEDS-ERROR,$(NEEDS)),)
$(error a bad needs line: see above and tests/needs.sh)
endif
# NAME=WORD,... of each test and harness that this build has; the words of one.
NEEDS_MET := $(foreach n,$(NEEDS),$(firstword $(subst =, ,$(n))))
needs_words = $(subst $(comma), ,$(patsubst $(1)=%,%,$(filter $(1)=%,$(NEEDS))))
# The libraries of NAME's needs: user mode's, its guests', then the
# system and common ones (mimic-img's too, in every build).
needs_libs = $(if $(filter %-linux-user,$(call needs_words,$(1))),$(USER_LIB)) \
	$(foreach a,$(sort $(filter-out none,$(foreach w,$(filter-out host-%,\
		$(call needs_words,$(1))),$(firstword $(subst -, ,$(w)))))),$(call target_lib,$(a))) \
	$(SYSTEM_LIB) $(COMMON_LIB)

# Decoders generated from target/riscv/*.decode.
DECODE_SRCS := $(wildcard target/riscv/*.decode)
DECODE_GEN := $(DECODE_SRCS:target/riscv/%.decode=$(GEN)/target/riscv/decode-%.c.inc)

PROGS := $(foreach t,$(filter %-softmmu,$(TARGET_LIST)),\
	$(BUILD_DIR)/mimic-system-$(firstword $(subst -, ,$(t))))
# Host tools: tools/NAME.c is the main() of build/NAME (mimic-img).
TOOL_SRCS := $(wildcard tools/*.c)
PROGS += $(TOOL_SRCS:tools/%.c=$(BUILD_DIR)/%)

# -display sdl's window is a module the emulator opens when asked, so that
# SDL's libraries are not loaded by every run (ui/sdl-module.c).
ifeq ($(CONFIG_SDL),yes)
PROGS += $(BUILD_DIR)/ui-sdl.so
endif

UNIT_TESTS := $(addprefix $(BUILD_DIR)/tests/unit/,$(filter test-%,$(NEEDS_MET)))

all: $(PROGS) $(UNIT_TESTS) tcg-tests guests

$(BUILD_DIR)/%.o: %.c $(BUILD_DIR)/config.mak
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(filter $(BUILD_DIR)/target/riscv/%.o,$(LIB_OBJS)) $(BUILD_DIR)/tests/unit/test-riscv-decode.o: | $(DECODE_GEN)

$(GEN)/target/riscv/decode-%.c.inc: target/riscv/%.decode scripts/decodetree.py
	@mkdir -p $(@D)
	python3 scripts/decodetree.py $< -o $@

# An archive also depends on the list of its objects, rewritten only when
# it changes: a new source file whose object is older than the archive
# (from another branch) must still get in.
define archive
$(shell mkdir -p $(BUILD_DIR) && echo '$(2)' | cmp -s - $(1:.a=.objs) || \
	echo '$(2)' > $(1:.a=.objs))
$(1): $(2) $(1:.a=.objs)
	@rm -f $$@
	ar rcs $$@ $(2)
endef
$(eval $(call archive,$(COMMON_LIB),$(COMMON_SRCS:%.c=$(BUILD_DIR)/%.o)))
$(eval $(call archive,$(SYSTEM_LIB),$(SYSTEM_SRCS:%.c=$(BUILD_DIR)/%.o)))
$(foreach a,$(TARGET_ARCHS),$(eval $(call archive,$(call target_lib,$(a)),\
	$(patsubst %.c,$(BUILD_DIR)/%.o,$(call target_srcs,$(a))))))

# -rdynamic: the ui-sdl.so module calls back into the emulator.
$(BUILD_DIR)/mimic-system-%: $(BUILD_DIR)/system/main.o $(BUILD_DIR)/libmimic-%.a \
		$(SYSTEM_LIB) $(COMMON_LIB)
	$(CC) $(LDFLAGS_ALL) -rdynamic -o $@ $< \
		$(call link_libs,$(filter %.a,$^)) $(LIBS)

$(BUILD_DIR)/ui/sdl.pic.o: ui/sdl.c $(BUILD_DIR)/config.mak
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(SDL_CFLAGS) -fPIC -c $< -o $@

$(BUILD_DIR)/ui-sdl.so: $(BUILD_DIR)/ui/sdl.pic.o
	$(CC) $(LDFLAGS_ALL) -shared -o $@ $^ $(SDL_LIBS)

# Host tools need no target.
$(BUILD_DIR)/%: $(BUILD_DIR)/tools/%.o $(SYSTEM_LIB) $(COMMON_LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(call link_libs,$(filter %.a,$^)) $(LIBS)

define unit_test
$(BUILD_DIR)/tests/unit/$(1): $(BUILD_DIR)/tests/unit/$(1).o \
		$(BUILD_DIR)/tests/unit/unit.o $(call needs_libs,$(1))
	$$(CC) $$(LDFLAGS_ALL) -o $$@ $$(filter %.o,$$^) \
		$$(call link_libs,$$(filter %.a,$$^)) $$(LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test,$(notdir $(t)))))

unit-tests: $(UNIT_TESTS)

# Bare-metal guest test programs (cross-compiled) of each system target.
SYSTEM_ARCHS := $(foreach t,$(filter %-softmmu,$(TARGET_LIST)),$(firstword $(subst -, ,$(t))))
include $(wildcard $(SYSTEM_ARCHS:%=tests/tcg/%/Makefile.inc))

# The demo of `make run` and the riscv64-softmmu guests of tests/functional.
GUEST_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	-O2 -nostdlib -ffreestanding -fno-pic -no-pie -static -Wl,--build-id=none \
	-Wl,--no-warn-rwx-segments -T tests/demo/demo.ld
DEMO := $(BUILD_DIR)/tests/demo/demo.elf
FUNC_GUESTS := $(patsubst tests/functional/guest/%.S,$(BUILD_DIR)/tests/functional/%.elf,\
	$(wildcard tests/functional/guest/*.S))

$(DEMO): tests/demo/start.S tests/demo/demo.c tests/demo/demo.ld
	@mkdir -p $(@D)
	$(CROSS_CC) $(GUEST_CFLAGS) -o $@ tests/demo/start.S tests/demo/demo.c

$(BUILD_DIR)/tests/functional/%.elf: tests/functional/guest/%.S tests/demo/demo.ld
	@mkdir -p $(@D)
	$(CROSS_CC) $(GUEST_CFLAGS) -o $@ $<

# Guests in C (semihost.c): freestanding, no library.
FUNC_GUESTS += $(patsubst tests/functional/guest/%.c,$(BUILD_DIR)/tests/functional/%.elf,\
	$(wildcard tests/functional/guest/*.c))
$(BUILD_DIR)/tests/functional/%.elf: tests/functional/guest/%.c tests/demo/demo.ld
	@mkdir -p $(@D)
	$(CROSS_CC) $(GUEST_CFLAGS) -Wall -Wextra -fno-builtin -o $@ $<

ifneq ($(filter riscv64-softmmu,$(TARGET_LIST)),)
guests: $(DEMO) $(FUNC_GUESTS)
endif

check: all
	@sh tests/check.sh

# Mimic against QEMU on the same guest workloads (bench/README.md); writes
# bench/RESULTS.md.  Takes a while: 8 rows x 6 runs of each emulator.
bench: all
	python3 bench/run.py --results bench/RESULTS.md
# The code of the two host backends for the same rows (bench/README.md).
.PHONY: bench-backends
bench-backends: all cross-aarch64
	python3 bench/run.py --backends $(CROSS_DIR) --scale $(or $(SCALE),0.2)

# ---- Linux user mode (linux-user/) ----
# Not in libmimic.a: the system emulator must not link it.  Its unit tests
# link libmimic-user.a, so each pulls only the objects it uses (a test of
# mmap.c does not need the syscalls, nor what they call in main.c); the
# riscv64 programs the ELF test loads are built when the cross compiler is
# there (the test skips without them).
# libmimic-user.a: linux-user/ but main.c, and the gdbstub's user-mode
# glue (gdbstub/user.c), for every guest (a guest's own
# ABI parts, linux-user/<arch>/, are in its libmimic-<arch>.a).  The
# binary mimic-<arch> links main.o, its guest's library, libmimic-user.a
# and libmimic-common.a: none of the system emulator, and only glib,
# capstone and libc (USER_LIBS).
USER_SRCS := $(filter-out linux-user/main.c,$(wildcard linux-user/*.c)) gdbstub/user.c
# The host's safe syscall stub (linux-user/safe-syscall.h), one per host.
USER_ASM_SRCS := $(wildcard linux-user/host/$(HOST_ARCH)/*.S)
USER_OBJS := $(USER_SRCS:%.c=$(BUILD_DIR)/%.o) $(USER_ASM_SRCS:%.S=$(BUILD_DIR)/%.o)
$(BUILD_DIR)/linux-user/host/%.o: linux-user/host/%.S $(BUILD_DIR)/config.mak
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c $< -o $@
$(eval $(call archive,$(USER_LIB),$(USER_OBJS)))
define user_binary
$(BUILD_DIR)/mimic-$(1): $(BUILD_DIR)/linux-user/main.o $(call target_lib,$(1)) \
		$(USER_LIB) $(COMMON_LIB)
	$$(CC) $$(LDFLAGS_ALL) $$(USER_LDFLAGS) -o $$@ $$< \
		$$(call link_libs,$$(filter %.a,$$^)) $$(USER_LIBS)
endef
USER_ARCHS := $(foreach t,$(filter %-linux-user,$(TARGET_LIST)),$(firstword $(subst -, ,$(t))))
$(foreach a,$(USER_ARCHS),$(eval $(call user_binary,$(a))))
PROGS += $(USER_ARCHS:%=$(BUILD_DIR)/mimic-%)
all: $(USER_ARCHS:%=$(BUILD_DIR)/mimic-%)
# The riscv64 programs of test-user-elfload.
USER_TEST_PROGS := $(BUILD_DIR)/tests/user/hello-static \
	$(BUILD_DIR)/tests/user/hello-dynamic
$(BUILD_DIR)/tests/user/hello-static: USER_PROG_LINK := -static
$(BUILD_DIR)/tests/user/hello-%: tests/unit/user/hello.c
	@mkdir -p $(@D)
	@if command -v $(CROSS_CC) >/dev/null; then \
		echo "$(CROSS_CC) -O1 $(USER_PROG_LINK) -o $@ $<"; \
		$(CROSS_CC) -O1 $(USER_PROG_LINK) -o $@ $<; \
	else echo "no $(CROSS_CC): $@ not built"; fi
ifneq ($(filter test-user-elfload,$(NEEDS_MET)),)
all: $(USER_TEST_PROGS)
endif
-include $(USER_OBJS:.o=.d) $(BUILD_DIR)/linux-user/main.d

# The riscv64 Linux programs of tests/functional/test-user.sh, each built
# static and dynamic (with the cross compiler's sysroot).
USER_GUEST_SRCS := $(wildcard tests/user/riscv64/*.c)
USER_GUESTS := $(foreach p,$(USER_GUEST_SRCS:tests/user/riscv64/%.c=%),\
	$(BUILD_DIR)/tests/user/riscv64/$(p)-static $(BUILD_DIR)/tests/user/riscv64/$(p)-dynamic)
$(BUILD_DIR)/tests/user/riscv64/%-static: USER_PROG_LINK := -static
$(BUILD_DIR)/tests/user/riscv64/%-static: tests/user/riscv64/%.c $(wildcard tests/user/riscv64/*.h)
	@mkdir -p $(@D)
	$(CROSS_CC) -O2 -Wall $(USER_PROG_LINK) -o $@ $< -lm -lpthread
$(BUILD_DIR)/tests/user/riscv64/%-dynamic: tests/user/riscv64/%.c $(wildcard tests/user/riscv64/*.h)
	@mkdir -p $(@D)
	$(CROSS_CC) -O2 -Wall -o $@ $< -lm -lpthread
ifneq ($(filter riscv64-linux-user,$(TARGET_LIST)),)
ifneq ($(shell command -v $(CROSS_CC)),)
all: $(USER_GUESTS)
endif
endif

# The compiler of the x86-64 test programs, which also run natively as
# the reference: this build's where the host is x86-64; in a cross build
# (ARM64, make check-cross-aarch64) the build machine's own if it makes
# x86-64 code, else Debian's cross compiler; none: the suites skip.
ifeq ($(HOST_ARCH),x86_64)
X86_CC := $(CC)
else ifneq ($(filter x86_64-%,$(shell cc -dumpmachine 2>/dev/null)),)
X86_CC := cc
else ifneq ($(shell command -v x86_64-linux-gnu-gcc),)
X86_CC := x86_64-linux-gnu-gcc
endif
# The x86-64 programs of tests/functional/test-user-x86_64.sh: no libc
# (tests/user/x86_64/rt.h).
X86_USER_SRCS := $(wildcard tests/user/x86_64/*.c)
X86_USER_PROGS := $(X86_USER_SRCS:tests/user/x86_64/%.c=$(BUILD_DIR)/tests/user/x86_64/%)
$(BUILD_DIR)/tests/user/x86_64/%: tests/user/x86_64/%.c tests/user/x86_64/rt.h
	@mkdir -p $(@D)
	$(X86_CC) -O2 -Wall -static -nostdlib -ffreestanding -fno-builtin \
		-mgeneral-regs-only -fno-stack-protector -fno-pie -no-pie -o $@ $<
# The glibc programs of the same script: static, so they run under
# mimic-x86_64 without the host's dynamic loader.
X86_GLIBC_SRCS := $(wildcard tests/user/x86_64-glibc/*.c)
X86_GLIBC_PROGS := $(X86_GLIBC_SRCS:tests/user/x86_64-glibc/%.c=$(BUILD_DIR)/tests/user/x86_64-glibc/%)
$(BUILD_DIR)/tests/user/x86_64-glibc/%: tests/user/x86_64-glibc/%.c
	@mkdir -p $(@D)
	$(X86_CC) -O2 -Wall -static -o $@ $< -lm
# The runner of tests/functional/test-x86-diff.sh (tests/x86-diff/),
# built the same way.  `make check-x86-fuzz N=100000 [SEED=n]` runs N
# cases of one seed (by default a new one each time, printed first).
X86_DIFF_RUNNER := $(BUILD_DIR)/tests/x86-diff/runner
X86_DIFF_GEN := tests/x86-diff/gen.c tests/x86-diff/gen-simd.c \
	tests/x86-diff/gen-x87.c
$(X86_DIFF_RUNNER): tests/x86-diff/runner.c $(X86_DIFF_GEN) \
		tests/x86-diff/gen.h tests/x86-diff/gen-internal.h \
		tests/user/x86_64/rt.h
	@mkdir -p $(@D)
	$(X86_CC) -O2 -Wall -Wextra -static -nostdlib -ffreestanding -fno-builtin \
		-mgeneral-regs-only -fno-stack-protector -fno-pie -no-pie -o $@ \
		tests/x86-diff/runner.c $(X86_DIFF_GEN)
ifneq ($(filter x86_64-linux-user,$(TARGET_LIST)),)
ifneq ($(X86_CC),)
all: $(X86_USER_PROGS) $(X86_GLIBC_PROGS) $(X86_DIFF_RUNNER)
endif
endif
.PHONY: check-x86-fuzz
check-x86-fuzz: $(BUILD_DIR)/mimic-x86_64 $(X86_DIFF_RUNNER)
	@seed=$${SEED:-$$(date +%s)}; echo "check-x86-fuzz: SEED=$$seed N=$(or $(N),100000)"; \
	BUILD_DIR=$(BUILD_DIR) X86_DIFF_SEEDS=$$seed X86_DIFF_N=$(or $(N),100000) \
		X86_DIFF_CHUNK=10000 sh tests/functional/test-x86-diff.sh
# `make check-x86-preempt [K=n]`: the same programs run natively, plainly
# and with the kernel saving and loading their FPU state around each
# instruction (tests/x86-preempt/), must print the same.
X86_PREEMPT := $(BUILD_DIR)/tests/x86-preempt/preempt
$(X86_PREEMPT): tests/x86-preempt/preempt.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -o $@ $<
.PHONY: check-x86-preempt
check-x86-preempt: $(X86_PREEMPT) $(X86_USER_PROGS) $(X86_GLIBC_PROGS) \
		$(X86_DIFF_RUNNER)
	@BUILD_DIR=$(BUILD_DIR) K=$(or $(K),50) sh tests/x86-preempt/run.sh

# ---- Fuzzing (tests/fuzz/, docs/devel/fuzzing.md) ----
# `make fuzz` builds the libFuzzer harnesses in build/fuzz/ with clang:
# the library compiled a second time with coverage and sanitizers, each
# harness linked with libFuzzer.  `make fuzz-run SECONDS=N` runs each on
# its seed corpus for N seconds and fails on any crash, leak, timeout or
# sanitizer report.  make check replays the corpus and the regression
# inputs through the same harnesses built with $(CC) (tests/fuzz/replay.c).
# Only the harnesses whose needs this build has (tests/needs.sh); each
# links fuzz-common.c and machine.c (the -M virt machine) from one
# archive, so that those that build no machine need no board.
FUZZ_CC ?= $(shell command -v clang-14 || command -v clang)
FUZZ_DIR := $(BUILD_DIR)/fuzz
FUZZ_NAMES := $(patsubst fuzz-%,%,$(filter fuzz-%,$(NEEDS_MET)))
FUZZ_UNMET := $(filter-out $(FUZZ_NAMES:%=tests/fuzz/fuzz-%.c),$(FUZZ_SRCS))
FUZZ_COMMON_SRCS := tests/fuzz/fuzz-common.c tests/fuzz/machine.c
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS := $(filter-out -O%,$(CFLAGS_ALL)) -O1 -g \
	-fsanitize=fuzzer-no-link $(FUZZ_SAN)
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_DIR)/%.o)
FUZZ_LIB := $(FUZZ_DIR)/libmimic.a
FUZZ_PROGS := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz-%)
FUZZ_REPLAYS := $(FUZZ_NAMES:%=$(BUILD_DIR)/tests/fuzz/replay-%)
SECONDS ?= 20
FUZZ_SCRATCH ?= $(FUZZ_DIR)/scratch

.PHONY: fuzz fuzz-run
# (and says which harnesses this build leaves out, and why).
fuzz: $(FUZZ_PROGS)
	@ALL_TARGETS="$(ALL_TARGETS)" TARGET_LIST="$(TARGET_LIST)" \
		sh tests/needs.sh --unmet $(FUZZ_UNMET)

$(FUZZ_DIR)/%.o: %.c $(BUILD_DIR)/config.mak
	@mkdir -p $(@D)
	@test -n "$(FUZZ_CC)" || { echo "make fuzz needs clang: apt-get install clang libfuzzer-14-dev" >&2; exit 1; }
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(filter $(FUZZ_DIR)/target/riscv/%.o,$(FUZZ_LIB_OBJS)): | $(DECODE_GEN)

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $(FUZZ_LIB_OBJS)

# libfuzz-common.a, in both build directories.
define fuzz_common
$(1)/tests/fuzz/libfuzz-common.a: $(FUZZ_COMMON_SRCS:%.c=$(1)/%.o)
	@rm -f $$@
	ar rcs $$@ $$^
endef
$(eval $(call fuzz_common,$(FUZZ_DIR)))
$(eval $(call fuzz_common,$(BUILD_DIR)))

$(FUZZ_DIR)/fuzz-%: $(FUZZ_DIR)/tests/fuzz/fuzz-%.o \
		$(FUZZ_DIR)/tests/fuzz/libfuzz-common.a $(FUZZ_LIB)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(LIBS)

# The replays of make check, built by `make` (all), each with the
# libraries of its needs.
all: $(FUZZ_REPLAYS)
define fuzz_replay
$(BUILD_DIR)/tests/fuzz/replay-$(1): $(BUILD_DIR)/tests/fuzz/fuzz-$(1).o \
		$(BUILD_DIR)/tests/fuzz/replay.o \
		$(BUILD_DIR)/tests/fuzz/libfuzz-common.a $(call needs_libs,fuzz-$(1))
	$$(CC) $$(LDFLAGS_ALL) -o $$@ $$(filter %.o,$$^) \
		$$(call link_libs,$$(filter %.a,$$^)) $$(LIBS)
endef
$(foreach h,$(FUZZ_NAMES),$(eval $(call fuzz_replay,$(h))))

# New corpus entries go to a scratch directory, never into the source
# tree; a crash's input is kept there too (crash-*, leak-*, timeout-*).
fuzz-run: fuzz
	@sh tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SCRATCH) $(SECONDS) $(FUZZ_NAMES)

-include $(FUZZ_LIB_OBJS:.o=.d) $(FUZZ_NAMES:%=$(FUZZ_DIR)/tests/fuzz/fuzz-%.d) \
	$(FUZZ_COMMON_SRCS:%.c=$(FUZZ_DIR)/%.d) \
	$(FUZZ_NAMES:%=$(BUILD_DIR)/tests/fuzz/fuzz-%.d) \
	$(FUZZ_COMMON_SRCS:%.c=$(BUILD_DIR)/%.d) $(BUILD_DIR)/tests/fuzz/replay.d

-include $(LIB_OBJS:.o=.d) $(BUILD_DIR)/system/main.d $(UNIT_TESTS:=.d) \
	$(TOOL_SRCS:%.c=$(BUILD_DIR)/%.d)
endif

# The test suite under ASan and UBSan, from a second build directory
# (build-san/, configured with --enable-sanitizers on first use).  Every
# suite by default; SAN_SUITES="unit tcg functional/test-NAME" picks some
# (CI runs a subset: .ci/run).  A sanitizer report fails the run.  A
# first use configures the targets of this build (BUILD_DIR's).
SAN_DIR := build-san
check-sanitizers:
	@test -f $(SAN_DIR)/config.mak || \
		./configure --builddir=$(SAN_DIR) --enable-sanitizers $(if $(TARGET_LIST),\
		--target-list=$(subst $(space),$(comma),$(strip $(TARGET_LIST))))
	@$(MAKE) --no-print-directory BUILD_DIR=$(SAN_DIR) -j2 all
	@BUILD_DIR=$(SAN_DIR) SUITES="$(SAN_SUITES)" sh tests/check.sh

# The ARM64 build (./configure --cross-prefix=aarch64-linux-gnu-, in
# CROSS_DIR) and a subset of make check run on it under qemu-aarch64
# (tests/cross-run.sh; docs/devel/build.md says which suites and why).
CROSS_DIR ?= build-aarch64
CROSS_SUITES ?= unit tcg/riscv64 functional/test-user functional/test-linux-boot \
	functional/test-user-x86_64 functional/test-x86-diff
.PHONY: cross-aarch64 check-cross-aarch64
cross-aarch64:
	@sh scripts/install-deps.sh --cross aarch64 --if-needed
	@test -f $(CROSS_DIR)/config.mak || \
		./configure --cross-prefix=aarch64-linux-gnu- --disable-sdl \
		--builddir=$(CROSS_DIR)
	@$(MAKE) --no-print-directory BUILD_DIR=$(CROSS_DIR) -j2 all
check-cross-aarch64: cross-aarch64
	@BUILD_DIR=$(CROSS_DIR) SUITES="$(CROSS_SUITES)" \
		sh tests/cross-run.sh aarch64 sh tests/check.sh

# Many Linux boots (SOAK_N, default 1000), -smp 1/2/4 with random slices,
# 2 at a time; saves the state of each hang (tests/soak/soak.sh).  Long.
.PHONY: soak
soak: all
	@sh tests/soak/soak.sh

# The Linux guest images (kernel + busybox initramfs, tests/images/): built
# once per machine into ~/.cache/mimic/images/<hash>, printed last, with a
# progress display on the first build (scripts/images.sh).
images:
	@sh scripts/images.sh

# A fresh machine or clone: the packages that are missing, and configure.
setup:
	@sh scripts/install-deps.sh --if-needed
	@test -f $(BUILD_DIR)/config.mak || ./configure --builddir=$(BUILD_DIR)

# Sets up a fresh machine, builds, and boots the default guest: OpenSBI,
# Linux and busybox from the image recipe (the first build of the images
# takes about 20 minutes; docs/images.md), to an interactive shell.
run: setup
	@$(MAKE) --no-print-directory -j2 all
	@sh scripts/images.sh > $(BUILD_DIR)/images.dir
	@echo "Booting OpenSBI + Linux + busybox (Ctrl-A X quits; 'poweroff' ends it):"
	d=$$(tail -n 1 $(BUILD_DIR)/images.dir); \
	$(BUILD_DIR)/mimic-system-riscv64 -M virt -m 256M -smp 2 -nographic \
		-kernel $$d/Image -initrd $$d/initramfs.cpio.gz -append "console=ttyS0"

# The bare-metal demo of the first steps (no images needed).
run-demo: all
	$(BUILD_DIR)/mimic-system-riscv64 -M virt -nographic -bios none \
		-kernel $(BUILD_DIR)/tests/demo/demo.elf

clean:
	rm -rf $(BUILD_DIR)/*/ $(BUILD_DIR)/*.a $(BUILD_DIR)/*.objs $(PROGS)

distclean:
	rm -rf $(BUILD_DIR)

# nestwalk: flat Makefile. `make` builds, `make test` runs every test.
CC      ?= cc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Wpedantic -Werror=implicit-function-declaration
BUILD   := build
SHARED  ?= ../shared
FIXTURE := $(SHARED)/fixtures/linux-4level
LDLIBS  := -lz

MODEL_SRC := $(wildcard model/nw_*.c)
MODEL_HDR := model/nestwalk.h
TEST_SRC  := $(wildcard model/tests/*.c)

.PHONY: all deps rtl-deps fuzz-deps demo bench test test-model test-asan fuzz fuzz-ci gen gen-check clean
all: $(BUILD)/nestwalk

# Tools a fresh Debian machine lacks are installed by scripts/setup.sh.
deps:
	@sh scripts/setup.sh cc make gzip zlib python3
rtl-deps: deps
	@sh scripts/setup.sh g++ verilator iverilog

demo: deps $(BUILD)/nestwalk
	$(BUILD)/nestwalk demo

bench: rtl-deps $(BUILD)/nestwalk
	$(BUILD)/nestwalk bench --fixture $(FIXTURE) --images $(BUILD)
	$(MAKE) --no-print-directory bench-rtl

MODEL_OBJ := $(patsubst model/%.c,$(BUILD)/obj/%.o,$(MODEL_SRC))
$(BUILD)/obj/%.o: model/%.c $(wildcard model/*.h) | $(BUILD)/obj
	$(CC) $(CFLAGS) -c $< -o $@
$(BUILD)/libnestwalk.a: $(MODEL_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/nestwalk: model/main.c $(BUILD)/libnestwalk.a
	$(CC) $(CFLAGS) $< $(BUILD)/libnestwalk.a -o $@ $(LDLIBS)

$(BUILD)/nw_tests: $(TEST_SRC) $(MODEL_SRC) $(MODEL_HDR) model/tests/nw_test.h | $(BUILD)/obj
	$(CC) $(CFLAGS) -Imodel $(TEST_SRC) $(MODEL_SRC) -o $@ $(LDLIBS)

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer.
$(BUILD)/nw_tests_asan: $(TEST_SRC) $(MODEL_SRC) $(MODEL_HDR) model/tests/nw_test.h | $(BUILD)/obj
	$(CC) -std=c11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	  -fno-omit-frame-pointer -Imodel $(TEST_SRC) $(MODEL_SRC) -o $@ $(LDLIBS)
$(BUILD)/nestwalk_asan: model/main.c $(MODEL_SRC) $(MODEL_HDR) | $(BUILD)/obj
	$(CC) -std=c11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	  -fno-omit-frame-pointer -Imodel model/main.c $(MODEL_SRC) -o $@ $(LDLIBS)

$(BUILD)/obj:
	mkdir -p $@

test-model: $(BUILD)/nw_tests $(BUILD)/nestwalk
	$(BUILD)/nw_tests --fixture $(FIXTURE)
	sh model/tests/cli.sh $(BUILD)/nestwalk $(FIXTURE)

test-asan: $(BUILD)/nw_tests_asan $(BUILD)/nestwalk_asan
	$(BUILD)/nw_tests_asan --fixture $(FIXTURE)
	sh model/tests/cli.sh $(BUILD)/nestwalk_asan $(FIXTURE)

# libFuzzer targets (fuzz/), each with ASan and UBSan: the image loader on
# any bytes, as ELF cores and as kdump dumps, the options, the --addrs
# reader, nw_translate on arbitrary memory and the trace reader (with a
# short trace through the TLB simulator). `make fuzz FUZZ_S=N` runs
# each for N seconds, seeded from the fixture and the tests' dump writers;
# reproducers land in build/fuzz/.
FUZZ_S       ?= 20
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_TARGETS := image elf kdump options addrs translate trace
FUZZ_CC      ?= clang
FUZZ_CFLAGS  := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Imodel -Ifuzz
fuzz-deps:
	@sh scripts/setup.sh clang libfuzzer zlib
$(FUZZ_DIR)/bin/image: NW_FORMAT := 0
$(FUZZ_DIR)/bin/elf: NW_FORMAT := 1
$(FUZZ_DIR)/bin/kdump: NW_FORMAT := 2
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/bin/%)
$(FUZZ_DIR)/bin/image $(FUZZ_DIR)/bin/elf $(FUZZ_DIR)/bin/kdump: fuzz/fuzz_image.c fuzz/fuzz.h $(MODEL_SRC) $(MODEL_HDR) | fuzz-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DNW_FUZZ_FORMAT=$(NW_FORMAT) $< $(MODEL_SRC) -o $@ $(LDLIBS)
$(FUZZ_DIR)/bin/%: fuzz/fuzz_%.c fuzz/fuzz.h $(MODEL_SRC) $(MODEL_HDR) | fuzz-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(MODEL_SRC) -o $@ $(LDLIBS)
$(FUZZ_DIR)/seeds/.done: fuzz/seeds.c model/tests/tu_dump.c model/tests/tu_dump.h $(BUILD)/libnestwalk.a
	@mkdir -p $(FUZZ_DIR)/seeds
	$(CC) $(CFLAGS) -Imodel -Imodel/tests fuzz/seeds.c model/tests/tu_dump.c \
	  $(BUILD)/libnestwalk.a -o $(FUZZ_DIR)/seeds/make-seeds $(LDLIBS)
	cd $(FUZZ_DIR)/seeds && mkdir -p $(FUZZ_TARGETS)
	$(FUZZ_DIR)/seeds/make-seeds $(FIXTURE) $(FUZZ_DIR)/seeds
	@touch $@
fuzz: $(FUZZ_BINS) $(FUZZ_DIR)/seeds/.done
	sh fuzz/run.sh $(FUZZ_S) $(FUZZ_DIR) $(FUZZ_TARGETS)
# CI's run: 30 s each
fuzz-ci: FUZZ_S = 30
fuzz-ci: fuzz

# Files generated from defs/nestwalk.toml (scripts/gen_defs.py says which);
# gen-check fails when one is not what the table gives.
gen:
	python3 scripts/gen_defs.py
gen-check:
	python3 scripts/gen_defs.py --check

# FuseSoC (nestwalk.core, generated with the others): the lint and sim
# targets through fusesoc and edalize, as a user of the core runs them; one
# count line for both. fusesoc lives in the same venv as cocotb.
FUSESOC_PKGS := fusesoc==2.4.7
.PHONY: fusesoc fusesoc-deps
fusesoc-deps: rtl-deps
	@sh scripts/setup.sh --venv $(BUILD)/venv $(FUSESOC_PKGS)
fusesoc: fusesoc-deps
	@p=0; f=0; for t in lint sim; do \
	  if $(BUILD)/venv/bin/fusesoc --cores-root . run --build-root $(BUILD)/fusesoc \
	       --target=$$t nestwalk >$(BUILD)/fusesoc-$$t.log 2>&1 && \
	     { [ $$t = lint ] || grep -q '^[1-9][0-9]* passed, 0 failed' $(BUILD)/fusesoc-$$t.log; }; \
	  then echo "fusesoc: target $$t ok"; p=$$((p + 1)); \
	  else echo "fusesoc: target $$t FAILED ($(BUILD)/fusesoc-$$t.log)"; tail -5 $(BUILD)/fusesoc-$$t.log; f=$$((f + 1)); fi; \
	done; echo "$$p passed, $$f failed"; [ $$f -eq 0 ]

# Real programs through the walker (scripts/eval.sh): Debian's packages
# traced with valgrind's lackey, each trace through `nestwalk sim` in every
# mode; the tables and the chart land in build/eval/. EVAL_RECORDS (the
# window of each trace) and EVAL_ONLY (the workloads) make a reduced run.
# eval-quick runs the stored short trace and checks its every figure.
EVAL_PKGS := matplotlib==3.11.2
.PHONY: eval eval-deps eval-quick
eval-deps: deps
	@sh scripts/setup.sh valgrind sqlite3 xz sort redis-server redis-benchmark redis-cli
	@sh scripts/setup.sh --venv $(BUILD)/venv $(EVAL_PKGS)
eval: eval-deps $(BUILD)/nestwalk
	sh scripts/eval.sh $(BUILD)/nestwalk $(BUILD)/eval $(BUILD)/venv/bin/python
eval-quick: $(BUILD)/nestwalk
	sh scripts/eval_quick.sh $(BUILD)/nestwalk eval/quick.nwt.gz eval/quick.expected

# Runs every suite and ends with the summed `N passed, M failed`.
test: rtl-deps
	sh scripts/testsum.sh $(MAKE) gen-check test-model test-asan eval-quick fuzz-ci lint sim-icarus cocotb fusesoc sim sim-diff synth-quick formal-lint formal

clean:
	rm -rf $(BUILD)

# Rules of the RTL simulation, formal and synthesis flows live beside them.
-include tb/tb.mk tb/cocotb/cocotb.mk formal/formal.mk synth/synth.mk

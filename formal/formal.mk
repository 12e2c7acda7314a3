# Formal flow: unbounded proofs of the walker's properties with Debian's
# yosys 0.23, yosys-abc (pdr, bmc3) and yosys-smtbmc + z3.
# See formal/README.md. Outputs (logs, VCDs) go under $(BUILD)/formal/.
.PHONY: formal formal-mutants formal-lint

FORMAL_J ?= 2

formal:
	@sh scripts/setup.sh yosys yosys-smtbmc yosys-abc z3 python3
	@python3 formal/run.py --set proofs -j $(FORMAL_J)

# deliberate bugs in copies of rtl/: each must make its property fail
formal-mutants:
	@sh scripts/setup.sh yosys yosys-smtbmc yosys-abc z3 python3
	@python3 formal/run.py --set mutants -j $(FORMAL_J)

# Icarus parses and elaborates every wrapper (without its properties, see
# fv_common.vh) with the RTL: it rejects what yosys lets through, such as a
# name declared twice. A warning fails the wrapper too.
FORMAL_WRAPPERS := $(wildcard formal/fv_*.v)
formal-lint:
	@sh scripts/setup.sh iverilog
	@p=0; f=0; for w in $(FORMAL_WRAPPERS); do \
	  t=$$(basename $$w .v); \
	  if out=$$($(IVERILOG) -g2005 -Wall -Irtl -Iformal -s $$t -o /dev/null $$w $(RTL_SRC) 2>&1) \
	     && [ -z "$$out" ]; then echo "PASS $$t"; p=$$((p + 1)); \
	  else echo "FAIL $$t"; echo "$$out"; f=$$((f + 1)); fi; \
	done; echo "$$p passed, $$f failed"; [ $$f -eq 0 ]

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
# fv_fsm also with FV_WC (the walk-cache builds' model).
FORMAL_WRAPPERS := $(wildcard formal/fv_*.v) formal/fv_fsm.v:FV_WC
formal-lint:
	@sh scripts/setup.sh iverilog
	@p=0; f=0; for e in $(FORMAL_WRAPPERS); do \
	  w=$${e%%:*}; t=$$(basename $$w .v); d=; n=$$t; \
	  case $$e in *:*) d="-D$${e#*:}"; n="$$t $${e#*:}";; esac; \
	  if out=$$($(IVERILOG) -g2005 -Wall $$d -Irtl -Iformal -s $$t -o /dev/null $$w $(RTL_SRC) 2>&1) \
	     && [ -z "$$out" ]; then echo "PASS $$n"; p=$$((p + 1)); \
	  else echo "FAIL $$n"; echo "$$out"; f=$$((f + 1)); fi; \
	done; echo "$$p passed, $$f failed"; [ $$f -eq 0 ]

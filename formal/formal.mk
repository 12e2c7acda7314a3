# Formal flow (issue 4): unbounded proofs of the walker's properties with
# Debian's yosys 0.23, yosys-abc (pdr, bmc3) and yosys-smtbmc + z3.
# See formal/README.md. Outputs (logs, VCDs) go under $(BUILD)/formal/.
.PHONY: formal formal-mutants formal-all

FORMAL_J ?= 2

formal:
	@sh scripts/setup.sh yosys yosys-smtbmc yosys-abc z3 python3
	@python3 formal/run.py --set proofs -j $(FORMAL_J)

# deliberate bugs in copies of rtl/: each must make its property fail
formal-mutants:
	@sh scripts/setup.sh yosys yosys-smtbmc yosys-abc z3 python3
	@python3 formal/run.py --set mutants -j $(FORMAL_J)

# The cocotb bench of nw_axi_walker (tb/cocotb/); included by the top Makefile.
#   make cocotb           cocotb + cocotbext-axi on Icarus Verilog: the AXI
#                         walker against the C model (through ctypes) on the
#                         Linux fixture; ends with `N passed, M failed`
#   make cocotb SEED=n    replays one run (the seed is printed first)
#   COCOTB_WALKS=n        native fixture walks (default 600; nested: a quarter)
# Python packages go into a venv in build/ (scripts/setup.sh --venv).
COCOTB_VENV  := $(BUILD)/venv
COCOTB_PKGS  := cocotb==2.1.0 cocotbext-axi==0.1.28
COCOTB_WALKS ?= 600
PIC_OBJ := $(patsubst model/%.c,$(BUILD)/pic/%.o,$(MODEL_SRC))

.PHONY: cocotb cocotb-deps
cocotb-deps: deps
	@sh scripts/setup.sh iverilog libpython
	@sh scripts/setup.sh --venv $(COCOTB_VENV) $(COCOTB_PKGS)

# the model as a shared library for the bench's ctypes binding
$(BUILD)/pic/%.o: model/%.c $(wildcard model/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -c $< -o $@
$(BUILD)/libnestwalk.so: $(PIC_OBJ)
	$(CC) -shared $^ -o $@ $(LDLIBS)

cocotb: cocotb-deps $(BUILD)/libnestwalk.so
	@$(COCOTB_VENV)/bin/python tb/cocotb/run.py --build $(BUILD)/cocotb \
	  --lib $(BUILD)/libnestwalk.so --fixture $(FIXTURE) --walks $(COCOTB_WALKS) \
	  $(if $(SEED),--seed $(SEED))

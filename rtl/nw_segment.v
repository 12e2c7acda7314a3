// nw_segment: a direct segment (SPEC section 5). Hits x when enabled and
// BASE <= x < LIMIT on bits 63:12; translates to x + OFFSET cut to 52 bits.
// One instance serves the guest segment (gVA) and one the host (gPA). The
// address translated has a port of its own: the walk FSM forms the guest
// segment's gPA from the request port, a cycle before the compare, so
// that a host segment unit can look at it while the guest's is compared.
`default_nettype none

module nw_segment (
    input  wire         en_i,
    input  wire [63:12] base_i,
    input  wire [63:12] limit_i,
    input  wire [51:12] offset_i,  // higher bits cannot reach a 52-bit result
    input  wire [63:12] x_i,       // the page compared ...
    input  wire [51:0]  map_i,     // ... and the one translated
    output wire         hit_o,
    output wire [51:0]  y_o
);
    wire [51:12] sum = map_i[51:12] + offset_i;
    // each bound's compare is the borrow of a subtraction, which maps to a
    // carry chain (as a compare, LUT mapping made a tree of it: 8 levels)
    /* verilator lint_off UNUSEDSIGNAL */  // only the borrow (bit 52) is used
    wire [52:0]  below_base  = {1'b0, x_i} - {1'b0, base_i};
    wire [52:0]  below_limit = {1'b0, x_i} - {1'b0, limit_i};
    /* verilator lint_on UNUSEDSIGNAL */

    assign hit_o = en_i && !below_base[52] && below_limit[52];
    // OFFSET bits 11:0 are zero, so the page offset passes through
    assign y_o   = {sum, map_i[11:0]};
endmodule

`default_nettype wire

// fv_segment: P6, the direct segment unit nw_segment, for all 64-bit inputs.
// SPEC section 5: hit exactly when enabled and BASE <= x < LIMIT (unsigned,
// bits 63:12); the output is (x + OFFSET) mod 2^64 cut to 52 bits, OFFSET
// bits 11:0 being zero. Purely combinational: the proof is one SAT query
// over every value of the inputs (k-induction at depth 1 is complete).
`default_nettype none

module fv_segment (
    input wire        clk_i,
    input wire        en_i,
    input wire [63:0] base_i,     // bits 11:0 ignored
    input wire [63:0] limit_i,
    input wire [63:0] offset_i,   // a full 64-bit OFFSET register value
    input wire [63:0] x_i
);
    wire        hit;
    wire [51:0] y;

    nw_segment dut (
        .en_i     (en_i),
        .base_i   (base_i[63:12]),
        .limit_i  (limit_i[63:12]),
        .offset_i (offset_i[51:12]),
        .x_i      (x_i[63:12]),
        .map_i    (x_i[51:0]),
        .hit_o    (hit),
        .y_o      (y)
    );

    wire [63:0] off  = {offset_i[63:12], 12'd0};
    wire [63:0] sum  = x_i + off;
    wire        in_s = {x_i[63:12]} >= base_i[63:12] && x_i[63:12] < limit_i[63:12];

    // the properties are for yosys, whose read_verilog -formal defines FORMAL
    // (Icarus, make formal-lint, parses the rest: it has no labelled assertions)
`ifdef FORMAL
    always @* begin
        a_p6_hit: assert(hit == (en_i && in_s));
        a_p6_out: assert(y == sum[51:0]);
        c_p6_1: assert(!(hit && x_i[63] && base_i[63:12] == x_i[63:12]));
        c_p6_2: assert(!(!hit && en_i && x_i[63:12] == limit_i[63:12] && base_i[63:12] < limit_i[63:12]));
        c_p6_3: assert(!(hit && sum[63:52] != 12'd0 && offset_i[63:52] != 12'd0));
    end
`endif
endmodule

`default_nettype wire

// nw_segment: a direct segment (SPEC section 5). Hits x when enabled and
// BASE <= x < LIMIT on bits 63:12; translates to x + OFFSET cut to 52 bits.
// One instance serves the guest segment (gVA) and one the host (gPA).
`default_nettype none

module nw_segment (
    input  wire         en_i,
    input  wire [63:12] base_i,
    input  wire [63:12] limit_i,
    input  wire [51:12] offset_i,  // higher bits cannot reach a 52-bit result
    input  wire [63:0]  x_i,
    output wire         hit_o,
    output wire [51:0]  y_o
);
    wire [51:12] sum = x_i[51:12] + offset_i;

    assign hit_o = en_i && (x_i[63:12] >= base_i) && (x_i[63:12] < limit_i);
    // OFFSET bits 11:0 are zero, so the page offset passes through
    assign y_o   = {sum, x_i[11:0]};
endmodule

`default_nettype wire

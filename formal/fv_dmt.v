// fv_dmt: P11, the DMT window unit nw_dmt, for all inputs. SPEC section 10:
// a window w holds x when BASE[w] <= x < LIMIT[w] (bits 63:12, unsigned),
// the lowest such window wins, and the entry's address is TEA[w] + ((x -
// BASE[w]) >> 12) * 8 cut to 52 bits. Purely combinational: abc's PDR on
// its AIG proves it at the first frame, for every value of the inputs
// (structural hashing and one SAT query). The reference model of P3/P4/P8
// (fv_common.vh) looks its windows up through nw_dmt, the unit this proves.
`default_nettype none

module fv_dmt (
    input wire               clk_i,
    input wire               en_i,
    input wire [4*145-1:0]   win_i,    // window w: {PV, TEA 51:12, LIMIT 63:12, BASE 63:12}
    input wire [63:12]       x_i
);
    wire        hit, pv;
    wire [51:0] ea;
    nw_dmt dut (.en_i (en_i), .win_i (win_i), .x_i (x_i), .hit_o (hit), .ea_o (ea), .pv_o (pv));

    // the SPEC's answer, written from the formula: the first window that
    // holds x, its PV bit, and the address in 64 bits cut to 52
    reg         s_hit, s_pv;
    reg [51:0]  s_ea;
    reg [144:0] f;
    reg [63:0]  a;
    integer w;
    always @* begin
        s_hit = 1'b0; s_pv = 1'b0; s_ea = 52'd0;
        for (w = 0; w < 4; w = w + 1) begin
            f = win_i[145*w +: 145];
            a = {12'd0, f[143:104], 12'd0} + 64'd8 * ({12'd0, x_i} - {12'd0, f[51:0]});
            if (en_i && !s_hit && x_i >= f[51:0] && x_i < f[103:52]) begin
                s_hit = 1'b1; s_pv = f[144]; s_ea = a[51:0];
            end
        end
    end

    // the properties are for yosys, whose read_verilog -formal defines FORMAL
    // (Icarus, make formal-lint, parses the rest: it has no labelled assertions)
`ifdef FORMAL
    always @* begin
        a_p11_hit: assert(hit == s_hit);
        if (s_hit) a_p11_ea: assert(ea == s_ea && pv == s_pv);
        // two windows hold x and the lower one answers; an address that wraps at 52 bits
        c_p11_1: assert(!(hit && x_i >= win_i[145 +: 52] && x_i < win_i[145 + 52 +: 52] &&
                          x_i >= win_i[0 +: 52] && x_i < win_i[52 +: 52] &&
                          win_i[104 +: 40] != win_i[145 + 104 +: 40]));
        c_p11_2: assert(!(hit && ea < {win_i[104 +: 40], 12'd0} && x_i < win_i[52 +: 52] &&
                          x_i >= win_i[0 +: 52]));
    end
`endif
endmodule

`default_nettype wire

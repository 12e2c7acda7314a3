// nw_dmt: the four DMT windows of one dimension (SPEC section 10): whether
// a window holds x (BASE <= x < LIMIT on bits 63:12, the lowest window
// winning where they overlap) and where x's level-1 entry lies in that
// window's Translation Entry Area: TEA + ((x - BASE) >> 12) * 8, cut to 52
// bits. Purely combinational; the walk FSM registers its answer.
`default_nettype none

module nw_dmt (
    input  wire           en_i,
    input  wire [4*145-1:0] win_i,    // window w: {PV, TEA 51:12, LIMIT 63:12, BASE 63:12}
    input  wire [63:12]   x_i,
    output reg            hit_o,
    output reg  [51:0]    ea_o,       // the entry's address (a PA, hPA or gPA)
    output reg            pv_o        // the window's TEA is an hPA (guest windows)
);
    integer w;
    reg [63:12] base, limit;
    // x - BASE and x - LIMIT with a borrow (bit 52: x lies below the
    // bound): each compare is a carry chain, and the first difference is
    // also the pages into the window (bits above 60 leave a 52-bit sum)
    /* verilator lint_off UNUSEDSIGNAL */
    reg [52:0]  from_base, from_limit;
    /* verilator lint_on UNUSEDSIGNAL */
    always @* begin
        hit_o = 1'b0;
        ea_o  = 52'd0;
        pv_o  = 1'b0;
        // scanned from the top so the lowest window's assignment is the last
        for (w = 3; w >= 0; w = w - 1) begin
            base       = win_i[145*w +: 52];
            limit      = win_i[145*w + 52 +: 52];
            from_base  = {1'b0, x_i} - {1'b0, base};
            from_limit = {1'b0, x_i} - {1'b0, limit};
            if (en_i && !from_base[52] && from_limit[52]) begin
                hit_o = 1'b1;
                ea_o  = {win_i[145*w + 104 +: 40], 12'd0} + {from_base[48:0], 3'd0};
                pv_o  = win_i[145*w + 144];
            end
        end
    end
endmodule

`default_nettype wire

// nw_pte: decodes one page-table entry read at a given level (SPEC section
// 3, checks in BEHAVIOUR.md order: present, switch, reserved, leaf) and
// folds its permissions into those of the levels above. One instance
// decodes every entry the walker reads, whatever its dimension.
`default_nettype none

module nw_pte (
    /* verilator lint_off UNUSEDSIGNAL */  // ignored, PWT/PCD/D/G bits (SPEC section 3)
    input  wire [63:0] pte_i,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [2:0]  level_i,
    input  wire        sw_en_i,    // a shadow table: SW is looked at
    input  wire        nxe_i,
    input  wire [29:0] x_i,        // page-offset bits of the translated address
    input  wire        w_i,        // permissions folded so far
    input  wire        u_i,
    input  wire        xd_i,
    output wire        np_o,       // not present
    output wire        rsv_o,      // reserved bit set
    output wire        sw_o,       // agile switch to the guest table below
    output wire        page_o,     // a page, should the entry be valid (PS and the level only)
    output wire        leaf_o,
    output wire [51:12] next_o,    // next table (or switch target)
    output reg  [51:0] pa_o,       // leaf: frame joined with the page offset
    output reg  [1:0]  size_o,
    output wire        w_o,
    output wire        u_o,
    output wire        xd_o,
    output wire        a_o         // accessed: a walk cache may keep the entry
);
    wire p  = pte_i[0];
    wire ps = pte_i[7];
    wire xd = pte_i[63];
    wire hi = level_i >= 3'd4;

    assign np_o = !p;
    assign sw_o = p && sw_en_i && (level_i >= 3'd2) && pte_i[52] && !(xd && !nxe_i);

    // PS is ignored on a switching entry, so its PS-related checks are too
    wire ps_rsv = !(sw_en_i && level_i >= 3'd2 && pte_i[52]) &&
                  ((hi && ps) ||
                   (level_i == 3'd2 && ps && pte_i[20:13] != 8'd0) ||
                   (level_i == 3'd3 && ps && pte_i[29:13] != 17'd0));
    assign rsv_o  = p && ((xd && !nxe_i) || ps_rsv);
    assign page_o = level_i == 3'd1 || (ps && (level_i == 3'd2 || level_i == 3'd3));
    assign leaf_o = p && !rsv_o && !sw_o && page_o;

    assign next_o = pte_i[51:12];

    always @* begin
        case (level_i)
            3'd2:    begin pa_o = {pte_i[51:21], x_i[20:0]}; size_o = 2'd1; end
            3'd3:    begin pa_o = {pte_i[51:30], x_i[29:0]}; size_o = 2'd2; end
            default: begin pa_o = {pte_i[51:12], x_i[11:0]}; size_o = 2'd0; end
        endcase
    end

    assign w_o  = w_i && pte_i[1];
    assign u_o  = u_i && pte_i[2];
    assign xd_o = xd_i || (xd && nxe_i);
    assign a_o  = pte_i[5];
endmodule

`default_nettype wire

// nw_psc: the paging-structure cache of one dimension (SPEC section 9):
// one nw_wc_array per level 2..5, a level-j entry tagged by the address
// bits that select the level-j entry and holding the walk's state right
// after it: the next table's address as the walker reads it, the
// permissions folded so far and, in the guest PSC, whether the walk below
// is a shadow walk. A lookup takes two cycles (nw_wc_array: the compares
// registered, then the select and read): in the cycle after the address
// is looked up, the deepest level that held it, where the walk starts,
// and its entry.
//
// Parameters:
//   N2, N3, N4, N5  entries at levels 2..5 (0 leaves a level out)
`default_nettype none

module nw_psc #(
    parameter N2 = 16,
    parameter N3 = 4,
    parameter N4 = 2,
    parameter N5 = 2
) (
    input  wire        clk_i,
    input  wire        rst_i,
    input  wire        flush_i,
    // the address looked up (a VA's bits 56:21, zero above the walk's
    // reach, or a gPA's: a level-2 entry's tag is the lowest); in the
    // cycle after, the deepest level that held it (0: none) and its entry
    input  wire [56:21] look_x_i,
    output reg  [2:0]   hit_level_o,
    output reg  [43:0]  data_o,        // {shadow, XD, U, W, table 51:12}
    input  wire         drop_i,        // the answer is used (nw_wc_array)
    input  wire         ins_i,
    input  wire [2:0]   ins_level_i,   // 2..5
    input  wire [56:21] ins_x_i,
    input  wire [43:0]  ins_data_i
);
    wire [3:0]      any;              // level j + 2 held the address
    wire [4*44-1:0] data;

    genvar j;
    generate
        for (j = 2; j <= 5; j = j + 1) begin : g_level
            // a level-j entry is tagged by bits 56 down to 12 + 9(j-1)
            localparam KEY_W = 45 - 9 * (j - 1);
            nw_wc_array #(
                .N      (j == 2 ? N2 : j == 3 ? N3 : j == 4 ? N4 : N5),
                .KEY_W  (KEY_W),
                .DATA_W (44)
            ) u_array (
                .clk_i      (clk_i),
                .rst_i      (rst_i),
                .flush_i    (flush_i),
                .look_key_i (look_x_i[56 -: KEY_W]),
                .any_o      (any[j-2]),
                .data_o     (data[44*(j-2) +: 44]),
                .drop_i     (drop_i),
                .ins_i      (ins_i && ins_level_i == j),
                .ins_key_i  (ins_x_i[56 -: KEY_W]),
                .ins_data_i (ins_data_i)
            );
        end
    endgenerate

    // the deepest level that hit, and its entry
    always @* begin
        hit_level_o = 3'd0;
        data_o      = 44'd0;
        if (any[0]) begin
            hit_level_o = 3'd2;
            data_o      = data[0 +: 44];
        end else if (any[1]) begin
            hit_level_o = 3'd3;
            data_o      = data[44 +: 44];
        end else if (any[2]) begin
            hit_level_o = 3'd4;
            data_o      = data[88 +: 44];
        end else if (any[3]) begin
            hit_level_o = 3'd5;
            data_o      = data[132 +: 44];
        end
    end
endmodule

`default_nettype wire

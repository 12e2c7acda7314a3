// nw_psc: the paging-structure cache of one dimension (SPEC section 9):
// one nw_wc_array per level 2..5, a level-j entry tagged by the address
// bits that select the level-j entry and holding the walk's state right
// after it: the next table's address as the walker reads it, the
// permissions folded so far and, in the guest PSC, whether the walk below
// is a shadow walk. A lookup answers the deepest level that hits, where
// the walk starts, and which slot of it (match_o, one-hot over every
// level's slots); the data of a slot is read by naming it (sel_i), in the
// same or a later cycle.
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
    // reach, or a gPA's: a level-2 entry's tag is the lowest), the deepest
    // level that hits (0: none) and its slot
    input  wire [56:21] look_x_i,
    output reg  [2:0]   hit_level_o,
    output reg  [(N2 > 0 ? N2 : 1) + (N3 > 0 ? N3 : 1) + (N4 > 0 ? N4 : 1) +
                 (N5 > 0 ? N5 : 1) - 1:0] match_o,
    input  wire [(N2 > 0 ? N2 : 1) + (N3 > 0 ? N3 : 1) + (N4 > 0 ? N4 : 1) +
                 (N5 > 0 ? N5 : 1) - 1:0] sel_i,
    output wire [43:0]  sel_data_o,    // {shadow, XD, U, W, table 51:12}
    input  wire         ins_i,
    input  wire [2:0]   ins_level_i,   // 2..5
    input  wire [56:21] ins_x_i,
    input  wire [43:0]  ins_data_i
);
    // level j's slots in match_o / sel_i: from Lj, Sj of them (one for a
    // level left out, which never matches)
    localparam S2 = N2 > 0 ? N2 : 1, S3 = N3 > 0 ? N3 : 1;
    localparam S4 = N4 > 0 ? N4 : 1, S5 = N5 > 0 ? N5 : 1;
    localparam L3 = S2, L4 = L3 + S3, L5 = L4 + S4, SLOTS = L5 + S5;

    wire [SLOTS-1:0] match;
    wire [3:0]       any;             // level j + 2 holds the address
    wire [4*44-1:0]  data;

    genvar j;
    generate
        for (j = 2; j <= 5; j = j + 1) begin : g_level
            // a level-j entry is tagged by bits 56 down to 12 + 9(j-1)
            localparam KEY_W = 45 - 9 * (j - 1);
            localparam LO = j == 2 ? 0 : j == 3 ? L3 : j == 4 ? L4 : L5;
            localparam NS = j == 2 ? S2 : j == 3 ? S3 : j == 4 ? S4 : S5;
            nw_wc_array #(
                .N      (j == 2 ? N2 : j == 3 ? N3 : j == 4 ? N4 : N5),
                .KEY_W  (KEY_W),
                .DATA_W (44)
            ) u_array (
                .clk_i      (clk_i),
                .rst_i      (rst_i),
                .flush_i    (flush_i),
                .look_key_i (look_x_i[56 -: KEY_W]),
                .match_o    (match[LO +: NS]),
                .any_o      (any[j-2]),
                .sel_i      (sel_i[LO +: NS]),
                .sel_data_o (data[44*(j-2) +: 44]),
                .ins_i      (ins_i && ins_level_i == j),
                .ins_key_i  (ins_x_i[56 -: KEY_W]),
                .ins_data_i (ins_data_i)
            );
        end
    endgenerate

    // the deepest level that hits, and only its slot in match_o
    always @* begin
        hit_level_o = 3'd0;
        match_o     = {SLOTS{1'b0}};
        if (any[0]) begin
            hit_level_o      = 3'd2;
            match_o[0 +: S2] = match[0 +: S2];
        end else if (any[1]) begin
            hit_level_o       = 3'd3;
            match_o[L3 +: S3] = match[L3 +: S3];
        end else if (any[2]) begin
            hit_level_o       = 3'd4;
            match_o[L4 +: S4] = match[L4 +: S4];
        end else if (any[3]) begin
            hit_level_o       = 3'd5;
            match_o[L5 +: S5] = match[L5 +: S5];
        end
    end
    // a slot named is of one level: the others' data is zero
    assign sel_data_o = data[0 +: 44] | data[44 +: 44] | data[88 +: 44] | data[132 +: 44];
endmodule

`default_nettype wire

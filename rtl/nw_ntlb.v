// nw_ntlb: the nested TLB (SPEC section 9): final host translations,
// tagged by the gPA's page number at the host leaf's size, each holding
// the hPA frame, the size and the host permissions folded over the host
// walk. A hit translates a gPA with no read. A lookup answers the slot
// that holds the gPA (match_o, one-hot); the translation of a slot is
// read by naming it (sel_i), in the same or a later cycle.
//
// Parameters:
//   N  entries (0 leaves the NTLB out)
`default_nettype none

module nw_ntlb #(
    parameter N = 16
) (
    input  wire         clk_i,
    input  wire         rst_i,
    input  wire         flush_i,
    input  wire [51:12] look_gpa_i,
    output wire [(N > 0 ? N : 1)-1:0] match_o,
    input  wire [(N > 0 ? N : 1)-1:0] sel_i,  // a slot, and its translation of a gPA
    input  wire [29:12] sel_gpa_i,     // (the bits below a 1G page of it)
    output wire [51:12] sel_hpa_o,     // the frame with the gPA's bits below its size
    output wire [1:0]   sel_size_o,
    output wire         sel_w_o,
    output wire         sel_xd_o,
    input  wire         ins_i,
    input  wire [51:12] ins_gpa_i,
    input  wire [51:12] ins_hpa_i,     // the leaf's frame (bits below its size ignored)
    input  wire [1:0]   ins_size_i,
    input  wire         ins_w_i,
    input  wire         ins_xd_i
);
    wire [43:0] data;
    nw_wc_array #(
        .N      (N),
        .KEY_W  (40),
        .DATA_W (44),
        .SIZED  (1)
    ) u_array (
        .clk_i      (clk_i),
        .rst_i      (rst_i),
        .flush_i    (flush_i),
        .look_key_i (look_gpa_i),
        .match_o    (match_o),
        /* verilator lint_off PINCONNECTEMPTY */  // the walker ORs the one-hot match_o
        .any_o      (),
        /* verilator lint_on PINCONNECTEMPTY */
        .sel_i      (sel_i),
        .sel_data_o (data),
        .ins_i      (ins_i),
        .ins_key_i  (ins_gpa_i),
        .ins_data_i ({ins_size_i, ins_xd_i, ins_w_i, ins_hpa_i})
    );

    wire [1:0] size = data[43:42];
    assign sel_size_o = size;
    assign sel_xd_o   = data[41];
    assign sel_w_o    = data[40];
    assign sel_hpa_o  = {data[39:18],
                         size == 2'd2 ? sel_gpa_i[29:21] : data[17:9],
                         size != 2'd0 ? sel_gpa_i[20:12] : data[8:0]};
endmodule

`default_nettype wire

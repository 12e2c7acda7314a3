// nw_ntlb: the nested TLB (SPEC section 9): final host translations,
// tagged by the gPA's page number at the host leaf's size, each holding
// the hPA frame, the size and the host permissions folded over the host
// walk. A hit translates a gPA with no read. A lookup takes two cycles
// (nw_wc_array: the compares registered, then the select and read): in
// the cycle after the gPA is looked up, whether a slot held it and its
// translation.
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
    output wire         hit_o,         // in the cycle after: a slot held it ...
    input  wire [29:12] gpa_i,         // ... and its translation of this gPA (bits below a 1G page)
    output wire [51:12] hpa_o,         // (the frame with the gPA's bits below its size)
    output wire [1:0]   size_o,
    output wire         w_o,
    output wire         xd_o,
    input  wire         drop_i,        // the answer is used (nw_wc_array)
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
        .any_o      (hit_o),
        .data_o     (data),
        .drop_i     (drop_i),
        .ins_i      (ins_i),
        .ins_key_i  (ins_gpa_i),
        .ins_data_i ({ins_size_i, ins_xd_i, ins_w_i, ins_hpa_i})
    );

    wire [1:0] size = data[43:42];
    assign size_o = size;
    assign xd_o   = data[41];
    assign w_o    = data[40];
    assign hpa_o  = {data[39:18],
                     size == 2'd2 ? gpa_i[29:21] : data[17:9],
                     size != 2'd0 ? gpa_i[20:12] : data[8:0]};
endmodule

`default_nettype wire

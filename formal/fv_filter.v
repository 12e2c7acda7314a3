// fv_filter: P7, no false negative of the escape filter nw_filter. After a
// page P (any 52-bit value, anyconst) is inserted, and with any inserts
// after it but no clear and no word write, a lookup of P hits.
// The wrapper's flag `have` records that P is in the filter; the inductive
// form of the property is that then the four bits the H3 hashes of P name
// are set in the filter's bits_o (port), and hit_o for P follows.
`default_nettype none

module fv_filter (
    input wire         clk_i,
    input wire         rst_i,
    input wire         clear_i,
    input wire         ins_i,
    input wire [51:0]  ins_page_i,
    input wire         wr_i,
    input wire [1:0]   wr_idx_i,
    input wire [63:0]  wr_data_i,
    input wire [51:0]  look_page_i,
    input wire [51:0]  page_i       // P, taken in the reset cycle
);
    reg  [51:0]  page;
    wire         hit;
    wire [255:0] bits;
    wire [31:0]  h;

    nw_filter dut (
        .clk_i (clk_i), .rst_i (rst_i), .clear_i (clear_i), .ins_i (ins_i),
        .ins_page_i (ins_page_i), .wr_i (wr_i), .wr_idx_i (wr_idx_i),
        .wr_data_i (wr_data_i), .look_page_i (look_page_i), .hit_o (hit), .bits_o (bits)
    );
    // the hashes of P, by a second instance of the hash unit
    nw_h3 u_h3 (.page_i (page), .hash_o (h));

    reg init = 1'b1;
    reg have;
    always @(posedge clk_i) begin
        init <= 1'b0;
        if (init) page <= page_i;
        if (rst_i || clear_i || wr_i)
            have <= 1'b0;
        else if (ins_i && ins_page_i == page)
            have <= 1'b1;
    end
    always @* e_reset: assume(rst_i == init);

    always @* if (!init) begin
        if (have) a_p7_bits: assert(bits[h[7:0]] && bits[h[15:8]] && bits[h[23:16]] && bits[h[31:24]]);
        if (have && !ins_i && look_page_i == page) a_p7_hit: assert(hit);
        c_p7_1: assert(!(have && !ins_i && look_page_i == page && hit));
        c_p7_2: assert(!(have && !ins_i && look_page_i != page && !hit));
    end
endmodule

`default_nettype wire

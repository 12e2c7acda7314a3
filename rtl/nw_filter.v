// nw_filter: one 256-bit escape filter (Bloom filter, SPEC section 5) with
// its register-port side (clear, insert, word write) and its lookup.
// Inserts and lookups never happen in the same cycle (inserts come through
// the register port, which is closed during a walk), so one hash unit
// serves both.
`default_nettype none

module nw_filter (
    input  wire         clk_i,
    input  wire         rst_i,
    input  wire         clear_i,     // clear every bit
    input  wire         ins_i,       // insert ins_page_i
    input  wire [51:0]  ins_page_i,
    input  wire         wr_i,        // write word wr_idx_i with wr_data_i
    input  wire [1:0]   wr_idx_i,
    input  wire [63:0]  wr_data_i,
    input  wire [51:0]  look_page_i,
    output wire         hit_o,       // every hash of look_page_i is set
    output wire [255:0] bits_o
);
    reg  [255:0] bits_q, bits_d;
    wire [31:0]  hash;

    nw_h3 u_h3 (
        .page_i (ins_i ? ins_page_i : look_page_i),
        .hash_o (hash)
    );

    integer j;
    always @* begin
        bits_d = bits_q;
        if (clear_i)
            bits_d = 256'd0;
        if (wr_i)
            bits_d[64*wr_idx_i +: 64] = wr_data_i;
        for (j = 0; j < 4; j = j + 1)
            if (ins_i)
                bits_d[hash[8*j +: 8]] = 1'b1;
    end

    always @(posedge clk_i) begin
        if (rst_i)
            bits_q <= 256'd0;
        else
            bits_q <= bits_d;
    end

    assign hit_o  = bits_q[hash[7:0]] & bits_q[hash[15:8]] &
                    bits_q[hash[23:16]] & bits_q[hash[31:24]];
    assign bits_o = bits_q;
endmodule

`default_nettype wire

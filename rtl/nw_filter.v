// nw_filter: one 256-bit escape filter (Bloom filter, SPEC section 5) with
// its register-port side (clear, insert, word write) and its lookup.
//
// One hash unit serves inserts and lookups (inserts come through the
// register port, which is closed during a walk, so the two never meet),
// and its hash is registered: a lookup presented in one cycle is answered
// (hit_o) in the next, and an insert sets its four bits in the next cycle,
// in which the filter takes no other operation. So every path through the filter starts or ends
// at hash_q: page -> H3 -> hash_q, and hash_q -> four 256:1 selects ->
// hit_o, or hash_q -> decoders -> bits_q.
`default_nettype none

module nw_filter (
    input  wire         clk_i,
    input  wire         rst_i,
    // at most one of clear_i, ins_i, wr_i in a cycle, none in the cycle
    // after an insert
    input  wire         clear_i,     // clear every bit
    input  wire         ins_i,       // insert ins_page_i
    input  wire [51:0]  ins_page_i,
    input  wire         wr_i,        // write word wr_idx_i with wr_data_i
    input  wire [1:0]   wr_idx_i,
    input  wire [63:0]  wr_data_i,
    input  wire [51:0]  look_page_i, // looked up in the next cycle
    output wire         hit_o,       // every hash of last cycle's look_page_i is set
    output wire [255:0] bits_o
);
    reg  [255:0] bits_q, bits_d;
    reg  [31:0]  hash_q;
    reg          ins_q;
    wire [31:0]  hash;

    nw_h3 u_h3 (
        .page_i (ins_i ? ins_page_i : look_page_i),
        .hash_o (hash)
    );

    // Next state written per bit: bit k is set by the insert being applied
    // when any of its four hashes equals k (a decoder), else written by a
    // word write of word k/64, else cleared by clear_i, else kept. Dynamic
    // bit-selects (bits_d[hash], bits_d[64*wr_idx_i +: 64]) would
    // synthesize into 256-bit shifters.
    integer k;
    always @* begin
        for (k = 0; k < 256; k = k + 1)
            bits_d[k] = (ins_q && (hash_q[7:0]   == k[7:0] || hash_q[15:8]  == k[7:0] ||
                                   hash_q[23:16] == k[7:0] || hash_q[31:24] == k[7:0]))
                      | (wr_i && wr_idx_i == k[7:6] ? wr_data_i[k[5:0]]
                                                    : bits_q[k] && !clear_i);
    end

    always @(posedge clk_i) begin
        if (rst_i) begin
            bits_q <= 256'd0;
            hash_q <= 32'd0;
            ins_q  <= 1'b0;
        end else begin
            bits_q <= bits_d;
            hash_q <= hash;
            ins_q  <= ins_i;
        end
    end

    assign hit_o  = bits_q[hash_q[7:0]] & bits_q[hash_q[15:8]] &
                    bits_q[hash_q[23:16]] & bits_q[hash_q[31:24]];
    assign bits_o = bits_q;
endmodule

`default_nettype wire

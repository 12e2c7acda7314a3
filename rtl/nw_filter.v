// nw_filter: one 256-bit escape filter (Bloom filter, SPEC section 5) with
// its register-port side (clear, insert, word write) and its lookup.
//
// One hash unit serves inserts and lookups (inserts come through the
// register port, which is closed during a walk, so the two never meet),
// and its hash is registered: a lookup presented in one cycle is answered
// (hit_o) in the next. So every path through the filter starts or ends at
// hash_q: page -> H3 -> hash_q, and hash_q -> four 256:1 selects -> hit_o,
// or hash_q -> decoder -> bits_q.
//
// The four 256:1 selects are the least a one-cycle lookup costs; the
// insert side is kept small instead. An insert sets its four bits one per
// cycle, in the four cycles after it is presented, through one decoder
// (hash_q shifts a hash down per cycle), and every bit is a flop with an
// enable: the decoder or a word write of its word enables it, its data is
// shared by the four words, and a clear is its synchronous reset. While
// busy_o is high the register port must stay closed in the next cycle and
// no walk may start (its lookup would miss the bits still to be set, and
// hash_q is shifting); in the last of the four cycles a walk may start,
// as its lookup is answered after the last bit is set.
//
// The bits are kept inverted (bits_n_q, 1 = clear): Yosys's ABC maps the
// AND of four 256:1 selects of the true bits with an inverter on each of
// the 256, the NOR of four selects of the inverted ones without, and the
// register read's select takes either polarity at the same cost.
`default_nettype none

module nw_filter (
    input  wire         clk_i,
    input  wire         rst_i,
    // at most one of clear_i, ins_i, wr_i in a cycle, none in the four
    // cycles after an insert
    input  wire         clear_i,     // clear every bit
    input  wire         ins_i,       // insert ins_page_i
    input  wire [51:0]  ins_page_i,
    input  wire         wr_i,        // write word wr_idx_i with wr_data_i
    input  wire [1:0]   wr_idx_i,
    input  wire [63:0]  wr_data_i,
    input  wire [51:0]  look_page_i, // looked up in the next cycle
    output wire         hit_o,       // every hash of last cycle's look_page_i is set
    output wire         busy_o,      // an insert has bits to set after this cycle's
    output wire [255:0] bits_o
);
    reg  [255:0] bits_n_q, bits_n_d;
    reg  [31:0]  hash_q;
    reg  [3:0]   step_q;             // bit j: the insert of j + 1 cycles ago sets hash_q[7:0]'s bit
    wire [31:0]  hash;

    nw_h3 u_h3 (
        .page_i (ins_i ? ins_page_i : look_page_i),
        .hash_o (hash)
    );

    wire set = |step_q;
    assign busy_o = |step_q[2:0];

    // Bit k = 16 hi + lo is enabled when hi_en[hi] && lo_en[lo]: for an
    // insert the two nibbles of the hash being set, for a word write every
    // lo and the four hi of its word, so no bit needs an OR of its own.
    reg [15:0] lo_en, hi_en;
    integer n;
    always @* begin
        for (n = 0; n < 16; n = n + 1) begin
            lo_en[n] = wr_i || (set && hash_q[3:0] == n[3:0]);
            hi_en[n] = (wr_i && wr_idx_i == n[3:2]) || (set && hash_q[7:4] == n[3:0]);
        end
    end

    integer k;
    always @* begin
        for (k = 0; k < 256; k = k + 1)
            bits_n_d[k] = hi_en[k / 16] && lo_en[k % 16] ? !(set || wr_data_i[k % 64]) : bits_n_q[k];
    end

    // no hash shifts into the top byte, so it loads as for a lookup
    wire [31:0] hash_d = {hash[31:24], busy_o ? hash_q[31:8] : hash[23:0]};

    // a clear resets the bits (the flops' reset, not a mux per bit); hash_q
    // needs none, it is loaded in every cycle but those of an insert
    always @(posedge clk_i) begin
        if (rst_i || clear_i)
            bits_n_q <= {256{1'b1}};
        else
            bits_n_q <= bits_n_d;
        if (rst_i)
            step_q <= 4'd0;
        else
            step_q <= {step_q[2:0], ins_i};
        hash_q <= hash_d;
    end

    assign hit_o  = !(bits_n_q[hash_q[7:0]] | bits_n_q[hash_q[15:8]] |
                      bits_n_q[hash_q[23:16]] | bits_n_q[hash_q[31:24]]);
    assign bits_o = ~bits_n_q;
endmodule

`default_nettype wire

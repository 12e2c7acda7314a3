// fv_wc: P10, a walk-cache array (nw_wc_array) returns only what was
// inserted since the last flush. For any key K and data D (chosen in the
// reset cycle): when a lookup of K (compared in the cycle before its
// answer) hits with D, an insert of D under a key that K matches (at D's
// page size, in a SIZED array) was presented two cycles before the
// compare or earlier, since the last flush or reset (an insert is
// registered, and a flush in the cycle after it drops it). Proven for
// each size the jobs give (one slot, several, an NTLB-like sized array);
// the array's code is the same for every N, and the guest and host PSC
// levels and the NTLB are all instances of it. The environment is free:
// lookups, inserts, flushes and uses of an answer (which empty the slots
// of a multiple hit) in any cycle, together too.
//
// Covers: a hit of K; K evicted (inserted, not flushed, and missed: the
// FIFO has overwritten its slot).
//
// The key is 6 bits, a 2M (1G) entry ignoring the low 2 (4): the array
// only compares keys bit by bit, and at 40 bits PDR must learn a 40-bit
// equality one cube at a time (it did not finish in 10 minutes).
`default_nettype none

module fv_wc #(
    parameter N     = 2,
    parameter SIZED = 0
) (
    input wire         clk_i,
    input wire         rst_i,
    input wire         flush_i,
    input wire [5:0]  look_key_i,
    input wire         drop_i,
    input wire         ins_i,
    input wire [5:0]  ins_key_i,
    input wire [3:0]   ins_data_i,   // {size, 2 bits} in a SIZED array
    input wire [5:0]  key_i,        // K, taken in the reset cycle
    input wire [3:0]   data_i        // D, likewise
);
    // the answer to the key of the cycle before
    wire [3:0]   hit_data;
    wire         hit;

    nw_wc_array #(
        .N (N), .KEY_W (6), .DATA_W (4), .SIZED (SIZED), .LO_2M (2), .LO_1G (4)
    ) dut (
        .clk_i (clk_i), .rst_i (rst_i), .flush_i (flush_i), .look_key_i (look_key_i),
        .any_o (hit), .data_o (hit_data), .drop_i (drop_i), .ins_i (ins_i),
        .ins_key_i (ins_key_i), .ins_data_i (ins_data_i)
    );

    reg        init = 1'b1;
    reg [5:0] f_key;
    reg [3:0]  f_data;
    // the key bits D's entries compare (its size's, in a SIZED array)
    wire [5:0] f_mask = SIZED == 0 || f_data[3:2] == 2'd0 ? 6'h3f
                       : f_data[3:2] == 2'd1 ? 6'h3c : 6'h30;
    reg        f_req;                // D under a key K matches presented last cycle ...
    reg        f_ins;                // ... and written since the last flush
    reg        f_ins_q = 1'b0;       // f_ins, K looked up and a flush, in the cycle before
    reg        f_look_q = 1'b0, f_flush_q = 1'b0;
    always @(posedge clk_i) begin
        init <= 1'b0;
        if (init) begin
            f_key  <= key_i;
            f_data <= data_i;
        end
        f_req <= !rst_i && !flush_i && ins_i && ins_data_i == f_data &&
                 ((ins_key_i ^ f_key) & f_mask) == 6'd0;
        if (rst_i || flush_i)
            f_ins <= 1'b0;
        else if (f_req)
            f_ins <= 1'b1;
        f_ins_q   <= f_ins;
        f_look_q  <= !init && look_key_i == f_key;
        f_flush_q <= flush_i;
    end

`ifdef FORMAL
    always @* e_reset: assume(rst_i == init);

    always @* if (!init) begin
        if (f_look_q && hit && hit_data == f_data) a_p10_inserted: assert(f_ins_q);
        c_p10_1: assert(!(f_look_q && hit && hit_data == f_data));
        c_p10_2: assert(!(f_ins_q && f_look_q && !hit && !f_flush_q));
    end
`endif
endmodule

`default_nettype wire

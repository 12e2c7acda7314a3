// nw_wc_array: one fully associative array of a walk cache (SPEC section
// 9, organisation in docs/BEHAVIOUR.md): N entries of a key and its data.
// A lookup answers which slot holds the key, the lowest matching one
// winning (match_o, one-hot); the data of a slot is read by naming it
// (sel_i) in a later cycle, so the key compare and the data select are
// in cycles of their own. An insert is registered and written in the
// next cycle (unseen by a lookup in that cycle) to the slot a FIFO
// pointer names, advancing it; a hit leaves it alone; a flush empties the
// array, drops an insert not yet written and rewinds the pointer. Both
// kinds of walk cache are built from it: each level of a
// paging-structure cache (nw_psc) and the nested TLB (nw_ntlb).
//
// Parameters:
//   N       entries; 0 leaves the array out (it never hits)
//   KEY_W   key bits
//   DATA_W  data bits
//   SIZED   1: the top two data bits are the entry's page size (SPEC's
//           4K/2M/1G code) and a 2M (1G) entry ignores the low LO_2M
//           (LO_1G) key bits, as the nested TLB's tags are at the host
//           leaf's size
//   LO_2M   key bits below a 2M page (9 for a 4K page number)
//   LO_1G   key bits below a 1G page (18)
`default_nettype none

module nw_wc_array #(
    parameter N      = 4,
    parameter KEY_W  = 40,
    parameter DATA_W = 44,
    parameter SIZED  = 0,
    parameter LO_2M  = 9,
    parameter LO_1G  = 18
) (
    input  wire              clk_i,
    input  wire              rst_i,
    input  wire              flush_i,   // empty the array
    input  wire [KEY_W-1:0]  look_key_i,
    output wire [(N > 0 ? N : 1)-1:0] match_o,  // the lowest slot that holds the key
    output wire              any_o,     // some slot holds it (|match_o, not behind the priority)
    input  wire [(N > 0 ? N : 1)-1:0] sel_i,    // a slot (one-hot, or none) ...
    output wire [DATA_W-1:0] sel_data_o,        // ... and its data
    input  wire              ins_i,     // insert (ins_key_i, ins_data_i)
    input  wire [KEY_W-1:0]  ins_key_i,
    input  wire [DATA_W-1:0] ins_data_i
);
    // The key bits an entry compares: all, or above its page size.
    function [KEY_W-1:0] cmp_mask;
        input [1:0] size_f;
        cmp_mask = SIZED == 0 || size_f == 2'd0 ? {KEY_W{1'b1}}
                 : size_f == 2'd1 ? {KEY_W{1'b1}} << LO_2M : {KEY_W{1'b1}} << LO_1G;
    endfunction

    generate
        if (N == 0) begin : g_none
            // an array left out looks at nothing
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused = &{1'b0, clk_i, rst_i, flush_i, look_key_i, sel_i, ins_i, ins_key_i,
                            ins_data_i};
            /* verilator lint_on UNUSEDSIGNAL */
            assign match_o    = 1'b0;
            assign any_o      = 1'b0;
            assign sel_data_o = {DATA_W{1'b0}};
        end else begin : g_slots
            localparam PTR_W = N > 1 ? $clog2(N) : 1;
            // The keys (and, in a SIZED array, each entry's size) are
            // compared in every slot at once: flat vectors of flops, slot i
            // at i*KEY_W (a memory would have one read port). The data is
            // read at one slot, so it is a memory with one write port and
            // one asynchronous read port: an FPGA's LUT RAM (the ECP5's
            // 16x4 RAMs), where as flops with an AND-OR select over the
            // slots it made the walk-cache build a third larger and its
            // routing diverge at some placements.
            reg [N-1:0]        valid_q;
            reg [N*KEY_W-1:0]  key_q;
            reg [2*N-1:0]      size_q;
            reg [DATA_W-1:0]   data_q [0:N-1];
            reg [PTR_W-1:0]    next_q;
            wire [31:0]        next = {{32-PTR_W{1'b0}}, next_q};

            // every slot's compare, the lowest of them (a slot matches
            // when no slot below it does: an OR tree per slot, which a
            // priority chain through every slot's compare was not), and
            // the slot named as an index (sel_i is one-hot or zero)
            reg [N-1:0]      hit, below;
            reg [PTR_W-1:0]  sel;
            integer i;
            always @* begin
                sel = {PTR_W{1'b0}};
                for (i = 0; i < N; i = i + 1) begin
                    hit[i] = valid_q[i] &&
                             ((key_q[KEY_W*i +: KEY_W] ^ look_key_i) &
                              cmp_mask(size_q[2*i +: 2])) == {KEY_W{1'b0}};
                    if (sel_i[i])
                        sel = sel | i[PTR_W-1:0];
                end
                for (i = 0; i < N; i = i + 1)
                    below[i] = |(hit & ~({N{1'b1}} << i));
            end
            assign match_o    = hit & ~below;
            assign any_o      = |hit;
            // zero with no slot named: nw_psc ORs its levels' data
            assign sel_data_o = |sel_i ? data_q[sel] : {DATA_W{1'b0}};

            // The insert register: a walker decides to insert late in its
            // cycle (behind its entry decode), and that decision would
            // otherwise be the enable of every slot's flops. Its key and
            // data load in every cycle (no enable) and count only while
            // ins_q is set. Only the valid bits, the pointer and ins_q are
            // reset: a slot's key, size and data are looked at only while
            // it is valid.
            reg              ins_q;
            reg [KEY_W-1:0]  ins_key_q;
            reg [DATA_W-1:0] ins_data_q;
            integer k;
            always @(posedge clk_i) begin
                if (rst_i || flush_i) begin
                    valid_q <= {N{1'b0}};
                    next_q  <= {PTR_W{1'b0}};
                    ins_q   <= 1'b0;
                end else begin
                    if (ins_q) begin
                        for (k = 0; k < N; k = k + 1)
                            if (next == k)
                                valid_q[k] <= 1'b1;
                        next_q <= next == N - 1 ? {PTR_W{1'b0}} : next_q + 1'b1;
                    end
                    ins_q <= ins_i;
                end
            end
            always @(posedge clk_i) begin
                ins_key_q  <= ins_key_i;
                ins_data_q <= ins_data_i;
                for (k = 0; k < N; k = k + 1)
                    if (ins_q && next == k) begin
                        key_q[KEY_W*k +: KEY_W] <= ins_key_q;
                        size_q[2*k +: 2]        <= ins_data_q[DATA_W-1 -: 2];
                    end
                if (ins_q)
                    data_q[next_q] <= ins_data_q;
            end
        end
    endgenerate
endmodule

`default_nettype wire

// fv_psc: covers of a paging-structure cache (nw_psc): a lookup that hits
// at each of levels 2..5, the deepest winning. Every input is free.
`default_nettype none

module fv_psc (
    input wire         clk_i,
    input wire         rst_i,
    input wire         flush_i,
    input wire [56:21] look_x_i,
    input wire         drop_i,
    input wire         ins_i,
    input wire [2:0]   ins_level_i,
    input wire [56:21] ins_x_i,
    input wire [43:0]  ins_data_i
);
    wire [2:0]  level;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [43:0] data;
    /* verilator lint_on UNUSEDSIGNAL */

    nw_psc #(
        .N2 (2), .N3 (1), .N4 (1), .N5 (1)
    ) dut (
        .clk_i (clk_i), .rst_i (rst_i), .flush_i (flush_i), .look_x_i (look_x_i),
        .hit_level_o (level), .data_o (data), .drop_i (drop_i),
        .ins_i (ins_i), .ins_level_i (ins_level_i), .ins_x_i (ins_x_i),
        .ins_data_i (ins_data_i)
    );

    reg init = 1'b1;
    always @(posedge clk_i)
        init <= 1'b0;

`ifdef FORMAL
    always @* e_reset: assume(rst_i == init);

    always @* if (!init) begin
        c_p10_3: assert(level != 3'd2);
        c_p10_4: assert(level != 3'd3);
        c_p10_5: assert(level != 3'd4);
        c_p10_6: assert(level != 3'd5);
    end
`endif
endmodule

`default_nettype wire

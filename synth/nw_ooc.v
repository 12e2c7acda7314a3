// nw_ooc: out-of-context wrapper of nw_walker for FPGA place and route.
//
// nw_walker has some 220 input and 260 output bits, more than an iCE40
// package has pins. This wrapper gives it four pins besides the clock:
//   sin_i  - serial data, shifted every cycle into a register that drives
//            every input bit of the core (so no core input is a constant);
//   load_i - 1: the output shift register takes every output bit of the
//            core in parallel; 0: it shifts towards sout_o;
//   sout_o - the last bit of the output shift register;
//   rst_i  - the core's synchronous reset (registered here).
// Every output bit of the core reaches sout_o, so synthesis cannot remove
// any of the core's logic; every core input and output sits behind a
// flip-flop of the wrapper, so the timing report covers the core's own
// register-to-register paths and its input-to-output paths between the
// wrapper's registers, not the pads.
//
// The wrapper costs NI + NO + 2 flip-flops (about one logic cell each):
// NI = 214 + ID_WIDTH, NO = 251 + ID_WIDTH, 483 for ID_WIDTH = 8.
`default_nettype none

module nw_ooc #(
    parameter ENABLE_VIRT   = 1,
    parameter ENABLE_SEG    = 1,
    parameter ENABLE_FILT   = 1,
    parameter ENABLE_SHADOW = 1,
    parameter ENABLE_LA57   = 1,
    parameter ID_WIDTH      = 8
) (
    input  wire clk_i,
    input  wire rst_i,
    input  wire sin_i,
    input  wire load_i,
    output wire sout_o
);
    localparam NI = 214 + ID_WIDTH;   // core input bits (without clk, rst)
    localparam NO = 251 + ID_WIDTH;   // core output bits

    reg          rst_q, load_q;
    reg [NI-1:0] in_q;
    reg [NO-1:0] out_q;
    wire [NO-1:0] out_w;

    always @(posedge clk_i) begin
        rst_q  <= rst_i;
        load_q <= load_i;
        in_q   <= {in_q[NI-2:0], sin_i};
        out_q  <= load_q ? out_w : {out_q[NO-2:0], 1'b0};
    end
    assign sout_o = out_q[NO-1];

    nw_walker #(
        .ENABLE_VIRT   (ENABLE_VIRT),
        .ENABLE_SEG    (ENABLE_SEG),
        .ENABLE_FILT   (ENABLE_FILT),
        .ENABLE_SHADOW (ENABLE_SHADOW),
        .ENABLE_LA57   (ENABLE_LA57),
        .ID_WIDTH      (ID_WIDTH)
    ) u_core (
        .clk_i            (clk_i),
        .rst_i            (rst_q),
        // inputs: NI bits of in_q, in this order from bit 0 up
        .reg_valid_i      (in_q[0]),
        .reg_write_i      (in_q[1]),
        .reg_addr_i       (in_q[13:2]),
        .reg_wdata_i      (in_q[77:14]),
        .req_valid_i      (in_q[78]),
        .req_va_i         (in_q[142:79]),
        .req_access_i     (in_q[144:143]),
        .req_user_i       (in_q[145]),
        .resp_ready_i     (in_q[146]),
        .mem_req_ready_i  (in_q[147]),
        .mem_resp_valid_i (in_q[148]),
        .mem_resp_data_i  (in_q[212:149]),
        .mem_resp_err_i   (in_q[213]),
        .req_id_i         (in_q[NI-1:214]),
        // outputs: NO bits of out_w
        .reg_ready_o      (out_w[0]),
        .reg_rdata_o      (out_w[64:1]),
        .req_ready_o      (out_w[65]),
        .resp_valid_o     (out_w[66]),
        .resp_status_o    (out_w[69:67]),
        .resp_reason_o    (out_w[72:70]),
        .resp_level_o     (out_w[75:73]),
        .resp_pa_o        (out_w[127:76]),
        .resp_size_o      (out_w[129:128]),
        .resp_w_o         (out_w[130]),
        .resp_u_o         (out_w[131]),
        .resp_xd_o        (out_w[132]),
        .resp_gpa_o       (out_w[184:133]),
        .resp_gpt_o       (out_w[185]),
        .resp_pferr_o     (out_w[190:186]),
        .resp_refs_o      (out_w[196:191]),
        .mem_req_valid_o  (out_w[197]),
        .mem_req_addr_o   (out_w[249:198]),
        .mem_resp_ready_o (out_w[250]),
        .resp_id_o        (out_w[NO-1:251])
    );
endmodule

`default_nettype wire

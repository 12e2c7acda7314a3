// fv_fsm: formal wrapper of the walk state machine `nw_walk_fsm` alone, the
// unit the walker top joins to its register file. The same shadow state,
// reference model and properties as fv_top (fv_common.vh); the
// configuration is driven by the wrapper instead of a register file, so no
// copy of it is needed and the escape filters answer anything.
`default_nettype none

module fv_fsm #(
    parameter ENABLE_VIRT   = 1,
    parameter ENABLE_SEG    = 1,
    parameter ENABLE_FILT   = 1,
    parameter ENABLE_SHADOW = 1,
    parameter ENABLE_LA57   = 1,
    parameter ID_WIDTH      = 4,
    parameter MEM_D         = 2     // P5: memory takes a read and answers it within MEM_D cycles each
) (
    input  wire                clk_i,
    input  wire                rst_i,
    input  wire                reg_valid_i,
    input  wire                reg_write_i,
    input  wire [11:0]         reg_addr_i,
    input  wire [63:0]         reg_wdata_i,
    input  wire                req_valid_i,
    input  wire [63:0]         req_va_i,
    input  wire [1:0]          req_access_i,
    input  wire                req_user_i,
    input  wire [ID_WIDTH-1:0] req_id_i,
    input  wire                resp_ready_i,
    input  wire                mem_req_ready_i,
    input  wire                mem_resp_valid_i,
    input  wire [63:0]         mem_resp_data_i,
    input  wire                mem_resp_err_i,
    // the configuration taken while idle, and the filters' answers
    input  wire [10:0]         n_ctrl,
    input  wire [51:12]        n_gcr3,
    input  wire [51:12]        n_hcr3,
    input  wire [52:12]        n_scr3,
    input  wire [63:12]        n_seg0, n_seg1, n_seg2, n_seg3, n_seg4, n_seg5,
    input  wire [2:0]          n_gattr,
    input  wire [1:0]          n_hattr,
    input  wire                gf_hit,
    input  wire                hf_hit
);
    wire                req_ready_o;
    wire                resp_valid_o;
    wire [2:0]          resp_status_o, resp_reason_o, resp_level_o;
    wire [51:0]         resp_pa_o, resp_gpa_o;
    wire [1:0]          resp_size_o;
    wire                resp_w_o, resp_u_o, resp_xd_o, resp_gpt_o;
    wire [4:0]          resp_pferr_o;
    wire [5:0]          resp_refs_o;
    wire [ID_WIDTH-1:0] resp_id_o;
    wire                mem_req_valid_o;
    wire [51:0]         mem_req_addr_o;
    wire                mem_resp_ready_o;

    localparam HAS_SEG   = ENABLE_SEG != 0;
    localparam HAS_GFILT = HAS_SEG && ENABLE_FILT != 0;
    localparam HAS_HFILT = HAS_GFILT && ENABLE_VIRT != 0;
    localparam HAS_HSEG  = HAS_SEG && ENABLE_VIRT != 0;
    localparam HAS_SCR3  = ENABLE_VIRT != 0 && ENABLE_SHADOW != 0;
    localparam [10:0] CTRL_MASK =
        11'h1c0 | 11'h001 * (ENABLE_VIRT != 0) | 11'h002 * (ENABLE_LA57 != 0)
                | 11'h004 * (ENABLE_LA57 != 0 && ENABLE_VIRT != 0) | 11'h008 * HAS_SEG
                | 11'h010 * HAS_HSEG | 11'h020 * HAS_SCR3 | 11'h200 * HAS_GFILT
                | 11'h400 * HAS_HFILT;

    // the configuration the walk FSM sees: any value, changed only while
    // the FSM is idle (in the top the register port is closed during a
    // walk: P1 a_p1_reg_closed, P9). Filter answers are free inputs, any
    // value in any cycle: the proof covers every filter content.
    wire idle_o;
    wire reg_ready_o = idle_o;
    reg [10:0]  c_ctrl;
    reg [51:12] c_gcr3, c_hcr3;
    reg [52:12] c_scr3;
    reg [63:12] c_seg [0:5];
    reg [2:0]   c_gattr;
    reg [1:0]   c_hattr;
    always @(posedge clk_i) begin
        if (idle_o || rst_i) begin
            c_ctrl <= n_ctrl & CTRL_MASK;
            c_gcr3 <= n_gcr3;
            c_hcr3 <= ENABLE_VIRT != 0 ? n_hcr3 : 40'd0;
            c_scr3 <= HAS_SCR3 ? n_scr3 : 41'd0;
            c_seg[0] <= HAS_SEG ? n_seg0 : 52'd0;
            c_seg[1] <= HAS_SEG ? n_seg1 : 52'd0;
            c_seg[2] <= HAS_SEG ? n_seg2 : 52'd0;
            c_seg[3] <= HAS_HSEG ? n_seg3 : 52'd0;
            c_seg[4] <= HAS_HSEG ? n_seg4 : 52'd0;
            c_seg[5] <= HAS_HSEG ? n_seg5 : 52'd0;
            c_gattr <= n_gattr;
            c_hattr <= n_hattr;
        end
    end
    wire [51:0] gf_look, hf_look;        // the model's lookups (unused here)

    nw_walk_fsm #(
        .ID_WIDTH (ID_WIDTH)
    ) dut (
        .clk_i (clk_i), .rst_i (rst_i),
        .ctrl_i (c_ctrl), .gcr3_i (c_gcr3), .hcr3_i (c_hcr3), .scr3_i (c_scr3),
        .seg_i ({c_seg[5], c_seg[4], c_seg[3], c_seg[2], c_seg[1], c_seg[0]}),
        .gattr_i (c_gattr), .hattr_i (c_hattr),
        .gfilt_page_o (), .gfilt_hit_i (gf_hit && HAS_GFILT),
        .hfilt_page_o (), .hfilt_hit_i (hf_hit && HAS_HFILT),
        .cnt_inc_o (), .idle_o (idle_o), .reg_valid_i (reg_valid_i),
        .req_valid_i (req_valid_i), .req_ready_o (req_ready_o), .req_va_i (req_va_i),
        .req_access_i (req_access_i), .req_user_i (req_user_i), .req_id_i (req_id_i),
        .resp_valid_o (resp_valid_o), .resp_ready_i (resp_ready_i),
        .resp_status_o (resp_status_o), .resp_reason_o (resp_reason_o),
        .resp_level_o (resp_level_o), .resp_pa_o (resp_pa_o), .resp_size_o (resp_size_o),
        .resp_w_o (resp_w_o), .resp_u_o (resp_u_o), .resp_xd_o (resp_xd_o),
        .resp_gpa_o (resp_gpa_o), .resp_gpt_o (resp_gpt_o), .resp_pferr_o (resp_pferr_o),
        .resp_refs_o (resp_refs_o), .resp_id_o (resp_id_o),
        .mem_req_valid_o (mem_req_valid_o), .mem_req_ready_i (mem_req_ready_i),
        .mem_req_addr_o (mem_req_addr_o),
        .mem_resp_valid_i (mem_resp_valid_i), .mem_resp_ready_o (mem_resp_ready_o),
        .mem_resp_data_i (mem_resp_data_i), .mem_resp_err_i (mem_resp_err_i)
    );

`include "fv_common.vh"
endmodule

`default_nettype wire

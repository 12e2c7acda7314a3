// nw_walker: top of the nestwalk page-table walker (SPEC section 7, ports
// as in docs/BEHAVIOUR.md). Joins the register file, which holds the
// configuration, filters and counters, to the walk state machine. The
// register port is open only while no walk is in progress, so a walk
// always sees the configuration it was accepted with.
//
// Parameters (0 leaves the feature out; its CTRL bits and registers read 0
// and the logic that depends on them is constant and falls away):
//   ENABLE_VIRT   - virtualization: host dimension, HCR3, host segment/filter
//   ENABLE_SEG    - direct segments (guest and host)
//   ENABLE_FILT   - escape filters (needs ENABLE_SEG)
//   ENABLE_SHADOW - shadow and agile paging, SCR3 (needs ENABLE_VIRT)
//   ENABLE_LA57   - 5-level tables, CTRL.G5 and CTRL.H5
//   ID_WIDTH      - width of the request id echoed in the response
`default_nettype none

module nw_walker #(
    parameter ENABLE_VIRT   = 1,
    parameter ENABLE_SEG    = 1,
    parameter ENABLE_FILT   = 1,
    parameter ENABLE_SHADOW = 1,
    parameter ENABLE_LA57   = 1,
    parameter ID_WIDTH      = 8
) (
    input  wire                clk_i,
    input  wire                rst_i,
    // register port
    input  wire                reg_valid_i,
    output wire                reg_ready_o,
    input  wire                reg_write_i,
    input  wire [11:0]         reg_addr_i,
    input  wire [63:0]         reg_wdata_i,
    output wire [63:0]         reg_rdata_o,
    // request port
    input  wire                req_valid_i,
    output wire                req_ready_o,
    input  wire [63:0]         req_va_i,
    input  wire [1:0]          req_access_i,
    input  wire                req_user_i,
    input  wire [ID_WIDTH-1:0] req_id_i,
    // response port
    output wire                resp_valid_o,
    input  wire                resp_ready_i,
    output wire [2:0]          resp_status_o,
    output wire [2:0]          resp_reason_o,
    output wire [2:0]          resp_level_o,
    output wire [51:0]         resp_pa_o,
    output wire [1:0]          resp_size_o,
    output wire                resp_w_o,
    output wire                resp_u_o,
    output wire                resp_xd_o,
    output wire [51:0]         resp_gpa_o,
    output wire                resp_gpt_o,
    output wire [4:0]          resp_pferr_o,
    output wire [5:0]          resp_refs_o,
    output wire [ID_WIDTH-1:0] resp_id_o,
    // memory read port
    output wire                mem_req_valid_o,
    input  wire                mem_req_ready_i,
    output wire [51:0]         mem_req_addr_o,
    input  wire                mem_resp_valid_i,
    output wire                mem_resp_ready_o,
    input  wire [63:0]         mem_resp_data_i,
    input  wire                mem_resp_err_i
);
    wire [10:0]     ctrl;
    wire [51:12]    gcr3, hcr3;
    wire [52:12]    scr3;
    wire [6*52-1:0] seg;
    wire [2:0]      gattr;
    wire [1:0]      hattr;
    wire [51:0]     gfilt_page, hfilt_page;
    wire            gfilt_hit, hfilt_hit;
    wire [11:0]     cnt_inc;
    wire            idle;

    assign reg_ready_o = idle;

    nw_regfile #(
        .ENABLE_VIRT   (ENABLE_VIRT),
        .ENABLE_SEG    (ENABLE_SEG),
        .ENABLE_FILT   (ENABLE_FILT),
        .ENABLE_SHADOW (ENABLE_SHADOW),
        .ENABLE_LA57   (ENABLE_LA57)
    ) u_regfile (
        .clk_i        (clk_i),
        .rst_i        (rst_i),
        .acc_i        (reg_valid_i && idle),
        .write_i      (reg_write_i),
        .addr_i       (reg_addr_i),
        .wdata_i      (reg_wdata_i),
        .rdata_o      (reg_rdata_o),
        .ctrl_o       (ctrl),
        .gcr3_o       (gcr3),
        .hcr3_o       (hcr3),
        .scr3_o       (scr3),
        .seg_o        (seg),
        .gattr_o      (gattr),
        .hattr_o      (hattr),
        .gfilt_page_i (gfilt_page),
        .gfilt_hit_o  (gfilt_hit),
        .hfilt_page_i (hfilt_page),
        .hfilt_hit_o  (hfilt_hit),
        .cnt_inc_i    (cnt_inc)
    );

    nw_walk_fsm #(
        .ID_WIDTH (ID_WIDTH)
    ) u_fsm (
        .clk_i            (clk_i),
        .rst_i            (rst_i),
        .ctrl_i           (ctrl),
        .gcr3_i           (gcr3),
        .hcr3_i           (hcr3),
        .scr3_i           (scr3),
        .seg_i            (seg),
        .gattr_i          (gattr),
        .hattr_i          (hattr),
        .gfilt_page_o     (gfilt_page),
        .gfilt_hit_i      (gfilt_hit),
        .hfilt_page_o     (hfilt_page),
        .hfilt_hit_i      (hfilt_hit),
        .cnt_inc_o        (cnt_inc),
        .idle_o           (idle),
        .reg_valid_i      (reg_valid_i),
        .req_valid_i      (req_valid_i),
        .req_ready_o      (req_ready_o),
        .req_va_i         (req_va_i),
        .req_access_i     (req_access_i),
        .req_user_i       (req_user_i),
        .req_id_i         (req_id_i),
        .resp_valid_o     (resp_valid_o),
        .resp_ready_i     (resp_ready_i),
        .resp_status_o    (resp_status_o),
        .resp_reason_o    (resp_reason_o),
        .resp_level_o     (resp_level_o),
        .resp_pa_o        (resp_pa_o),
        .resp_size_o      (resp_size_o),
        .resp_w_o         (resp_w_o),
        .resp_u_o         (resp_u_o),
        .resp_xd_o        (resp_xd_o),
        .resp_gpa_o       (resp_gpa_o),
        .resp_gpt_o       (resp_gpt_o),
        .resp_pferr_o     (resp_pferr_o),
        .resp_refs_o      (resp_refs_o),
        .resp_id_o        (resp_id_o),
        .mem_req_valid_o  (mem_req_valid_o),
        .mem_req_ready_i  (mem_req_ready_i),
        .mem_req_addr_o   (mem_req_addr_o),
        .mem_resp_valid_i (mem_resp_valid_i),
        .mem_resp_ready_o (mem_resp_ready_o),
        .mem_resp_data_i  (mem_resp_data_i),
        .mem_resp_err_i   (mem_resp_err_i)
    );
endmodule

`default_nettype wire

// fv_top: formal wrapper of the walker top `nw_walker`.
//
// Every property is stated on the ports of nw_walker. The wrapper never
// looks inside the RTL: it keeps its own shadow state, built only from what
// crosses the ports:
//   - handshake trackers (pending request and its id, outstanding read,
//     reads of this request, cycles since the request was accepted);
//   - a copy of the configuration, decoded from the register-port writes
//     with the masks of docs/BEHAVIOUR.md (the escape filters' bits are
//     kept by two nw_filter instances fed from the register port, the unit
//     whose no-false-negative property P7 proves);
//   - a reference model of the SPEC's read order (section 6): from the
//     accepted VA, the copied configuration and the data of each read it
//     computes the address of the next read, if the walk goes on.
//
// Every property is an immediate assertion with a label; the flow
// (formal/run.py, formal/jobs.py) keeps the labels of one property per
// proof and removes the others:
//   a_p1_*  P1 interfaces          a_p2_*  P2 memory port
//   a_p3_*  P3 reads follow tables a_p4_*  P4 read-count bounds
//   a_p5_*  P5 bounded latency     a_p8_*  P8 agile switch
//   c_pN_k  cover k of property N, written as the assertion of its negation
//           (a counterexample of it is the cover trace)
//   e_live_* the memory-latency assumptions, kept only for P5
`default_nettype none

module fv_top #(
    parameter ENABLE_VIRT   = 1,
    parameter ENABLE_SEG    = 1,
    parameter ENABLE_FILT   = 1,
    parameter ENABLE_SHADOW = 1,
    parameter ENABLE_LA57   = 1,
    parameter ID_WIDTH      = 4,
    parameter MEM_D         = 2,    // P5: memory takes a read and answers it within MEM_D cycles each
    parameter HASHCUT       = 0     // 1: the build cuts the filters' hash units out (see below)
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
    input  wire                mem_resp_err_i
);
    wire                reg_ready_o;
    wire [63:0]         reg_rdata_o;
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

    nw_walker #(
        .ENABLE_VIRT   (ENABLE_VIRT),
        .ENABLE_SEG    (ENABLE_SEG),
        .ENABLE_FILT   (ENABLE_FILT),
        .ENABLE_SHADOW (ENABLE_SHADOW),
        .ENABLE_LA57   (ENABLE_LA57),
        .ID_WIDTH      (ID_WIDTH)
    ) dut (
        .clk_i (clk_i), .rst_i (rst_i),
        .reg_valid_i (reg_valid_i), .reg_ready_o (reg_ready_o), .reg_write_i (reg_write_i),
        .reg_addr_i (reg_addr_i), .reg_wdata_i (reg_wdata_i), .reg_rdata_o (reg_rdata_o),
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

    wire [8:0] word   = reg_addr_i[11:3];
    wire       reg_hs = reg_valid_i && reg_ready_o;
    wire       reg_wr = reg_hs && reg_write_i;

    // ---------------------------------------------------------------
    // copy of the configuration, from the register-port writes
    reg [10:0]  c_ctrl;
    reg [51:12] c_gcr3, c_hcr3;
    reg [52:12] c_scr3;
    reg [63:12] c_seg [0:5];
    integer k;
    always @(posedge clk_i) begin
        if (rst_i) begin
            c_ctrl <= 11'd0; c_gcr3 <= 40'd0; c_hcr3 <= 40'd0; c_scr3 <= 41'd0;
            for (k = 0; k < 6; k = k + 1) c_seg[k] <= 52'd0;
        end else if (reg_wr) begin
            case (word)
                9'd0: c_ctrl <= reg_wdata_i[10:0] & CTRL_MASK;
                9'd1: c_gcr3 <= reg_wdata_i[51:12];
                9'd2: if (ENABLE_VIRT != 0) c_hcr3 <= reg_wdata_i[51:12];
                9'd3: if (HAS_SCR3) c_scr3 <= reg_wdata_i[52:12];
                default: ;
            endcase
            for (k = 0; k < 6; k = k + 1)
                if (word == 9'd4 + k && HAS_SEG && (k < 3 || HAS_HSEG))
                    c_seg[k] <= reg_wdata_i[63:12];
        end
    end

    // the escape filters' bits, kept from the same register-port traffic
    wire [51:0] gf_look, hf_look;
    wire        gf_hit, hf_hit;
    wire        f_clear = reg_wr && word == 9'd14;
    generate
        if (HAS_GFILT) begin : g_gf
            nw_filter u_gf (
                .clk_i (clk_i), .rst_i (rst_i), .clear_i (f_clear && reg_wdata_i[0]),
                .ins_i (reg_wr && word == 9'd12), .ins_page_i (reg_wdata_i[51:0]),
                .wr_i (reg_wr && word[8:2] == 7'd4), .wr_idx_i (word[1:0]),
                .wr_data_i (reg_wdata_i), .look_page_i (gf_look), .hit_o (gf_hit),
                .bits_o ());
        end else begin : g_no_gf
            assign gf_hit = 1'b0;
        end
        if (HAS_HFILT) begin : g_hf
            nw_filter u_hf (
                .clk_i (clk_i), .rst_i (rst_i), .clear_i (f_clear && reg_wdata_i[1]),
                .ins_i (reg_wr && word == 9'd13), .ins_page_i ({12'd0, reg_wdata_i[39:0]}),
                .wr_i (reg_wr && word[8:2] == 7'd5), .wr_idx_i (word[1:0]),
                .wr_data_i (reg_wdata_i), .look_page_i (hf_look), .hit_o (hf_hit),
                .bits_o ());
        end else begin : g_no_hf
            assign hf_hit = 1'b0;
        end
    endgenerate

`include "fv_common.vh"

    // With HASHCUT (builds top-*-hc) the build cuts the hash units of the
    // walker's filters and of the copies above out (jobs.py) and drives
    // these wires from the cut: each filter's hash and the page it was
    // given. The one assumption: walker and copy hash equal pages equally
    // in the same cycle, as any function does, H3 among them. Then the
    // copies' bits equal the walker's without proving two XOR trees equal.
    wire [51:0] f_gp_w, f_gp_c, f_hp_w, f_hp_c;
    wire [31:0] f_gh_w, f_gh_c, f_hh_w, f_hh_c;
    generate
        if (HASHCUT != 0) begin : g_hashcut
`ifdef FORMAL
            always @* if (!init) begin
                if (HAS_GFILT && f_gp_w == f_gp_c) e_hash_g: assume(f_gh_w == f_gh_c);
                if (HAS_HFILT && f_hp_w == f_hp_c) e_hash_h: assume(f_hh_w == f_hh_c);
            end
`endif
        end
    endgenerate
endmodule

`default_nettype wire

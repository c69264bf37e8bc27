// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// One tile of the mesh: the PE, its router and its SRAM bank. The four neighbour links are the
/// router's own ports (registered wavelets out, registered credit pulses back), so every signal
/// that crosses to another tile leaves a register; the ramp between router and PE stays inside.
/// Coordinates and the mesh size are inputs, so one model serves every position (the C++
/// simulator composes W x H instances of one Verilated wm_tile).
///
/// Link ports keep the router's layout: arrays indexed by wm_pkg::dir_e, element d at
/// [d*Width +: Width]. The DirP element is unused at the tile boundary (inputs ignored, outputs
/// zero): keeping it makes a tile port index equal the router port index.
///
/// Status and activity outputs come from registers inside the tile or from logic on its own
/// state only, never combinationally from a link input (the composed simulator relies on it).
module wm_tile #(
  parameter int unsigned NumColors  = 8,      /// colors (virtual channels), 1 to 24
  parameter int unsigned QueueDepth = 4,      /// router wavelets per input and color
  parameter int unsigned HopLatency = 0,      /// extra register stages per neighbour link
  parameter int unsigned MemWords   = 12288,  /// SRAM words (48 KiB), a multiple of 8
  parameter int unsigned EnableEcc  = 0       /// 1: SECDED ECC in the SRAM
) (
  input  logic                                            clk_i,
  input  logic                                            rst_ni,
  input  wm_pkg::coord_t                                  x_i,          /// this tile's column
  input  wm_pkg::coord_t                                  y_i,          /// row, 0 north
  input  wm_pkg::coord_t                                  max_x_i,      /// mesh width - 1
  input  wm_pkg::coord_t                                  max_y_i,      /// mesh height - 1
  /// Edge ports wired to the host: routes through them are not off the edge.
  input  wm_pkg::dir_set_t                                edge_open_i,
  /// Neighbour links in: wavelet valid, wm_pkg::wavelet_t packed; DirP ignored.
  input  logic [wm_pkg::NumDirs-1:0]                      in_valid_i,
  input  logic [wm_pkg::NumDirs*wm_pkg::WaveletWidth-1:0] in_wavelet_i,
  /// Bit d*NumColors+c: registered credit pulse, a slot of color c on input d was freed.
  output logic [wm_pkg::NumDirs*NumColors-1:0]            in_credit_o,
  /// Neighbour links out (registered); DirP is zero.
  output logic [wm_pkg::NumDirs-1:0]                      out_valid_o,
  output logic [wm_pkg::NumDirs*wm_pkg::WaveletWidth-1:0] out_wavelet_o,
  /// Bit d*NumColors+c: credit pulse from the neighbour on port d for color c; DirP ignored.
  input  logic [wm_pkg::NumDirs*NumColors-1:0]            out_credit_i,
  // ---- status -------------------------------------------------------------------------------
  output logic                                            pe_halted_o,    /// PE stopped
  output logic [2:0]                                      pe_err_code_o,  /// wm_isa_pkg::Err*
  output logic [15:0]                                     pe_err_pc_o,    /// faulting pc
  output logic [3:0]                                      router_err_o,   /// router sticky errors
  output logic [15:0]                                     drop_count_o,   /// router drops
  output logic                                            sram_err_o,     /// sticky range error
  output logic [15:0]                                     ecc_corr_cnt_o,    /// reads corrected
  output logic [15:0]                                     ecc_uncorr_cnt_o,  /// uncorrectable
  // ---- activity, per cycle ------------------------------------------------------------------
  output logic                                            act_busy_o,     /// PE has work
  output logic                                            act_running_o,  /// a task runs
  output logic                                            act_task_start_o,  /// a task starts
  output logic                                            act_start_data_o,  /// ... a data task
  output logic [31:0]                                     act_start_wv_o,    /// ... its wavelet
  output logic [3:0]                                      act_task_o,     /// task id
  output logic                                            act_retire_o,   /// instruction done
  /// The pc of the instruction in the core: with act_retire_o, the one that retired. Lets a
  /// testbench see a program reach a label (the decode's phase marks) without a debug bus.
  output logic [15:0]                                     act_pc_o,
  output logic                                            act_elem_o,     /// vector element
  output logic                                            act_mac_o,      /// ... FMAC-class
  output logic                                            act_ramp_rx_o,  /// router -> PE
  output logic                                            act_ramp_tx_o   /// PE -> router
);
  localparam int unsigned NumDirs = wm_pkg::NumDirs;
  localparam int unsigned WWidth  = wm_pkg::WaveletWidth;
  localparam int unsigned DirP    = 32'(wm_pkg::DirP);
  localparam int unsigned ColorLsb = wm_pkg::DataWidth;

  // ---- position straps -------------------------------------------------------------------------
  // Registered once here, so the router's route logic reads flops, not ports. The straps are
  // static, and reset lasts longer than a cycle, so they are valid before the first route. In
  // the composed simulator this keeps the route logic out of Verilator's input-combinational
  // region, which is re-evaluated on every eval() call (twice a cycle).
  wm_pkg::coord_t   x_q, y_q, max_x_q, max_y_q;
  wm_pkg::dir_set_t edge_open_q;
  always_ff @(posedge clk_i) begin
    x_q         <= x_i;
    y_q         <= y_i;
    max_x_q     <= max_x_i;
    max_y_q     <= max_y_i;
    edge_open_q <= edge_open_i;
  end

  // ---- router ---------------------------------------------------------------------------------
  // The router's link-side inputs mix this tile's ports (neighbours) with the PE's ramp. Split
  // per element for Verilator: otherwise the whole vector counts as a top-level input and every
  // gate behind the ramp slices is re-evaluated in Verilator's input region too.
  logic [NumDirs-1:0]           r_in_valid /* verilator split_var */;
  logic [NumDirs*WWidth-1:0]    r_in_wavelet /* verilator split_var */;
  logic [NumDirs*NumColors-1:0] r_out_credit /* verilator split_var */;
  logic [NumDirs-1:0]           r_out_valid;
  logic [NumDirs*WWidth-1:0]    r_out_wavelet;
  logic [NumDirs*NumColors-1:0] r_in_credit, unused_busy;

  logic                 rx_valid, tx_valid;
  logic [WWidth-1:0]    rx_wavelet, tx_wavelet;
  logic [NumColors-1:0] rx_ready, tx_ready;

  always_comb begin
    r_in_valid                                = in_valid_i;
    r_in_wavelet                              = in_wavelet_i;
    r_out_credit                              = out_credit_i;
    r_in_valid[DirP]                          = tx_valid;
    r_in_wavelet[DirP*WWidth +: WWidth]       = tx_wavelet;
    r_out_credit[DirP*NumColors +: NumColors] = rx_ready;
  end

  wm_router #(
    .NumColors (NumColors),
    .QueueDepth(QueueDepth),
    .HopLatency(HopLatency)
  ) u_router (
    .clk_i,
    .rst_ni,
    .x_i          (x_q),
    .y_i          (y_q),
    .max_x_i      (max_x_q),
    .max_y_i      (max_y_q),
    .edge_open_i  (edge_open_q),
    .in_valid_i   (r_in_valid),
    .in_wavelet_i (r_in_wavelet),
    .in_credit_o  (r_in_credit),
    .out_valid_o  (r_out_valid),
    .out_wavelet_o(r_out_wavelet),
    .out_credit_i (r_out_credit),
    .busy_o       (unused_busy),
    .err_o        (router_err_o),
    .drop_count_o (drop_count_o)
  );

  assign rx_valid   = r_out_valid[DirP];
  assign rx_wavelet = r_out_wavelet[DirP*WWidth +: WWidth];
  assign tx_ready   = r_in_credit[DirP*NumColors +: NumColors];

  always_comb begin
    out_valid_o                                = r_out_valid;
    out_wavelet_o                              = r_out_wavelet;
    in_credit_o                                = r_in_credit;
    out_valid_o[DirP]                          = 1'b0;
    out_wavelet_o[DirP*WWidth +: WWidth]       = '0;
    in_credit_o[DirP*NumColors +: NumColors]   = '0;
  end

  // The DirP elements of the link inputs have no meaning at the tile boundary.
  logic [WWidth+NumColors:0] unused_ramp_in;
  assign unused_ramp_in = {in_valid_i[DirP], in_wavelet_i[DirP*WWidth +: WWidth],
                           out_credit_i[DirP*NumColors +: NumColors]};

  // ---- SRAM -------------------------------------------------------------------------------------
  logic [1:0]      mem_rreq, mem_rgnt, rd_valid, rd_err, rd_corr, rd_uncorr;
  logic [2*16-1:0] mem_raddr;
  logic [2*32-1:0] mem_rdata;
  logic            mem_wreq, mem_wgnt, wr_err, unused_inj_gnt;
  logic [15:0]     mem_waddr;
  logic [31:0]     mem_wdata;
  logic [1:0]      unused_rd;

  wm_sram_bank #(
    .SizeBytes   (MemWords * 4),
    .NumBanks    (8),
    .NumReadPorts(2),
    .AddrWidth   (16),
    .EnableEcc   (EnableEcc),
    .EccCntWidth (16)
  ) u_sram (
    .clk_i,
    .rst_ni,
    .rd_req_i        (mem_rreq),
    .rd_addr_i       (mem_raddr),
    .rd_gnt_o        (mem_rgnt),
    .rd_valid_o      (rd_valid),
    .rd_data_o       (mem_rdata),
    .rd_err_o        (rd_err),
    .rd_ecc_corr_o   (rd_corr),
    .rd_ecc_uncorr_o (rd_uncorr),
    .wr_req_i        (mem_wreq),
    .wr_addr_i       (mem_waddr),
    .wr_data_i       (mem_wdata),
    .wr_gnt_o        (mem_wgnt),
    .wr_err_o        (wr_err),
    .err_o           (sram_err_o),
    .err_clear_i     (1'b0),
    .ecc_corr_cnt_o  (ecc_corr_cnt_o),
    .ecc_uncorr_cnt_o(ecc_uncorr_cnt_o),
    .ecc_cnt_clear_i (1'b0),
    .inj_req_i       (1'b0),
    .inj_addr_i      ('0),
    .inj_mask_i      ('0),
    .inj_gnt_o       (unused_inj_gnt)
  );
  // The PE counts on data the cycle after a grant; corrected reads need no action here.
  assign unused_rd = rd_valid | rd_corr;

  // ---- PE ---------------------------------------------------------------------------------------
  wm_pe #(
    .NumColors(NumColors),
    .MemWords (MemWords)
  ) u_pe (
    .clk_i,
    .rst_ni,
    .mem_rreq_o      (mem_rreq),
    .mem_raddr_o     (mem_raddr),
    .mem_rgnt_i      (mem_rgnt),
    .mem_rdata_i     (mem_rdata),
    .mem_wreq_o      (mem_wreq),
    .mem_waddr_o     (mem_waddr),
    .mem_wdata_o     (mem_wdata),
    .mem_wgnt_i      (mem_wgnt),
    .mem_err_i       ((|rd_err) || wr_err || (|rd_uncorr)),
    .rx_valid_i      (rx_valid),
    .rx_wavelet_i    (rx_wavelet),
    .rx_ready_o      (rx_ready),
    .tx_valid_o      (tx_valid),
    .tx_wavelet_o    (tx_wavelet),
    .tx_ready_i      (tx_ready),
    .halted_o        (pe_halted_o),
    .err_code_o      (pe_err_code_o),
    .err_pc_o        (pe_err_pc_o),
    .busy_o          (act_busy_o),
    .act_task_start_o,
    .act_start_data_o,
    .act_start_wv_o,
    .act_running_o,
    .act_task_o,
    .act_retire_o,
    .act_pc_o,
    .act_elem_o,
    .act_mac_o
  );

  // ---- ramp activity ----------------------------------------------------------------------------
  // The router offers the ramp only colors the PE is ready for, so an offer is a delivery.
  wm_pkg::color_t tx_color;
  assign tx_color      = tx_wavelet[ColorLsb +: wm_pkg::ColorWidth];
  assign act_ramp_rx_o = rx_valid;
  assign act_ramp_tx_o = tx_valid && (32'(tx_color) < NumColors) &&
                         tx_ready[32'(tx_color) % NumColors];

endmodule

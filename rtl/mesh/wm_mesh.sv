// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The machine: W x H tiles (PE + router + SRAM, wm_tile) stitched by registered credit links,
/// with one host port on the west edge of row 0 (tile (0, 0), port W), as wm_fabric_mesh has
/// it. Through that port the host configures routes, LOADs programs and data into every SRAM,
/// ACTIVATEs tasks, feeds tokens and receives results.
///
/// Tile t = y * W + x sits in column x (0 west) and row y (0 north). Per-tile arrays are flat,
/// tile t at [t*Width +: Width], and per-port arrays inside a tile follow wm_pkg::dir_e.
/// This is the RTL of record; the C++ simulator (sim/) composes W x H Verilated wm_tile models
/// with the same wiring and is tested cycle-equivalent to it.
module wm_mesh #(
  parameter int unsigned W          = 2,      /// columns, 1 to 32
  parameter int unsigned H          = 2,      /// rows, 1 to 32
  parameter int unsigned NumColors  = 8,      /// colors per router, 1 to wm_pkg::MaxColors
  parameter int unsigned QueueDepth = 4,      /// wavelets per router input queue and color
  parameter int unsigned HopLatency = 0,      /// extra register stages per link
  parameter int unsigned MemWords   = 12288,  /// SRAM words per tile (48 KiB)
  parameter int unsigned EnableEcc  = 0       /// 1: SECDED ECC in every SRAM
) (
  input  logic                                     clk_i,
  input  logic                                     rst_ni,
  /// Host into tile (0, 0) port W: a credit link like any neighbour's.
  input  logic                                     host_in_valid_i,
  input  logic [wm_pkg::WaveletWidth-1:0]          host_in_wavelet_i,  /// wm_pkg::wavelet_t
  /// Credit pulse per color: one slot of that color's queue at (0, 0) port W was freed.
  output logic [NumColors-1:0]                     host_in_credit_o,
  /// Tile (0, 0) port W out to the host, registered.
  output logic                                     host_out_valid_o,
  output logic [wm_pkg::WaveletWidth-1:0]          host_out_wavelet_o, /// wm_pkg::wavelet_t
  /// Credit pulse per color from the host: it freed one slot of that color.
  input  logic [NumColors-1:0]                     host_out_credit_i,
  /// Bit t*NumDirs+d: a wavelet left tile t on neighbour port d this cycle (DirP: 0).
  output logic [W*H*wm_pkg::NumDirs-1:0]           link_valid_o,
  /// Tile t, port d at [(t*NumDirs+d)*WaveletWidth +: WaveletWidth]: that wavelet.
  output logic [W*H*wm_pkg::NumDirs*wm_pkg::WaveletWidth-1:0] link_wavelet_o,
  // ---- status, per tile -------------------------------------------------------------------
  output logic [W*H-1:0]                           halted_o,          /// PE stopped
  output logic [W*H*3-1:0]                         err_code_o,        /// PE error code
  output logic [W*H*16-1:0]                        err_pc_o,          /// PE error pc
  output logic [W*H*4-1:0]                         router_err_o,      /// router sticky errors
  output logic [W*H*16-1:0]                        drop_count_o,      /// router drops
  output logic [W*H-1:0]                           sram_err_o,        /// SRAM range error
  output logic [W*H*16-1:0]                        ecc_corr_cnt_o,    /// SRAM reads corrected
  output logic [W*H*16-1:0]                        ecc_uncorr_cnt_o,  /// ... uncorrectable
  output logic                                     all_halted_o,      /// every PE stopped
  /// Some tile has a PE error, a router error or an SRAM error.
  output logic                                     any_err_o,
  // ---- activity, per tile and cycle -----------------------------------------------------------
  output logic [W*H-1:0]                           act_busy_o,        /// PE has work
  output logic [W*H-1:0]                           act_running_o,     /// a task runs
  output logic [W*H-1:0]                           act_task_start_o,  /// a task starts
  output logic [W*H*4-1:0]                         act_task_o,        /// task id
  output logic [W*H-1:0]                           act_retire_o,      /// instruction done
  output logic [W*H*16-1:0]                        act_pc_o,          /// ... its pc
  output logic [W*H-1:0]                           act_elem_o,        /// vector element
  output logic [W*H-1:0]                           act_mac_o,         /// ... FMAC-class
  output logic [W*H-1:0]                           act_ramp_rx_o,     /// router -> PE
  output logic [W*H-1:0]                           act_ramp_tx_o      /// PE -> router
);
  localparam int unsigned NumDirs = wm_pkg::NumDirs;
  localparam int unsigned WWidth  = wm_pkg::WaveletWidth;
  localparam int unsigned DirW    = 32'(wm_pkg::DirW);
  localparam int unsigned DirE    = 32'(wm_pkg::DirE);
  localparam int unsigned DirN    = 32'(wm_pkg::DirN);
  localparam int unsigned DirS    = 32'(wm_pkg::DirS);

  // Every tile's link arrays, tile t at [t*NumDirs*Width +: NumDirs*Width].
  logic [W*H*NumDirs-1:0]           in_valid, out_valid;
  logic [W*H*NumDirs*WWidth-1:0]    in_wavelet, out_wavelet;
  logic [W*H*NumDirs*NumColors-1:0] in_credit, out_credit;
  logic [W*H-1:0]                   unused_start_data;
  logic [W*H*32-1:0]                unused_start_wv;

  assign link_valid_o   = out_valid;
  assign link_wavelet_o = out_wavelet;

  always_comb begin
    all_halted_o = &halted_o;
    any_err_o    = (|router_err_o) || (|sram_err_o);
    for (int unsigned t = 0; t < W * H; t++) begin
      if (err_code_o[t*3 +: 3] != '0) any_err_o = 1'b1;
    end
  end

  for (genvar y = 0; y < H; y++) begin : gen_row
    for (genvar x = 0; x < W; x++) begin : gen_col
      localparam int unsigned T = y * W + x;
      // Port d of this tile: its index into the flat arrays above.
      localparam int unsigned PP = T * NumDirs + 32'(wm_pkg::DirP);
      localparam int unsigned PW = T * NumDirs + DirW;
      localparam int unsigned PE = T * NumDirs + DirE;
      localparam int unsigned PN = T * NumDirs + DirN;
      localparam int unsigned PS = T * NumDirs + DirS;
      wm_pkg::dir_set_t edge_open;  // the host port, at (0, 0) only

      always_comb begin
        edge_open       = '0;
        edge_open[DirW] = (x == 0) && (y == 0);
      end

      // The tile ignores its DirP link inputs and drives its DirP outputs to zero.
      logic [NumColors-1:0] unused_ramp_credit;
      assign unused_ramp_credit                    = in_credit[PP*NumColors +: NumColors];
      assign in_valid[PP]                          = 1'b0;
      assign in_wavelet[PP*WWidth +: WWidth]       = '0;
      assign out_credit[PP*NumColors +: NumColors] = '0;

      // West: the east port of (x-1, y), or the host at (0, 0), or nothing.
      if (x > 0) begin : gen_w
        localparam int unsigned Peer = (T - 1) * NumDirs + DirE;
        assign in_valid[PW]                          = out_valid[Peer];
        assign in_wavelet[PW*WWidth +: WWidth]       = out_wavelet[Peer*WWidth +: WWidth];
        assign out_credit[PW*NumColors +: NumColors] = in_credit[Peer*NumColors +: NumColors];
      end else if (y == 0) begin : gen_w_host
        assign in_valid[PW]                          = host_in_valid_i;
        assign in_wavelet[PW*WWidth +: WWidth]       = host_in_wavelet_i;
        assign out_credit[PW*NumColors +: NumColors] = host_out_credit_i;
        assign host_in_credit_o                      = in_credit[PW*NumColors +: NumColors];
        assign host_out_valid_o                      = out_valid[PW];
        assign host_out_wavelet_o                    = out_wavelet[PW*WWidth +: WWidth];
      end else begin : gen_w_edge
        logic [NumColors-1:0] unused_edge;
        assign in_valid[PW]                          = 1'b0;
        assign in_wavelet[PW*WWidth +: WWidth]       = '0;
        assign out_credit[PW*NumColors +: NumColors] = '0;
        assign unused_edge                           = in_credit[PW*NumColors +: NumColors];
      end

      // East: the west port of (x+1, y), or nothing.
      if (x < W - 1) begin : gen_e
        localparam int unsigned Peer = (T + 1) * NumDirs + DirW;
        assign in_valid[PE]                          = out_valid[Peer];
        assign in_wavelet[PE*WWidth +: WWidth]       = out_wavelet[Peer*WWidth +: WWidth];
        assign out_credit[PE*NumColors +: NumColors] = in_credit[Peer*NumColors +: NumColors];
      end else begin : gen_e_edge
        logic [NumColors-1:0] unused_edge;
        assign in_valid[PE]                          = 1'b0;
        assign in_wavelet[PE*WWidth +: WWidth]       = '0;
        assign out_credit[PE*NumColors +: NumColors] = '0;
        assign unused_edge                           = in_credit[PE*NumColors +: NumColors];
      end

      // North: the south port of (x, y-1), or nothing.
      if (y > 0) begin : gen_n
        localparam int unsigned Peer = (T - W) * NumDirs + DirS;
        assign in_valid[PN]                          = out_valid[Peer];
        assign in_wavelet[PN*WWidth +: WWidth]       = out_wavelet[Peer*WWidth +: WWidth];
        assign out_credit[PN*NumColors +: NumColors] = in_credit[Peer*NumColors +: NumColors];
      end else begin : gen_n_edge
        logic [NumColors-1:0] unused_edge;
        assign in_valid[PN]                          = 1'b0;
        assign in_wavelet[PN*WWidth +: WWidth]       = '0;
        assign out_credit[PN*NumColors +: NumColors] = '0;
        assign unused_edge                           = in_credit[PN*NumColors +: NumColors];
      end

      // South: the north port of (x, y+1), or nothing.
      if (y < H - 1) begin : gen_s
        localparam int unsigned Peer = (T + W) * NumDirs + DirN;
        assign in_valid[PS]                          = out_valid[Peer];
        assign in_wavelet[PS*WWidth +: WWidth]       = out_wavelet[Peer*WWidth +: WWidth];
        assign out_credit[PS*NumColors +: NumColors] = in_credit[Peer*NumColors +: NumColors];
      end else begin : gen_s_edge
        logic [NumColors-1:0] unused_edge;
        assign in_valid[PS]                          = 1'b0;
        assign in_wavelet[PS*WWidth +: WWidth]       = '0;
        assign out_credit[PS*NumColors +: NumColors] = '0;
        assign unused_edge                           = in_credit[PS*NumColors +: NumColors];
      end

      wm_tile #(
        .NumColors (NumColors),
        .QueueDepth(QueueDepth),
        .HopLatency(HopLatency),
        .MemWords  (MemWords),
        .EnableEcc (EnableEcc)
      ) u_tile (
        .clk_i,
        .rst_ni,
        .x_i             (wm_pkg::CoordWidth'(x)),
        .y_i             (wm_pkg::CoordWidth'(y)),
        .max_x_i         (wm_pkg::CoordWidth'(W - 1)),
        .max_y_i         (wm_pkg::CoordWidth'(H - 1)),
        .edge_open_i     (edge_open),
        .in_valid_i      (in_valid[T*NumDirs +: NumDirs]),
        .in_wavelet_i    (in_wavelet[T*NumDirs*WWidth +: NumDirs*WWidth]),
        .in_credit_o     (in_credit[T*NumDirs*NumColors +: NumDirs*NumColors]),
        .out_valid_o     (out_valid[T*NumDirs +: NumDirs]),
        .out_wavelet_o   (out_wavelet[T*NumDirs*WWidth +: NumDirs*WWidth]),
        .out_credit_i    (out_credit[T*NumDirs*NumColors +: NumDirs*NumColors]),
        .pe_halted_o     (halted_o[T]),
        .pe_err_code_o   (err_code_o[T*3 +: 3]),
        .pe_err_pc_o     (err_pc_o[T*16 +: 16]),
        .router_err_o    (router_err_o[T*4 +: 4]),
        .drop_count_o    (drop_count_o[T*16 +: 16]),
        .sram_err_o      (sram_err_o[T]),
        .ecc_corr_cnt_o  (ecc_corr_cnt_o[T*16 +: 16]),
        .ecc_uncorr_cnt_o(ecc_uncorr_cnt_o[T*16 +: 16]),
        .act_busy_o      (act_busy_o[T]),
        .act_running_o   (act_running_o[T]),
        .act_task_start_o(act_task_start_o[T]),
        .act_start_data_o(unused_start_data[T]),
        .act_start_wv_o  (unused_start_wv[T*32 +: 32]),
        .act_task_o      (act_task_o[T*4 +: 4]),
        .act_retire_o    (act_retire_o[T]),
        .act_pc_o        (act_pc_o[T*16 +: 16]),
        .act_elem_o      (act_elem_o[T]),
        .act_mac_o       (act_mac_o[T]),
        .act_ramp_rx_o   (act_ramp_rx_o[T]),
        .act_ramp_tx_o   (act_ramp_tx_o[T])
      );
    end
  end

endmodule

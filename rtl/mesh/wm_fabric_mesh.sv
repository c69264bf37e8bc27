// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The fabric alone: W x H routers stitched by registered credit links, with every ramp brought
/// out as a traffic port and one host port on the west edge of row 0 (router (0, 0), port W).
/// For verifying and benchmarking the network without PEs.
///
/// Tile t = y * W + x sits in column x (0 west) and row y (0 north). Per-tile arrays are flat,
/// tile t at [t*Width +: Width], and per-port arrays inside a tile follow wm_pkg::dir_e.
module wm_fabric_mesh #(
  parameter int unsigned W          = 2,  /// columns, 1 to 32
  parameter int unsigned H          = 2,  /// rows, 1 to 32
  parameter int unsigned NumColors  = 8,  /// colors per router, 1 to wm_pkg::MaxColors
  parameter int unsigned QueueDepth = 4,  /// wavelets per input queue and color
  parameter int unsigned HopLatency = 0   /// extra register stages per link
) (
  input  logic                                   clk_i,
  input  logic                                   rst_ni,
  /// Ramp into tile t's router: a wavelet offered, held until taken.
  input  logic [W*H-1:0]                         ramp_in_valid_i,
  input  logic [W*H*wm_pkg::WaveletWidth-1:0]    ramp_in_wavelet_i,  /// wm_pkg::wavelet_t per tile
  /// Bit t*NumColors+c: tile t takes a ramp wavelet of color c this cycle.
  output logic [W*H*NumColors-1:0]               ramp_in_ready_o,
  /// Ramp out of tile t's router: a wavelet delivered this cycle (only for ready colors).
  output logic [W*H-1:0]                         ramp_out_valid_o,
  output logic [W*H*wm_pkg::WaveletWidth-1:0]    ramp_out_wavelet_o, /// wm_pkg::wavelet_t per tile
  /// Bit t*NumColors+c: tile t's consumer takes a wavelet of color c this cycle if offered.
  input  logic [W*H*NumColors-1:0]               ramp_out_ready_i,
  /// Host into router (0, 0) port W: a credit link like any neighbour's.
  input  logic                                   host_in_valid_i,
  input  logic [wm_pkg::WaveletWidth-1:0]        host_in_wavelet_i,  /// wm_pkg::wavelet_t
  /// Credit pulse per color: one slot of that color's queue at (0, 0) port W was freed.
  output logic [NumColors-1:0]                   host_in_credit_o,
  /// Router (0, 0) port W out to the host, registered.
  output logic                                   host_out_valid_o,
  output logic [wm_pkg::WaveletWidth-1:0]        host_out_wavelet_o, /// wm_pkg::wavelet_t
  /// Credit pulse per color from the host: it freed one slot of that color.
  input  logic [NumColors-1:0]                   host_out_credit_i,
  /// Bit t*NumDirs+d: a wavelet left tile t on port d this cycle (link utilisation).
  output logic [W*H*wm_pkg::NumDirs-1:0]         link_valid_o,
  /// Bit (t*NumDirs+d)*NumColors+c: tile t's queue of input d and color c is not empty.
  output logic [W*H*wm_pkg::NumDirs*NumColors-1:0] busy_o,
  output logic [W*H*4-1:0]                       err_o,         /// tile t's sticky error bits
  output logic [W*H*16-1:0]                      drop_count_o   /// tile t's dropped wavelets
);
  localparam int unsigned NumDirs = wm_pkg::NumDirs;
  localparam int unsigned WWidth  = wm_pkg::WaveletWidth;
  localparam int unsigned DirP    = 32'(wm_pkg::DirP);
  localparam int unsigned DirW    = 32'(wm_pkg::DirW);
  localparam int unsigned DirE    = 32'(wm_pkg::DirE);
  localparam int unsigned DirN    = 32'(wm_pkg::DirN);
  localparam int unsigned DirS    = 32'(wm_pkg::DirS);

  // Every router's port arrays, tile t at [t*NumDirs*Width +: NumDirs*Width].
  logic [W*H*NumDirs-1:0]           in_valid, out_valid;
  logic [W*H*NumDirs*WWidth-1:0]    in_wavelet, out_wavelet;
  logic [W*H*NumDirs*NumColors-1:0] in_credit, out_credit;

  assign link_valid_o = out_valid;

  for (genvar y = 0; y < H; y++) begin : gen_row
    for (genvar x = 0; x < W; x++) begin : gen_col
      localparam int unsigned T = y * W + x;
      // Port d of this tile: its index into the flat arrays above.
      localparam int unsigned PP = T * NumDirs + DirP;
      localparam int unsigned PW = T * NumDirs + DirW;
      localparam int unsigned PE = T * NumDirs + DirE;
      localparam int unsigned PN = T * NumDirs + DirN;
      localparam int unsigned PS = T * NumDirs + DirS;
      wm_pkg::dir_set_t edge_open;  // the host port, at (0, 0) only

      always_comb begin
        edge_open       = '0;
        edge_open[DirW] = (x == 0) && (y == 0);
      end

      // Ramp.
      assign in_valid[PP]                               = ramp_in_valid_i[T];
      assign in_wavelet[PP*WWidth +: WWidth]            = ramp_in_wavelet_i[T*WWidth +: WWidth];
      assign ramp_in_ready_o[T*NumColors +: NumColors]  = in_credit[PP*NumColors +: NumColors];
      assign ramp_out_valid_o[T]                        = out_valid[PP];
      assign ramp_out_wavelet_o[T*WWidth +: WWidth]     = out_wavelet[PP*WWidth +: WWidth];
      assign out_credit[PP*NumColors +: NumColors]      =
          ramp_out_ready_i[T*NumColors +: NumColors];

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
        logic [WWidth+NumColors-1:0] unused_edge;
        assign in_valid[PW]                          = 1'b0;
        assign in_wavelet[PW*WWidth +: WWidth]       = '0;
        assign out_credit[PW*NumColors +: NumColors] = '0;
        assign unused_edge = {out_wavelet[PW*WWidth +: WWidth],
                              in_credit[PW*NumColors +: NumColors]};
      end

      // East: the west port of (x+1, y), or nothing.
      if (x < W - 1) begin : gen_e
        localparam int unsigned Peer = (T + 1) * NumDirs + DirW;
        assign in_valid[PE]                          = out_valid[Peer];
        assign in_wavelet[PE*WWidth +: WWidth]       = out_wavelet[Peer*WWidth +: WWidth];
        assign out_credit[PE*NumColors +: NumColors] = in_credit[Peer*NumColors +: NumColors];
      end else begin : gen_e_edge
        logic [WWidth+NumColors-1:0] unused_edge;
        assign in_valid[PE]                          = 1'b0;
        assign in_wavelet[PE*WWidth +: WWidth]       = '0;
        assign out_credit[PE*NumColors +: NumColors] = '0;
        assign unused_edge = {out_wavelet[PE*WWidth +: WWidth],
                              in_credit[PE*NumColors +: NumColors]};
      end

      // North: the south port of (x, y-1), or nothing.
      if (y > 0) begin : gen_n
        localparam int unsigned Peer = (T - W) * NumDirs + DirS;
        assign in_valid[PN]                          = out_valid[Peer];
        assign in_wavelet[PN*WWidth +: WWidth]       = out_wavelet[Peer*WWidth +: WWidth];
        assign out_credit[PN*NumColors +: NumColors] = in_credit[Peer*NumColors +: NumColors];
      end else begin : gen_n_edge
        logic [WWidth+NumColors-1:0] unused_edge;
        assign in_valid[PN]                          = 1'b0;
        assign in_wavelet[PN*WWidth +: WWidth]       = '0;
        assign out_credit[PN*NumColors +: NumColors] = '0;
        assign unused_edge = {out_wavelet[PN*WWidth +: WWidth],
                              in_credit[PN*NumColors +: NumColors]};
      end

      // South: the north port of (x, y+1), or nothing.
      if (y < H - 1) begin : gen_s
        localparam int unsigned Peer = (T + W) * NumDirs + DirN;
        assign in_valid[PS]                          = out_valid[Peer];
        assign in_wavelet[PS*WWidth +: WWidth]       = out_wavelet[Peer*WWidth +: WWidth];
        assign out_credit[PS*NumColors +: NumColors] = in_credit[Peer*NumColors +: NumColors];
      end else begin : gen_s_edge
        logic [WWidth+NumColors-1:0] unused_edge;
        assign in_valid[PS]                          = 1'b0;
        assign in_wavelet[PS*WWidth +: WWidth]       = '0;
        assign out_credit[PS*NumColors +: NumColors] = '0;
        assign unused_edge = {out_wavelet[PS*WWidth +: WWidth],
                              in_credit[PS*NumColors +: NumColors]};
      end

      wm_router #(
        .NumColors (NumColors),
        .QueueDepth(QueueDepth),
        .HopLatency(HopLatency)
      ) u_router (
        .clk_i,
        .rst_ni,
        .x_i          (wm_pkg::CoordWidth'(x)),
        .y_i          (wm_pkg::CoordWidth'(y)),
        .max_x_i      (wm_pkg::CoordWidth'(W - 1)),
        .max_y_i      (wm_pkg::CoordWidth'(H - 1)),
        .edge_open_i  (edge_open),
        .in_valid_i   (in_valid[T*NumDirs +: NumDirs]),
        .in_wavelet_i (in_wavelet[T*NumDirs*WWidth +: NumDirs*WWidth]),
        .in_credit_o  (in_credit[T*NumDirs*NumColors +: NumDirs*NumColors]),
        .out_valid_o  (out_valid[T*NumDirs +: NumDirs]),
        .out_wavelet_o(out_wavelet[T*NumDirs*WWidth +: NumDirs*WWidth]),
        .out_credit_i (out_credit[T*NumDirs*NumColors +: NumDirs*NumColors]),
        .busy_o       (busy_o[T*NumDirs*NumColors +: NumDirs*NumColors]),
        .err_o        (err_o[T*4 +: 4]),
        .drop_count_o (drop_count_o[T*16 +: 16])
      );
    end
  end

endmodule

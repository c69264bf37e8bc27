// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The PE's fabric output: picks, round robin, one wavelet per cycle among the sources whose
/// color the router's ramp can take now (the engines' output queues and the core's `send`),
/// so a stalled color never holds back another.
module wm_pe_tx #(
  parameter int unsigned NumColors  = 8,  /// colors of the router, 1 to 24
  parameter int unsigned NumSources = 5   /// output queues
) (
  input  logic                                           clk_i,
  input  logic                                           rst_ni,
  input  logic [NumSources-1:0]                          src_valid_i,    /// a head waits
  input  logic [NumSources*wm_pkg::WaveletWidth-1:0] src_wavelet_i,   /// the heads
  output logic [NumSources-1:0]                          src_pop_o,      /// head sent
  output logic                                           tx_valid_o,     /// to the ramp
  output logic [wm_pkg::WaveletWidth-1:0]                tx_wavelet_o,
  /// The ramp takes a wavelet of color c this cycle (per-color queue space in the router).
  input  logic [NumColors-1:0]                           tx_ready_i
);
  localparam int unsigned IdxWidth = (NumSources > 1) ? $clog2(NumSources) : 1;

  logic [NumSources-1:0] req, gnt;
  logic [IdxWidth-1:0]   idx;
  logic                  found;

  localparam int unsigned WW       = wm_pkg::WaveletWidth;
  localparam int unsigned ColorLsb = wm_pkg::DataWidth;  // wavelet_t: {.., color, data}
  logic [31:0] ready_ext;
  assign ready_ext = 32'(tx_ready_i);

  always_comb begin
    for (int unsigned i = 0; i < NumSources; i++) begin
      req[i] = src_valid_i[i]
               && ready_ext[src_wavelet_i[i*WW+ColorLsb +: wm_pkg::ColorWidth]];
    end
  end

  // Every grant is taken (requests already include the ramp's ready), so priority always moves.
  wm_rr_arb #(.N(NumSources)) u_arb (
    .clk_i, .rst_ni, .req_i(req), .advance_i(1'b1), .gnt_o(gnt), .gnt_idx_o(idx),
    .gnt_valid_o(found)
  );

  assign tx_valid_o   = found;
  assign tx_wavelet_o = src_wavelet_i[idx*WW +: WW];
  assign src_pop_o    = gnt;

endmodule

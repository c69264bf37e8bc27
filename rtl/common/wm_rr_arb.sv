// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Round-robin arbiter: grants one requester per cycle, starting the search just after the
/// last requester granted, so every persistent request is granted within N cycles.
/// The grant is combinational from the requests; the priority pointer moves only when
/// `advance_i` says the grant was used.
module wm_rr_arb #(
  parameter int unsigned N = 4  /// requesters
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic [N-1:0]         req_i,      /// one bit per requester
  /// The granted requester was served: move priority past it.
  input  logic                 advance_i,
  output logic [N-1:0]         gnt_o,      /// one-hot, or zero when nobody requests
  output logic [IdxWidth-1:0]  gnt_idx_o,  /// index of the grant, valid when gnt_valid_o
  output logic                 gnt_valid_o /// some request was granted
);
  localparam int unsigned IdxWidth = (N > 1) ? $clog2(N) : 1;

  // The requester with the highest priority this cycle.
  logic [IdxWidth-1:0] prio_q, prio_d;

  // Bit b of an index, as a mask over the requesters: ORing the one-hot grant with it gives
  // that bit of the grant's index (an encoder without a loop over the requesters).
  function automatic logic [N-1:0] index_bit_mask(input int unsigned b);
    for (int unsigned i = 0; i < N; i++) index_bit_mask[i] = ((i >> b) & 1) != 0;
  endfunction

  // Word-wide rather than a loop over the requesters: the lowest request at or after the
  // pointer, else the lowest request (the same grant as a two-pass search, in a few word
  // operations in Verilator's C++; the router has six of these over 40 requesters).
  logic [N-1:0] at_or_after, masked, pick;
  always_comb begin
    at_or_after = ~((N'(1) << prio_q) - N'(1));
    masked      = req_i & at_or_after;
    pick        = (masked != '0) ? masked : req_i;
    gnt_o       = pick & (~pick + N'(1));  // its lowest set bit
    gnt_valid_o = req_i != '0;
  end

  for (genvar b = 0; b < IdxWidth; b++) begin : gen_idx
    localparam logic [N-1:0] BitMask = index_bit_mask(b);
    assign gnt_idx_o[b] = |(gnt_o & BitMask);
  end

  always_comb begin
    prio_d = prio_q;
    if (gnt_valid_o && advance_i) begin
      prio_d = (gnt_idx_o == IdxWidth'(N - 1)) ? '0 : gnt_idx_o + IdxWidth'(1);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) prio_q <= '0;
    else         prio_q <= prio_d;
  end

endmodule

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

  always_comb begin
    logic found;
    found     = 1'b0;
    gnt_idx_o = '0;
    // Two passes: first the requesters at or after the pointer, then the ones before it.
    for (int unsigned i = 0; i < N; i++) begin
      if (!found && req_i[i] && (IdxWidth'(i) >= prio_q)) begin
        found     = 1'b1;
        gnt_idx_o = IdxWidth'(i);
      end
    end
    for (int unsigned i = 0; i < N; i++) begin
      if (!found && req_i[i]) begin
        found     = 1'b1;
        gnt_idx_o = IdxWidth'(i);
      end
    end
    gnt_o = '0;
    if (found) gnt_o[gnt_idx_o] = 1'b1;
    gnt_valid_o = found;
    prio_d = prio_q;
    if (found && advance_i) begin
      prio_d = (gnt_idx_o == IdxWidth'(N - 1)) ? '0 : gnt_idx_o + IdxWidth'(1);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) prio_q <= '0;
    else         prio_q <= prio_d;
  end

endmodule

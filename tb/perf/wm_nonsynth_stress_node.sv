// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Benchmark-only node of wm_nonsynth_stress_mesh: three input FIFOs (from the west, from the
/// north, and a local LFSR injector) and three round-robin arbiters that forward FIFO heads
/// east or south, or eject them. A word carries its remaining hop count in bits [3:0] and
/// picks its direction from bit 8 + hops, so traffic spreads over the whole mesh. It exists to
/// give the benchmarks a DUT whose eval is not trivially cheap, built from the real primitives.
module wm_nonsynth_stress_node #(
  parameter int unsigned Seed      = 1,  /// injector LFSR seed; must not be 0
  parameter bit          SinkEast  = 0,  /// last column: words leaving east are ejected here
  parameter bit          SinkSouth = 0   /// last row: words leaving south are ejected here
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [1:0][31:0] in_data_i,    /// from the west (0) and the north (1) neighbour
  input  logic [1:0]       in_valid_i,   /// per input
  output logic [1:0]       in_ready_o,   /// per input: its FIFO has room
  output logic [1:0][31:0] out_data_o,   /// to the east (0) and the south (1) neighbour
  output logic [1:0]       out_valid_o,  /// per output
  input  logic [1:0]       out_ready_i,  /// per output; ignored on a sink side
  output logic [31:0]      sum_o,        /// running sum of every word ejected here
  output logic [31:0]      ejected_o,    /// words ejected here
  output logic [3:0]       occupancy_o   /// words held in the three FIFOs
);
  localparam int unsigned NumIn = 3;  // west, north, local injector

  logic [31:0]           lfsr_q, lfsr_d;
  logic [NumIn-1:0][31:0] head;
  logic [NumIn-1:0]       head_valid, pop, push, wready;
  logic [NumIn-1:0][31:0] wdata;
  logic [NumIn-1:0][2:0]  count;
  logic [NumIn-1:0]       req_e, req_s, req_j, gnt_e, gnt_s, gnt_j;
  logic [1:0]             idx_e, idx_s, idx_j;
  logic                   any_e, any_s, any_j, ready_e, ready_s, take_e, take_s;
  logic [31:0]            sum_q, sum_d, ejected_q, ejected_d;

  // Galois LFSR (x^32 + x^22 + x^2 + x + 1): a new pseudo-random word every cycle.
  assign lfsr_d = {1'b0, lfsr_q[31:1]} ^ (lfsr_q[0] ? 32'h8020_0003 : 32'h0);

  assign wdata      = {lfsr_q, in_data_i[1], in_data_i[0]};
  assign push       = {lfsr_q[0] & lfsr_q[1], in_valid_i};  // inject a quarter of cycles
  assign in_ready_o = wready[1:0];

  for (genvar i = 0; i < NumIn; i++) begin : gen_in
    wm_fifo #(.Width(32), .Depth(4)) u_fifo (
      .clk_i,
      .rst_ni,
      .flush_i  (1'b0),
      .wdata_i  (wdata[i]),
      .wvalid_i (push[i]),
      .wready_o (wready[i]),
      .rdata_o  (head[i]),
      .rvalid_o (head_valid[i]),
      .rready_i (pop[i]),
      .count_o  (count[i])
    );
    // Hops left in [3:0]; zero means eject, else bit 8 + hops picks east (0) or south (1).
    assign req_j[i] = head_valid[i] && (head[i][3:0] == 4'd0);
    assign req_e[i] = head_valid[i] && !req_j[i] && !head[i][8 + head[i][3:0]];
    assign req_s[i] = head_valid[i] && !req_j[i] && head[i][8 + head[i][3:0]];
  end

  wm_rr_arb #(.N(NumIn)) u_arb_e (
    .clk_i, .rst_ni, .req_i(req_e), .advance_i(ready_e), .gnt_o(gnt_e), .gnt_idx_o(idx_e),
    .gnt_valid_o(any_e)
  );
  wm_rr_arb #(.N(NumIn)) u_arb_s (
    .clk_i, .rst_ni, .req_i(req_s), .advance_i(ready_s), .gnt_o(gnt_s), .gnt_idx_o(idx_s),
    .gnt_valid_o(any_s)
  );
  wm_rr_arb #(.N(NumIn)) u_arb_j (
    .clk_i, .rst_ni, .req_i(req_j), .advance_i(1'b1), .gnt_o(gnt_j), .gnt_idx_o(idx_j),
    .gnt_valid_o(any_j)
  );

  // A sink side ejects what leaves it, so the mesh has no cyclic wait and cannot deadlock.
  // The arbiters advance on readiness alone (they ignore it without a grant), which keeps
  // their grant out of a combinational loop through advance_i.
  assign ready_e = SinkEast || out_ready_i[0];
  assign ready_s = SinkSouth || out_ready_i[1];
  assign take_e  = any_e && ready_e;
  assign take_s  = any_s && ready_s;
  assign pop    = (take_e ? gnt_e : '0) | (take_s ? gnt_s : '0) | gnt_j;

  assign out_data_o[0]  = {head[idx_e][31:4], head[idx_e][3:0] - 4'd1};
  assign out_data_o[1]  = {head[idx_s][31:4], head[idx_s][3:0] - 4'd1};
  assign out_valid_o[0] = any_e && !SinkEast;
  assign out_valid_o[1] = any_s && !SinkSouth;

  always_comb begin
    sum_d     = sum_q;
    ejected_d = ejected_q;
    if (any_j) begin
      sum_d     = sum_d + head[idx_j];
      ejected_d = ejected_d + 32'd1;
    end
    if (SinkEast && any_e) begin
      sum_d     = sum_d + out_data_o[0];
      ejected_d = ejected_d + 32'd1;
    end
    if (SinkSouth && any_s) begin
      sum_d     = sum_d + out_data_o[1];
      ejected_d = ejected_d + 32'd1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      lfsr_q    <= Seed;
      sum_q     <= '0;
      ejected_q <= '0;
    end else begin
      // A full injector FIFO stalls the injector: the word waits, as a core's would.
      if (!push[2] || wready[2]) lfsr_q <= lfsr_d;
      sum_q     <= sum_d;
      ejected_q <= ejected_d;
    end
  end

  assign sum_o       = sum_q;
  assign ejected_o   = ejected_q;
  assign occupancy_o = 4'(count[0]) + 4'(count[1]) + 4'(count[2]);

endmodule

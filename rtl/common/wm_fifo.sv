// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Synchronous FIFO with valid/ready on both sides. Not fall-through: a word written in cycle t
/// can be read in cycle t+1, so no combinational path runs from the write side to the read side
/// (or from the read side's ready back to the write side's ready).
module wm_fifo #(
  parameter int unsigned Width = 32,  /// bits per entry
  parameter int unsigned Depth = 4    /// entries; any value >= 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  /// Discards every entry (synchronous); has priority over a push in the same cycle.
  input  logic             flush_i,
  input  logic [Width-1:0] wdata_i,   /// entry to push
  input  logic             wvalid_i,  /// push request
  output logic             wready_o,  /// not full: a push this cycle is accepted
  output logic [Width-1:0] rdata_o,   /// oldest entry, valid while rvalid_o
  output logic             rvalid_o,  /// not empty
  input  logic             rready_i,  /// pop the oldest entry this cycle
  /// Entries held, 0 to Depth (for credit return and congestion statistics).
  output logic [$clog2(Depth+1)-1:0] count_o
);
  localparam int unsigned PtrWidth = (Depth > 1) ? $clog2(Depth) : 1;
  localparam int unsigned CntWidth = $clog2(Depth + 1);

  logic [Width-1:0]    mem_q [Depth];
  logic [PtrWidth-1:0] wptr_q, rptr_q, wptr_d, rptr_d;
  logic [CntWidth-1:0] count_q, count_d;
  logic                push, pop;

  assign wready_o = (count_q != CntWidth'(Depth));
  assign rvalid_o = (count_q != '0);
  assign rdata_o  = mem_q[rptr_q];
  assign count_o  = count_q;
  assign push     = wvalid_i && wready_o;
  assign pop      = rready_i && rvalid_o;

  function automatic logic [PtrWidth-1:0] next_ptr(input logic [PtrWidth-1:0] ptr);
    if (ptr == PtrWidth'(Depth - 1)) next_ptr = '0;
    else next_ptr = ptr + PtrWidth'(1);
  endfunction

  always_comb begin
    wptr_d  = push ? next_ptr(wptr_q) : wptr_q;
    rptr_d  = pop ? next_ptr(rptr_q) : rptr_q;
    count_d = count_q + CntWidth'(push) - CntWidth'(pop);
    if (flush_i) begin
      wptr_d  = '0;
      rptr_d  = '0;
      count_d = '0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wptr_q  <= '0;
      rptr_q  <= '0;
      count_q <= '0;
    end else begin
      wptr_q  <= wptr_d;
      rptr_q  <= rptr_d;
      count_q <= count_d;
    end
  end

  // Storage has no reset: its contents are unobservable until written.
  always_ff @(posedge clk_i) begin
    if (push && !flush_i) mem_q[wptr_q] <= wdata_i;
  end

endmodule

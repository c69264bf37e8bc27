// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Testbench-only design for the harness's own tests: one signal of each Verilated width
/// (CData, SData, IData, QData), a combinational path (for ReadWrite/ReadOnly) and registers.
module wm_nonsynth_harness_dut (
  input  logic        clk_i,     /// clock
  input  logic        rst_ni,    /// asynchronous reset, active low
  input  logic        en_i,      /// count this cycle
  input  logic [7:0]  a_i,       /// first addend
  input  logic [7:0]  b_i,       /// second addend
  input  logic [63:0] wide_i,    /// 64-bit input (a QData field)
  output logic [7:0]  sum_o,     /// a_i + b_i, combinational
  output logic [63:0] wide_o,    /// wide_i + 1, combinational
  output logic [15:0] count_o,   /// cycles with en_i high since reset (an SData field)
  output logic [31:0] cycles_o,  /// cycles since reset (an IData field)
  output logic        odd_o      /// count_o is odd, combinational
);
  logic [15:0] count_q;
  logic [31:0] cycles_q;

  assign sum_o    = a_i + b_i;
  assign wide_o   = wide_i + 64'd1;
  assign count_o  = count_q;
  assign cycles_o = cycles_q;
  assign odd_o    = count_q[0];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      count_q  <= '0;
      cycles_q <= '0;
    end else begin
      count_q  <= count_q + (en_i ? 16'd1 : 16'd0);
      cycles_q <= cycles_q + 32'd1;
    end
  end

endmodule

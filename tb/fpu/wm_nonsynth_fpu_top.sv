// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Testbench-only wrapper: every FP32 unit on one pair of operands, so a single Verilated model
/// (one compile) serves all FPU tests and one eval checks every unit.
module wm_nonsynth_fpu_top (
  input  logic [31:0] a_i,    /// first operand; also the integer (i2f) and float (f2i) input
  input  logic [31:0] b_i,    /// second operand
  input  logic        sub_i,  /// wm_fp_add subtracts
  output logic [31:0] add_o,  /// a_i + b_i, or a_i - b_i when sub_i
  output logic [31:0] mul_o,  /// a_i * b_i
  output logic [31:0] min_o,  /// minimumNumber(a_i, b_i)
  output logic [31:0] max_o,  /// maximumNumber(a_i, b_i)
  output logic        lt_o,   /// a_i < b_i
  output logic        le_o,   /// a_i <= b_i
  output logic        eq_o,   /// a_i == b_i
  output logic [31:0] i2f_o,  /// float(int32 a_i)
  output logic [31:0] f2i_o   /// int32(float a_i), truncated and saturated
);
  wm_fp_add u_add (.a_i(a_i), .b_i(b_i), .sub_i(sub_i), .res_o(add_o));
  wm_fp_mul u_mul (.a_i(a_i), .b_i(b_i), .res_o(mul_o));
  wm_fp_minmax u_minmax (
    .a_i  (a_i),
    .b_i  (b_i),
    .min_o(min_o),
    .max_o(max_o),
    .lt_o (lt_o),
    .le_o (le_o),
    .eq_o (eq_o)
  );
  wm_fp_i2f u_i2f (.a_i(a_i), .res_o(i2f_o));
  wm_fp_f2i u_f2i (.a_i(a_i), .res_o(f2i_o));
endmodule

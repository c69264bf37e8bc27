// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The PE's scalar FP32 unit (docs/isa.md, FPU funct), combinational: a thin selector around
/// the shared rtl/fpu units, so scalar and vector results are the same primitives.
module wm_pe_sfpu (
  input  logic [3:0]  fn_i,   /// wm_isa_pkg::Fpu* function
  input  logic [31:0] a_i,    /// rs1
  input  logic [31:0] b_i,    /// rs2
  output logic [31:0] res_o   /// result bits
);
  logic [31:0] sum, prod, mn, mx, i2f, f2i;
  logic        lt, le, eq;

  wm_fp_add u_add (.a_i(a_i), .b_i(b_i), .sub_i(fn_i == wm_isa_pkg::FpuSub), .res_o(sum));
  wm_fp_mul u_mul (.a_i(a_i), .b_i(b_i), .res_o(prod));
  wm_fp_minmax u_minmax (
    .a_i(a_i), .b_i(b_i), .min_o(mn), .max_o(mx), .lt_o(lt), .le_o(le), .eq_o(eq)
  );
  wm_fp_i2f u_i2f (.a_i(a_i), .res_o(i2f));
  wm_fp_f2i u_f2i (.a_i(a_i), .res_o(f2i));

  always_comb begin
    unique case (fn_i)
      wm_isa_pkg::FpuAdd, wm_isa_pkg::FpuSub: res_o = sum;
      wm_isa_pkg::FpuMul: res_o = prod;
      wm_isa_pkg::FpuMax: res_o = mx;
      wm_isa_pkg::FpuMin: res_o = mn;
      wm_isa_pkg::FpuI2f: res_o = i2f;
      wm_isa_pkg::FpuF2i: res_o = f2i;
      wm_isa_pkg::FpuLt:  res_o = {31'd0, lt};
      wm_isa_pkg::FpuLe:  res_o = {31'd0, le};
      wm_isa_pkg::FpuEq:  res_o = {31'd0, eq};
      default:            res_o = '0;
    endcase
  end

endmodule

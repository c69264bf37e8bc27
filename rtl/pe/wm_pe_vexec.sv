// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The execute stage of the PE's vector pipeline, combinational: one element of any vector op
/// (docs/isa.md section 2.2). The multiplier feeds the adder, so FMAC = add(d, mul(a, b)) with
/// two roundings in one stage; reductions fold into the accumulator of the issuing engine.
module wm_pe_vexec (
  input  logic [4:0]  vop_i,      /// wm_isa_pkg::Vop*
  input  logic        dot_i,      /// fmac with a register destination (dot product)
  input  logic [31:0] a_i,        /// srcA element
  input  logic [31:0] b_i,        /// srcB element
  input  logic [31:0] d_i,        /// destination element (element-wise fmac)
  input  logic [31:0] acc_i,      /// accumulator before this element (+0 at an fdotv row start)
  output logic [31:0] res_o,      /// element-wise result
  output logic [31:0] acc_o       /// accumulator after this element
);
  logic [31:0] prod, add_x, add_y, sum, mm_x, mm_y, mn, mx, i2f, f2i;
  logic        lt_unused, le_unused, eq_unused;
  logic        acc_add;

  assign acc_add = dot_i || (vop_i == wm_isa_pkg::VopFrsum) || (vop_i == wm_isa_pkg::VopFdotv);

  always_comb begin
    add_x = a_i;
    add_y = b_i;
    if (acc_add) add_x = acc_i;
    else if (vop_i == wm_isa_pkg::VopFmac) add_x = d_i;
    if (vop_i == wm_isa_pkg::VopFmac || vop_i == wm_isa_pkg::VopFdotv) add_y = prod;
    else if (vop_i == wm_isa_pkg::VopFrsum) add_y = a_i;
    mm_x = (vop_i == wm_isa_pkg::VopFrmax) ? acc_i : a_i;
    mm_y = (vop_i == wm_isa_pkg::VopFrmax) ? a_i : b_i;
  end

  wm_fp_mul u_mul (.a_i(a_i), .b_i(b_i), .res_o(prod));
  wm_fp_add u_add (.a_i(add_x), .b_i(add_y), .sub_i(vop_i == wm_isa_pkg::VopFsub), .res_o(sum));
  wm_fp_minmax u_minmax (
    .a_i(mm_x), .b_i(mm_y), .min_o(mn), .max_o(mx),
    .lt_o(lt_unused), .le_o(le_unused), .eq_o(eq_unused)
  );
  wm_fp_i2f u_i2f (.a_i(a_i), .res_o(i2f));
  wm_fp_f2i u_f2i (.a_i(a_i), .res_o(f2i));

  always_comb begin
    acc_o = acc_i;
    unique case (vop_i)
      wm_isa_pkg::VopFmov:  res_o = a_i;
      wm_isa_pkg::VopFadd, wm_isa_pkg::VopFsub, wm_isa_pkg::VopFmac: res_o = sum;
      wm_isa_pkg::VopFmul:  res_o = prod;
      wm_isa_pkg::VopFmax:  res_o = mx;
      wm_isa_pkg::VopFmin:  res_o = mn;
      wm_isa_pkg::VopIadd:  res_o = a_i + b_i;
      wm_isa_pkg::VopIsub:  res_o = a_i - b_i;
      wm_isa_pkg::VopIshl:  res_o = a_i << b_i[4:0];
      wm_isa_pkg::VopIshr:  res_o = a_i >> b_i[4:0];
      wm_isa_pkg::VopVi2f:  res_o = i2f;
      wm_isa_pkg::VopVf2i:  res_o = f2i;
      default:              res_o = sum;  // reductions and fdotv: the new accumulator
    endcase
    if (acc_add) acc_o = sum;
    else if (vop_i == wm_isa_pkg::VopFrmax) acc_o = mx;
  end

endmodule

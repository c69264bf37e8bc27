// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// binary32 addition and subtraction, combinational: res_o = a_i + b_i (a_i - b_i when sub_i),
/// rounded to nearest even, subnormals kept, every NaN result the canonical quiet NaN
/// 0x7FC00000. Bit-exact with wm::sw::fp::add / sub (host float with the canonical-NaN rule).
module wm_fp_add (
  input  logic [31:0] a_i,    /// first operand
  input  logic [31:0] b_i,    /// second operand
  input  logic        sub_i,  /// subtract: b_i's sign is flipped before the addition
  output logic [31:0] res_o   /// rounded sum
);
  localparam logic [31:0] CanonicalNan = 32'h7FC0_0000;

  logic [31:0]       b_eff, x, y;        // x: operand of larger magnitude
  logic              nan_a, nan_b, inf_a, inf_b;
  logic [7:0]        ex, ey, diff;
  logic [4:0]        align;
  logic [23:0]       sx, sy;
  logic [53:0]       y_wide;             // top 27 bits aligned, bottom 27 shifted out
  logic [26:0]       x_al, y_al;         // 24 significand bits, then guard, round, sticky
  logic              eff_sub;
  logic [27:0]       sum;
  logic              sum_sign;
  logic signed [9:0] sum_exp;
  logic [31:0]       rounded;

  wm_fp_round #(.Width(28)) u_round (
    .sign_i(sum_sign),
    .exp_i (sum_exp),
    .sig_i (sum),
    .res_o (rounded)
  );

  always_comb begin
    b_eff = {b_i[31] ^ sub_i, b_i[30:0]};
    nan_a = (a_i[30:23] == 8'hFF) && (a_i[22:0] != '0);
    nan_b = (b_i[30:23] == 8'hFF) && (b_i[22:0] != '0);
    inf_a = (a_i[30:23] == 8'hFF) && (a_i[22:0] == '0);
    inf_b = (b_i[30:23] == 8'hFF) && (b_i[22:0] == '0);

    if (b_eff[30:0] > a_i[30:0]) begin
      x = b_eff;
      y = a_i;
    end else begin
      x = a_i;
      y = b_eff;
    end
    // Subnormals share exponent 1 with the smallest normals; only the hidden bit differs.
    ex   = (x[30:23] == 8'd0) ? 8'd1 : x[30:23];
    ey   = (y[30:23] == 8'd0) ? 8'd1 : y[30:23];
    sx   = {x[30:23] != 8'd0, x[22:0]};
    sy   = {y[30:23] != 8'd0, y[22:0]};
    diff = ex - ey;
    // Beyond 27 places every bit of y is below the sticky position: 31 is as good as 253.
    align  = (diff > 8'd31) ? 5'd31 : diff[4:0];
    y_wide = {sy, 30'd0} >> align;
    x_al   = {sx, 3'd0};
    y_al   = {y_wide[53:28], y_wide[27] | (|y_wide[26:0])};
    // Guard, round and a jammed sticky bit make the rounding exact: a subtraction that
    // cancels more than one leading bit had diff <= 1 and so lost no bits to the sticky.
    eff_sub = x[31] ^ y[31];
    sum     = eff_sub ? {1'b0, x_al} - {1'b0, y_al} : {1'b0, x_al} + {1'b0, y_al};
    // sum's top bit carries one binade above x's hidden bit.
    sum_exp = 10'(ex) + 10'sd1;
    // An exact zero is +0 unless both addends are -0 (round to nearest even).
    sum_sign = (sum == '0) ? (x[31] && y[31]) : x[31];
  end

  // Special operands override the rounder's (meaningless) result for them.
  always_comb begin
    if (nan_a || nan_b || (inf_a && inf_b && (a_i[31] != b_eff[31]))) begin
      res_o = CanonicalNan;
    end else if (inf_a || inf_b) begin
      res_o = x;  // the infinity has the larger magnitude
    end else begin
      res_o = rounded;
    end
  end

endmodule

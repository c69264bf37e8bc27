// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// binary32 multiplication, combinational: res_o = a_i * b_i rounded to nearest even,
/// subnormal operands and results kept, every NaN result the canonical quiet NaN 0x7FC00000.
/// Bit-exact with wm::sw::fp::mul (host float with the canonical-NaN rule).
module wm_fp_mul (
  input  logic [31:0] a_i,   /// first factor
  input  logic [31:0] b_i,   /// second factor
  output logic [31:0] res_o  /// rounded product
);
  localparam logic [31:0] CanonicalNan = 32'h7FC0_0000;

  logic              nan_a, nan_b, inf_a, inf_b, zero_a, zero_b, sign;
  logic [7:0]        ea, eb;
  logic [23:0]       sa, sb;
  logic [47:0]       prod;
  logic signed [9:0] prod_exp;
  logic [31:0]       rounded;

  wm_fp_round #(.Width(48)) u_round (
    .sign_i(sign),
    .exp_i (prod_exp),
    .sig_i (prod),
    .res_o (rounded)
  );

  always_comb begin
    nan_a  = (a_i[30:23] == 8'hFF) && (a_i[22:0] != '0);
    nan_b  = (b_i[30:23] == 8'hFF) && (b_i[22:0] != '0);
    inf_a  = (a_i[30:23] == 8'hFF) && (a_i[22:0] == '0);
    inf_b  = (b_i[30:23] == 8'hFF) && (b_i[22:0] == '0);
    zero_a = (a_i[30:0] == '0);
    zero_b = (b_i[30:0] == '0);
    sign   = a_i[31] ^ b_i[31];
    // Subnormal factors stay unnormalised (exponent 1, no hidden bit): the rounder's
    // leading-zero count over the 48-bit product normalises both at once.
    ea   = (a_i[30:23] == 8'd0) ? 8'd1 : a_i[30:23];
    eb   = (b_i[30:23] == 8'd0) ? 8'd1 : b_i[30:23];
    sa   = {a_i[30:23] != 8'd0, a_i[22:0]};
    sb   = {b_i[30:23] != 8'd0, b_i[22:0]};
    prod = 48'(sa) * 48'(sb);
    // prod's bit 47 weighs 2^(ea - 127) * 2^(eb - 127) * 2: biased, ea + eb - 126.
    prod_exp = 10'(ea) + 10'(eb) - 10'sd126;
  end

  // Special operands override the rounder's (meaningless) result for them.
  always_comb begin
    if (nan_a || nan_b || (inf_a && zero_b) || (zero_a && inf_b)) begin
      res_o = CanonicalNan;
    end else if (inf_a || inf_b) begin
      res_o = {sign, 8'hFF, 23'd0};
    end else begin
      res_o = rounded;
    end
  end

endmodule

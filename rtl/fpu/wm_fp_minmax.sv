// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// binary32 minimum, maximum and comparison, combinational.
///
/// min/max follow IEEE 754-2019 minimumNumber/maximumNumber: a NaN operand (quiet or
/// signalling) counts as missing, so the result is the other operand, and the canonical quiet
/// NaN 0x7FC00000 when both are NaN; -0 is below +0. The flags are IEEE's quiet comparisons:
/// false when either operand is NaN, and -0 == +0. Bit-exact with wm::sw::fp::min/max/lt/le/eq.
module wm_fp_minmax (
  input  logic [31:0] a_i,   /// first operand
  input  logic [31:0] b_i,   /// second operand
  output logic [31:0] min_o, /// the smaller operand (-0 < +0, NaN ignored)
  output logic [31:0] max_o, /// the larger operand (-0 < +0, NaN ignored)
  output logic        lt_o,  /// a_i < b_i
  output logic        le_o,  /// a_i <= b_i
  output logic        eq_o   /// a_i == b_i (so +0 == -0, NaN != NaN)
);
  localparam logic [31:0] CanonicalNan = 32'h7FC0_0000;

  logic        nan_a, nan_b, unordered, both_zero, a_below;
  logic [31:0] key_a, key_b;

  always_comb begin
    nan_a     = (a_i[30:23] == 8'hFF) && (a_i[22:0] != '0);
    nan_b     = (b_i[30:23] == 8'hFF) && (b_i[22:0] != '0);
    unordered = nan_a || nan_b;
    both_zero = (a_i[30:0] == '0) && (b_i[30:0] == '0);
    // Sign-magnitude to an unsigned key whose order is the real order, with -0 just below +0.
    key_a   = a_i[31] ? ~a_i : {1'b1, a_i[30:0]};
    key_b   = b_i[31] ? ~b_i : {1'b1, b_i[30:0]};
    a_below = key_a < key_b;

    eq_o = !unordered && ((a_i == b_i) || both_zero);
    lt_o = !unordered && !both_zero && a_below;
    le_o = lt_o || eq_o;

    if (nan_a && nan_b) begin
      min_o = CanonicalNan;
      max_o = CanonicalNan;
    end else if (nan_a) begin
      min_o = b_i;
      max_o = b_i;
    end else if (nan_b) begin
      min_o = a_i;
      max_o = a_i;
    end else begin
      min_o = a_below ? a_i : b_i;
      max_o = a_below ? b_i : a_i;
    end
  end

endmodule

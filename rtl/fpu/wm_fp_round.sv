// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Normalise, round to nearest even and pack one binary32 result. The adder, the multiplier and
/// the int-to-float converter all end here, so subnormal results, the carry of a rounding into
/// the exponent and overflow to infinity are handled in one place.
///
/// The value is sig_i * 2^(exp_i - 127 - (Width - 1)): were sig_i's top bit set, exp_i would be
/// the biased exponent of the result. A zero sig_i gives a zero of sign sign_i.
module wm_fp_round #(
  parameter int unsigned Width = 28  /// bits of sig_i; at least 26 (24 kept, guard, sticky)
) (
  input  logic                    sign_i,  /// sign of the result
  input  logic signed [9:0]       exp_i,   /// biased exponent of sig_i's top bit, -500 to 511
  input  logic [Width-1:0]        sig_i,   /// unnormalised significand, exact
  output logic [31:0]             res_o    /// rounded binary32 result
);
  localparam int unsigned CntWidth = $clog2(Width + 1);

  logic [CntWidth-1:0]  lz;
  logic signed [9:0]    exp_norm;     // biased exponent once the top set bit is the hidden bit
  logic                 normal;
  logic [CntWidth-1:0]  lshift, rshift;
  logic signed [9:0]    rshift_full;
  logic [2*Width-1:0]   wide;         // top half: kept bits; bottom half: shifted-out bits
  logic [Width-1:0]     kept;
  logic [22:0]          mant;
  logic                 guard, sticky, round_up;
  logic [30:0]          packed_mag, rounded_mag;

  wm_fp_lzc #(.Width(Width)) u_lzc (.in_i(sig_i), .count_o(lz));

  always_comb begin
    exp_norm    = exp_i - 10'(lz);
    normal      = exp_norm >= 10'sd1;
    rshift_full = 10'sd1 - exp_i;
    // A normal result shifts its top bit into the hidden position. A subnormal result is
    // written with exponent 1: shift left by exp_i - 1 when that is positive, else right.
    lshift = '0;
    rshift = '0;
    if (normal) begin
      lshift = lz;
    end else if (exp_i >= 10'sd1) begin
      lshift = CntWidth'(exp_i - 10'sd1);
    end else if (rshift_full >= 10'(Width)) begin
      rshift = CntWidth'(Width);
    end else begin
      rshift = CntWidth'(rshift_full);
    end
    wide   = ({sig_i, Width'(0)} << lshift) >> rshift;
    kept   = wide[2*Width-1:Width];
    mant   = kept[Width-2:Width-24];
    guard  = kept[Width-25];
    sticky = |{kept[Width-26:0], wide[Width-1:0]};
    round_up    = guard && (sticky || mant[0]);
    // A rounding carry out of the mantissa lands in the exponent field, which is exactly the
    // next binade (or, from the largest finite value, infinity).
    packed_mag  = {normal ? exp_norm[7:0] : 8'd0, mant};
    rounded_mag = packed_mag + 31'(round_up);
    if (sig_i == '0) begin
      res_o = {sign_i, 31'd0};
    end else if (normal && exp_norm >= 10'sd255) begin
      res_o = {sign_i, 8'hFF, 23'd0};
    end else begin
      res_o = {sign_i, rounded_mag};
    end
  end

endmodule

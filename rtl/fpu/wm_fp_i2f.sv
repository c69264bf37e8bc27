// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Signed 32-bit integer to binary32, combinational, rounded to nearest even: bit-exact with
/// static_cast<float>(int32_t) (wm::sw::fp::i2f). Zero converts to +0.
module wm_fp_i2f (
  input  logic [31:0] a_i,   /// two's-complement integer
  output logic [31:0] res_o  /// nearest binary32
);
  logic [31:0] mag;

  // |INT32_MIN| = 2^31 still fits 32 unsigned bits.
  assign mag = a_i[31] ? (~a_i + 32'd1) : a_i;

  // Bit 31 of the magnitude weighs 2^31: biased exponent 127 + 31.
  wm_fp_round #(.Width(32)) u_round (
    .sign_i(a_i[31]),
    .exp_i (10'sd158),
    .sig_i (mag),
    .res_o (res_o)
  );

endmodule

// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// binary32 to signed 32-bit integer, combinational, truncating toward zero: bit-exact with
/// static_cast<int32_t>(float) wherever C++ defines it. Where C++ leaves it undefined the
/// result saturates: +inf and values >= 2^31 give INT32_MAX, -inf and values < -2^31 give
/// INT32_MIN, and NaN gives 0 (as wm::sw::fp::f2i).
module wm_fp_f2i (
  input  logic [31:0] a_i,   /// binary32 operand
  output logic [31:0] res_o  /// truncated, saturated two's-complement integer
);
  logic [7:0]  exp;
  logic [31:0] mag;
  logic [4:0]  rshift;

  always_comb begin
    exp = a_i[30:23];
    // For exponents 127..157 the magnitude is 1.m * 2^(exp - 127) < 2^31: place the 24-bit
    // significand at bits 30..7 (exponent 157) and shift right by 157 - exp.
    rshift = 5'(8'd157 - exp);
    mag    = {1'b0, 1'b1, a_i[22:0], 7'd0} >> rshift;
    if (exp == 8'hFF && a_i[22:0] != '0) begin
      res_o = '0;  // NaN
    end else if (exp < 8'd127) begin
      res_o = '0;  // |a| < 1, including zeros and subnormals
    end else if (exp >= 8'd158) begin
      res_o = a_i[31] ? 32'h8000_0000 : 32'h7FFF_FFFF;  // |a| >= 2^31, or infinity
    end else begin
      res_o = a_i[31] ? (~mag + 32'd1) : mag;
    end
  end

endmodule

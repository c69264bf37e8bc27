// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Leading-zero count: the number of zero bits above the highest set bit of in_i. The FP units
/// use it to normalise a significand after a subtraction, a product or an integer conversion.
///
/// Two levels keep the logic shallow (it sits on the adder's and multiplier's critical path):
/// the input is cut into bytes, each byte counts its own leading zeros, and the highest
/// non-zero byte supplies the upper count bits (its index) and the lower three (its count).
module wm_fp_lzc #(
  parameter int unsigned Width = 32  /// bits of in_i
) (
  input  logic [Width-1:0]               in_i,    /// value to scan from the top
  output logic [$clog2(Width + 1)-1:0]   count_o  /// leading zeros; Width when in_i is zero
);
  localparam int unsigned CntWidth = $clog2(Width + 1);
  localparam int unsigned Bytes    = (Width + 7) / 8;
  localparam int unsigned Padded   = 8 * Bytes;

  // Zeros below the LSB change no count of a non-zero input.
  logic [Padded-1:0]  padded;
  logic [Bytes-1:0]   byte_nz;
  logic [3*Bytes-1:0] byte_lz;     // three count bits per byte

  assign padded = Padded'(in_i) << (Padded - Width);

  // Scanning upwards lets the highest set bit (and byte) write last: no early exit needed.
  always_comb begin
    for (int unsigned b = 0; b < Bytes; b++) begin
      byte_nz[b] = padded[8*b +: 8] != 8'd0;
      byte_lz[3*b +: 3] = 3'd7;
      for (int unsigned i = 0; i < 8; i++) begin
        if (padded[8*b + i]) byte_lz[3*b +: 3] = 3'(7 - i);
      end
    end
    count_o = CntWidth'(Width);
    for (int unsigned b = 0; b < Bytes; b++) begin
      if (byte_nz[b]) count_o = CntWidth'({Bytes - 1 - b, byte_lz[3*b +: 3]});
    end
  end

endmodule

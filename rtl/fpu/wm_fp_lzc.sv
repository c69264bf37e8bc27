// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Leading-zero count: the number of zero bits above the highest set bit of in_i. The FP units
/// use it to normalise a significand after a subtraction, a product or an integer conversion.
module wm_fp_lzc #(
  parameter int unsigned Width = 32  /// bits of in_i
) (
  input  logic [Width-1:0]               in_i,    /// value to scan from the top
  output logic [$clog2(Width + 1)-1:0]   count_o  /// leading zeros; Width when in_i is zero
);
  localparam int unsigned CntWidth = $clog2(Width + 1);

  // Scanning upwards lets the highest set bit write last, so no early exit is needed.
  always_comb begin
    count_o = CntWidth'(Width);
    for (int unsigned i = 0; i < Width; i++) begin
      if (in_i[i]) count_o = CntWidth'(Width - 1 - i);
    end
  end

endmodule

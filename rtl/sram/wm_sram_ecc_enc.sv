// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// SECDED (39,32) encoder: an extended Hamming code. Data bit i sits at Hamming position
/// p(i), the i-th number from 3 upward that is not a power of two (3, 5, 6, 7, 9, ..., 38);
/// check bit j covers every position with bit j set, so a single flipped bit makes the
/// syndrome equal to its position. Bit 38 is the overall parity that tells one error from two.
/// Stored layout {parity, check[5:0], data[31:0]} keeps the data bits in place.
module wm_sram_ecc_enc (
  input  logic [31:0] data_i,  /// word to protect
  output logic [38:0] code_o   /// {parity, check[5:0], data}
);
  // Mask j selects the data bits whose position p(i) has bit j set (derived from p(i) above;
  // the C++ model derives them independently and the tests flip every one of the 39 bits).
  localparam logic [31:0] Mask0 = 32'h56AA_AD5B;
  localparam logic [31:0] Mask1 = 32'h9B33_366D;
  localparam logic [31:0] Mask2 = 32'hE3C3_C78E;
  localparam logic [31:0] Mask3 = 32'h03FC_07F0;
  localparam logic [31:0] Mask4 = 32'h03FF_F800;
  localparam logic [31:0] Mask5 = 32'hFC00_0000;

  logic [5:0] check;

  assign check = {^(data_i & Mask5), ^(data_i & Mask4), ^(data_i & Mask3),
                  ^(data_i & Mask2), ^(data_i & Mask1), ^(data_i & Mask0)};
  assign code_o = {^{check, data_i}, check, data_i};

endmodule

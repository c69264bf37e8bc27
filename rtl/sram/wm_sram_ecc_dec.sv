// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// SECDED (39,32) decoder for the code of wm_sram_ecc_enc: corrects any single flipped bit
/// and flags any double flip. Purely combinational.
module wm_sram_ecc_dec (
  input  logic [38:0] code_i,    /// stored word {parity, check[5:0], data}
  output logic [31:0] data_o,    /// data, with a single-bit error corrected
  output logic        corr_o,    /// one bit was flipped (data, check or parity) and corrected
  output logic        uncorr_o   /// two bits (or an odd number beyond one) were flipped
);
  /// Hamming position of data bit `idx`: the idx-th non-power-of-two counting from 3.
  function automatic logic [5:0] data_pos(input int unsigned idx);
    int unsigned seen;
    seen = 0;
    data_pos = '0;
    for (int unsigned p = 3; p < 39; p++) begin
      if ((p & (p - 1)) != 0) begin
        if (seen == idx) data_pos = 6'(p);
        seen++;
      end
    end
  endfunction

  logic [38:0] recoded;
  logic [5:0]  syndrome;
  logic        parity_err;
  logic        unused_recoded;  // only the check bits of the re-encoding matter

  // Re-encoding the received data gives the check bits it should carry; the difference is the
  // position of a single flipped bit.
  wm_sram_ecc_enc u_enc (
    .data_i(code_i[31:0]),
    .code_o(recoded)
  );

  assign unused_recoded = ^{recoded[38], recoded[31:0]};
  assign syndrome   = recoded[37:32] ^ code_i[37:32];
  assign parity_err = ^code_i;

  for (genvar i = 0; i < 32; i++) begin : gen_fix
    localparam logic [5:0] Pos = data_pos(i);
    assign data_o[i] = code_i[i] ^ (parity_err && (syndrome == Pos));
  end

  // An odd flip count with a syndrome beyond position 38 cannot be a single error.
  assign corr_o   = parity_err && (syndrome <= 6'd38);
  assign uncorr_o = (!parity_err && (syndrome != '0)) || (parity_err && (syndrome > 6'd38));

endmodule

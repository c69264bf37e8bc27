// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Credit counter for the sending side of a credit-based link: starts full (Max credits, one per
/// slot of the receiver's queue), loses one per word sent and gains one per credit returned.
/// Both in the same cycle leave it unchanged. `avail_o` comes from the register alone, so a
/// sender may gate its request on it without a combinational path from the link.
module wm_credit_cnt #(
  parameter int unsigned Max = 4  /// credits after reset: the receiver's queue depth, >= 1
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                inc_i,    /// a credit came back this cycle
  input  logic                dec_i,    /// a word was sent this cycle (only while avail_o)
  output logic                avail_o,  /// at least one credit: a word may be sent
  /// Credits held, 0 to Max.
  output logic [CntWidth-1:0] count_o,
  /// Sticky: a word was sent without credit or a credit came back to a full counter.
  output logic                err_o
);
  localparam int unsigned CntWidth = $clog2(Max + 1);

  logic [CntWidth-1:0] count_q, count_d;
  logic                err_q, err_d;

  always_comb begin
    count_d = count_q;
    err_d   = err_q;
    unique case ({inc_i, dec_i})
      2'b10: begin
        if (count_q == CntWidth'(Max)) err_d = 1'b1;
        else count_d = count_q + CntWidth'(1);
      end
      2'b01: begin
        if (count_q == '0) err_d = 1'b1;
        else count_d = count_q - CntWidth'(1);
      end
      default: ;  // neither, or both: one credit out and one back
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      count_q <= CntWidth'(Max);
      err_q   <= 1'b0;
    end else begin
      count_q <= count_d;
      err_q   <= err_d;
    end
  end

  assign avail_o = (count_q != '0);
  assign count_o = count_q;
  assign err_o   = err_q;

endmodule

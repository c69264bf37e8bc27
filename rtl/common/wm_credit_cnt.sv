// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Credit counters for the sending side of a credit-based link, one per virtual channel: each
/// starts full (Max credits, one per slot of the receiver's queue), loses one per word sent and
/// gains one per credit returned; both in the same cycle leave it unchanged. `avail_o` comes
/// from the registers alone, so a sender may gate its request on it without a combinational
/// path from the link. Written as a loop over the channels (not one instance per channel) so a
/// Verilated router carries this logic once.
module wm_credit_cnt #(
  parameter int unsigned N   = 1,  /// channels (counters)
  parameter int unsigned Max = 4   /// credits after reset: the receiver's queue depth, >= 1
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic [N-1:0]          inc_i,    /// a credit of channel n came back this cycle
  input  logic [N-1:0]          dec_i,    /// a word of channel n was sent (only while avail)
  output logic [N-1:0]          avail_o,  /// channel n has a credit: a word may be sent
  /// Credits held by channel n, 0 to Max, at [n*CntWidth +: CntWidth].
  output logic [N*CntWidth-1:0] count_o,
  /// Sticky: some channel sent without credit or got a credit back beyond Max.
  output logic                  err_o
);
  localparam int unsigned CntWidth = $clog2(Max + 1);

  logic [N*CntWidth-1:0] count_q, count_d;
  logic                  err_q, err_d;

  always_comb begin
    err_d = err_q;
    for (int unsigned n = 0; n < N; n++) begin
      logic [CntWidth-1:0] c;
      c = count_q[n*CntWidth +: CntWidth];
      unique case ({inc_i[n], dec_i[n]})
        2'b10: begin
          if (c == CntWidth'(Max)) err_d = 1'b1;
          else c = c + CntWidth'(1);
        end
        2'b01: begin
          if (c == '0) err_d = 1'b1;
          else c = c - CntWidth'(1);
        end
        default: ;  // neither, or both: one credit out and one back
      endcase
      count_d[n*CntWidth +: CntWidth] = c;
    end
  end

  always_comb begin
    for (int unsigned n = 0; n < N; n++) avail_o[n] = (count_q[n*CntWidth +: CntWidth] != '0);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      count_q <= {N{CntWidth'(Max)}};
      err_q   <= 1'b0;
    end else begin
      count_q <= count_d;
      err_q   <= err_d;
    end
  end

  assign count_o = count_q;
  assign err_o   = err_q;

endmodule

// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// One single-ported SRAM bank: one access per cycle, read or write, with the read data
/// registered (valid the cycle after the access and held until the next read). This is the
/// behavioural stand-in for a foundry macro, so it has no reset: its contents are undefined
/// until written or preloaded.
module wm_sram_macro #(
  parameter int unsigned Width = 32,    /// bits per stored word (data, plus check bits)
  parameter int unsigned Depth = 1536,  /// words; at least 2
  /// $readmemh image of this bank (stored words, bank row order); "" leaves it unloaded.
  /// Read directly into the storage array because Yosys drops initial-block copies.
  parameter InitFile = "",
  localparam int unsigned RowWidth = $clog2(Depth)
) (
  input  logic                clk_i,
  input  logic                req_i,    /// access this cycle
  input  logic                we_i,     /// the access is a write (else a read)
  input  logic [RowWidth-1:0] row_i,    /// word index, below Depth
  input  logic [Width-1:0]    wdata_i,  /// word to store when writing
  output logic [Width-1:0]    rdata_o   /// word read by the last read, from the next cycle
);
  if (Depth < 2) begin : gen_depth_error
    $error("wm_sram_macro: Depth must be at least 2");
  end

  logic [Width-1:0] mem_q [Depth];

  if (InitFile != "") begin : gen_init
    initial $readmemh(InitFile, mem_q);
  end

  always_ff @(posedge clk_i) begin
    if (req_i) begin
      if (we_i) mem_q[row_i] <= wdata_i;
      else      rdata_o <= mem_q[row_i];
    end
  end

endmodule

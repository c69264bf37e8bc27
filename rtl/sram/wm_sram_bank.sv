// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The tile SRAM: NumBanks single-ported banks of 32-bit words, low-order interleaved
/// (bank = address mod NumBanks), with NumReadPorts read ports and one write port.
///
/// Timing. A request is granted combinationally in the cycle it is presented (`*_gnt_o`);
/// a requester holds req/addr(/data) until granted. A read granted in cycle t returns
/// `rd_valid_o`, `rd_data_o` and its status bits in cycle t+1 only. A write granted in cycle t
/// is stored at the end of t (a read granted in t+1 sees it); `wr_err_o` reports it in t+1.
///
/// Conflicts. Each bank serves one access per cycle, chosen by fixed priority: the second
/// (write-back) cycle of a fault injection, the first (read) cycle of a fault injection, the
/// write port, then read ports 0, 1, ... The others wait (no grant) and retry next cycle.
/// An out-of-range request uses no bank: it is granted at once and not performed.
///
/// Port arrays are flattened, port p at [p*Width +: Width] (Yosys 0.23 has no
/// multi-dimensional packed arrays).
///
/// Errors. An out-of-range address (>= SizeBytes / 4) flags the access (`rd_err_o`, read data
/// zero; `wr_err_o`) and sets the sticky `err_o`. With EnableEcc, each word is stored as a
/// (39,32) SECDED codeword; reads correct one flipped bit and flag two (the stored word is
/// not rewritten: no scrubbing), and two saturating counters count the corrected and the
/// uncorrectable reads.
module wm_sram_bank #(
  parameter int unsigned SizeBytes    = 49152,  /// capacity in bytes; 4 * NumBanks divides it
  parameter int unsigned NumBanks     = 8,      /// banks, a power of two from 2 to 64
  parameter int unsigned NumReadPorts = 2,      /// read ports (2 operands, + fetch: 3)
  parameter int unsigned AddrWidth    = 16,     /// bits of a word address at the ports
  parameter int unsigned EnableEcc    = 0,      /// 1: store (39,32) SECDED codewords
  parameter int unsigned EccCntWidth  = 16,     /// bits of each saturating ECC counter
  /// Preload prefix: bank b reads `<InitFile>_bankBB.hex` (BB: b in two digits), a $readmemh
  /// file of stored words in bank row order (word addresses b, b + NumBanks, ...); with
  /// EnableEcc, 39-bit codewords. "" preloads nothing.
  parameter              InitFile     = "",
  localparam int unsigned StoredWidth = (EnableEcc != 0) ? 39 : 32
) (
  input  logic                                   clk_i,
  input  logic                                   rst_ni,
  // Read ports.
  input  logic [NumReadPorts-1:0]                rd_req_i,         /// read request
  input  logic [NumReadPorts*AddrWidth-1:0]      rd_addr_i,        /// word address
  output logic [NumReadPorts-1:0]                rd_gnt_o,         /// request granted now
  output logic [NumReadPorts-1:0]                rd_valid_o,       /// response, cycle after gnt
  output logic [NumReadPorts*32-1:0]             rd_data_o,        /// read word, with valid
  output logic [NumReadPorts-1:0]                rd_err_o,         /// out of range, with valid
  output logic [NumReadPorts-1:0]                rd_ecc_corr_o,    /// one bit corrected
  output logic [NumReadPorts-1:0]                rd_ecc_uncorr_o,  /// two bits flipped
  // Write port.
  input  logic                                   wr_req_i,         /// write request
  input  logic [AddrWidth-1:0]                   wr_addr_i,        /// word address
  input  logic [31:0]                            wr_data_i,        /// word to store
  output logic                                   wr_gnt_o,         /// request granted now
  output logic                                   wr_err_o,         /// out of range, cycle after
  // Status.
  output logic                                   err_o,            /// sticky out-of-range
  input  logic                                   err_clear_i,      /// clear err_o
  output logic [EccCntWidth-1:0]                 ecc_corr_cnt_o,   /// reads corrected
  output logic [EccCntWidth-1:0]                 ecc_uncorr_cnt_o, /// reads uncorrectable
  input  logic                                   ecc_cnt_clear_i,  /// zero both counters
  // Fault injection (test): stored word ^= mask, as a read then a write-back of its bank.
  input  logic                                   inj_req_i,        /// inject request
  input  logic [AddrWidth-1:0]                   inj_addr_i,       /// word address
  input  logic [StoredWidth-1:0]                 inj_mask_i,       /// stored bits to flip
  output logic                                   inj_gnt_o         /// request granted now
);
  localparam int unsigned NumWords     = SizeBytes / 4;
  localparam int unsigned WordsPerBank = NumWords / NumBanks;
  localparam int unsigned BankBits     = $clog2(NumBanks);
  localparam int unsigned RowWidth     = $clog2(WordsPerBank);

  if (NumBanks < 2 || NumBanks > 64 || (NumBanks & (NumBanks - 1)) != 0) begin : gen_banks_error
    $error("wm_sram_bank: NumBanks must be a power of two from 2 to 64");
  end
  if (SizeBytes % (4 * NumBanks) != 0 || WordsPerBank < 2) begin : gen_size_error
    $error("wm_sram_bank: SizeBytes must be a multiple of 4 * NumBanks, at least 2 words each");
  end
  if (NumWords > (1 << AddrWidth)) begin : gen_addr_error
    $error("wm_sram_bank: AddrWidth too small to address SizeBytes");
  end
  if (NumReadPorts < 1) begin : gen_ports_error
    $error("wm_sram_bank: NumReadPorts must be at least 1");
  end

  if (EnableEcc > 1) begin : gen_ecc_error
    $error("wm_sram_bank: EnableEcc must be 0 or 1");
  end

  function automatic logic in_range(input logic [AddrWidth-1:0] addr);
    in_range = {1'b0, addr} < (AddrWidth + 1)'(NumWords);
  endfunction

  // ---------------------------------------------------------------------------------------
  // Request decode: bank, row within the bank, and range.
  logic [NumReadPorts-1:0]                rd_inr;
  logic [NumReadPorts*BankBits-1:0]       rd_bank;
  logic [NumReadPorts*RowWidth-1:0]       rd_row;
  logic                                   wr_inr, inj_inr, inj_ok;
  logic [BankBits-1:0]                    wr_bank, inj_bank;
  logic [RowWidth-1:0]                    wr_row, inj_row;

  for (genvar p = 0; p < NumReadPorts; p++) begin : gen_rd_decode
    logic [AddrWidth-1:0] addr;
    assign addr                          = rd_addr_i[p*AddrWidth+:AddrWidth];
    assign rd_inr[p]                     = in_range(addr);
    assign rd_bank[p*BankBits+:BankBits] = addr[BankBits-1:0];
    assign rd_row[p*RowWidth+:RowWidth]  = addr[BankBits+:RowWidth];
  end
  assign wr_inr   = in_range(wr_addr_i);
  assign wr_bank  = wr_addr_i[BankBits-1:0];
  assign wr_row   = wr_addr_i[BankBits+:RowWidth];
  assign inj_inr  = in_range(inj_addr_i);
  assign inj_bank = inj_addr_i[BankBits-1:0];
  assign inj_row  = inj_addr_i[BankBits+:RowWidth];

  // ---------------------------------------------------------------------------------------
  // Bank arbitration: per bank, the first in priority order among the requests it holds.
  logic                   injwb_q;       // an injection's write-back is due this cycle
  logic [BankBits-1:0]    injwb_bank_q;
  logic [RowWidth-1:0]    injwb_row_q;
  logic [StoredWidth-1:0] injwb_mask_q;

  logic [NumBanks-1:0]                    bank_req, bank_we, injwb_sel, inj_sel, wr_sel;
  logic [NumBanks*NumReadPorts-1:0]       rd_sel;      // bank b, port p at b*NumReadPorts+p
  logic [NumBanks*RowWidth-1:0]           bank_row;
  logic [NumBanks*StoredWidth-1:0]        bank_wdata, bank_rdata;
  logic [StoredWidth-1:0]                 wr_code;

  // One injection at a time keeps its two bank cycles back to back.
  assign inj_ok = inj_req_i && !injwb_q;

  always_comb begin
    logic                taken;
    logic [RowWidth-1:0] row;
    for (int unsigned b = 0; b < NumBanks; b++) begin
      injwb_sel[b] = injwb_q && (injwb_bank_q == BankBits'(b));
      taken        = injwb_sel[b];
      inj_sel[b]   = inj_ok && inj_inr && (inj_bank == BankBits'(b)) && !taken;
      taken        = taken || inj_sel[b];
      wr_sel[b]    = wr_req_i && wr_inr && (wr_bank == BankBits'(b)) && !taken;
      taken        = taken || wr_sel[b];
      for (int unsigned p = 0; p < NumReadPorts; p++) begin
        rd_sel[b*NumReadPorts+p] = rd_req_i[p] && rd_inr[p] && !taken &&
                                   (rd_bank[p*BankBits+:BankBits] == BankBits'(b));
        taken = taken || rd_sel[b*NumReadPorts+p];
      end
      bank_req[b] = taken;
      bank_we[b]  = injwb_sel[b] || wr_sel[b];
      row         = rd_row[RowWidth-1:0];
      for (int unsigned p = NumReadPorts; p > 0; p--) begin
        if (rd_sel[b*NumReadPorts+p-1]) row = rd_row[(p-1)*RowWidth+:RowWidth];
      end
      if (wr_sel[b])    row = wr_row;
      if (inj_sel[b])   row = inj_row;
      if (injwb_sel[b]) row = injwb_row_q;
      bank_row[b*RowWidth+:RowWidth] = row;
      bank_wdata[b*StoredWidth+:StoredWidth] =
          injwb_sel[b] ? (bank_rdata[b*StoredWidth+:StoredWidth] ^ injwb_mask_q) : wr_code;
    end
  end

  always_comb begin
    wr_gnt_o  = wr_req_i && (!wr_inr || (wr_sel != '0));
    inj_gnt_o = inj_ok;
    for (int unsigned p = 0; p < NumReadPorts; p++) begin
      rd_gnt_o[p] = rd_req_i[p] && !rd_inr[p];
      for (int unsigned b = 0; b < NumBanks; b++) begin
        rd_gnt_o[p] = rd_gnt_o[p] || rd_sel[b*NumReadPorts+p];
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Storage.
  if (EnableEcc != 0) begin : gen_wr_ecc
    wm_sram_ecc_enc u_enc (
      .data_i(wr_data_i),
      .code_o(wr_code)
    );
  end else begin : gen_wr_plain
    assign wr_code = wr_data_i;
  end

  for (genvar b = 0; b < NumBanks; b++) begin : gen_bank
    // Each bank loads its own file: Yosys 0.23 silently drops an initial-block copy from one
    // shared image, so the interleaving is done by whoever writes the files. Two digits keep
    // every name the same length (a shorter one would be NUL-padded by the ?:).
    localparam BankFile = (InitFile == "") ? "" :
        {InitFile, "_bank", 8'(48 + b / 10), 8'(48 + b % 10), ".hex"};
    wm_sram_macro #(
      .Width   (StoredWidth),
      .Depth   (WordsPerBank),
      .InitFile(BankFile)
    ) u_macro (
      .clk_i  (clk_i),
      .req_i  (bank_req[b]),
      .we_i   (bank_we[b]),
      .row_i  (bank_row[b*RowWidth+:RowWidth]),
      .wdata_i(bank_wdata[b*StoredWidth+:StoredWidth]),
      .rdata_o(bank_rdata[b*StoredWidth+:StoredWidth])
    );
  end

  // ---------------------------------------------------------------------------------------
  // Responses, one cycle after the grant.
  logic [NumReadPorts-1:0]               rd_valid_q, rd_err_q;
  logic [NumReadPorts*BankBits-1:0]      rd_bank_q;
  logic                                  wr_err_q, err_q;
  logic                                  new_err;

  assign new_err = ((rd_gnt_o & ~rd_inr) != '0) || (wr_gnt_o && !wr_inr) || (inj_ok && !inj_inr);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_valid_q   <= '0;
      rd_err_q     <= '0;
      rd_bank_q    <= '0;
      wr_err_q     <= 1'b0;
      err_q        <= 1'b0;
      injwb_q      <= 1'b0;
      injwb_bank_q <= '0;
      injwb_row_q  <= '0;
      injwb_mask_q <= '0;
    end else begin
      rd_valid_q   <= rd_gnt_o;
      rd_err_q     <= rd_gnt_o & ~rd_inr;
      rd_bank_q    <= rd_bank;
      wr_err_q     <= wr_gnt_o && !wr_inr;
      // A clear takes effect before this cycle's errors, so none is lost.
      err_q        <= (err_q && !err_clear_i) || new_err;
      injwb_q      <= inj_ok && inj_inr;
      injwb_bank_q <= inj_bank;
      injwb_row_q  <= inj_row;
      injwb_mask_q <= inj_mask_i;
    end
  end

  assign rd_valid_o = rd_valid_q;
  assign rd_err_o   = rd_err_q & rd_valid_q;
  assign wr_err_o   = wr_err_q;
  assign err_o      = err_q;

  logic [NumReadPorts-1:0] rd_corr, rd_uncorr;

  for (genvar p = 0; p < NumReadPorts; p++) begin : gen_rd_port
    logic [BankBits-1:0]    bank;
    logic [StoredWidth-1:0] raw;
    logic [31:0]            data;
    assign bank = rd_bank_q[p*BankBits+:BankBits];
    assign raw  = bank_rdata[bank*StoredWidth+:StoredWidth];
    if (EnableEcc != 0) begin : gen_ecc
      wm_sram_ecc_dec u_dec (
        .code_i  (raw),
        .data_o  (data),
        .corr_o  (rd_corr[p]),
        .uncorr_o(rd_uncorr[p])
      );
    end else begin : gen_plain
      assign data         = raw;
      assign rd_corr[p]   = 1'b0;
      assign rd_uncorr[p] = 1'b0;
    end
    assign rd_data_o[p*32+:32] = rd_err_q[p] ? '0 : data;
  end

  assign rd_ecc_corr_o   = rd_corr & rd_valid_q & ~rd_err_q;
  assign rd_ecc_uncorr_o = rd_uncorr & rd_valid_q & ~rd_err_q;

  // ---------------------------------------------------------------------------------------
  // ECC counters: saturating, counting every read response (a faulty word read twice counts
  // twice, since it is not scrubbed).
  if (EnableEcc != 0) begin : gen_ecc_cnt
    localparam int unsigned IncWidth = $clog2(NumReadPorts + 1);
    logic [EccCntWidth-1:0] corr_q, uncorr_q;
    logic [IncWidth-1:0]    corr_inc, uncorr_inc;

    function automatic logic [EccCntWidth-1:0] sat_add(input logic [EccCntWidth-1:0] cnt,
                                                       input logic [IncWidth-1:0] inc);
      logic [EccCntWidth:0] sum;
      sum = {1'b0, cnt} + (EccCntWidth + 1)'(inc);
      sat_add = sum[EccCntWidth] ? '1 : sum[EccCntWidth-1:0];
    endfunction

    always_comb begin
      corr_inc   = '0;
      uncorr_inc = '0;
      for (int unsigned p = 0; p < NumReadPorts; p++) begin
        corr_inc   = corr_inc + IncWidth'(rd_ecc_corr_o[p]);
        uncorr_inc = uncorr_inc + IncWidth'(rd_ecc_uncorr_o[p]);
      end
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        corr_q   <= '0;
        uncorr_q <= '0;
      end else begin
        // As for err_o: the clear applies before this cycle's events are counted.
        corr_q   <= sat_add(ecc_cnt_clear_i ? '0 : corr_q, corr_inc);
        uncorr_q <= sat_add(ecc_cnt_clear_i ? '0 : uncorr_q, uncorr_inc);
      end
    end
    assign ecc_corr_cnt_o   = corr_q;
    assign ecc_uncorr_cnt_o = uncorr_q;
  end else begin : gen_no_ecc_cnt
    logic unused_ecc_cnt_clear;
    assign unused_ecc_cnt_clear = ecc_cnt_clear_i;
    assign ecc_corr_cnt_o       = '0;
    assign ecc_uncorr_cnt_o     = '0;
  end

endmodule

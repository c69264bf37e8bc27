// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Testbench top for the PE alone: wm_pe on the real tile SRAM (wm_sram_bank: 8 word-
/// interleaved single-ported banks, 2 read ports + 1 write port, conflicts stall), a backdoor
/// that borrows the SRAM's write port and read port 0 while the PE is not running, request
/// masks for random stalls, and the ramp wired straight to ports (the C++ test plays the
/// router).
module wm_nonsynth_pe_tb_top #(
  parameter int unsigned NumColors = 8,     /// colors of the router
  parameter int unsigned MemWords  = 12288  /// SRAM words
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  /// Backdoor (only while the PE is idle): write, or read with the data a cycle later.
  input  logic                            bd_we_i,
  input  logic                            bd_re_i,
  input  logic [15:0]                     bd_addr_i,
  input  logic [31:0]                     bd_wdata_i,
  output logic [31:0]                     bd_rdata_o,   /// read port 0's data
  /// Withhold these requests of the PE this cycle ([0] read port 0, [1] read port 1, [2]
  /// write), as if they lost to a conflict: random stalls.
  input  logic [2:0]                      deny_i,
  input  logic                            rx_valid_i,   /// ramp: the router offers a wavelet
  input  logic [wm_pkg::WaveletWidth-1:0] rx_wavelet_i,
  output logic [NumColors-1:0]            rx_ready_o,
  output logic                            tx_valid_o,   /// ramp: the PE sends a wavelet
  output logic [wm_pkg::WaveletWidth-1:0] tx_wavelet_o,
  input  logic [NumColors-1:0]            tx_ready_i,
  output logic                            halted_o,     /// PE status
  output logic [2:0]                      err_code_o,
  output logic [15:0]                     err_pc_o,
  output logic                            busy_o,
  output logic                            act_task_start_o,  /// PE activity
  output logic                            act_start_data_o,
  output logic [31:0]                     act_start_wv_o,
  output logic                            act_running_o,
  output logic [3:0]                      act_task_o,
  output logic                            act_retire_o,
  output logic [15:0]                     act_pc_o,
  output logic                            act_elem_o,
  output logic                            act_mac_o,
  output logic [31:0]                     bank_conflicts_o  /// grants refused by bank rules
);
  logic [1:0]      rreq, rgnt, sram_rreq;
  logic [2*16-1:0] raddr, sram_raddr;
  logic [2*32-1:0] rdata;
  logic [1:0]      rd_err, unused_valid, unused_corr, unused_uncorr;
  logic            wreq, wgnt, sram_wreq, wr_err, unused_err;
  logic [15:0]     waddr, sram_waddr;
  logic [31:0]     wdata, sram_wdata, conflicts_q;
  logic [15:0]     unused_corr_cnt, unused_uncorr_cnt;
  logic            unused_inj_gnt;
  logic            bd;

  wm_pe #(.NumColors(NumColors), .MemWords(MemWords)) u_pe (
    .clk_i, .rst_ni,
    .mem_rreq_o(rreq), .mem_raddr_o(raddr), .mem_rgnt_i(rgnt & ~deny_i[1:0] & ~{1'b0, bd}),
    .mem_rdata_i(rdata),
    .mem_wreq_o(wreq), .mem_waddr_o(waddr), .mem_wdata_o(wdata),
    .mem_wgnt_i(wgnt && !deny_i[2] && !bd), .mem_err_i(|rd_err || wr_err),
    .rx_valid_i, .rx_wavelet_i, .rx_ready_o, .tx_valid_o, .tx_wavelet_o, .tx_ready_i,
    .halted_o, .err_code_o, .err_pc_o, .busy_o,
    .act_task_start_o, .act_start_data_o, .act_start_wv_o, .act_running_o, .act_task_o,
    .act_retire_o, .act_pc_o, .act_elem_o, .act_mac_o
  );

  // The backdoor takes the write port and read port 0; the PE's requests are withheld by
  // deny_i (and while the backdoor is in use) before they reach the SRAM.
  assign bd         = bd_we_i || bd_re_i;
  assign sram_rreq  = bd ? {rreq[1] && !deny_i[1], bd_re_i} : rreq & ~deny_i[1:0];
  assign sram_raddr = bd ? {raddr[16 +: 16], bd_addr_i} : raddr;
  assign sram_wreq  = bd ? bd_we_i : wreq && !deny_i[2];
  assign sram_waddr = bd ? bd_addr_i : waddr;
  assign sram_wdata = bd ? bd_wdata_i : wdata;
  assign bd_rdata_o = rdata[0 +: 32];

  wm_sram_bank #(.SizeBytes(MemWords * 4), .NumBanks(8), .NumReadPorts(2)) u_sram (
    .clk_i, .rst_ni,
    .rd_req_i(sram_rreq), .rd_addr_i(sram_raddr), .rd_gnt_o(rgnt), .rd_valid_o(unused_valid),
    .rd_data_o(rdata), .rd_err_o(rd_err), .rd_ecc_corr_o(unused_corr),
    .rd_ecc_uncorr_o(unused_uncorr),
    .wr_req_i(sram_wreq), .wr_addr_i(sram_waddr), .wr_data_i(sram_wdata), .wr_gnt_o(wgnt),
    .wr_err_o(wr_err), .err_o(unused_err), .err_clear_i(1'b0),
    .ecc_corr_cnt_o(unused_corr_cnt), .ecc_uncorr_cnt_o(unused_uncorr_cnt),
    .ecc_cnt_clear_i(1'b0), .inj_req_i(1'b0), .inj_addr_i('0), .inj_mask_i('0),
    .inj_gnt_o(unused_inj_gnt)
  );

  // Reads the SRAM refused for a bank conflict (not the ones withheld on purpose).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) conflicts_q <= '0;
    else if (!bd) conflicts_q <= conflicts_q + 32'(sram_rreq[0] && !rgnt[0])
                                 + 32'(sram_rreq[1] && !rgnt[1]);
  end
  assign bank_conflicts_o = conflicts_q;

endmodule

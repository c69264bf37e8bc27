// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Testbench top for the PE alone: wm_pe, a behavioural SRAM with the bank rules of
/// wm_sram_bank as the PE expects them (8 word-interleaved banks, 2 reads + 1 write per cycle
/// to distinct banks, the write first, then read port 0, then read port 1; data a cycle after
/// the grant), a backdoor to load and inspect memory, grant-denial inputs for random stalls,
/// and the ramp wired straight to ports (the C++ test plays the router).
module wm_nonsynth_pe_tb_top #(
  parameter int unsigned NumColors = 8,     /// colors of the router
  parameter int unsigned MemWords  = 12288  /// SRAM words
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  input  logic                            bd_we_i,      /// backdoor write (PE must be idle)
  input  logic [15:0]                     bd_addr_i,    /// backdoor address
  input  logic [31:0]                     bd_wdata_i,   /// backdoor write data
  output logic [31:0]                     bd_rdata_o,   /// mem[bd_addr_i], combinational
  /// Refuse these grants this cycle ([0] read port 0, [1] read port 1, [2] write): stalls.
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
  output logic                            act_elem_o,
  output logic                            act_mac_o,
  output logic [31:0]                     bank_conflicts_o  /// grants refused by bank rules
);
  logic [1:0]       rreq;
  logic             rgnt0, rgnt1;
  logic [2*16-1:0]  raddr;
  logic [15:0]      raddr0, raddr1;
  logic [31:0]      rdata0_q, rdata1_q;
  logic             wreq, wgnt;
  logic [15:0]      waddr;
  logic [31:0]      wdata;
  logic [31:0]      mem [MemWords];
  logic [31:0]      conflicts_q;

  wm_pe #(.NumColors(NumColors), .MemWords(MemWords)) u_pe (
    .clk_i, .rst_ni,
    .mem_rreq_o(rreq), .mem_raddr_o(raddr), .mem_rgnt_i({rgnt1, rgnt0}),
    .mem_rdata_i({rdata1_q, rdata0_q}),
    .mem_wreq_o(wreq), .mem_waddr_o(waddr), .mem_wdata_o(wdata), .mem_wgnt_i(wgnt),
    .mem_err_i(1'b0),
    .rx_valid_i, .rx_wavelet_i, .rx_ready_o, .tx_valid_o, .tx_wavelet_o, .tx_ready_i,
    .halted_o, .err_code_o, .err_pc_o, .busy_o,
    .act_task_start_o, .act_start_data_o, .act_start_wv_o, .act_running_o, .act_task_o,
    .act_retire_o, .act_elem_o, .act_mac_o
  );

  // Bank rules: one access per bank per cycle; the write first, then port 0, then port 1.
  logic bank_conflict0, bank_conflict1;
  assign raddr0         = raddr[0 +: 16];
  assign raddr1         = raddr[16 +: 16];
  assign wgnt           = wreq && !deny_i[2];
  assign bank_conflict0 = wgnt && waddr[2:0] == raddr0[2:0];
  assign rgnt0          = rreq[0] && !deny_i[0] && !bank_conflict0;
  assign bank_conflict1 = (wgnt && waddr[2:0] == raddr1[2:0])
                          || (rgnt0 && raddr0[2:0] == raddr1[2:0]);
  assign rgnt1          = rreq[1] && !deny_i[1] && !bank_conflict1;

  localparam int unsigned AW = $clog2(MemWords);
  always_ff @(posedge clk_i) begin
    if (rgnt0) rdata0_q <= (32'(raddr0) < MemWords) ? mem[raddr0[AW-1:0]] : 32'hDEAD_BEEF;
    if (rgnt1) rdata1_q <= (32'(raddr1) < MemWords) ? mem[raddr1[AW-1:0]] : 32'hDEAD_BEEF;
    if (wgnt && 32'(waddr) < MemWords) mem[waddr[AW-1:0]] <= wdata;
    if (bd_we_i && 32'(bd_addr_i) < MemWords) mem[bd_addr_i[AW-1:0]] <= bd_wdata_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) conflicts_q <= '0;
    else conflicts_q <= conflicts_q + 32'(rreq[0] && bank_conflict0)
                        + 32'(rreq[1] && bank_conflict1);
  end
  assign bank_conflicts_o = conflicts_q;

  assign bd_rdata_o = (32'(bd_addr_i) < MemWords) ? mem[bd_addr_i[AW-1:0]] : '0;

endmodule

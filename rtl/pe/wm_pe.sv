// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The processing element (docs/isa.md): control core, task scheduler, fabric input/output
/// and the vector unit with four stream engines, fed by the tile SRAM's two read ports and one
/// write port and by the router's ramp. Read port 0 serves the core first (fetch, lw) and the
/// engines when the core does not need it; read port 1 is the engines'. On the write port the
/// engines go first, then the core's sw, then LOAD control wavelets.
module wm_pe #(
  parameter int unsigned NumColors = 8,     /// colors of the router, 1 to 24
  parameter int unsigned MemWords  = 12288  /// SRAM words (48 KiB)
) (
  input  logic                              clk_i,
  input  logic                              rst_ni,
  /// SRAM read ports: request and address; granted (no bank conflict) this cycle; data the
  /// cycle after the grant.
  output logic [1:0]                        mem_rreq_o,
  output logic [2*16-1:0]                   mem_raddr_o,   /// port p at [p*16 +: 16]
  input  logic [1:0]                        mem_rgnt_i,
  input  logic [2*32-1:0]                   mem_rdata_i,   /// port p at [p*32 +: 32]
  /// SRAM write port: request, address, data; written when granted.
  output logic                              mem_wreq_o,
  output logic [15:0]                       mem_waddr_o,
  output logic [31:0]                       mem_wdata_o,
  input  logic                              mem_wgnt_i,
  /// The SRAM reports an error (out of range, uncorrectable ECC): the PE stops.
  input  logic                              mem_err_i,
  /// Ramp from the router: a wavelet offered, wm_pkg::wavelet_t packed.
  input  logic                              rx_valid_i,
  input  logic [wm_pkg::WaveletWidth-1:0]   rx_wavelet_i,
  /// The PE takes a wavelet of color c this cycle if offered (does not depend on rx_valid_i).
  output logic [NumColors-1:0]              rx_ready_o,
  /// Ramp to the router: a wavelet, taken when tx_ready_i of its color is high.
  output logic                              tx_valid_o,
  output logic [wm_pkg::WaveletWidth-1:0]   tx_wavelet_o,
  input  logic [NumColors-1:0]              tx_ready_i,
  /// Status: stopped (by halt or an error), the error code (wm_isa_pkg::Err*) and its pc.
  output logic                              halted_o,
  output logic [2:0]                        err_code_o,
  output logic [15:0]                       err_pc_o,
  /// Something runs or is in flight (a task, an engine, a queued write or wavelet).
  output logic                              busy_o,
  /// Per-cycle activity for the throughput report and the lock-step hook: a task starts
  /// (with its wavelet when it is a data task), a task is running and which, an instruction
  /// completes, a vector element issues, and whether it is an FMAC-class element.
  /// act_task_o is the task starting this cycle, else the one running (or that ran last).
  output logic                              act_task_start_o,
  output logic                              act_start_data_o,
  output logic [31:0]                       act_start_wv_o,
  output logic                              act_running_o,
  output logic [3:0]                        act_task_o,
  output logic                              act_retire_o,
  output logic [15:0]                       act_pc_o,
  output logic                              act_elem_o,
  output logic                              act_mac_o
);
  // ---- wires between the parts ----------------------------------------------------------------
  logic [NumColors-1:0]        avail, owned, pop_sched, pop_core, pop_vpu;
  logic [NumColors*32-1:0]    head_data;
  logic                        cmd_valid;
  logic [3:0]                  cmd, cmd_task;
  logic                        ld_wreq, ld_wgnt, err_ctrl, err_ld;
  logic [15:0]                 ld_waddr;
  logic [31:0]                 ld_wdata;

  logic                        pick, start, start_data;
  logic [3:0]                  start_task;
  logic [15:0]                 start_pc;
  logic [31:0]                 start_wv;
  logic                        op_valid, entry_we;
  logic [4:0]                  op, op_color;
  logic [3:0]                  op_task, entry_task;
  logic [15:0]                 entry_pc;
  logic [15:0]                 notify;

  logic                        core_rreq, core_rgnt, core_wreq, core_wgnt;
  logic [15:0]                 core_raddr, core_waddr;
  logic [31:0]                 core_wdata;
  logic                        send_valid, send_pop;
  logic [wm_pkg::WaveletWidth-1:0] send_wavelet;

  logic                        launch, launch_dot, launch_notify;
  logic [1:0]                  launch_eng;
  logic [4:0]                  launch_vop;
  logic [3:0]                  launch_task, launch_dst_reg;
  logic [15:0]                 launch_pc, launch_rowlen;
  logic [31:0]                 launch_count;
  logic [3*wm_isa_pkg::DsdWidth-1:0] launch_dsd;
  logic [3*32-1:0]             launch_val;
  logic [3:0]                  eng_busy, eng_done, vrf_we;
  logic [4*4-1:0]             vrf_waddr;
  logic [4*32-1:0]             vrf_wdata;
  logic [1:0]                  vpu_rreq, vpu_rgnt;
  logic [2*16-1:0]             vpu_raddr;
  logic                        vpu_wreq, vpu_err, vpu_idle, running;
  logic [15:0]                 vpu_waddr, vpu_err_pc;
  logic [31:0]                 vpu_wdata;
  logic [3:0]                  txq_valid, txq_pop;
  logic [4*wm_pkg::WaveletWidth-1:0] txq_wavelet;
  logic [4:0]                  src_pop;
  logic [3:0]                  cur_task;

  // ---- SRAM port sharing ------------------------------------------------------------------------
  assign mem_rreq_o[0]  = core_rreq || vpu_rreq[0];
  assign mem_raddr_o[0 +: 16]  = core_rreq ? core_raddr : vpu_raddr[0 +: 16];
  assign mem_rreq_o[1]  = vpu_rreq[1];
  assign mem_raddr_o[16 +: 16] = vpu_raddr[16 +: 16];
  assign core_rgnt      = mem_rgnt_i[0] && core_rreq;
  assign vpu_rgnt       = {mem_rgnt_i[1], mem_rgnt_i[0] && !core_rreq};

  assign mem_wreq_o  = vpu_wreq || core_wreq || ld_wreq;
  assign mem_waddr_o = vpu_wreq ? vpu_waddr : (core_wreq ? core_waddr : ld_waddr);
  assign mem_wdata_o = vpu_wreq ? vpu_wdata : (core_wreq ? core_wdata : ld_wdata);
  assign core_wgnt   = mem_wgnt_i && !vpu_wreq;
  assign ld_wgnt     = mem_wgnt_i && !vpu_wreq && !core_wreq;

  // ---- parts ------------------------------------------------------------------------------------
  wm_pe_rx #(.NumColors(NumColors), .MemWords(MemWords)) u_rx (
    .clk_i, .rst_ni, .rx_valid_i, .rx_wavelet_i, .rx_ready_o,
    .avail_o(avail), .head_data_o(head_data), .pop_i(pop_sched | pop_core | pop_vpu),
    .cmd_valid_o(cmd_valid), .cmd_o(cmd), .cmd_task_o(cmd_task),
    .wreq_o(ld_wreq), .waddr_o(ld_waddr), .wdata_o(ld_wdata), .wgnt_i(ld_wgnt),
    .err_ctrl_o(err_ctrl), .err_addr_o(err_ld)
  );

  wm_pe_sched #(.NumColors(NumColors)) u_sched (
    .clk_i, .rst_ni,
    .op_valid_i(op_valid), .op_i(op), .op_task_i(op_task), .op_color_i(op_color),
    .entry_we_i(entry_we), .entry_task_i(entry_task), .entry_pc_i(entry_pc),
    .cmd_valid_i(cmd_valid), .cmd_i(cmd), .cmd_task_i(cmd_task), .notify_i(notify),
    .avail_i(avail), .head_data_i(head_data), .pick_i(pick),
    .start_o(start), .start_task_o(start_task), .start_pc_o(start_pc),
    .start_data_o(start_data), .start_wv_o(start_wv), .pop_o(pop_sched), .owned_o(owned)
  );

  wm_pe_core #(.NumColors(NumColors), .MemWords(MemWords)) u_core (
    .clk_i, .rst_ni,
    .rreq_o(core_rreq), .raddr_o(core_raddr), .rgnt_i(core_rgnt), .rdata_i(mem_rdata_i[0 +: 32]),
    .wreq_o(core_wreq), .waddr_o(core_waddr), .wdata_o(core_wdata), .wgnt_i(core_wgnt),
    .pick_o(pick), .start_i(start), .start_task_i(start_task), .start_pc_i(start_pc),
    .start_data_i(start_data), .start_wv_i(start_wv),
    .op_valid_o(op_valid), .op_o(op), .op_task_o(op_task), .op_color_o(op_color),
    .entry_we_o(entry_we), .entry_task_o(entry_task), .entry_pc_o(entry_pc),
    .owned_i(owned), .avail_i(avail), .head_data_i(head_data), .pop_o(pop_core),
    .send_valid_o(send_valid), .send_wavelet_o(send_wavelet), .send_pop_i(send_pop),
    .launch_o(launch), .launch_eng_o(launch_eng), .launch_vop_o(launch_vop),
    .launch_dot_o(launch_dot), .launch_notify_o(launch_notify), .launch_task_o(launch_task),
    .launch_pc_o(launch_pc), .launch_count_o(launch_count), .launch_rowlen_o(launch_rowlen),
    .launch_dst_reg_o(launch_dst_reg), .launch_dsd_o(launch_dsd), .launch_val_o(launch_val),
    .eng_busy_i(eng_busy), .eng_done_i(eng_done),
    .vrf_we_i(vrf_we), .vrf_waddr_i(vrf_waddr), .vrf_wdata_i(vrf_wdata),
    .vpu_err_i(vpu_err), .vpu_err_pc_i(vpu_err_pc), .rx_err_ctrl_i(err_ctrl),
    .rx_err_addr_i(err_ld), .mem_err_i,
    .halted_o, .err_code_o, .err_pc_o, .running_o(running), .retire_o(act_retire_o),
    .pc_o(act_pc_o), .task_o(cur_task)
  );

  wm_pe_vpu #(.NumColors(NumColors), .MemWords(MemWords)) u_vpu (
    .clk_i, .rst_ni,
    .launch_i(launch), .launch_eng_i(launch_eng), .launch_vop_i(launch_vop),
    .launch_dot_i(launch_dot), .launch_notify_i(launch_notify), .launch_task_i(launch_task),
    .launch_pc_i(launch_pc), .launch_count_i(launch_count), .launch_rowlen_i(launch_rowlen),
    .launch_dst_reg_i(launch_dst_reg), .launch_dsd_i(launch_dsd), .launch_val_i(launch_val),
    .busy_o(eng_busy), .done_o(eng_done),
    .rf_we_o(vrf_we), .rf_waddr_o(vrf_waddr), .rf_wdata_o(vrf_wdata), .notify_o(notify),
    .avail_i(avail), .head_data_i(head_data), .pop_o(pop_vpu),
    .core_rreq_i(core_rreq), .rreq_o(vpu_rreq), .raddr_o(vpu_raddr), .rgnt_i(vpu_rgnt),
    .rdata_i(mem_rdata_i),
    .wreq_o(vpu_wreq), .waddr_o(vpu_waddr), .wdata_o(vpu_wdata), .wgnt_i(mem_wgnt_i),
    .txq_valid_o(txq_valid), .txq_wavelet_o(txq_wavelet), .txq_pop_i(txq_pop),
    .freeze_i(err_code_o != wm_isa_pkg::ErrNone), .err_o(vpu_err), .err_pc_o(vpu_err_pc),
    .issue_o(act_elem_o), .mac_o(act_mac_o), .idle_o(vpu_idle)
  );

  wm_pe_tx #(.NumColors(NumColors), .NumSources(5)) u_tx (
    .clk_i, .rst_ni,
    .src_valid_i({send_valid, txq_valid}), .src_wavelet_i({send_wavelet, txq_wavelet}),
    .src_pop_o(src_pop), .tx_valid_o, .tx_wavelet_o, .tx_ready_i
  );
  assign txq_pop  = src_pop[3:0];
  assign send_pop = src_pop[4];

  // ---- status and activity ------------------------------------------------------------------------
  assign busy_o           = running || !vpu_idle || send_valid;
  assign act_task_start_o = start;
  assign act_start_data_o = start_data;
  assign act_start_wv_o   = start_wv;
  assign act_running_o    = running;
  assign act_task_o       = start ? start_task : cur_task;

endmodule

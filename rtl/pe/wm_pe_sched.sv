// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The PE's task table and scheduler (docs/isa.md section 3): 16 slots of entry pc, color
/// binding, active and blocked flags. When the core is idle it starts the lowest-numbered
/// runnable task: an active one consumes its activation, a data task takes its color's wavelet.
module wm_pe_sched #(
  parameter int unsigned NumColors = 8  /// colors of the router, 1 to 24
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  /// A task instruction retires (wm_isa_pkg::Sys{Tact,Tblock,Tunblock,Tbind,Tunbind}).
  input  logic                        op_valid_i,
  input  logic [4:0]                  op_i,
  input  logic [3:0]                  op_task_i,
  input  logic [4:0]                  op_color_i,
  input  logic                        entry_we_i,    /// tentry retires
  input  logic [3:0]                  entry_task_i,
  input  logic [15:0]                 entry_pc_i,
  /// A control wavelet's task command (wm_isa_pkg::Ctrl{Activate,Block,Unblock}).
  input  logic                        cmd_valid_i,
  input  logic [3:0]                  cmd_i,
  input  logic [3:0]                  cmd_task_i,
  input  logic [15:0]                 notify_i,      /// engines completing: activate these
  input  logic [NumColors-1:0]        avail_i,       /// a data wavelet waits on color c
  input  logic [NumColors*32-1:0]     head_data_i,   /// its data, per color
  input  logic                        pick_i,        /// the core is idle: start a task now
  output logic                        start_o,       /// a task starts this cycle
  output logic [3:0]                  start_task_o,
  output logic [15:0]                 start_pc_o,
  output logic                        start_data_o,  /// it took a wavelet (r15 = start_wv_o)
  output logic [31:0]                 start_wv_o,
  output logic [NumColors-1:0]        pop_o,         /// the wavelet taken
  output logic [NumColors-1:0]        owned_o        /// colors bound to a task
);
  localparam int unsigned NumTasks = wm_isa_pkg::NumTasks;

  logic [NumTasks*16-1:0]    entry_q;
  logic [NumTasks*5-1:0]     color_q;
  logic [NumTasks-1:0]       bound_q, active_q, blocked_q;
  logic [NumTasks-1:0]       bound_d, active_d, blocked_d, runnable, data_ready;

  always_comb begin
    owned_o = '0;
    for (int unsigned t = 0; t < NumTasks; t++) begin
      data_ready[t] = 1'b0;
      for (int unsigned c = 0; c < NumColors; c++) begin
        if (bound_q[t] && color_q[t*5 +: 5] == 5'(c)) begin
          owned_o[c] = 1'b1;
          if (avail_i[c]) data_ready[t] = 1'b1;
        end
      end
      runnable[t] = !blocked_q[t] && (active_q[t] || data_ready[t]);
    end
  end

  always_comb begin
    logic found;
    found        = 1'b0;
    start_task_o = '0;
    for (int unsigned t = 0; t < NumTasks; t++) begin
      if (!found && runnable[t]) begin
        found        = 1'b1;
        start_task_o = 4'(t);
      end
    end
    start_o      = pick_i && found;
    start_pc_o   = entry_q[start_task_o*16 +: 16];
    start_data_o = !active_q[start_task_o];
    start_wv_o   = '0;
    pop_o        = '0;
    for (int unsigned c = 0; c < NumColors; c++) begin
      if (color_q[start_task_o*5 +: 5] == 5'(c)) begin
        start_wv_o = head_data_i[c*32 +: 32];
        if (start_o && start_data_o) pop_o[c] = 1'b1;
      end
    end
  end

  // Updates in a fixed order: the start consumes an activation first, so an activation
  // arriving in the same cycle (instruction, control wavelet or engine) is kept.
  always_comb begin
    bound_d   = bound_q;
    active_d  = active_q;
    blocked_d = blocked_q;
    if (start_o && !start_data_o) active_d[start_task_o] = 1'b0;
    if (op_valid_i) begin
      unique case (op_i)
        wm_isa_pkg::SysTact:     active_d[op_task_i]  = 1'b1;
        wm_isa_pkg::SysTblock:   blocked_d[op_task_i] = 1'b1;
        wm_isa_pkg::SysTunblock: blocked_d[op_task_i] = 1'b0;
        wm_isa_pkg::SysTbind:    bound_d[op_task_i]   = 1'b1;
        wm_isa_pkg::SysTunbind:  bound_d[op_task_i]   = 1'b0;
        default: ;
      endcase
    end
    if (cmd_valid_i) begin
      unique case (cmd_i)
        wm_isa_pkg::CtrlActivate: active_d[cmd_task_i]  = 1'b1;
        wm_isa_pkg::CtrlBlock:    blocked_d[cmd_task_i] = 1'b1;
        wm_isa_pkg::CtrlUnblock:  blocked_d[cmd_task_i] = 1'b0;
        default: ;
      endcase
    end
    active_d = active_d | notify_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      entry_q   <= '0;
      color_q   <= '0;
      bound_q   <= '0;
      active_q  <= '0;
      blocked_q <= '0;
    end else begin
      bound_q   <= bound_d;
      active_q  <= active_d;
      blocked_q <= blocked_d;
      if (entry_we_i) entry_q[entry_task_i*16 +: 16] <= entry_pc_i;
      if (op_valid_i && op_i == wm_isa_pkg::SysTbind) color_q[op_task_i*5 +: 5] <= op_color_i;
    end
  end

endmodule

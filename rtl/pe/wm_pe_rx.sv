// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The PE's fabric input: one small queue per color behind the router's ramp (so the PE's
/// ready is per color and a stalled color never blocks another), the executor of control
/// wavelets (ACTIVATE, BLOCK, UNBLOCK, LOAD; docs/isa.md section 6) and the LOAD engine that
/// writes the following data wavelets of its color into SRAM.
module wm_pe_rx #(
  parameter int unsigned NumColors  = 8,      /// colors of the router, 1 to 24
  parameter int unsigned MemWords   = 12288,  /// SRAM words, for the LOAD range check
  parameter int unsigned QueueDepth = 2       /// wavelets buffered per color
) (
  input  logic                                 clk_i,
  input  logic                                 rst_ni,
  input  logic                                 rx_valid_i,    /// the router offers a wavelet
  input  logic [wm_pkg::WaveletWidth-1:0]      rx_wavelet_i,  /// it, wm_pkg::wavelet_t packed
  /// A wavelet of color c is taken this cycle if offered (independent of rx_valid_i).
  output logic [NumColors-1:0]                 rx_ready_o,
  /// Color c holds a data wavelet for a task, recv or DSD (not a control one, not loading).
  output logic [NumColors-1:0]                 avail_o,
  output logic [NumColors*32-1:0]              head_data_o,   /// that wavelet's data, per color
  input  logic [NumColors-1:0]                 pop_i,         /// consume it
  /// A task command from a control wavelet this cycle (wm_isa_pkg::Ctrl{Activate,Block,
  /// Unblock}) and its task.
  output logic                                 cmd_valid_o,
  output logic [3:0]                           cmd_o,
  output logic [3:0]                           cmd_task_o,
  output logic                                 wreq_o,        /// LOAD write request
  output logic [15:0]                          waddr_o,
  output logic [31:0]                          wdata_o,
  input  logic                                 wgnt_i,        /// the write is done
  output logic                                 err_ctrl_o,    /// bad control wavelet (pulse)
  output logic                                 err_addr_o     /// LOAD past MemWords (pulse)
);
  localparam int unsigned CWidth = (NumColors > 1) ? $clog2(NumColors) : 1;

  logic [NumColors-1:0]        push, q_ready, q_valid, q_pop, head_ctrl, ctrl_pop;
  localparam int unsigned CntW = $clog2(QueueDepth + 1);
  logic [NumColors*33-1:0]     q_data;
  logic [NumColors*CntW-1:0]   unused_count;
  wm_pkg::wavelet_t            in_w;

  assign in_w = rx_wavelet_i;
  // The destination header only matters to routers.
  logic [2*wm_pkg::CoordWidth-1:0] unused_dst;
  assign unused_dst = {in_w.dst_x, in_w.dst_y};

  for (genvar c = 0; c < NumColors; c++) begin : gen_queue
    assign push[c] = rx_valid_i && (in_w.color == 5'(c)) && q_ready[c];
    wm_fifo #(.Width(33), .Depth(QueueDepth)) u_queue (
      .clk_i,
      .rst_ni,
      .flush_i (1'b0),
      .wdata_i ({in_w.ctrl, in_w.data}),
      .wvalid_i(push[c]),
      .wready_o(q_ready[c]),
      .rdata_o (q_data[c*33 +: 33]),
      .rvalid_o(q_valid[c]),
      .rready_i(q_pop[c]),
      .count_o (unused_count[c*CntW +: CntW])
    );
    assign head_ctrl[c]              = q_valid[c] && q_data[c*33+32];
    assign head_data_o[c*32 +: 32]   = q_data[c*33 +: 32];
  end
  assign rx_ready_o = q_ready;

  // LOAD state: which color feeds memory, where, and how many words are left.
  logic              ld_active_q, ld_active_d;
  logic [CWidth-1:0] ld_color_q, ld_color_d;
  logic [15:0]       ld_addr_q, ld_addr_d;
  logic [11:0]       ld_count_q, ld_count_d;
  logic [NumColors-1:0] ld_owned;

  always_comb begin
    ld_owned = '0;
    if (ld_active_q) ld_owned[ld_color_q] = 1'b1;
  end
  assign avail_o = q_valid & ~head_ctrl & ~ld_owned;

  // One control wavelet per cycle, lowest color first.
  logic              ctrl_found;
  logic [CWidth-1:0] ctrl_c;
  logic [31:0]       ctrl_data;
  always_comb begin
    ctrl_found = 1'b0;
    ctrl_c     = '0;
    for (int unsigned c = 0; c < NumColors; c++) begin
      if (!ctrl_found && head_ctrl[c]) begin
        ctrl_found = 1'b1;
        ctrl_c     = CWidth'(c);
      end
    end
    ctrl_data = q_data[ctrl_c*33 +: 32];
  end

  logic ld_head;
  assign ld_head = ld_active_q && q_valid[ld_color_q] && !head_ctrl[ld_color_q];

  always_comb begin
    ld_active_d = ld_active_q;
    ld_color_d  = ld_color_q;
    ld_addr_d   = ld_addr_q;
    ld_count_d  = ld_count_q;
    cmd_valid_o = 1'b0;
    cmd_o       = ctrl_data[31:28];
    cmd_task_o  = ctrl_data[3:0];
    err_ctrl_o  = 1'b0;
    err_addr_o  = 1'b0;
    ctrl_pop    = '0;
    wreq_o      = 1'b0;
    waddr_o     = ld_addr_q;
    wdata_o     = q_data[ld_color_q*33 +: 32];
    if (ctrl_found) begin
      ctrl_pop[ctrl_c] = 1'b1;
      unique case (ctrl_data[31:28])
        wm_isa_pkg::CtrlActivate, wm_isa_pkg::CtrlBlock, wm_isa_pkg::CtrlUnblock: begin
          if (ctrl_data[27:4] != '0) err_ctrl_o = 1'b1;
          else cmd_valid_o = 1'b1;
        end
        wm_isa_pkg::CtrlLoad: begin
          if (ld_active_q) begin
            err_ctrl_o = 1'b1;
          end else if (ctrl_data[27:16] != '0) begin
            ld_active_d = 1'b1;
            ld_color_d  = ctrl_c;
            ld_addr_d   = ctrl_data[15:0];
            ld_count_d  = ctrl_data[27:16];
          end
        end
        default: err_ctrl_o = 1'b1;
      endcase
    end
    if (ld_head) begin
      if (32'(ld_addr_q) >= MemWords) begin
        err_addr_o = 1'b1;
      end else begin
        wreq_o = 1'b1;
        if (wgnt_i) begin
          ld_addr_d  = ld_addr_q + 16'd1;
          ld_count_d = ld_count_q - 12'd1;
          if (ld_count_q == 12'd1) ld_active_d = 1'b0;
        end
      end
    end
  end

  always_comb begin
    q_pop = pop_i | ctrl_pop;
    if (ld_head && wreq_o && wgnt_i) q_pop[ld_color_q] = 1'b1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ld_active_q <= 1'b0;
      ld_color_q  <= '0;
      ld_addr_q   <= '0;
      ld_count_q  <= '0;
    end else begin
      ld_active_q <= ld_active_d;
      ld_color_q  <= ld_color_d;
      ld_addr_q   <= ld_addr_d;
      ld_count_q  <= ld_count_d;
    end
  end

endmodule

// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// One stream engine of the PE's vector unit (docs/isa.md section 5): the operation it runs,
/// its three operand walkers, its accumulator and the bookkeeping of elements in flight. It
/// tells the vector unit whether its next element can go this cycle and what it needs; the
/// vector unit's arbiter picks one engine per cycle and tells it when it went.
module wm_pe_engine #(
  parameter int unsigned NumColors = 8,      /// colors of the router, 1 to 24
  parameter int unsigned MemWords  = 12288   /// SRAM words: element addresses are checked
) (
  input  logic                               clk_i,
  input  logic                               rst_ni,
  /// Launch an operation on this engine (see wm_pe_vpu for the fields).
  input  logic                               launch_i,
  input  logic [4:0]                         launch_vop_i,
  input  logic                               launch_dot_i,
  input  logic                               launch_notify_i,
  input  logic [3:0]                         launch_task_i,
  input  logic [15:0]                        launch_pc_i,
  input  logic [31:0]                        launch_count_i,
  input  logic [15:0]                        launch_rowlen_i,
  input  logic [3:0]                         launch_dst_reg_i,
  input  logic [3*wm_isa_pkg::DsdWidth-1:0]  launch_dsd_i,    /// dst, srcA, srcB (low first)
  input  logic [3*32-1:0]                    launch_val_i,    /// their register values
  input  logic [NumColors-1:0]               avail_i,         /// fabric input heads
  input  logic                               freeze_i,        /// an error: do nothing
  input  logic                               wq_ok_i,         /// the write queue has room
  input  logic                               tx_ok_i,         /// this engine's output queue has room
  input  logic                               issue_i,         /// the next element issued
  /// Reads of the next element granted this cycle without it issuing (a bank conflict held
  /// back another): [0] srcA, [1] srcB, [2] dst, and the port each came from (1: port 0,
  /// 0: port 1). The data is
  /// kept in the engine's hold registers until the element issues.
  input  logic [2:0]                         part_gnt_i,
  input  logic [2:0]                         part_port_i,
  input  logic [2*32-1:0]                    rdata_i,         /// read ports 1 and 0 ([63:32] p1)
  input  logic                               acc_we_i,        /// execute stage: new accumulator
  input  logic [31:0]                        acc_i,
  input  logic                               retire_s1_i,     /// an element retired in execute
  input  logic                               retire_wq_i,     /// ... by its SRAM write
  input  logic                               retire_tx_i,     /// ... by its wavelet leaving
  output logic                               can_act_o,       /// the next element can go
  output logic                               bad_addr_o,      /// its addresses are out of range
  output logic [1:0]                         ak_o,            /// source kinds (wm_isa_pkg::Dsd*)
  output logic [1:0]                         bk_o,
  output logic [4:0]                         acol_o,          /// FIN colors of the sources
  output logic [4:0]                         bcol_o,
  /// Reads the next element still needs ([0] srcA, [1] srcB, [2] dst), and operands already
  /// read (their values in hold_o, valid when the element's execute stage runs).
  output logic [2:0]                         need_o,
  output logic [2:0]                         held_o,
  output logic [31:0]                        daddr_o,         /// current walker addresses
  output logic [31:0]                        aaddr_o,
  output logic [31:0]                        baddr_o,
  output logic                               wmem_o,          /// writes memory
  output logic                               wfout_o,         /// sends a wavelet
  output logic                               row_first_o,     /// fdotv: first of a row
  output logic [4:0]                         vop_o,
  output logic                               dot_o,
  output logic [31:0]                        aval_o,          /// register operands
  output logic [31:0]                        bval_o,
  output logic [3*32-1:0]                    hold_o,          /// srcA, srcB, dst read ahead
  output logic [31:0]                        acc_o,
  output logic [wm_pkg::WaveletWidth-1:0]    header_o,        /// FOUT wavelet without data
  output logic [15:0]                        pc_o,            /// launching pc
  output logic                               busy_o,
  output logic                               done_o,
  output logic                               rf_we_o,         /// completes: write rd
  output logic [3:0]                         rf_waddr_o,
  output logic [15:0]                        notify_o         /// completes: activate
);
  localparam int unsigned DW = wm_isa_pkg::DsdWidth;
  localparam logic [1:0]  KReg  = wm_isa_pkg::DsdNone;
  localparam logic [1:0]  KMem  = wm_isa_pkg::DsdMem;
  localparam logic [1:0]  KFin  = wm_isa_pkg::DsdFin;
  localparam logic [1:0]  KFout = wm_isa_pkg::DsdFout;

  wm_isa_pkg::dsd_t ld_d, ld_a, ld_b;
  assign ld_d = launch_dsd_i[0*DW +: DW];
  assign ld_a = launch_dsd_i[1*DW +: DW];
  assign ld_b = launch_dsd_i[2*DW +: DW];
  // Fields a kind of operand does not use (a source's header; len1, which the count covers).
  logic [3*16+4*5-1:0] unused_fields;
  assign unused_fields = {ld_d.len1, ld_a.len1, ld_b.len1,
                          ld_a.dest_x, ld_a.dest_y, ld_b.dest_x, ld_b.dest_y};

  logic        busy_q, done_q, dot_q, notify_q;
  logic [2:0]  have_q, pend_q, pport_q;
  logic [3*32-1:0] hold_q;
  logic [4:0]  vop_q, dcol_q, acol_q, bcol_q, ddx_q, ddy_q;
  logic [3:0]  task_q, dreg_q, inflight_q;
  logic [15:0] pc_q, rowlen_q, rowpos_q;
  logic [31:0] remain_q, acc_q, aval_q, bval_q;
  logic [1:0]  dk_q, ak_q, bk_q;
  logic        step_d, step_a, step_b;

  wm_pe_agu u_agu_d (
    .clk_i, .rst_ni, .load_i(launch_i), .base_i(ld_d.base), .len0_i(ld_d.len0),
    .stride0_i(ld_d.stride0), .stride1_i(ld_d.stride1), .step_i(step_d), .addr_o(daddr_o)
  );
  wm_pe_agu u_agu_a (
    .clk_i, .rst_ni, .load_i(launch_i), .base_i(ld_a.base), .len0_i(ld_a.len0),
    .stride0_i(ld_a.stride0), .stride1_i(ld_a.stride1), .step_i(step_a), .addr_o(aaddr_o)
  );
  wm_pe_agu u_agu_b (
    .clk_i, .rst_ni, .load_i(launch_i), .base_i(ld_b.base), .len0_i(ld_b.len0),
    .stride0_i(ld_b.stride0), .stride1_i(ld_b.stride1), .step_i(step_b), .addr_o(baddr_o)
  );

  // ---- the next element ------------------------------------------------------------------------
  logic        reduce, is_fdotv, row_end, writes, fin_ok, range_ok, pending, complete;
  logic [2:0]  reads;
  logic [31:0] avail_ext;

  assign avail_ext = 32'(avail_i);
  assign reduce    = dot_q || vop_q == wm_isa_pkg::VopFrsum || vop_q == wm_isa_pkg::VopFrmax;
  assign is_fdotv  = vop_q == wm_isa_pkg::VopFdotv;
  assign row_end   = !is_fdotv || (17'(rowpos_q) + 17'd1 == 17'(rowlen_q));
  assign writes    = !reduce && row_end;
  assign wmem_o    = writes && dk_q == KMem;
  assign wfout_o   = writes && dk_q == KFout;
  // Memory reads of the element: srcA, srcB and, for an element-wise fmac, its destination.
  assign reads     = {vop_q == wm_isa_pkg::VopFmac && !dot_q && dk_q == KMem,
                      bk_q == KMem, ak_q == KMem};
  assign held_o    = have_q | pend_q;
  assign need_o    = reads & ~held_o;
  assign fin_ok    = (ak_q != KFin || avail_ext[acol_q]) && (bk_q != KFin || avail_ext[bcol_q]);
  assign range_ok  = (!reads[0] || aaddr_o < MemWords) && (!reads[1] || baddr_o < MemWords)
                     && (!(wmem_o || reads[2]) || daddr_o < MemWords);
  assign pending   = busy_q && remain_q != '0;
  assign bad_addr_o = pending && !range_ok;
  // Reads it cannot all get this cycle still go: a partial grant makes progress.
  assign can_act_o = pending && !freeze_i && fin_ok && range_ok
                     && (dk_q != KFout || tx_ok_i) && (dk_q != KMem || wq_ok_i);

  assign step_a = issue_i && ak_q == KMem;
  assign step_b = issue_i && bk_q == KMem;
  assign step_d = issue_i && dk_q == KMem && writes;

  assign complete   = busy_q && remain_q == '0 && inflight_q == '0;
  assign rf_we_o    = complete && dk_q == KReg;
  assign rf_waddr_o = dreg_q;
  always_comb begin
    notify_o = '0;
    if (complete && notify_q) notify_o[task_q] = 1'b1;
  end

  wm_pkg::wavelet_t hdr;
  always_comb begin
    hdr.ctrl  = 1'b0;
    hdr.dst_x = ddx_q;
    hdr.dst_y = ddy_q;
    hdr.color = dcol_q;
    hdr.data  = '0;
  end
  assign header_o = hdr;

  assign ak_o        = ak_q;
  assign bk_o        = bk_q;
  assign acol_o      = acol_q;
  assign bcol_o      = bcol_q;
  assign row_first_o = rowpos_q == '0;
  assign vop_o       = vop_q;
  assign dot_o       = dot_q;
  assign aval_o      = aval_q;
  assign bval_o      = bval_q;
  assign hold_o      = hold_q;
  assign acc_o       = acc_q;
  assign pc_o        = pc_q;
  assign busy_o      = busy_q;
  assign done_o      = done_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q     <= 1'b0;
      done_q     <= 1'b0;
      dot_q      <= 1'b0;
      notify_q   <= 1'b0;
      have_q     <= '0;
      pend_q     <= '0;
      pport_q    <= '0;
      hold_q     <= '0;
      vop_q      <= '0;
      task_q     <= '0;
      dreg_q     <= '0;
      inflight_q <= '0;
      pc_q       <= '0;
      rowlen_q   <= '0;
      rowpos_q   <= '0;
      remain_q   <= '0;
      acc_q      <= '0;
      aval_q     <= '0;
      bval_q     <= '0;
      dk_q       <= '0;
      ak_q       <= '0;
      bk_q       <= '0;
      dcol_q     <= '0;
      acol_q     <= '0;
      bcol_q     <= '0;
      ddx_q      <= '0;
      ddy_q      <= '0;
    end else if (launch_i) begin
      busy_q     <= 1'b1;
      done_q     <= 1'b0;
      vop_q      <= launch_vop_i;
      dot_q      <= launch_dot_i;
      notify_q   <= launch_notify_i;
      task_q     <= launch_task_i;
      pc_q       <= launch_pc_i;
      remain_q   <= launch_count_i;
      rowlen_q   <= launch_rowlen_i;
      rowpos_q   <= '0;
      dreg_q     <= launch_dst_reg_i;
      acc_q      <= launch_val_i[0*32 +: 32];
      aval_q     <= launch_val_i[1*32 +: 32];
      bval_q     <= launch_val_i[2*32 +: 32];
      have_q     <= '0;
      pend_q     <= '0;
      dk_q       <= ld_d.kind;
      ak_q       <= ld_a.kind;
      bk_q       <= ld_b.kind;
      dcol_q     <= ld_d.color;
      acol_q     <= ld_a.color;
      bcol_q     <= ld_b.color;
      ddx_q      <= ld_d.dest_x;
      ddy_q      <= ld_d.dest_y;
    end else begin
      if (complete) begin
        busy_q <= 1'b0;
        done_q <= 1'b1;
      end
      // Reads granted last cycle land now; an issue clears the element's read state.
      for (int unsigned k = 0; k < 3; k++) begin
        if (pend_q[k]) hold_q[k*32 +: 32] <= pport_q[k] ? rdata_i[0 +: 32] : rdata_i[32 +: 32];
      end
      have_q  <= issue_i ? 3'b000 : (have_q | pend_q);
      pend_q  <= issue_i ? 3'b000 : part_gnt_i;
      pport_q <= part_port_i;
      if (issue_i) begin
        remain_q <= remain_q - 32'd1;
        rowpos_q <= row_end ? '0 : rowpos_q + 16'd1;
      end
      if (acc_we_i) acc_q <= acc_i;
      inflight_q <= inflight_q + 4'(issue_i) - 4'(retire_s1_i) - 4'(retire_wq_i)
                    - 4'(retire_tx_i);
    end
  end

endmodule

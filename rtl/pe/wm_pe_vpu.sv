// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The PE's vector unit: four stream engines (wm_pe_engine, docs/isa.md section 5) sharing one
/// element pipeline. Each cycle a round-robin arbiter picks one engine whose next element can
/// go (fabric inputs present, room for its outputs, the read ports it needs free) and issues
/// it: issue (SRAM reads) -> execute (wm_pe_vexec, operands arriving) -> the shared write queue
/// to the SRAM write port, or the engine's output queue to the ramp, or its accumulator.
/// An element needs one read per memory source plus its destination for an element-wise fmac;
/// the first goes to port 1, a second to port 0 (when the core leaves it). Reads granted while
/// another is refused (bank conflict, a third read) are kept by the engine, so an element-wise
/// fmac with three memory operands takes two cycles per element and every other form issues one
/// element per cycle when its reads hit different banks.
module wm_pe_vpu #(
  parameter int unsigned NumColors = 8,      /// colors of the router, 1 to 24
  parameter int unsigned MemWords  = 12288   /// SRAM words: element addresses are checked
) (
  input  logic                                 clk_i,
  input  logic                                 rst_ni,
  /// Launch an operation on an idle engine. Operand kinds are wm_isa_pkg::Dsd*, DsdNone
  /// meaning a scalar register (or an unused operand).
  input  logic                                 launch_i,
  input  logic [1:0]                           launch_eng_i,
  input  logic [4:0]                           launch_vop_i,
  input  logic                                 launch_dot_i,     /// fmac into a register
  input  logic                                 launch_notify_i,
  input  logic [3:0]                           launch_task_i,
  input  logic [15:0]                          launch_pc_i,
  input  logic [31:0]                          launch_count_i,   /// elements
  input  logic [15:0]                          launch_rowlen_i,  /// fdotv: srcA's len0
  input  logic [3:0]                           launch_dst_reg_i, /// reductions: rd
  input  logic [3*wm_isa_pkg::DsdWidth-1:0]    launch_dsd_i,     /// dst, srcA, srcB
  input  logic [3*32-1:0]                      launch_val_i,     /// their register values
  output logic [3:0]                           busy_o,           /// per engine
  output logic [3:0]                           done_o,           /// completed since launch
  /// Register writes of completing reductions, one per engine.
  output logic [3:0]                           rf_we_o,
  output logic [4*4-1:0]                       rf_waddr_o,
  output logic [4*32-1:0]                      rf_wdata_o,
  output logic [15:0]                          notify_o,         /// tasks to activate
  input  logic [NumColors-1:0]                 avail_i,          /// fabric input heads
  input  logic [NumColors*32-1:0]              head_data_i,
  output logic [NumColors-1:0]                 pop_o,
  input  logic                                 core_rreq_i,      /// the core has port 0
  output logic [1:0]                           rreq_o,           /// SRAM read ports
  output logic [2*16-1:0]                      raddr_o,
  input  logic [1:0]                           rgnt_i,
  input  logic [2*32-1:0]                      rdata_i,          /// a cycle after the grant
  output logic                                 wreq_o,           /// SRAM write port
  output logic [15:0]                          waddr_o,
  output logic [31:0]                          wdata_o,
  input  logic                                 wgnt_i,
  /// Output queue heads, one per engine, wm_pkg::wavelet_t packed.
  output logic [3:0]                           txq_valid_o,
  output logic [4*wm_pkg::WaveletWidth-1:0]    txq_wavelet_o,
  input  logic [3:0]                           txq_pop_i,
  input  logic                                 freeze_i,         /// an error: issue nothing
  output logic                                 err_o,            /// element address error
  output logic [15:0]                          err_pc_o,         /// its launching pc
  output logic                                 issue_o,          /// an element issued
  output logic                                 mac_o,            /// ... of fmac or fdotv
  output logic                                 idle_o            /// nothing in flight
);
  localparam int unsigned NE      = wm_isa_pkg::NumEngines;
  localparam int unsigned WW      = wm_pkg::WaveletWidth;
  localparam int unsigned WqDepth = 4;
  localparam int unsigned TxDepth = 4;
  localparam int unsigned WqCntW  = $clog2(WqDepth + 1);
  localparam int unsigned TxCntW  = $clog2(TxDepth + 1);
  localparam logic [1:0]  KFin    = wm_isa_pkg::DsdFin;
  // Where an operand's value comes from in the execute stage.
  localparam logic [1:0]  SrcHeld = 2'd0;  // captured at issue (register, wavelet, held d)
  localparam logic [1:0]  SrcP1   = 2'd1;  // read port 1
  localparam logic [1:0]  SrcP0   = 2'd2;  // read port 0
  localparam logic [1:0]  SrcHold = 2'd3;  // read ahead into the engine's hold register

  // ---- engine outputs, flattened per engine ------------------------------------------------------
  logic [NE-1:0]        can_act, bad_addr, wmem, wfout, row_first, dot;
  logic [NE*3-1:0]      need, held, part_gnt;
  logic [NE*96-1:0]     hold;
  logic [NE*2-1:0]      ak, bk;
  logic [NE*5-1:0]      acol, bcol, vop;
  logic [NE*32-1:0]     daddr, aaddr, baddr, aval, bval, acc;
  logic [NE*WW-1:0]     header;
  logic [NE*16-1:0]     pc;
  logic [NE*16-1:0]     notify;
  logic [NE-1:0]        issue_e, acc_we_e, ret_s1, ret_wq, tx_ok;

  // ---- shared pipeline state ----------------------------------------------------------------------
  logic        s1_valid_q, s1_dot_q, s1_first_q, s1_wmem_q, s1_wfout_q;
  logic [1:0]  s1_eng_q, s1_asrc_q, s1_bsrc_q, s1_dsrc_q;
  logic [4:0]  s1_vop_q;
  logic [31:0] s1_aval_q, s1_bval_q;
  logic [15:0] s1_waddr_q;

  logic              wq_push, wq_ready, wq_valid, wq_pop, wq_ok;
  logic [49:0]       wq_wdata, wq_rdata;
  logic [WqCntW-1:0] wq_count;
  logic [NE-1:0]     txq_push, txq_ready;
  logic [NE*TxCntW-1:0] txq_count;
  logic [WW-1:0]     txq_wdata;
  logic [31:0]       ex_res, ex_acc;

  assign wq_ok = 32'(wq_count) + 32'(s1_valid_q && s1_wmem_q) < WqDepth;

  for (genvar e = 0; e < NE; e++) begin : gen_engine
    assign tx_ok[e]    = 32'(txq_count[e*TxCntW +: TxCntW])
                         + 32'(s1_valid_q && s1_wfout_q && s1_eng_q == 2'(e)) < TxDepth;
    assign acc_we_e[e] = s1_valid_q && s1_eng_q == 2'(e);
    assign ret_s1[e]   = s1_valid_q && s1_eng_q == 2'(e) && !s1_wmem_q && !s1_wfout_q;
    assign ret_wq[e]   = wq_pop && wq_rdata[49:48] == 2'(e);

    wm_pe_engine #(.NumColors(NumColors), .MemWords(MemWords)) u_engine (
      .clk_i, .rst_ni,
      .launch_i(launch_i && launch_eng_i == 2'(e)), .launch_vop_i, .launch_dot_i,
      .launch_notify_i, .launch_task_i, .launch_pc_i, .launch_count_i, .launch_rowlen_i,
      .launch_dst_reg_i, .launch_dsd_i, .launch_val_i,
      .avail_i, .freeze_i, .wq_ok_i(wq_ok), .tx_ok_i(tx_ok[e]),
      .issue_i(issue_e[e]), .part_gnt_i(part_gnt[e*3 +: 3]), .part_port_i(part_port),
      .rdata_i,
      .acc_we_i(acc_we_e[e]), .acc_i(ex_acc),
      .retire_s1_i(ret_s1[e]), .retire_wq_i(ret_wq[e]), .retire_tx_i(txq_pop_i[e]),
      .can_act_o(can_act[e]), .bad_addr_o(bad_addr[e]),
      .ak_o(ak[e*2 +: 2]), .bk_o(bk[e*2 +: 2]),
      .acol_o(acol[e*5 +: 5]), .bcol_o(bcol[e*5 +: 5]), .need_o(need[e*3 +: 3]),
      .held_o(held[e*3 +: 3]),
      .daddr_o(daddr[e*32 +: 32]), .aaddr_o(aaddr[e*32 +: 32]), .baddr_o(baddr[e*32 +: 32]),
      .wmem_o(wmem[e]), .wfout_o(wfout[e]), .row_first_o(row_first[e]),
      .vop_o(vop[e*5 +: 5]), .dot_o(dot[e]), .aval_o(aval[e*32 +: 32]),
      .bval_o(bval[e*32 +: 32]), .hold_o(hold[e*96 +: 96]), .acc_o(acc[e*32 +: 32]),
      .header_o(header[e*WW +: WW]), .pc_o(pc[e*16 +: 16]), .busy_o(busy_o[e]),
      .done_o(done_o[e]), .rf_we_o(rf_we_o[e]), .rf_waddr_o(rf_waddr_o[e*4 +: 4]),
      .notify_o(notify[e*16 +: 16])
    );
    assign rf_wdata_o[e*32 +: 32] = acc[e*32 +: 32];
  end

  always_comb begin
    notify_o = '0;
    for (int unsigned e = 0; e < NE; e++) notify_o = notify_o | notify[e*16 +: 16];
  end

  // ---- arbitration ----------------------------------------------------------------------------
  // Round robin between engines. Not wm_rr_arb: its pointer update shares one combinational
  // block with the grant, and `go` (the grant was used) depends on the grant through the SRAM,
  // which Verilator would see as a combinational loop. Here the pointer moves in always_ff.
  logic [1:0] sel, prio_q;
  logic       sel_valid, go_issue;
  logic [2:0] part_port;

  always_comb begin
    sel_valid = 1'b0;
    sel       = '0;
    for (int unsigned k = 0; k < NE; k++) begin
      logic [1:0] e;
      e = prio_q + 2'(k);
      if (!sel_valid && can_act[e]) begin
        sel_valid = 1'b1;
        sel       = e;
      end
    end
  end

  // The selected engine's next element.
  logic [1:0]  s_ak, s_bk;
  logic [4:0]  s_acol, s_bcol, s_vop;
  logic [15:0] s_daddr, s_aaddr, s_baddr;  // in range: checked by the engine
  assign s_ak    = ak[sel*2 +: 2];
  assign s_bk    = bk[sel*2 +: 2];
  assign s_acol  = acol[sel*5 +: 5];
  assign s_bcol  = bcol[sel*5 +: 5];
  assign s_vop   = vop[sel*5 +: 5];
  assign s_daddr = daddr[sel*32 +: 16];
  assign s_aaddr = aaddr[sel*32 +: 16];
  assign s_baddr = baddr[sel*32 +: 16];

  // Ports for the selected engine's outstanding reads, in the order srcA, srcB, dst.
  logic [2:0]  s_need, s_held, assigned, on_p0, granted;
  logic [3*16-1:0] s_addr;
  assign s_need    = need[sel*3 +: 3];
  assign s_held    = held[sel*3 +: 3];
  assign s_addr = {s_daddr, s_baddr, s_aaddr};

  always_comb begin
    logic p1_used, p0_used;
    rreq_o   = '0;
    raddr_o  = '0;
    assigned = '0;
    on_p0    = '0;
    p1_used  = 1'b0;
    p0_used  = core_rreq_i;
    for (int unsigned k = 0; k < 3; k++) begin
      if (sel_valid && s_need[k]) begin
        if (!p1_used) begin
          p1_used           = 1'b1;
          assigned[k]       = 1'b1;
          rreq_o[1]         = 1'b1;
          raddr_o[16 +: 16] = s_addr[k*16 +: 16];
        end else if (!p0_used) begin
          p0_used           = 1'b1;
          assigned[k]       = 1'b1;
          on_p0[k]          = 1'b1;
          rreq_o[0]         = 1'b1;
          raddr_o[0 +: 16]  = s_addr[k*16 +: 16];
        end
      end
    end
  end

  // Apart from the requests, so no request depends on a grant.
  always_comb begin
    for (int unsigned k = 0; k < 3; k++) begin
      granted[k] = assigned[k] && (on_p0[k] ? rgnt_i[0] : rgnt_i[1]);
    end
  end

  // The element issues when every read it still needs is granted now; otherwise the reads that
  // were granted are kept by the engine for the next try.
  assign go_issue  = sel_valid && granted == s_need;
  assign part_port = on_p0;
  always_comb begin
    part_gnt = '0;
    if (sel_valid && !go_issue) part_gnt[sel*3 +: 3] = granted;
  end

  logic [1:0] asrc, bsrc, dsrc;
  function automatic logic [1:0] src_of(input logic need_k, input logic on_p0_k,
                                        input logic held_k);
    if (need_k) src_of = on_p0_k ? SrcP0 : SrcP1;
    else if (held_k) src_of = SrcHold;
    else src_of = SrcHeld;
  endfunction
  assign asrc = src_of(s_need[0], on_p0[0], s_held[0]);
  assign bsrc = src_of(s_need[1], on_p0[1], s_held[1]);
  assign dsrc = src_of(s_need[2], on_p0[2], s_held[2]);

  always_comb begin
    issue_e = '0;
    if (go_issue) issue_e[sel] = 1'b1;
    for (int unsigned c = 0; c < NumColors; c++) begin
      pop_o[c] = go_issue && ((s_ak == KFin && s_acol == 5'(c))
                              || (s_bk == KFin && s_bcol == 5'(c)));
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) prio_q <= '0;
    else if (go_issue) prio_q <= sel + 2'd1;
  end

  // ---- execute stage ------------------------------------------------------------------------------
  function automatic logic [31:0] pick(input logic [1:0] src, input logic [31:0] captured,
                                       input logic [31:0] hold_v, input logic [63:0] rdata);
    unique case (src)
      SrcP1:   pick = rdata[32 +: 32];
      SrcP0:   pick = rdata[0 +: 32];
      SrcHold: pick = hold_v;
      default: pick = captured;
    endcase
  endfunction

  logic [95:0] s1_hold;
  logic [31:0] ex_a, ex_b, ex_d, ex_acc_in;
  assign s1_hold   = hold[s1_eng_q*96 +: 96];
  assign ex_a      = pick(s1_asrc_q, s1_aval_q, s1_hold[0 +: 32], rdata_i);
  assign ex_b      = pick(s1_bsrc_q, s1_bval_q, s1_hold[32 +: 32], rdata_i);
  assign ex_d      = pick(s1_dsrc_q, '0, s1_hold[64 +: 32], rdata_i);
  assign ex_acc_in = (s1_vop_q == wm_isa_pkg::VopFdotv && s1_first_q) ? '0
                                                                      : acc[s1_eng_q*32 +: 32];

  wm_pe_vexec u_exec (
    .vop_i(s1_vop_q), .dot_i(s1_dot_q), .a_i(ex_a), .b_i(ex_b), .d_i(ex_d),
    .acc_i(ex_acc_in), .res_o(ex_res), .acc_o(ex_acc)
  );

  // ---- write queue (shared) and output queues (per engine) -----------------------------------------
  assign wq_push  = s1_valid_q && s1_wmem_q;
  assign wq_wdata = {s1_eng_q, s1_waddr_q, ex_res};
  wm_fifo #(.Width(50), .Depth(WqDepth)) u_wq (
    .clk_i, .rst_ni, .flush_i(1'b0), .wdata_i(wq_wdata), .wvalid_i(wq_push),
    .wready_o(wq_ready), .rdata_o(wq_rdata), .rvalid_o(wq_valid), .rready_i(wq_pop),
    .count_o(wq_count)
  );
  assign wreq_o  = wq_valid;
  assign waddr_o = wq_rdata[47:32];
  assign wdata_o = wq_rdata[31:0];
  assign wq_pop  = wq_valid && wgnt_i;

  assign txq_wdata = {header[s1_eng_q*WW + 32 +: WW - 32], ex_res};

  for (genvar e = 0; e < NE; e++) begin : gen_txq
    assign txq_push[e] = s1_valid_q && s1_wfout_q && s1_eng_q == 2'(e);
    wm_fifo #(.Width(WW), .Depth(TxDepth)) u_txq (
      .clk_i, .rst_ni, .flush_i(1'b0), .wdata_i(txq_wdata), .wvalid_i(txq_push[e]),
      .wready_o(txq_ready[e]), .rdata_o(txq_wavelet_o[e*WW +: WW]), .rvalid_o(txq_valid_o[e]),
      .rready_i(txq_pop_i[e]), .count_o(txq_count[e*TxCntW +: TxCntW])
    );
  end

  // Credits guarantee room, so the queues' ready outputs carry no information here.
  logic unused_ready;
  assign unused_ready = wq_ready ^ (^txq_ready);

  // ---- status ---------------------------------------------------------------------------------------
  assign issue_o = go_issue;
  assign mac_o   = go_issue && (s_vop == wm_isa_pkg::VopFmac || s_vop == wm_isa_pkg::VopFdotv);
  assign idle_o  = busy_o == '0 && !s1_valid_q && !wq_valid && txq_valid_o == '0;

  always_comb begin
    logic found;
    found    = 1'b0;
    err_o    = 1'b0;
    err_pc_o = '0;
    for (int unsigned e = 0; e < NE; e++) begin
      if (!found && bad_addr[e] && !freeze_i) begin
        found    = 1'b1;
        err_o    = 1'b1;
        err_pc_o = pc[e*16 +: 16];
      end
    end
  end

  // ---- registers ----------------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q  <= 1'b0;
      s1_dot_q    <= 1'b0;
      s1_first_q  <= 1'b0;
      s1_wmem_q   <= 1'b0;
      s1_wfout_q  <= 1'b0;
      s1_eng_q    <= '0;
      s1_asrc_q   <= '0;
      s1_bsrc_q   <= '0;
      s1_dsrc_q   <= '0;
      s1_vop_q    <= '0;
      s1_aval_q   <= '0;
      s1_bval_q   <= '0;
      s1_waddr_q  <= '0;
    end else begin
      s1_valid_q <= go_issue;
      if (go_issue) begin
        s1_eng_q   <= sel;
        s1_vop_q   <= s_vop;
        s1_dot_q   <= dot[sel];
        s1_first_q <= row_first[sel];
        s1_wmem_q  <= wmem[sel];
        s1_wfout_q <= wfout[sel];
        s1_asrc_q  <= asrc;
        s1_bsrc_q  <= bsrc;
        s1_dsrc_q  <= dsrc;
        s1_aval_q  <= (s_ak == KFin) ? head_data_i[s_acol*32 +: 32] : aval[sel*32 +: 32];
        s1_bval_q  <= (s_bk == KFin) ? head_data_i[s_bcol*32 +: 32] : bval[sel*32 +: 32];
        s1_waddr_q <= s_daddr;
      end
    end
  end

endmodule

// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The PE's control core: fetch and execute of the scalar and control instructions, the
/// register file, the DSD registers, the launch of vector operations (with their launch-time
/// DSD checks) and the error/halt latch (docs/isa.md). One instruction per cycle while the
/// next fetch is granted on read port 0; `lw` and `sw` take extra cycles; a synchronous vector
/// operation waits for its engine.
module wm_pe_core #(
  parameter int unsigned NumColors = 8,      /// colors of the router, 1 to 24
  parameter int unsigned MemWords  = 12288   /// SRAM words
) (
  input  logic                                  clk_i,
  input  logic                                  rst_ni,
  output logic                                  rreq_o,        /// SRAM read port 0
  output logic [15:0]                           raddr_o,
  input  logic                                  rgnt_i,
  input  logic [31:0]                           rdata_i,       /// a cycle after the grant
  output logic                                  wreq_o,        /// SRAM write port (sw)
  output logic [15:0]                           waddr_o,
  output logic [31:0]                           wdata_o,
  input  logic                                  wgnt_i,
  output logic                                  pick_o,        /// idle: start a task
  input  logic                                  start_i,       /// wm_pe_sched's choice
  input  logic [3:0]                            start_task_i,
  input  logic [15:0]                           start_pc_i,
  input  logic                                  start_data_i,
  input  logic [31:0]                           start_wv_i,
  output logic                                  op_valid_o,    /// task instruction
  output logic [4:0]                            op_o,
  output logic [3:0]                            op_task_o,
  output logic [4:0]                            op_color_o,
  output logic                                  entry_we_o,    /// tentry
  output logic [3:0]                            entry_task_o,
  output logic [15:0]                           entry_pc_o,
  input  logic [NumColors-1:0]                  owned_i,       /// colors bound to tasks
  input  logic [NumColors-1:0]                  avail_i,       /// fabric input heads
  input  logic [NumColors*32-1:0]               head_data_i,
  output logic [NumColors-1:0]                  pop_o,         /// recv
  output logic                                  send_valid_o,  /// the send register
  output logic [wm_pkg::WaveletWidth-1:0]       send_wavelet_o,
  input  logic                                  send_pop_i,
  output logic                                  launch_o,      /// to wm_pe_vpu
  output logic [1:0]                            launch_eng_o,
  output logic [4:0]                            launch_vop_o,
  output logic                                  launch_dot_o,
  output logic                                  launch_notify_o,
  output logic [3:0]                            launch_task_o,
  output logic [15:0]                           launch_pc_o,
  output logic [31:0]                           launch_count_o,
  output logic [15:0]                           launch_rowlen_o,
  output logic [3:0]                            launch_dst_reg_o,
  output logic [3*wm_isa_pkg::DsdWidth-1:0]     launch_dsd_o,
  output logic [3*32-1:0]                       launch_val_o,
  input  logic [3:0]                            eng_busy_i,
  input  logic [3:0]                            eng_done_i,
  input  logic [3:0]                            vrf_we_i,      /// completing reductions
  input  logic [4*4-1:0]                        vrf_waddr_i,
  input  logic [4*32-1:0]                       vrf_wdata_i,
  input  logic                                  vpu_err_i,     /// element address error
  input  logic [15:0]                           vpu_err_pc_i,
  input  logic                                  rx_err_ctrl_i, /// bad control wavelet
  input  logic                                  rx_err_addr_i, /// LOAD out of range
  input  logic                                  mem_err_i,     /// the SRAM's error
  output logic                                  halted_o,
  output logic [2:0]                            err_code_o,
  output logic [15:0]                           err_pc_o,
  output logic                                  running_o,     /// a task is running
  output logic                                  retire_o,      /// an instruction completed
  output logic [15:0]                           pc_o,          /// ... at this pc
  output logic [3:0]                            task_o         /// which
);
  typedef enum logic [2:0] {
    SIdle  = 3'd0,
    SFetch = 3'd1,
    SExec  = 3'd2,
    SLoad  = 3'd3,
    SVwait = 3'd4,
    SHalt  = 3'd5
  } state_e;

  state_e      state_q, state_d;
  logic [15:0] pc_q, pc_d;
  logic [31:0] ir_q;
  logic        ir_held_q;
  logic [3:0]  task_q;
  logic [16*32-1:0] regs_q;  // r0..r15, r0 kept zero
  logic [2:0]  err_q, err_d;
  logic [15:0] err_pc_q, err_pc_d;

  // DSD registers, one array per field (Yosys: no field selects of struct-array elements).
  logic [8*2-1:0]   dkind_q;
  logic [8*16-1:0]  dbase_q, dlen0_q, dstr0_q, dlen1_q, dstr1_q;
  logic [8*5-1:0]   dcol_q, ddx_q, ddy_q;

  logic [31:0] instr;
  assign instr = ir_held_q ? ir_q : rdata_i;

  // ---- fields ---------------------------------------------------------------------------------
  logic [5:0]  op;
  logic [3:0]  fa, frs1, frs2, frs3, fn4;
  logic [4:0]  fcolor, fsub;
  logic [31:0] imm_s, imm_z, ra, r1, r2;
  logic [15:0] r3;  // DSD strides and headers use 16 bits
  logic        legal;

  assign op     = instr[31:26];
  assign fa     = instr[25:22];
  assign frs1   = instr[21:18];
  assign frs2   = instr[17:14];
  assign frs3   = instr[13:10];
  assign fcolor = instr[9:5];
  assign fsub   = instr[4:0];
  assign fn4    = instr[3:0];
  assign imm_s  = {{14{instr[17]}}, instr[17:0]};
  assign imm_z  = {14'd0, instr[17:0]};
  assign ra     = regs_q[fa*32 +: 32];
  assign r1     = regs_q[frs1*32 +: 32];
  assign r2     = regs_q[frs2*32 +: 32];
  assign r3     = regs_q[frs3*32 +: 16];

  wm_pe_decode #(.NumColors(NumColors)) u_decode (.instr_i(instr), .legal_o(legal));

  // ---- scalar units ---------------------------------------------------------------------------
  logic [3:0]  alu_fn;
  logic [31:0] alu_b, alu_res, fpu_res;
  always_comb begin
    alu_b = imm_s;
    unique case (op)
      wm_isa_pkg::OpAlu:  begin alu_fn = fn4;                 alu_b = r2;    end
      wm_isa_pkg::OpAndi: begin alu_fn = wm_isa_pkg::AluAnd;  alu_b = imm_z; end
      wm_isa_pkg::OpOri:  begin alu_fn = wm_isa_pkg::AluOr;   alu_b = imm_z; end
      wm_isa_pkg::OpXori: begin alu_fn = wm_isa_pkg::AluXor;  alu_b = imm_z; end
      wm_isa_pkg::OpSlti: alu_fn = wm_isa_pkg::AluSlt;
      wm_isa_pkg::OpSlli: alu_fn = wm_isa_pkg::AluSll;
      wm_isa_pkg::OpSrli: alu_fn = wm_isa_pkg::AluSrl;
      wm_isa_pkg::OpSrai: alu_fn = wm_isa_pkg::AluSra;
      default:            alu_fn = wm_isa_pkg::AluAdd;
    endcase
  end
  wm_pe_alu u_alu (.fn_i(alu_fn), .a_i(r1), .b_i(alu_b), .res_o(alu_res));
  wm_pe_sfpu u_sfpu (.fn_i(fn4), .a_i(r1), .b_i(r2), .res_o(fpu_res));

  // ---- vector launch: operands, checks, count --------------------------------------------------
  // Operand k: 0 dst, 1 srcA, 2 srcB.
  logic [3*5-1:0]   vraw;
  logic [2:0]       vis_reg, vused, vfin_owned;
  logic [3*2-1:0]   vkind;
  logic [3*5-1:0]   vcolor;
  logic [3*32-1:0]  vlen;
  logic [3*16-1:0]  vlen0;
  logic [4:0]       vop;
  logic             vdot, vdsd_err;

  // The dst's color and the sources' row lengths but srcA's play no part in the checks.
  logic [36:0] unused_vfields;
  assign unused_vfields = {vcolor[4:0], vlen0[47:32], vlen0[15:0]};
  assign vop  = instr[30:26];
  assign vraw = {instr[15:11], instr[20:16], instr[25:21]};
  assign vdot = vop == wm_isa_pkg::VopFmac && instr[25];

  // srcB is unused by unary ops and reductions.
  assign vused = {!(vop == wm_isa_pkg::VopFmov || vop == wm_isa_pkg::VopVi2f
                    || vop == wm_isa_pkg::VopVf2i || vop == wm_isa_pkg::VopFrsum
                    || vop == wm_isa_pkg::VopFrmax), 2'b11};
  logic [31:0] owned_ext;
  assign owned_ext = 32'(owned_i);

  for (genvar k = 0; k < 3; k++) begin : gen_opnd
    logic [2:0]  d;
    logic [1:0]  kind;
    logic [15:0] len0, len1;
    assign d          = vraw[k*5 +: 3];
    assign vis_reg[k] = vraw[k*5 + 4];
    assign kind       = dkind_q[d*2 +: 2];
    assign len0       = dlen0_q[d*16 +: 16];
    assign len1       = dlen1_q[d*16 +: 16];
    assign vkind[k*2 +: 2]   = vis_reg[k] ? wm_isa_pkg::DsdNone : kind;
    assign vcolor[k*5 +: 5]  = dcol_q[d*5 +: 5];
    assign vlen0[k*16 +: 16] = len0;
    assign vlen[k*32 +: 32]  = (kind == wm_isa_pkg::DsdMem) ? 32'(len0) * 32'(len1) : 32'(len0);
    assign vfin_owned[k]     = owned_ext[dcol_q[d*5 +: 5]];
    assign launch_val_o[k*32 +: 32] = regs_q[vraw[k*5 +: 4]*32 +: 32];
    // Registers and unused operands reach the engine as kind DsdNone.
    assign launch_dsd_o[k*wm_isa_pkg::DsdWidth +: wm_isa_pkg::DsdWidth] = {
      (vis_reg[k] || !vused[k]) ? wm_isa_pkg::DsdNone : kind,
      dbase_q[d*16 +: 16], len0, dstr0_q[d*16 +: 16], len1, dstr1_q[d*16 +: 16],
      dcol_q[d*5 +: 5], ddx_q[d*5 +: 5], ddy_q[d*5 +: 5]
    };
  end

  always_comb begin
    // Launch-time DSD errors (docs/isa.md section 4).
    vdsd_err = 1'b0;
    if (!vis_reg[0]) begin
      if (vkind[1:0] == wm_isa_pkg::DsdNone || vkind[1:0] == wm_isa_pkg::DsdFin) vdsd_err = 1'b1;
      if (vop == wm_isa_pkg::VopFmac && vkind[1:0] == wm_isa_pkg::DsdFout) vdsd_err = 1'b1;
    end
    for (int unsigned k = 1; k < 3; k++) begin
      if (vused[k] && !vis_reg[k]) begin
        if (vkind[k*2 +: 2] == wm_isa_pkg::DsdNone || vkind[k*2 +: 2] == wm_isa_pkg::DsdFout)
          vdsd_err = 1'b1;
        if (vkind[k*2 +: 2] == wm_isa_pkg::DsdFin && vfin_owned[k]) vdsd_err = 1'b1;
      end
    end
    if (vop == wm_isa_pkg::VopFdotv && vkind[3:2] != wm_isa_pkg::DsdMem) vdsd_err = 1'b1;
    if (vused[2] && vkind[3:2] == wm_isa_pkg::DsdFin && vkind[5:4] == wm_isa_pkg::DsdFin
        && vcolor[9:5] == vcolor[14:10]) vdsd_err = 1'b1;

    // The count: dst's length, but srcA's (else srcB's) for reductions and fdotv.
    if (!vis_reg[0] && vop != wm_isa_pkg::VopFdotv) launch_count_o = vlen[31:0];
    else if (!vis_reg[1]) launch_count_o = vlen[63:32];
    else launch_count_o = vlen[95:64];
  end

  assign launch_eng_o     = instr[10:9];
  assign launch_vop_o     = vop;
  assign launch_dot_o     = vdot;
  assign launch_notify_o  = instr[7];
  assign launch_task_o    = instr[6:3];
  assign launch_pc_o      = pc_q;
  assign launch_rowlen_o  = vlen0[31:16];
  assign launch_dst_reg_o = vraw[3:0];

  // ---- execute ------------------------------------------------------------------------------
  logic        rf_we, retire, fetch_next, take_err;
  logic        dsd_we, br_taken, fetch_req, lw_req, sw_req, retire_n;
  state_e      state_n;
  logic [15:0] pc_n;
  logic [3:0]  rf_waddr;
  logic [31:0] rf_wdata, maddr;
  assign maddr = r1 + imm_s;
  logic [15:0] next_pc;
  logic [2:0]  exec_err;
  logic [31:0] ldata;
  logic [NumColors-1:0] recv_pop;
  logic        send_load;
  wm_pkg::wavelet_t send_d, send_q;
  logic        send_valid_q;

  // Indexes into per-color vectors, safe for any 5-bit color (illegal colors never execute).
  function automatic logic bit_of(input logic [NumColors-1:0] v, input logic [4:0] c);
    logic [31:0] ext;
    ext    = 32'(v);
    bit_of = ext[c];
  endfunction

  always_comb begin
    state_d    = state_q;
    pc_d       = pc_q;
    rf_we      = 1'b0;
    rf_waddr   = fa;
    rf_wdata   = alu_res;
    retire     = 1'b0;
    fetch_next = 1'b0;
    next_pc    = pc_q + 16'd1;
    exec_err   = wm_isa_pkg::ErrNone;
    rreq_o     = 1'b0;
    raddr_o    = pc_q;
    wreq_o     = 1'b0;
    waddr_o    = maddr[15:0];
    wdata_o    = ra;
    pick_o     = 1'b0;
    op_valid_o = 1'b0;
    op_o       = fsub;
    op_task_o  = fa;
    op_color_o = fcolor;
    entry_we_o   = 1'b0;
    entry_task_o = fa;
    entry_pc_o   = alu_res[15:0];
    launch_o   = 1'b0;
    dsd_we     = 1'b0;
    br_taken   = 1'b0;
    fetch_req  = 1'b0;
    lw_req     = 1'b0;
    sw_req     = 1'b0;
    recv_pop   = '0;
    send_load  = 1'b0;
    ldata      = rdata_i;
    send_d.ctrl  = instr[0];
    send_d.dst_x = r2[4:0];
    send_d.dst_y = r2[9:5];
    send_d.color = fcolor;
    send_d.data  = r1;

    unique case (state_q)
      SIdle: begin
        pick_o = 1'b1;
        if (start_i) begin
          pc_d       = start_pc_i;
          next_pc    = start_pc_i;
          fetch_next = 1'b1;
        end
      end
      SFetch: begin
        next_pc    = pc_q;
        fetch_next = 1'b1;
      end
      SLoad: begin
        rf_we    = 1'b1;
        rf_wdata = ldata;
        retire   = 1'b1;
        fetch_next = 1'b1;
      end
      SVwait: begin
        if (!eng_busy_i[ir_q[10:9]]) begin
          retire     = 1'b1;
          fetch_next = 1'b1;
        end
      end
      SExec: begin
        if (!legal) begin
          exec_err = wm_isa_pkg::ErrIllegal;
        end else if (instr[31]) begin
          if (vdsd_err) begin
            exec_err = wm_isa_pkg::ErrDsd;
          end else if (!eng_busy_i[instr[10:9]]) begin
            launch_o = 1'b1;
            if (instr[8]) begin
              retire     = 1'b1;
              fetch_next = 1'b1;
            end else begin
              state_d = SVwait;
            end
          end
        end else begin
          unique case (op)
            wm_isa_pkg::OpAlu, wm_isa_pkg::OpAddi, wm_isa_pkg::OpAndi, wm_isa_pkg::OpOri,
            wm_isa_pkg::OpXori, wm_isa_pkg::OpSlti, wm_isa_pkg::OpSlli, wm_isa_pkg::OpSrli,
            wm_isa_pkg::OpSrai: begin
              rf_we = 1'b1;
              retire = 1'b1;
              fetch_next = 1'b1;
            end
            wm_isa_pkg::OpFpu: begin
              rf_we = 1'b1;
              rf_wdata = fpu_res;
              retire = 1'b1;
              fetch_next = 1'b1;
            end
            wm_isa_pkg::OpLui: begin
              rf_we = 1'b1;
              rf_wdata = {instr[15:0], 16'd0};
              retire = 1'b1;
              fetch_next = 1'b1;
            end
            wm_isa_pkg::OpLw: begin
              if (maddr >= MemWords) begin
                exec_err = wm_isa_pkg::ErrAddr;
              end else begin
                rreq_o  = 1'b1;
                raddr_o = maddr[15:0];
                lw_req  = 1'b1;
              end
            end
            wm_isa_pkg::OpSw: begin
              if (maddr >= MemWords) begin
                exec_err = wm_isa_pkg::ErrAddr;
              end else begin
                // No fetch in the same cycle: the write grant may depend on the read requests.
                wreq_o = 1'b1;
                sw_req = 1'b1;
              end
            end
            wm_isa_pkg::OpBeq, wm_isa_pkg::OpBne, wm_isa_pkg::OpBlt, wm_isa_pkg::OpBge,
            wm_isa_pkg::OpBltu, wm_isa_pkg::OpBgeu: begin
              unique case (op)
                wm_isa_pkg::OpBeq:  br_taken = ra == r1;
                wm_isa_pkg::OpBne:  br_taken = ra != r1;
                wm_isa_pkg::OpBlt:  br_taken = $signed(ra) < $signed(r1);
                wm_isa_pkg::OpBge:  br_taken = $signed(ra) >= $signed(r1);
                wm_isa_pkg::OpBltu: br_taken = ra < r1;
                default:            br_taken = ra >= r1;
              endcase
              if (br_taken) next_pc = pc_q + imm_s[15:0];
              retire = 1'b1;
              fetch_next = 1'b1;
            end
            wm_isa_pkg::OpJal: begin
              rf_we = 1'b1;
              rf_wdata = 32'(pc_q) + 32'd1;
              next_pc = pc_q + instr[15:0];
              retire = 1'b1;
              fetch_next = 1'b1;
            end
            wm_isa_pkg::OpJalr: begin
              rf_we = 1'b1;
              rf_wdata = 32'(pc_q) + 32'd1;
              next_pc = maddr[15:0];
              retire = 1'b1;
              fetch_next = 1'b1;
            end
            wm_isa_pkg::OpDsdm, wm_isa_pkg::OpDsdfi, wm_isa_pkg::OpDsdfo: begin
              dsd_we = 1'b1;
              retire = 1'b1;
              fetch_next = 1'b1;
            end
            wm_isa_pkg::OpDsd2, wm_isa_pkg::OpDsdadd: begin
              if (dkind_q[fa[2:0]*2 +: 2] != wm_isa_pkg::DsdMem) begin
                exec_err = wm_isa_pkg::ErrDsd;
              end else begin
                dsd_we = 1'b1;
                retire = 1'b1;
                fetch_next = 1'b1;
              end
            end
            wm_isa_pkg::OpSend: begin
              if (!send_valid_q) begin
                send_load = 1'b1;
                retire = 1'b1;
                fetch_next = 1'b1;
              end
            end
            wm_isa_pkg::OpRecv: begin
              if (bit_of(owned_i, fcolor)) begin
                exec_err = wm_isa_pkg::ErrDsd;
              end else if (bit_of(avail_i, fcolor)) begin
                for (int unsigned c = 0; c < NumColors; c++) begin
                  if (fcolor == 5'(c)) begin
                    recv_pop[c] = 1'b1;
                    rf_wdata    = head_data_i[c*32 +: 32];
                  end
                end
                rf_we = 1'b1;
                retire = 1'b1;
                fetch_next = 1'b1;
              end
            end
            wm_isa_pkg::OpTentry: begin
              entry_we_o = 1'b1;
              retire = 1'b1;
              fetch_next = 1'b1;
            end
            wm_isa_pkg::OpSys: begin
              unique case (fsub)
                wm_isa_pkg::SysExit: state_d = SIdle;
                wm_isa_pkg::SysHalt: state_d = SHalt;
                wm_isa_pkg::SysEwait: begin
                  if (!eng_busy_i[fa[1:0]]) begin
                    retire = 1'b1;
                    fetch_next = 1'b1;
                  end
                end
                wm_isa_pkg::SysEstat: begin
                  rf_we = 1'b1;
                  rf_wdata = {24'd0, eng_done_i, eng_busy_i};
                  retire = 1'b1;
                  fetch_next = 1'b1;
                end
                default: begin  // nop and the task instructions
                  op_valid_o = fsub != wm_isa_pkg::SysNop;
                  retire = 1'b1;
                  fetch_next = 1'b1;
                end
              endcase
            end
            default: exec_err = wm_isa_pkg::ErrIllegal;
          endcase
        end
      end
      default: ;  // SHalt
    endcase

    // The next fetch, on read port 0.
    if (fetch_next && exec_err == wm_isa_pkg::ErrNone) begin
      pc_d = next_pc;
      if (32'(next_pc) >= MemWords) begin
        state_d = SFetch;  // the error below stops it
      end else begin
        rreq_o    = 1'b1;
        raddr_o   = next_pc;
        fetch_req = 1'b1;
        state_d   = SFetch;
      end
    end
  end

  // What the grants decide, apart so no request depends on a grant of this cycle.
  always_comb begin
    state_n  = state_d;
    pc_n     = pc_d;
    retire_n = retire;
    if (fetch_req && rgnt_i) state_n = SExec;
    if (lw_req && rgnt_i) state_n = SLoad;
    if (sw_req && wgnt_i) begin
      retire_n = 1'b1;
      pc_n     = pc_q + 16'd1;
      state_n  = SFetch;
    end
  end

  // ---- errors: the first one wins and stops the PE --------------------------------------------
  always_comb begin
    err_d    = err_q;
    err_pc_d = err_pc_q;
    take_err = err_q == wm_isa_pkg::ErrNone;
    if (take_err) begin
      if (exec_err != wm_isa_pkg::ErrNone) begin
        err_d    = exec_err;
        err_pc_d = pc_q;
      end else if (fetch_next && 32'(next_pc) >= MemWords) begin
        err_d    = wm_isa_pkg::ErrAddr;
        err_pc_d = next_pc;
      end else if (vpu_err_i) begin
        err_d    = wm_isa_pkg::ErrAddr;
        err_pc_d = vpu_err_pc_i;
      end else if (rx_err_ctrl_i) begin
        err_d    = wm_isa_pkg::ErrCtrl;
        err_pc_d = wm_isa_pkg::ErrPcCtrl;
      end else if (rx_err_addr_i || mem_err_i) begin
        err_d    = wm_isa_pkg::ErrAddr;
        err_pc_d = wm_isa_pkg::ErrPcCtrl;
      end
    end
  end

  // ---- outputs ------------------------------------------------------------------------------
  assign pop_o          = recv_pop;
  assign send_valid_o   = send_valid_q;
  assign send_wavelet_o = send_q;
  assign halted_o       = state_q == SHalt;
  assign err_code_o     = err_q;
  assign pc_o           = pc_q;
  assign err_pc_o       = err_pc_q;
  assign running_o      = state_q != SIdle && state_q != SHalt;
  assign task_o         = task_q;
  assign retire_o       = retire_n;

  // ---- registers ----------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= SIdle;
      pc_q         <= '0;
      ir_q         <= '0;
      ir_held_q    <= 1'b0;
      task_q       <= '0;
      err_q        <= wm_isa_pkg::ErrNone;
      err_pc_q     <= '0;
      send_valid_q <= 1'b0;
      send_q       <= '0;
      regs_q  <= '0;
      dkind_q <= '0;
      dbase_q <= '0;
      dlen0_q <= '0;
      dstr0_q <= '0;
      dlen1_q <= '0;
      dstr1_q <= '0;
      dcol_q  <= '0;
      ddx_q   <= '0;
      ddy_q   <= '0;
    end else begin
      err_q    <= err_d;
      err_pc_q <= err_pc_d;
      if (err_d != wm_isa_pkg::ErrNone) begin
        state_q <= SHalt;
      end else begin
        state_q <= state_n;
        pc_q    <= pc_n;
      end
      // The word under execution is kept while the instruction waits or continues.
      if (state_q == SExec && !ir_held_q) ir_q <= rdata_i;
      ir_held_q <= (state_n == SExec && !(fetch_req && rgnt_i)) || state_n == SVwait
                   || state_n == SLoad;
      if (start_i && state_q == SIdle) task_q <= start_task_i;

      if (send_pop_i) send_valid_q <= 1'b0;
      if (send_load) begin
        send_valid_q <= 1'b1;
        send_q       <= send_d;
      end

      // Register writes: the instruction, then a task start's wavelet, then the engines.
      if (rf_we && rf_waddr != '0) regs_q[rf_waddr*32 +: 32] <= rf_wdata;
      if (start_i && state_q == SIdle && start_data_i) begin
        regs_q[wm_isa_pkg::RegWavelet*32 +: 32] <= start_wv_i;
      end
      for (int unsigned e = 0; e < 4; e++) begin
        if (vrf_we_i[e] && vrf_waddr_i[e*4 +: 4] != '0) begin
          regs_q[vrf_waddr_i[e*4 +: 4]*32 +: 32] <= vrf_wdata_i[e*32 +: 32];
        end
      end

      if (dsd_we) begin
        unique case (op)
          wm_isa_pkg::OpDsdm: begin
            dkind_q[fa[2:0]*2 +: 2]   <= wm_isa_pkg::DsdMem;
            dbase_q[fa[2:0]*16 +: 16] <= r1[15:0];
            dlen0_q[fa[2:0]*16 +: 16] <= r2[15:0];
            dstr0_q[fa[2:0]*16 +: 16] <= r3;
            dlen1_q[fa[2:0]*16 +: 16] <= 16'd1;
            dstr1_q[fa[2:0]*16 +: 16] <= '0;
          end
          wm_isa_pkg::OpDsd2: begin
            dlen1_q[fa[2:0]*16 +: 16] <= r2[15:0];
            dstr1_q[fa[2:0]*16 +: 16] <= r3;
          end
          wm_isa_pkg::OpDsdfi: begin
            dkind_q[fa[2:0]*2 +: 2]   <= wm_isa_pkg::DsdFin;
            dcol_q[fa[2:0]*5 +: 5]    <= fcolor;
            dlen0_q[fa[2:0]*16 +: 16] <= r2[15:0];
          end
          wm_isa_pkg::OpDsdfo: begin
            dkind_q[fa[2:0]*2 +: 2]   <= wm_isa_pkg::DsdFout;
            dcol_q[fa[2:0]*5 +: 5]    <= fcolor;
            dlen0_q[fa[2:0]*16 +: 16] <= r2[15:0];
            ddx_q[fa[2:0]*5 +: 5]     <= r3[4:0];
            ddy_q[fa[2:0]*5 +: 5]     <= r3[9:5];
          end
          default: dbase_q[fa[2:0]*16 +: 16] <= dbase_q[fa[2:0]*16 +: 16] + r1[15:0];  // dsdadd
        endcase
      end
    end
  end

endmodule

// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The PE instruction set (docs/isa.md, frozen v1): opcodes, field positions, error codes and
/// control-wavelet commands. The C++ twin is sw/isa/include/wm/sw/isa/isa.hpp; change both and
/// the changelog of docs/isa.md together.
package wm_isa_pkg;

  /// Instruction word, scalar register and SRAM word width.
  parameter int unsigned XLen = 32;
  /// Scalar registers r0..r15 (r0 reads zero, r15 receives a data task's wavelet).
  parameter int unsigned NumRegs = 16;
  parameter int unsigned RegIdxWidth = 4;
  /// The register a data task's wavelet lands in.
  parameter logic [3:0] RegWavelet = 4'd15;
  /// DSD registers d0..d7.
  parameter int unsigned NumDsds = 8;
  /// Task slots.
  parameter int unsigned NumTasks = 16;
  /// Stream engines E0..E3.
  parameter int unsigned NumEngines = 4;
  /// pc and DSD base width: a 16-bit word address space.
  parameter int unsigned PcWidth = 16;

  // Scalar major opcodes, bits [31:26] with bit 31 = 0.
  parameter logic [5:0] OpIllegal = 6'h00;
  parameter logic [5:0] OpAlu     = 6'h01;
  parameter logic [5:0] OpFpu     = 6'h02;
  parameter logic [5:0] OpAddi    = 6'h03;
  parameter logic [5:0] OpAndi    = 6'h04;
  parameter logic [5:0] OpOri     = 6'h05;
  parameter logic [5:0] OpXori    = 6'h06;
  parameter logic [5:0] OpSlti    = 6'h07;
  parameter logic [5:0] OpSlli    = 6'h08;
  parameter logic [5:0] OpSrli    = 6'h09;
  parameter logic [5:0] OpSrai    = 6'h0A;
  parameter logic [5:0] OpLui     = 6'h0B;
  parameter logic [5:0] OpLw      = 6'h0C;
  parameter logic [5:0] OpSw      = 6'h0D;
  parameter logic [5:0] OpBeq     = 6'h0E;
  parameter logic [5:0] OpBne     = 6'h0F;
  parameter logic [5:0] OpBlt     = 6'h10;
  parameter logic [5:0] OpBge     = 6'h11;
  parameter logic [5:0] OpBltu    = 6'h12;
  parameter logic [5:0] OpBgeu    = 6'h13;
  parameter logic [5:0] OpJal     = 6'h14;
  parameter logic [5:0] OpJalr    = 6'h15;
  parameter logic [5:0] OpDsdm    = 6'h16;
  parameter logic [5:0] OpDsd2    = 6'h17;
  parameter logic [5:0] OpDsdfi   = 6'h18;
  parameter logic [5:0] OpDsdfo   = 6'h19;
  parameter logic [5:0] OpDsdadd  = 6'h1A;
  parameter logic [5:0] OpSend    = 6'h1B;
  parameter logic [5:0] OpRecv    = 6'h1C;
  parameter logic [5:0] OpSys     = 6'h1D;
  parameter logic [5:0] OpTentry  = 6'h1E;

  // ALU funct, bits [3:0] of OpAlu.
  parameter logic [3:0] AluAdd  = 4'd0;
  parameter logic [3:0] AluSub  = 4'd1;
  parameter logic [3:0] AluAnd  = 4'd2;
  parameter logic [3:0] AluOr   = 4'd3;
  parameter logic [3:0] AluXor  = 4'd4;
  parameter logic [3:0] AluSll  = 4'd5;
  parameter logic [3:0] AluSrl  = 4'd6;
  parameter logic [3:0] AluSra  = 4'd7;
  parameter logic [3:0] AluSlt  = 4'd8;
  parameter logic [3:0] AluSltu = 4'd9;
  parameter logic [3:0] AluMul  = 4'd10;

  // FPU funct, bits [3:0] of OpFpu.
  parameter logic [3:0] FpuAdd = 4'd0;
  parameter logic [3:0] FpuSub = 4'd1;
  parameter logic [3:0] FpuMul = 4'd2;
  parameter logic [3:0] FpuMax = 4'd3;
  parameter logic [3:0] FpuMin = 4'd4;
  parameter logic [3:0] FpuI2f = 4'd5;
  parameter logic [3:0] FpuF2i = 4'd6;
  parameter logic [3:0] FpuLt  = 4'd7;
  parameter logic [3:0] FpuLe  = 4'd8;
  parameter logic [3:0] FpuEq  = 4'd9;

  // SYS sub, bits [4:0] of OpSys.
  parameter logic [4:0] SysNop      = 5'd0;
  parameter logic [4:0] SysExit     = 5'd1;
  parameter logic [4:0] SysHalt     = 5'd2;
  parameter logic [4:0] SysTact     = 5'd3;
  parameter logic [4:0] SysTblock   = 5'd4;
  parameter logic [4:0] SysTunblock = 5'd5;
  parameter logic [4:0] SysTbind    = 5'd6;
  parameter logic [4:0] SysTunbind  = 5'd7;
  parameter logic [4:0] SysEwait    = 5'd8;
  parameter logic [4:0] SysEstat    = 5'd9;

  // Vector opcodes, bits [30:26] with bit 31 = 1.
  parameter logic [4:0] VopFmov  = 5'd0;
  parameter logic [4:0] VopFadd  = 5'd1;
  parameter logic [4:0] VopFsub  = 5'd2;
  parameter logic [4:0] VopFmul  = 5'd3;
  parameter logic [4:0] VopFmac  = 5'd4;
  parameter logic [4:0] VopFmax  = 5'd5;
  parameter logic [4:0] VopFmin  = 5'd6;
  parameter logic [4:0] VopFrsum = 5'd7;
  parameter logic [4:0] VopFrmax = 5'd8;
  parameter logic [4:0] VopFdotv = 5'd9;
  parameter logic [4:0] VopIadd  = 5'd10;
  parameter logic [4:0] VopIsub  = 5'd11;
  parameter logic [4:0] VopIshl  = 5'd12;
  parameter logic [4:0] VopIshr  = 5'd13;
  parameter logic [4:0] VopVi2f  = 5'd14;
  parameter logic [4:0] VopVf2i  = 5'd15;

  /// DSD kinds.
  parameter logic [1:0] DsdNone = 2'd0;
  parameter logic [1:0] DsdMem  = 2'd1;
  parameter logic [1:0] DsdFin  = 2'd2;
  parameter logic [1:0] DsdFout = 2'd3;

  /// One DSD register. MEM uses base/len0/stride0/len1/stride1; FIN/FOUT use color and len0
  /// (the stream length), FOUT also dest_x/dest_y.
  typedef struct packed {
    logic [1:0]  kind;
    logic [15:0] base;
    logic [15:0] len0;
    logic [15:0] stride0;
    logic [15:0] len1;
    logic [15:0] stride1;
    logic [4:0]  color;
    logic [4:0]  dest_x;
    logic [4:0]  dest_y;
  } dsd_t;
  parameter int unsigned DsdWidth = 2 + 5 * 16 + 3 * 5;

  // Error codes (status).
  parameter logic [2:0] ErrNone    = 3'd0;
  parameter logic [2:0] ErrIllegal = 3'd1;
  parameter logic [2:0] ErrAddr    = 3'd2;
  parameter logic [2:0] ErrDsd     = 3'd3;
  parameter logic [2:0] ErrCtrl    = 3'd4;
  /// err_pc of a CTRL error.
  parameter logic [15:0] ErrPcCtrl = 16'hFFFF;

  // Control-wavelet commands, data[31:28].
  parameter logic [3:0] CtrlActivate = 4'h1;
  parameter logic [3:0] CtrlBlock    = 4'h2;
  parameter logic [3:0] CtrlUnblock  = 4'h3;
  parameter logic [3:0] CtrlLoad     = 4'h4;

endpackage

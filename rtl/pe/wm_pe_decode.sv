// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The decode-time legality rules of docs/isa.md (sections 2 and 8), combinational; the same
/// rules as wm::sw::isa::is_legal. Launch-time DSD checks depend on register contents and live
/// in the core.
module wm_pe_decode #(
  parameter int unsigned NumColors = 8  /// colors of the router: a larger color is illegal
) (
  input  logic [31:0] instr_i,  /// the instruction word
  output logic        legal_o   /// not ILLEGAL
);
  logic [5:0] op;
  logic [4:0] vop, vb, sub, color;
  logic [1:0] vdst, va;  // the kind bits of the operands: 00 DSD, 1x register, 01 illegal
  logic [3:0] a, rs1, rs3;
  logic       color_ok, vdst_reg, ops_ok;

  assign op       = instr_i[31:26];
  assign vop      = instr_i[30:26];
  assign vdst     = instr_i[25:24];
  assign va       = instr_i[20:19];
  assign vb       = instr_i[15:11];
  assign a        = instr_i[25:22];
  assign rs1      = instr_i[21:18];
  assign rs3      = instr_i[13:10];
  assign color    = instr_i[9:5];
  assign sub      = instr_i[4:0];
  assign color_ok = 32'(color) < NumColors;
  assign vdst_reg = vdst[1];
  assign ops_ok   = vdst != 2'b01 && va != 2'b01 && vb[4:3] != 2'b01;

  always_comb begin
    legal_o = 1'b0;
    if (instr_i[31]) begin
      if (vop <= wm_isa_pkg::VopVf2i && instr_i[2:0] == '0 && ops_ok) begin
        unique case (vop)
          wm_isa_pkg::VopFmov, wm_isa_pkg::VopVi2f, wm_isa_pkg::VopVf2i:
            legal_o = !vdst_reg && vb == '0;
          wm_isa_pkg::VopFrsum, wm_isa_pkg::VopFrmax:
            legal_o = vdst_reg && !va[1] && vb == '0;
          wm_isa_pkg::VopFmac:
            legal_o = !vdst_reg || !va[1] || !vb[4];
          default:
            legal_o = !vdst_reg;
        endcase
      end
    end else begin
      unique case (op)
        wm_isa_pkg::OpAlu: legal_o = instr_i[13:4] == '0 && instr_i[3:0] <= wm_isa_pkg::AluMul;
        wm_isa_pkg::OpFpu:
          legal_o = instr_i[13:4] == '0 && instr_i[3:0] <= wm_isa_pkg::FpuEq
                    && ((instr_i[3:0] != wm_isa_pkg::FpuI2f && instr_i[3:0] != wm_isa_pkg::FpuF2i)
                        || instr_i[17:14] == '0);
        wm_isa_pkg::OpAddi, wm_isa_pkg::OpAndi, wm_isa_pkg::OpOri, wm_isa_pkg::OpXori,
        wm_isa_pkg::OpSlti, wm_isa_pkg::OpLw, wm_isa_pkg::OpSw, wm_isa_pkg::OpBeq,
        wm_isa_pkg::OpBne, wm_isa_pkg::OpBlt, wm_isa_pkg::OpBge, wm_isa_pkg::OpBltu,
        wm_isa_pkg::OpBgeu, wm_isa_pkg::OpJal, wm_isa_pkg::OpJalr, wm_isa_pkg::OpTentry:
          legal_o = 1'b1;
        wm_isa_pkg::OpSlli, wm_isa_pkg::OpSrli, wm_isa_pkg::OpSrai:
          legal_o = instr_i[17:5] == '0;
        wm_isa_pkg::OpLui:    legal_o = instr_i[21:16] == '0;
        wm_isa_pkg::OpDsdm:   legal_o = !a[3] && instr_i[9:0] == '0;
        wm_isa_pkg::OpDsd2:   legal_o = !a[3] && rs1 == '0 && instr_i[9:0] == '0;
        wm_isa_pkg::OpDsdfi:  legal_o = !a[3] && rs1 == '0 && rs3 == '0 && sub == '0 && color_ok;
        wm_isa_pkg::OpDsdfo:  legal_o = !a[3] && rs1 == '0 && sub == '0 && color_ok;
        wm_isa_pkg::OpDsdadd: legal_o = !a[3] && instr_i[17:0] == '0;
        wm_isa_pkg::OpSend:
          legal_o = a == '0 && rs3 == '0 && instr_i[4:1] == '0 && color_ok;
        wm_isa_pkg::OpRecv:   legal_o = instr_i[21:10] == '0 && sub == '0 && color_ok;
        wm_isa_pkg::OpSys: begin
          if (instr_i[21:10] == '0 && sub <= wm_isa_pkg::SysEstat) begin
            unique case (sub)
              wm_isa_pkg::SysNop, wm_isa_pkg::SysExit, wm_isa_pkg::SysHalt:
                legal_o = a == '0 && color == '0;
              wm_isa_pkg::SysTbind: legal_o = color_ok;
              wm_isa_pkg::SysEwait: legal_o = color == '0 && a < 4'(wm_isa_pkg::NumEngines);
              default:              legal_o = color == '0;
            endcase
          end
        end
        default: legal_o = 1'b0;
      endcase
    end
  end

endmodule

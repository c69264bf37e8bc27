// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// The PE's scalar integer ALU (docs/isa.md, ALU funct), combinational. Immediate forms reuse
/// it with the immediate as b_i.
module wm_pe_alu (
  input  logic [3:0]  fn_i,   /// wm_isa_pkg::Alu* function
  input  logic [31:0] a_i,    /// rs1
  input  logic [31:0] b_i,    /// rs2 or the immediate
  output logic [31:0] res_o   /// result
);
  logic [31:0] prod;
  assign prod = a_i * b_i;  // the low 32 bits are the same for signed and unsigned

  always_comb begin
    unique case (fn_i)
      wm_isa_pkg::AluAdd:  res_o = a_i + b_i;
      wm_isa_pkg::AluSub:  res_o = a_i - b_i;
      wm_isa_pkg::AluAnd:  res_o = a_i & b_i;
      wm_isa_pkg::AluOr:   res_o = a_i | b_i;
      wm_isa_pkg::AluXor:  res_o = a_i ^ b_i;
      wm_isa_pkg::AluSll:  res_o = a_i << b_i[4:0];
      wm_isa_pkg::AluSrl:  res_o = a_i >> b_i[4:0];
      wm_isa_pkg::AluSra:  res_o = 32'($signed(a_i) >>> b_i[4:0]);
      wm_isa_pkg::AluSlt:  res_o = {31'd0, $signed(a_i) < $signed(b_i)};
      wm_isa_pkg::AluSltu: res_o = {31'd0, a_i < b_i};
      wm_isa_pkg::AluMul:  res_o = prod;
      default:             res_o = '0;
    endcase
  end

endmodule

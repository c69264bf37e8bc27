// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// One memory-DSD walker (docs/isa.md section 4): element n sits at
/// base + (n div len0)*stride1 + (n mod len0)*stride0, computed incrementally modulo 2^32.
/// `load_i` starts a walk at element 0; `step_i` moves to the next element.
module wm_pe_agu (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        load_i,     /// start a new walk (has priority over step_i)
  input  logic [15:0] base_i,     /// the DSD's fields, sampled with load_i
  input  logic [15:0] len0_i,
  input  logic [15:0] stride0_i,  /// signed
  input  logic [15:0] stride1_i,  /// signed
  input  logic        step_i,     /// advance to the next element
  output logic [31:0] addr_o      /// address of the current element
);
  logic [31:0] addr_q, row_q, stride0_q, stride1_q;
  logic [15:0] len0_q, i0_q;
  logic [16:0] i0_next;
  logic        wrap;

  assign addr_o  = addr_q;
  assign i0_next = {1'b0, i0_q} + 17'd1;
  // len0 = 0 never wraps (a plain 1-D walk), as docs/isa.md's changelog states.
  assign wrap    = (i0_next == {1'b0, len0_q});

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      addr_q    <= '0;
      row_q     <= '0;
      stride0_q <= '0;
      stride1_q <= '0;
      len0_q    <= '0;
      i0_q      <= '0;
    end else if (load_i) begin
      addr_q    <= {16'd0, base_i};
      row_q     <= {16'd0, base_i};
      stride0_q <= {{16{stride0_i[15]}}, stride0_i};
      stride1_q <= {{16{stride1_i[15]}}, stride1_i};
      len0_q    <= len0_i;
      i0_q      <= '0;
    end else if (step_i) begin
      if (wrap) begin
        i0_q   <= '0;
        row_q  <= row_q + stride1_q;
        addr_q <= row_q + stride1_q;
      end else begin
        i0_q   <= i0_next[15:0];
        addr_q <= addr_q + stride0_q;
      end
    end
  end

endmodule

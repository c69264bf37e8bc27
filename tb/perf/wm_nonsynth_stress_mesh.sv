// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Benchmark-only DUT: a NumX x NumY mesh of wm_nonsynth_stress_node, self-driven by the
/// nodes' LFSR injectors, so a benchmark only toggles the clock. Words move east and south and
/// leave at the last column and row. The totals let two simulators of the same model (or two
/// ways of clocking it) be compared value for value after the same number of cycles.
module wm_nonsynth_stress_mesh #(
  parameter int unsigned NumX = 8,  /// columns
  parameter int unsigned NumY = 8   /// rows
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  output logic [31:0] sum_o,        /// sum of every word ejected anywhere
  output logic [31:0] ejected_o,    /// words ejected anywhere
  output logic [31:0] occupancy_o   /// words held in all FIFOs
);
  localparam int unsigned NumNodes = NumX * NumY;

  // Per node, index y * NumX + x: its two outputs (east 0, south 1) and two inputs.
  logic [NumNodes-1:0][1:0][31:0] out_data, in_data;
  logic [NumNodes-1:0][1:0]       out_valid, out_ready, in_valid, in_ready;
  logic [NumNodes-1:0][31:0]      sums, ejected;
  logic [NumNodes-1:0][3:0]       occupancy;

  for (genvar y = 0; y < NumY; y++) begin : gen_y
    for (genvar x = 0; x < NumX; x++) begin : gen_x
      localparam int unsigned N = y * NumX + x;
      // West input from the east output of (x-1, y); north input from the south output of
      // (x, y-1); the first column and row have no neighbour there.
      if (x == 0) begin : gen_no_west
        assign in_data[N][0]  = '0;
        assign in_valid[N][0] = 1'b0;
      end else begin : gen_west
        assign in_data[N][0]      = out_data[N-1][0];
        assign in_valid[N][0]     = out_valid[N-1][0];
        assign out_ready[N-1][0]  = in_ready[N][0];
      end
      if (y == 0) begin : gen_no_north
        assign in_data[N][1]  = '0;
        assign in_valid[N][1] = 1'b0;
      end else begin : gen_north
        assign in_data[N][1]        = out_data[N-NumX][1];
        assign in_valid[N][1]       = out_valid[N-NumX][1];
        assign out_ready[N-NumX][1] = in_ready[N][1];
      end
      if (x == NumX - 1) begin : gen_sink_east
        assign out_ready[N][0] = 1'b1;
      end
      if (y == NumY - 1) begin : gen_sink_south
        assign out_ready[N][1] = 1'b1;
      end

      wm_nonsynth_stress_node #(
        .Seed      (32'h9e37_79b9 ^ (N * 32'h0101_0101) | 32'd1),
        .SinkEast  (x == NumX - 1),
        .SinkSouth (y == NumY - 1)
      ) u_node (
        .clk_i,
        .rst_ni,
        .in_data_i   (in_data[N]),
        .in_valid_i  (in_valid[N]),
        .in_ready_o  (in_ready[N]),
        .out_data_o  (out_data[N]),
        .out_valid_o (out_valid[N]),
        .out_ready_i (out_ready[N]),
        .sum_o       (sums[N]),
        .ejected_o   (ejected[N]),
        .occupancy_o (occupancy[N])
      );
    end
  end

  always_comb begin
    sum_o       = '0;
    ejected_o   = '0;
    occupancy_o = '0;
    for (int unsigned n = 0; n < NumNodes; n++) begin
      sum_o       = sum_o + sums[n];
      ejected_o   = ejected_o + ejected[n];
      occupancy_o = occupancy_o + 32'(occupancy[n]);
    end
  end

endmodule

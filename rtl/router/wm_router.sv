// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// One mesh router: the ramp to the local PE plus four neighbour ports, one queue per input and
/// color (a blocked color never blocks another), a per-color routing table loaded by
/// configuration wavelets, round-robin output arbitration and credit-based links.
///
/// Routing, per color (see docs/architecture.md, "Router and links"):
/// - static: a wavelet that arrived on a port of the receive set goes to every port of the
///   transmit set (multicast); each copy leaves on its own, tracked by per-output progress bits;
/// - addressed: dimension-ordered, X then Y, to (dst_x, dst_y), then to the ramp there;
/// - unconfigured (after reset): the wavelet is dropped and an error bit set.
/// A configuration wavelet (ctrl = 1, data[31:28] = 4'hF) is routed X then Y on its own color
/// whatever that color's table says, and consumed by the router at its destination:
///   data[27:23] color to set, data[22:21] mode (0 off, 1 static, 2 addressed, 3 off),
///   data[9:5] receive set, data[4:0] transmit set (bit d = wm_pkg::dir_e d).
///
/// Port arrays are indexed by wm_pkg::dir_e and flattened, element d at [d*Width +: Width]
/// (Yosys 0.23 has no multi-dimensional packed arrays). Neighbour outputs are registered (plus
/// HopLatency more stages) and credits come back registered, so nothing runs combinationally
/// from one tile to the next. The ramp is inside the tile: its output is combinational from the
/// queue heads, and on DirP the credit ports carry per-color ready levels, not credit pulses.
module wm_router #(
  parameter int unsigned NumColors  = 8,  /// colors (virtual channels), 1 to wm_pkg::MaxColors
  parameter int unsigned QueueDepth = 4,  /// wavelets buffered per input and color, >= 1
  /// Extra register stages on each neighbour output: a hop takes 2 + HopLatency cycles.
  parameter int unsigned HopLatency = 0
) (
  input  logic                                           clk_i,
  input  logic                                           rst_ni,
  input  wm_pkg::coord_t                                 x_i,      /// this tile's column
  input  wm_pkg::coord_t                                 y_i,      /// this tile's row, 0 north
  input  wm_pkg::coord_t                                 max_x_i,  /// mesh width - 1
  input  wm_pkg::coord_t                                 max_y_i,  /// mesh height - 1
  /// Edge ports wired to something (the host): routes through them are not off the edge.
  input  wm_pkg::dir_set_t                               edge_open_i,
  /// A wavelet arrives on port d. Neighbours send only with credit; the ramp holds its wavelet
  /// until in_credit_o for DirP and its color is high.
  input  logic [wm_pkg::NumDirs-1:0]                     in_valid_i,
  /// The arriving wavelets, wm_pkg::wavelet_t packed, port d at [d*WaveletWidth +: ...].
  input  logic [wm_pkg::NumDirs*wm_pkg::WaveletWidth-1:0] in_wavelet_i,
  /// Bit d*NumColors+c. Neighbour port d: registered pulse, one slot of color c's queue was
  /// freed. DirP: ready level, a ramp wavelet of color c is taken this cycle.
  output logic [wm_pkg::NumDirs*NumColors-1:0]           in_credit_o,
  /// A wavelet leaves on port d this cycle (also the per-link activity for statistics).
  output logic [wm_pkg::NumDirs-1:0]                     out_valid_o,
  /// The leaving wavelets, wm_pkg::wavelet_t packed, port d at [d*WaveletWidth +: ...].
  output logic [wm_pkg::NumDirs*wm_pkg::WaveletWidth-1:0] out_wavelet_o,
  /// Bit d*NumColors+c. Neighbour port d: credit pulse for color c from the receiver. DirP:
  /// the PE takes a wavelet of color c this cycle if offered (must not depend on out_valid_o).
  input  logic [wm_pkg::NumDirs*NumColors-1:0]           out_credit_i,
  /// Bit d*NumColors+c: the queue of input d and color c holds a wavelet (for watchdogs and
  /// congestion statistics).
  output logic [wm_pkg::NumDirs*NumColors-1:0]           busy_o,
  /// Sticky error bits: [0] unconfigured color (or a color >= NumColors), [1] no route (static
  /// color from a port outside its receive set, or an empty transmit set), [2] route off the
  /// mesh edge, [3] link protocol (a wavelet or a credit beyond the queue depth).
  output logic [3:0]                                     err_o,
  /// Wavelets dropped for any of those reasons; saturates.
  output logic [15:0]                                    drop_count_o
);
  localparam int unsigned NumDirs   = wm_pkg::NumDirs;
  localparam int unsigned NumQueues = NumDirs * NumColors;
  localparam int unsigned QIdxWidth = $clog2(NumQueues);
  localparam int unsigned WWidth    = wm_pkg::WaveletWidth;
  localparam int unsigned CntWidth  = $clog2(QueueDepth + 1);
  // Field positions in a packed wm_pkg::wavelet_t. Yosys 0.23 loses struct fields inside
  // generate blocks, so per-queue logic slices the vector instead.
  localparam int unsigned ColorLsb  = wm_pkg::DataWidth;
  localparam int unsigned DstYLsb   = ColorLsb + wm_pkg::ColorWidth;
  localparam int unsigned DstXLsb   = DstYLsb + wm_pkg::CoordWidth;
  localparam int unsigned CtrlBit   = DstXLsb + wm_pkg::CoordWidth;

  localparam int unsigned ErrUnconfigured = 0;
  localparam int unsigned ErrNoRoute      = 1;
  localparam int unsigned ErrOffEdge      = 2;
  localparam int unsigned ErrLink         = 3;

  localparam logic [1:0] ModeStatic    = 2'd1;
  localparam logic [1:0] ModeAddressed = 2'd2;
  localparam logic [3:0] CfgOpcode     = 4'hF;

  /// What a queue head asks for: leave through its route, or be sunk (consumed or dropped).
  typedef enum logic [2:0] {
    CauseRoute        = 3'd0,
    CauseConfig       = 3'd1,
    CauseUnconfigured = 3'd2,
    CauseNoRoute      = 3'd3,
    CauseOffEdge      = 3'd4
  } cause_e;

  // ---------------------------------------------------------------------------------------------
  // Routing table: one entry per color, element c at [c*Width +: Width].
  logic [NumColors*2-1:0]       mode_q, mode_d;
  logic [NumColors*NumDirs-1:0] rx_q, rx_d, tx_q, tx_d;

  // Ports that lead off the mesh from this tile.
  wm_pkg::dir_set_t off_edge;
  always_comb begin
    off_edge               = '0;
    off_edge[wm_pkg::DirW] = (x_i == '0);
    off_edge[wm_pkg::DirE] = (x_i == max_x_i);
    off_edge[wm_pkg::DirN] = (y_i == '0);
    off_edge[wm_pkg::DirS] = (y_i == max_y_i);
    off_edge               = off_edge & ~edge_open_i;
  end

  // ---------------------------------------------------------------------------------------------
  // Input queues, one per (input, color); queue q = input * NumColors + color. Each input keeps
  // its colors' ring buffers in one memory (one write port: an input takes one wavelet a cycle)
  // and the per-queue logic is written as loops, not generate blocks: Verilator then emits it
  // once per router instead of once per queue, which keeps a flattened 8 x 8 mesh compilable.
  localparam int unsigned PtrWidth  = (QueueDepth > 1) ? $clog2(QueueDepth) : 1;
  localparam int unsigned AddrWidth = (NumColors * QueueDepth > 1) ?
                                      $clog2(NumColors * QueueDepth) : 1;

  logic [NumQueues-1:0]          q_push, q_pop, q_valid, q_full, q_sink;
  logic [NumQueues*WWidth-1:0]   q_head;
  logic [NumQueues*NumDirs-1:0]  q_route;         // every output the head must reach
  logic [NumQueues*NumDirs-1:0]  q_want;          // route minus the copies already sent
  logic [NumQueues*3-1:0]        q_cause;         // cause_e per queue
  logic [NumQueues*NumDirs-1:0]  sent_q, sent_d;  // multicast progress per queue
  logic [NumQueues*PtrWidth-1:0] wptr_q, wptr_d, rptr_q, rptr_d;
  logic [NumQueues*CntWidth-1:0] cnt_q, cnt_d;

  // Per input: the arriving color is out of range, or hits a full queue (sender broke credits).
  logic [NumDirs-1:0] in_bad_color, in_overflow;

  for (genvar i = 0; i < NumDirs; i++) begin : gen_in
    logic [WWidth-1:0]           mem_q [NumColors*QueueDepth];
    logic [NumColors*WWidth-1:0] heads;
    wm_pkg::color_t              in_color;
    logic [AddrWidth-1:0]        waddr;

    assign in_color = in_wavelet_i[i*WWidth+ColorLsb +: wm_pkg::ColorWidth];
    assign waddr    = AddrWidth'((32'(in_color) % NumColors) * QueueDepth +
                      32'(wptr_q[(i*NumColors + 32'(in_color) % NumColors)*PtrWidth +: PtrWidth]));

    // Storage has no reset: an entry is unobservable until written.
    always_ff @(posedge clk_i) begin
      if (in_valid_i[i] && (32'(in_color) < NumColors) &&
          !q_full[i*NumColors + 32'(in_color) % NumColors]) begin
        mem_q[waddr] <= in_wavelet_i[i*WWidth +: WWidth];
      end
    end

    always_comb begin
      for (int unsigned c = 0; c < NumColors; c++) begin
        heads[c*WWidth +: WWidth] =
            mem_q[c*QueueDepth + 32'(rptr_q[(i*NumColors+c)*PtrWidth +: PtrWidth])];
      end
    end
    assign q_head[i*NumColors*WWidth +: NumColors*WWidth] = heads;
  end

  // Pushes, pointers and counts.
  always_comb begin
    for (int unsigned i = 0; i < NumDirs; i++) begin
      logic [31:0] color;
      color           = 32'(in_wavelet_i[i*WWidth+ColorLsb +: wm_pkg::ColorWidth]);
      in_bad_color[i] = in_valid_i[i] && (color >= NumColors);
      in_overflow[i]  = 1'b0;
      for (int unsigned c = 0; c < NumColors; c++) begin
        q_push[i*NumColors+c] = in_valid_i[i] && (color == c) && !q_full[i*NumColors+c];
        // The ramp may hold a wavelet on a full queue (valid/ready); a neighbour may not.
        if (in_valid_i[i] && (color == c) && q_full[i*NumColors+c] &&
            (i != 32'(wm_pkg::DirP))) begin
          in_overflow[i] = 1'b1;
        end
      end
    end
    for (int unsigned q = 0; q < NumQueues; q++) begin
      logic [PtrWidth-1:0] wp, rp;
      wp = wptr_q[q*PtrWidth +: PtrWidth];
      rp = rptr_q[q*PtrWidth +: PtrWidth];
      if (q_push[q]) wp = (32'(wp) == QueueDepth - 1) ? '0 : wp + PtrWidth'(1);
      if (q_pop[q])  rp = (32'(rp) == QueueDepth - 1) ? '0 : rp + PtrWidth'(1);
      wptr_d[q*PtrWidth +: PtrWidth] = wp;
      rptr_d[q*PtrWidth +: PtrWidth] = rp;
      cnt_d[q*CntWidth +: CntWidth]  = cnt_q[q*CntWidth +: CntWidth] + CntWidth'(q_push[q]) -
                                       CntWidth'(q_pop[q]);
    end
  end

  // Route of every head. The table entry is fixed per queue (its color): no lookup mux.
  always_comb begin
    for (int unsigned i = 0; i < NumDirs; i++) begin
      for (int unsigned c = 0; c < NumColors; c++) begin
        logic [WWidth-1:0] head;
        wm_pkg::coord_t    dst_x, dst_y;
        logic [1:0]        mode;
        logic              is_cfg;
        wm_pkg::dir_set_t  xy, route, tx, sent;
        logic [2:0]        cause;
        logic [CntWidth-1:0] cnt;
        logic              valid;
        head   = q_head[(i*NumColors+c)*WWidth +: WWidth];
        dst_x  = head[DstXLsb +: wm_pkg::CoordWidth];
        dst_y  = head[DstYLsb +: wm_pkg::CoordWidth];
        mode   = mode_q[c*2 +: 2];
        tx     = tx_q[c*NumDirs +: NumDirs];
        is_cfg = head[CtrlBit] && (head[31:28] == CfgOpcode);
        xy     = '0;
        if (dst_x > x_i)      xy[wm_pkg::DirE] = 1'b1;
        else if (dst_x < x_i) xy[wm_pkg::DirW] = 1'b1;
        else if (dst_y > y_i) xy[wm_pkg::DirS] = 1'b1;
        else if (dst_y < y_i) xy[wm_pkg::DirN] = 1'b1;
        else                  xy[wm_pkg::DirP] = 1'b1;

        route = '0;
        cause = CauseRoute;
        if (is_cfg || mode == ModeAddressed) begin
          if (is_cfg && xy[wm_pkg::DirP]) cause = CauseConfig;
          else route = xy;
        end else if (mode == ModeStatic) begin
          if (rx_q[c*NumDirs+i] && (tx != '0)) route = tx;
          else cause = CauseNoRoute;
        end else begin
          cause = CauseUnconfigured;
        end
        if ((route & off_edge) != '0) begin
          route = '0;
          cause = CauseOffEdge;
        end
        cnt   = cnt_q[(i*NumColors+c)*CntWidth +: CntWidth];
        sent  = sent_q[(i*NumColors+c)*NumDirs +: NumDirs];
        valid = (cnt != '0);
        q_valid[i*NumColors+c]                      = valid;
        q_full[i*NumColors+c]                       = (32'(cnt) == QueueDepth);
        q_sink[i*NumColors+c]                       = valid && (cause != CauseRoute);
        q_route[(i*NumColors+c)*NumDirs +: NumDirs] = route;
        q_want[(i*NumColors+c)*NumDirs +: NumDirs]  = valid ? (route & ~sent) : '0;
        q_cause[(i*NumColors+c)*3 +: 3]             = cause;
      end
    end
  end

  assign busy_o = q_valid;

  // ---------------------------------------------------------------------------------------------
  // Output arbitration: per output, round-robin over every (input, color) queue whose head wants
  // it and whose color has credit there. A granted word always leaves: credit guarantees room.
  logic [NumDirs*NumColors-1:0] credit_ok;
  logic [NumDirs*NumQueues-1:0] req, gnt;
  logic [NumDirs*QIdxWidth-1:0] gnt_idx;
  logic [NumDirs-1:0]           gnt_valid, credit_err;
  logic [NumDirs*WWidth-1:0]    gnt_wavelet;

  assign credit_ok[wm_pkg::DirP*NumColors +: NumColors] =
      out_credit_i[wm_pkg::DirP*NumColors +: NumColors];
  assign credit_err[wm_pkg::DirP] = 1'b0;

  always_comb begin
    for (int unsigned o = 0; o < NumDirs; o++) begin
      for (int unsigned q = 0; q < NumQueues; q++) begin
        req[o*NumQueues+q] = q_want[q*NumDirs+o] && credit_ok[o*NumColors + q % NumColors];
      end
    end
  end

  for (genvar o = 0; o < NumDirs; o++) begin : gen_out
    wm_rr_arb #(
      .N(NumQueues)
    ) u_arb (
      .clk_i,
      .rst_ni,
      .req_i      (req[o*NumQueues +: NumQueues]),
      .advance_i  (1'b1),
      .gnt_o      (gnt[o*NumQueues +: NumQueues]),
      .gnt_idx_o  (gnt_idx[o*QIdxWidth +: QIdxWidth]),
      .gnt_valid_o(gnt_valid[o])
    );

    assign gnt_wavelet[o*WWidth +: WWidth] = q_head[gnt_idx[o*QIdxWidth +: QIdxWidth]*WWidth +:
                                                    WWidth];

    if (o != wm_pkg::DirP) begin : gen_credit
      logic [NumColors-1:0]          gnt_color;  // color of the grant, one-hot
      logic [NumColors*CntWidth-1:0] unused_count;
      always_comb begin
        gnt_color = '0;
        for (int unsigned q = 0; q < NumQueues; q++) begin
          if (gnt[o*NumQueues+q]) gnt_color[q % NumColors] = 1'b1;
        end
      end
      wm_credit_cnt #(
        .N  (NumColors),
        .Max(QueueDepth)
      ) u_credit (
        .clk_i,
        .rst_ni,
        .inc_i  (out_credit_i[o*NumColors +: NumColors]),
        .dec_i  (gnt_color),
        .avail_o(credit_ok[o*NumColors +: NumColors]),
        .count_o(unused_count),
        .err_o  (credit_err[o])
      );
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Sink: one head per cycle is consumed (configuration) or dropped (error), round-robin.
  logic [NumQueues-1:0] sink_gnt;
  logic [QIdxWidth-1:0] sink_idx;
  logic                 sink_valid;
  wm_pkg::wavelet_t     sink_w;
  logic [2:0]           sink_cause;
  // A configuration wavelet's header only brought it here; its payload is all that is read.
  logic [WWidth-wm_pkg::DataWidth-1:0] unused_sink_header;

  wm_rr_arb #(
    .N(NumQueues)
  ) u_sink_arb (
    .clk_i,
    .rst_ni,
    .req_i      (q_sink),
    .advance_i  (1'b1),
    .gnt_o      (sink_gnt),
    .gnt_idx_o  (sink_idx),
    .gnt_valid_o(sink_valid)
  );
  assign sink_w             = q_head[sink_idx*WWidth +: WWidth];
  assign sink_cause         = q_cause[sink_idx*3 +: 3];
  assign unused_sink_header = sink_w[WWidth-1:wm_pkg::DataWidth];

  // Queue pops and multicast progress: a head leaves once every output of its route took a copy.
  always_comb begin
    for (int unsigned q = 0; q < NumQueues; q++) begin
      logic [NumDirs-1:0] sent_now;
      for (int unsigned o = 0; o < NumDirs; o++) sent_now[o] = gnt[o*NumQueues+q];
      sent_now = sent_now | sent_q[q*NumDirs +: NumDirs];
      q_pop[q] = sink_gnt[q] || (q_valid[q] && !q_sink[q] &&
                 ((sent_now & q_route[q*NumDirs +: NumDirs]) == q_route[q*NumDirs +: NumDirs]));
      sent_d[q*NumDirs +: NumDirs] = q_pop[q] ? '0 : sent_now;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Table writes, error status and the drop counter.
  logic [3:0]  err_q, err_d;
  logic [15:0] drops_q, drops_d;

  always_comb begin
    logic [3:0]  n_drop;
    logic [31:0] cfg_color;
    mode_d    = mode_q;
    rx_d      = rx_q;
    tx_d      = tx_q;
    err_d     = err_q;
    n_drop    = '0;
    cfg_color = 32'(sink_w.data[27:23]);
    if (sink_valid) begin
      unique case (sink_cause)
        CauseConfig: begin
          if (cfg_color < NumColors) begin
            mode_d[cfg_color*2 +: 2]             = sink_w.data[22:21];
            rx_d[cfg_color*NumDirs +: NumDirs]   = sink_w.data[9:5];
            tx_d[cfg_color*NumDirs +: NumDirs]   = sink_w.data[4:0];
          end else begin
            err_d[ErrUnconfigured] = 1'b1;
            n_drop                 = n_drop + 4'd1;
          end
        end
        CauseUnconfigured: begin
          err_d[ErrUnconfigured] = 1'b1;
          n_drop                 = n_drop + 4'd1;
        end
        CauseNoRoute: begin
          err_d[ErrNoRoute] = 1'b1;
          n_drop            = n_drop + 4'd1;
        end
        CauseOffEdge: begin
          err_d[ErrOffEdge] = 1'b1;
          n_drop            = n_drop + 4'd1;
        end
        default: ;
      endcase
    end
    for (int unsigned i = 0; i < NumDirs; i++) begin
      if (in_bad_color[i]) begin
        err_d[ErrUnconfigured] = 1'b1;
        n_drop                 = n_drop + 4'd1;
      end
      if (in_overflow[i]) begin
        err_d[ErrLink] = 1'b1;
        n_drop         = n_drop + 4'd1;
      end
    end
    if (|credit_err) err_d[ErrLink] = 1'b1;
    drops_d = (17'(drops_q) + 17'(n_drop) > 17'h0ffff) ? 16'hffff : drops_q + 16'(n_drop);
  end

  // ---------------------------------------------------------------------------------------------
  // Outputs. Neighbours: registered, then HopLatency more stages. Ramp: straight from the grant.
  logic [NumDirs-1:0]        out_valid_q;
  logic [NumDirs*WWidth-1:0] out_wavelet_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mode_q        <= '0;
      rx_q          <= '0;
      tx_q          <= '0;
      err_q         <= '0;
      drops_q       <= '0;
      sent_q        <= '0;
      wptr_q        <= '0;
      rptr_q        <= '0;
      cnt_q         <= '0;
      out_valid_q   <= '0;
      out_wavelet_q <= '0;
    end else begin
      mode_q        <= mode_d;
      rx_q          <= rx_d;
      tx_q          <= tx_d;
      err_q         <= err_d;
      drops_q       <= drops_d;
      sent_q        <= sent_d;
      wptr_q        <= wptr_d;
      rptr_q        <= rptr_d;
      cnt_q         <= cnt_d;
      out_valid_q   <= gnt_valid;
      out_wavelet_q <= gnt_wavelet;
    end
  end

  logic [NumDirs-1:0]        link_valid;
  logic [NumDirs*WWidth-1:0] link_wavelet;

  if (HopLatency == 0) begin : gen_no_delay
    assign link_valid   = out_valid_q;
    assign link_wavelet = out_wavelet_q;
  end else begin : gen_delay
    logic [HopLatency*NumDirs-1:0]        valid_q;
    logic [HopLatency*NumDirs*WWidth-1:0] wavelet_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        valid_q   <= '0;
        wavelet_q <= '0;
      end else begin
        // Stage 0 (lowest bits) takes the output register; the top stage drives the link.
        valid_q   <= (HopLatency*NumDirs)'({valid_q, out_valid_q});
        wavelet_q <= (HopLatency*NumDirs*WWidth)'({wavelet_q, out_wavelet_q});
      end
    end
    assign link_valid   = valid_q[(HopLatency-1)*NumDirs +: NumDirs];
    assign link_wavelet = wavelet_q[(HopLatency-1)*NumDirs*WWidth +: NumDirs*WWidth];
  end

  // Credits: a registered pulse per queue pop on neighbour inputs; ready levels on the ramp.
  logic [NumDirs*NumColors-1:0] credit_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) credit_q <= '0;
    else         credit_q <= q_pop;
  end

  always_comb begin
    in_credit_o                                          = credit_q;
    in_credit_o[wm_pkg::DirP*NumColors +: NumColors]     = ~q_full[wm_pkg::DirP*NumColors +:
                                                                   NumColors];
    out_valid_o                                          = link_valid;
    out_wavelet_o                                        = link_wavelet;
    out_valid_o[wm_pkg::DirP]                            = gnt_valid[wm_pkg::DirP];
    out_wavelet_o[wm_pkg::DirP*WWidth +: WWidth]         = gnt_wavelet[wm_pkg::DirP*WWidth +:
                                                                       WWidth];
  end

  assign err_o        = err_q;
  assign drop_count_o = drops_q;

endmodule

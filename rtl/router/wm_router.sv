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
  // Per-queue state and decisions are kept as bit planes, one NumQueues-wide word per bit:
  // queue q = input * NumColors + color, and bit b of a per-queue field sits at
  // [b*NumQueues + q]. Every step below is then a handful of word operations over all 40 queues
  // rather than a loop of single-bit ones, which Verilator turns into thousands of bit inserts
  // per router per cycle (the router was most of the composed simulator's run time). The
  // routing table is laid out to match: mode bit b of color c at [b*NumColors + c], receive set
  // bit d of color c at [d*NumColors + c] (queue q's own bit: its input and color), transmit set
  // bit d of color c at [d*NumColors + c] (replicated per input, a per-output plane).
  logic [2*NumColors-1:0]       mode_q, mode_d;
  logic [NumDirs*NumColors-1:0] rx_q, rx_d, tx_q, tx_d;

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
  // Input queues, one per (input, color). Each input keeps its colors' ring buffers in one
  // memory (one write port: an input takes one wavelet a cycle); pointers and counts are bit
  // planes (see above). No generate block per queue: Verilator emits the queue logic once per
  // router, which keeps a flattened 8 x 8 mesh compilable. Only reading the heads is per queue.
  localparam int unsigned PtrWidth  = (QueueDepth > 1) ? $clog2(QueueDepth) : 1;
  localparam int unsigned AddrWidth = (NumColors * QueueDepth > 1) ?
                                      $clog2(NumColors * QueueDepth) : 1;

  logic [NumQueues-1:0]          q_push, q_pop, q_valid, q_full, q_sink;
  logic [NumQueues*WWidth-1:0]   q_head;
  logic [NumDirs*NumQueues-1:0]  q_route;         // every output the head must reach
  logic [NumDirs*NumQueues-1:0]  q_want;          // route minus the copies already sent
  logic [NumDirs*NumQueues-1:0]  sent_q, sent_d;  // multicast progress: output d took a copy
  logic [PtrWidth*NumQueues-1:0] wptr_q, wptr_d, rptr_q, rptr_d;
  logic [CntWidth*NumQueues-1:0] cnt_q, cnt_d;

  // What each head's header says, from this tile's position: destination east (x_gt), west
  // (x_lt), south (y_gt), north (y_lt); and whether it is a configuration wavelet.
  logic [NumQueues-1:0] hd_x_gt, hd_x_lt, hd_y_gt, hd_y_lt, hd_cfg;

  // Per input: the arriving color is out of range, or hits a full queue (sender broke credits).
  logic [NumDirs-1:0] in_bad_color, in_overflow;

  for (genvar i = 0; i < NumDirs; i++) begin : gen_in
    logic [WWidth-1:0]           mem_q [NumColors*QueueDepth];
    logic [NumColors*WWidth-1:0] heads;
    logic [NumColors-1:0]        x_gt, x_lt, y_gt, y_lt, cfg;
    wm_pkg::color_t              in_color;
    logic [NumColors-1:0]        in_hit;  // one-hot color of the arriving wavelet, if any
    logic [PtrWidth-1:0]         wptr;
    logic [AddrWidth-1:0]        waddr;

    assign in_color        = in_wavelet_i[i*WWidth+ColorLsb +: wm_pkg::ColorWidth];
    // A color >= NumColors shifts out: no queue is hit, and the wavelet is dropped.
    assign in_hit          = in_valid_i[i] ? (NumColors'(1) << in_color) : '0;
    assign in_bad_color[i] = in_valid_i[i] && (32'(in_color) >= NumColors);
    assign q_push[i*NumColors +: NumColors] = in_hit & ~q_full[i*NumColors +: NumColors];
    // The ramp may hold a wavelet on a full queue (valid/ready); a neighbour may not.
    if (i == 32'(wm_pkg::DirP)) begin : gen_ramp
      assign in_overflow[i] = 1'b0;
    end else begin : gen_link
      assign in_overflow[i] = |(in_hit & q_full[i*NumColors +: NumColors]);
    end

    always_comb begin
      for (int unsigned b = 0; b < PtrWidth; b++) begin
        wptr[b] = |(in_hit & wptr_q[b*NumQueues + i*NumColors +: NumColors]);
      end
    end
    assign waddr = AddrWidth'((32'(in_color) % NumColors) * QueueDepth + 32'(wptr));

    // Storage has no reset: an entry is unobservable until written.
    always_ff @(posedge clk_i) begin
      if (q_push[i*NumColors +: NumColors] != '0) begin
        mem_q[waddr] <= in_wavelet_i[i*WWidth +: WWidth];
      end
    end

    // The heads and what their headers say. The table entry is fixed per queue (its color), so
    // only the header needs reading per head; the rest is word-wide below.
    always_comb begin
      for (int unsigned c = 0; c < NumColors; c++) begin
        logic [PtrWidth-1:0] rp;
        logic [WWidth-1:0]   head;
        wm_pkg::coord_t      dst_x, dst_y;
        for (int unsigned b = 0; b < PtrWidth; b++) begin
          rp[b] = rptr_q[b*NumQueues + i*NumColors + c];
        end
        head                      = mem_q[c*QueueDepth + 32'(rp)];
        heads[c*WWidth +: WWidth] = head;
        dst_x                     = head[DstXLsb +: wm_pkg::CoordWidth];
        dst_y                     = head[DstYLsb +: wm_pkg::CoordWidth];
        x_gt[c]                   = dst_x > x_i;
        x_lt[c]                   = dst_x < x_i;
        y_gt[c]                   = dst_y > y_i;
        y_lt[c]                   = dst_y < y_i;
        cfg[c]                    = head[CtrlBit] && (head[31:28] == CfgOpcode);
      end
    end
    assign q_head[i*NumColors*WWidth +: NumColors*WWidth] = heads;
    assign hd_x_gt[i*NumColors +: NumColors] = x_gt;
    assign hd_x_lt[i*NumColors +: NumColors] = x_lt;
    assign hd_y_gt[i*NumColors +: NumColors] = y_gt;
    assign hd_y_lt[i*NumColors +: NumColors] = y_lt;
    assign hd_cfg[i*NumColors +: NumColors]  = cfg;
  end

  // Valid and full from the count planes: != 0 and == QueueDepth.
  always_comb begin
    q_valid = '0;
    q_full  = '1;
    for (int unsigned b = 0; b < CntWidth; b++) begin
      q_valid = q_valid | cnt_q[b*NumQueues +: NumQueues];
      q_full  = q_full & ((((QueueDepth >> b) & 1) != 0) ? cnt_q[b*NumQueues +: NumQueues] :
                                                           ~cnt_q[b*NumQueues +: NumQueues]);
    end
  end

  // Counts move by push - pop, pointers by one (back to 0 after QueueDepth - 1): ripple carry
  // and borrow across the planes.
  always_comb begin
    logic [NumQueues-1:0] up, down, wcarry, rcarry, wwrap, rwrap;
    up   = q_push & ~q_pop;
    down = q_pop & ~q_push;
    for (int unsigned b = 0; b < CntWidth; b++) begin
      logic [NumQueues-1:0] c;
      c                               = cnt_q[b*NumQueues +: NumQueues];
      cnt_d[b*NumQueues +: NumQueues] = c ^ (up | down);
      up                              = up & c;
      down                            = down & ~c;
    end
    wcarry = q_push;
    rcarry = q_pop;
    wwrap  = q_push;
    rwrap  = q_pop;
    for (int unsigned b = 0; b < PtrWidth; b++) begin
      logic [NumQueues-1:0] wp, rp;
      wp = wptr_q[b*NumQueues +: NumQueues];
      rp = rptr_q[b*NumQueues +: NumQueues];
      if ((((QueueDepth - 1) >> b) & 1) != 0) begin
        wwrap = wwrap & wp;
        rwrap = rwrap & rp;
      end else begin
        wwrap = wwrap & ~wp;
        rwrap = rwrap & ~rp;
      end
      wptr_d[b*NumQueues +: NumQueues] = wp ^ wcarry;
      rptr_d[b*NumQueues +: NumQueues] = rp ^ rcarry;
      wcarry                           = wcarry & wp;
      rcarry                           = rcarry & rp;
    end
    for (int unsigned b = 0; b < PtrWidth; b++) begin
      wptr_d[b*NumQueues +: NumQueues] = wptr_d[b*NumQueues +: NumQueues] & ~wwrap;
      rptr_d[b*NumQueues +: NumQueues] = rptr_d[b*NumQueues +: NumQueues] & ~rwrap;
    end
  end

  // Route of every head. Exactly one of these holds for each queue: it routes by its header
  // (configuration wavelets and addressed colors) or by its color's transmit set (static), or
  // it is sunk for one cause; a route off the edge turns into a sink as well.
  logic [NumQueues-1:0] q_config, q_unconfigured, q_no_route, q_off_edge;

  // The colors whose table entry has mode m.
  function automatic logic [NumColors-1:0] mode_is(input logic [2*NumColors-1:0] planes,
                                                   input logic [1:0]             m);
    mode_is = '1;
    for (int unsigned b = 0; b < 2; b++) begin
      mode_is = mode_is & (m[b] ? planes[b*NumColors +: NumColors] :
                                  ~planes[b*NumColors +: NumColors]);
    end
  endfunction

  always_comb begin
    logic [NumColors-1:0]         static_c, addressed_c, tx_any_c;
    logic [NumQueues-1:0]         by_header, by_table, is_static, x_eq;
    logic [NumDirs*NumQueues-1:0] xy;
    static_c    = mode_is(mode_q, ModeStatic);
    addressed_c = mode_is(mode_q, ModeAddressed);
    tx_any_c    = '0;
    for (int unsigned d = 0; d < NumDirs; d++) begin
      tx_any_c = tx_any_c | tx_q[d*NumColors +: NumColors];
    end
    is_static = {NumDirs{static_c}};

    // Dimension-ordered: X first, then Y, then the ramp.
    x_eq                                    = ~(hd_x_gt | hd_x_lt);
    xy                                      = '0;
    xy[wm_pkg::DirE*NumQueues +: NumQueues] = hd_x_gt;
    xy[wm_pkg::DirW*NumQueues +: NumQueues] = hd_x_lt;
    xy[wm_pkg::DirS*NumQueues +: NumQueues] = x_eq & hd_y_gt;
    xy[wm_pkg::DirN*NumQueues +: NumQueues] = x_eq & hd_y_lt;
    xy[wm_pkg::DirP*NumQueues +: NumQueues] = x_eq & ~(hd_y_gt | hd_y_lt);

    by_header      = hd_cfg | {NumDirs{addressed_c}};
    q_config       = hd_cfg & xy[wm_pkg::DirP*NumQueues +: NumQueues];
    by_table       = ~by_header & is_static & rx_q & {NumDirs{tx_any_c}};
    q_no_route     = ~by_header & is_static & ~by_table;
    q_unconfigured = ~by_header & ~is_static;
    by_header      = by_header & ~q_config;

    q_off_edge = '0;
    for (int unsigned d = 0; d < NumDirs; d++) begin
      q_route[d*NumQueues +: NumQueues] = (by_header & xy[d*NumQueues +: NumQueues]) |
                                          (by_table & {NumDirs{tx_q[d*NumColors +: NumColors]}});
      q_off_edge = q_off_edge | (q_route[d*NumQueues +: NumQueues] & {NumQueues{off_edge[d]}});
    end
    for (int unsigned d = 0; d < NumDirs; d++) begin
      q_route[d*NumQueues +: NumQueues] = q_route[d*NumQueues +: NumQueues] & ~q_off_edge;
      q_want[d*NumQueues +: NumQueues]  = q_valid & q_route[d*NumQueues +: NumQueues] &
                                          ~sent_q[d*NumQueues +: NumQueues];
    end
  end

  assign q_sink = q_valid & (q_config | q_unconfigured | q_no_route | q_off_edge);
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

  for (genvar o = 0; o < NumDirs; o++) begin : gen_out
    // Queue q's color is q % NumColors: the output's per-color credits, once per input.
    assign req[o*NumQueues +: NumQueues] = q_want[o*NumQueues +: NumQueues] &
                                           {NumDirs{credit_ok[o*NumColors +: NumColors]}};

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
        for (int unsigned i = 0; i < NumDirs; i++) begin
          gnt_color = gnt_color | gnt[o*NumQueues + i*NumColors +: NumColors];
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
  assign unused_sink_header = sink_w[WWidth-1:wm_pkg::DataWidth];

  // The causes exclude each other (see the route above): the order of the tests is immaterial.
  always_comb begin
    if (q_off_edge[sink_idx])          sink_cause = CauseOffEdge;
    else if (q_no_route[sink_idx])     sink_cause = CauseNoRoute;
    else if (q_unconfigured[sink_idx]) sink_cause = CauseUnconfigured;
    else if (q_config[sink_idx])       sink_cause = CauseConfig;
    else                               sink_cause = CauseRoute;
  end

  // Queue pops and multicast progress: a head leaves once every output of its route took a copy.
  always_comb begin
    logic [NumQueues-1:0] all_sent;
    all_sent = '1;
    for (int unsigned o = 0; o < NumDirs; o++) begin
      all_sent = all_sent & (gnt[o*NumQueues +: NumQueues] | sent_q[o*NumQueues +: NumQueues] |
                             ~q_route[o*NumQueues +: NumQueues]);
    end
    q_pop = sink_gnt | (q_valid & ~q_sink & all_sent);
    for (int unsigned o = 0; o < NumDirs; o++) begin
      sent_d[o*NumQueues +: NumQueues] = (gnt[o*NumQueues +: NumQueues] |
                                          sent_q[o*NumQueues +: NumQueues]) & ~q_pop;
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
            for (int unsigned b = 0; b < 2; b++) begin
              mode_d[b*NumColors + cfg_color] = sink_w.data[21+b];
            end
            for (int unsigned d = 0; d < NumDirs; d++) begin
              rx_d[d*NumColors + cfg_color] = sink_w.data[5+d];
              tx_d[d*NumColors + cfg_color] = sink_w.data[d];
            end
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

// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
/// Types shared by every wafermesh block: the wavelet, colors, mesh coordinates and the
/// direction enum that indexes every router port array.
///
/// Yosys 0.23 (our synthesis check) cannot `import` a package into a module, so RTL names
/// package items with the `wm_pkg::` prefix; see docs/architecture.md, "RTL subset".
package wm_pkg;

  /// Payload bits of one wavelet (the Cerebras wavelet is one 32-bit word).
  parameter int unsigned DataWidth = 32;
  /// Largest number of colors (virtual channels) a router can be built with.
  parameter int unsigned MaxColors = 24;
  /// Bits of a color id: enough for MaxColors.
  parameter int unsigned ColorWidth = 5;
  /// Bits of one mesh coordinate: meshes up to 32 x 32.
  parameter int unsigned CoordWidth = 5;

  typedef logic [DataWidth-1:0]  data_t;
  typedef logic [ColorWidth-1:0] color_t;
  typedef logic [CoordWidth-1:0] coord_t;

  /// One wavelet: what crosses a link in one cycle. `dst_x`/`dst_y` form the header that
  /// addressed colors route on (dimension-ordered, X first); static colors ignore them.
  /// `ctrl` marks a control wavelet (router configuration, task activation) rather than data.
  typedef struct packed {
    logic   ctrl;
    coord_t dst_x;
    coord_t dst_y;
    color_t color;
    data_t  data;
  } wavelet_t;

  /// Bits of a wavelet_t (spelled out: Yosys 0.23 has no $bits of a type).
  parameter int unsigned WaveletWidth = 1 + 2 * CoordWidth + ColorWidth + DataWidth;

  /// Router ports, in BaseJump order: the ramp to the PE first, then the four neighbours.
  /// Every per-port array in wafermesh is indexed by this enum.
  typedef enum logic [2:0] {
    DirP = 3'd0,  // ramp: to and from the local PE
    DirW = 3'd1,
    DirE = 3'd2,
    DirN = 3'd3,
    DirS = 3'd4
  } dir_e;

  parameter int unsigned NumDirs = 5;

  /// A set of ports (receive or transmit set of a route), one bit per dir_e.
  typedef logic [NumDirs-1:0] dir_set_t;

endpackage

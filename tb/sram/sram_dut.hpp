// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Moves SramInputs onto a Verilated wm_sram_bank and its grants and outputs back into the
// model's structs, so tests compare like with like. Templated on the model type: each
// parameter set is its own Verilated class.

#include <cstdint>

#include <wm/harness/port_bits.hpp>
#include "sram_model.hpp"

namespace wm::tb::sram {

using wm::harness::get_bits;
using wm::harness::set_bits;

template <class Dut>
void drive(Dut& dut, const SramConfig& cfg, const SramInputs& in) {
  for (unsigned p = 0; p < cfg.num_read_ports; ++p) {
    set_bits(dut.rd_req_i, p, 1, in.rd_req[p]);
    set_bits(dut.rd_addr_i, p * cfg.addr_width, cfg.addr_width, in.rd_addr[p]);
  }
  dut.wr_req_i = in.wr_req;
  dut.wr_addr_i = in.wr_addr;
  dut.wr_data_i = in.wr_data;
  dut.err_clear_i = in.err_clear;
  dut.ecc_cnt_clear_i = in.ecc_cnt_clear;
  dut.inj_req_i = in.inj_req;
  dut.inj_addr_i = in.inj_addr;
  set_bits(dut.inj_mask_i, 0, cfg.stored_bits(), in.inj_mask);
}

template <class Dut>
SramGrants sample_grants(const Dut& dut, const SramConfig& cfg) {
  SramGrants g;
  for (unsigned p = 0; p < cfg.num_read_ports; ++p) g.rd[p] = get_bits(dut.rd_gnt_o, p, 1);
  g.wr = dut.wr_gnt_o;
  g.inj = dut.inj_gnt_o;
  return g;
}

template <class Dut>
SramOutputs sample_outputs(const Dut& dut, const SramConfig& cfg) {
  SramOutputs o;
  for (unsigned p = 0; p < cfg.num_read_ports; ++p) {
    o.rd_valid[p] = get_bits(dut.rd_valid_o, p, 1);
    o.rd_data[p] = static_cast<std::uint32_t>(get_bits(dut.rd_data_o, p * 32, 32));
    o.rd_err[p] = get_bits(dut.rd_err_o, p, 1);
    o.rd_ecc_corr[p] = get_bits(dut.rd_ecc_corr_o, p, 1);
    o.rd_ecc_uncorr[p] = get_bits(dut.rd_ecc_uncorr_o, p, 1);
  }
  o.wr_err = dut.wr_err_o;
  o.err = dut.err_o;
  o.ecc_corr_cnt = dut.ecc_corr_cnt_o;
  o.ecc_uncorr_cnt = dut.ecc_uncorr_cnt_o;
  return o;
}

}  // namespace wm::tb::sram

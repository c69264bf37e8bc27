// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Random programs that obey the race rules of docs/isa.md section 5 (wm::sw::ref::
// random_program) end in the same state whether the engines complete as early (eager) or as
// late (lazy) as possible: the property the RTL lock-step tests rely on.
#include <boost/test/unit_test.hpp>

#include "ref_fixture.hpp"
#include "wm/sw/ref/random_program.hpp"

using namespace wm::tb::sw_ref;

BOOST_AUTO_TEST_CASE(race_free_programs_do_not_depend_on_engine_timing) {
  std::uint64_t instructions = 0;
  unsigned notified = 0;
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    const std::string src = ref::random_program(seed);
    BOOST_TEST_REQUIRE(src == ref::random_program(seed));  // a pure function of the seed
    ref::ArchState states[2];
    int k = 0;
    for (const auto timing : {ref::EngineTiming::eager, ref::EngineTiming::lazy}) {
      ref::Config cfg;
      cfg.timing = timing;
      ref::Pe pe = boot(src, cfg);
      BOOST_TEST_REQUIRE((pe.run() == ref::RunEnd::idle), "seed " << seed << ":\n" << src);
      states[k] = pe.state();
      // Which notified task ran last (its r13, its exit pc) is timing by design.
      states[k].regs[13] = 0;
      states[k].pc = 0;
      ++k;
      instructions += pe.instructions();
      for (unsigned t = 1; t < 16; ++t) notified += pe.read_mem(ref::kRandomLog + t) != 0;
    }
    const auto d = states[0].diff(states[1]);
    BOOST_TEST_REQUIRE(!d, "seed " << seed << ": eager vs lazy differ at " << *d << "\n" << src);
  }
  BOOST_TEST(instructions > 20000u);
  BOOST_TEST(notified > 300u);  // the notify path is exercised
}

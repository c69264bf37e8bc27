// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Semantics of each trigger and of tasks, checked against a small real design
// (tb/harness/wm_nonsynth_harness_dut.sv). Every check would fail if the scheduler got the
// phase order, the timing or the wake-up wrong.
#include <Vwm_nonsynth_harness_dut.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <wm/harness/harness.hpp>

namespace {
// Counts every heap allocation of this executable, so a test can prove that waiting does not
// allocate in the steady state.
std::atomic<std::size_t> g_allocations{0};
}  // namespace

// The replacements pair malloc with free; GCC sees the inlined std::allocator call sites and
// wrongly reports a new/free mismatch there.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace wm::harness;

WM_TEST_DUT(Vwm_nonsynth_harness_dut);

namespace {
using Dut = Vwm_nonsynth_harness_dut;

Task<> reset(Dut& dut) {
  dut.rst_ni = 0;
  dut.en_i = 0;
  co_await ClockCycles(dut.clk_i, 2);
  dut.rst_ni = 1;
}

Task<int> answer_after(Dut& dut, int cycles, int value) {
  co_await ClockCycles(dut.clk_i, cycles);
  co_return value;
}

Task<> throw_after(Dut& dut, int cycles) {
  co_await ClockCycles(dut.clk_i, cycles);
  throw std::runtime_error("boom");
}
}  // namespace

WM_TEST(clock_cycles_count_edges) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  dut.en_i = 1;
  co_await ClockCycles(dut.clk_i, 100);
  co_await ReadOnly();
  check(dut.count_o == 100, "count_o {} after 100 enabled cycles", dut.count_o);
  // Edges at 0 (the clock starts high), 10 (reset), then 20 .. 1010.
  check(sim_time_ns() == 1010, "time {} ns", sim_time_ns());
  co_await ClockCycles(dut.clk_i, 3, /*rising=*/false);
  check(sim_time_ns() == 1035, "3 falling edges later: {} ns", sim_time_ns());
}

WM_TEST(read_only_sees_settled_values) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  dut.en_i = 1;
  for (unsigned i = 0; i < 50; ++i) {
    co_await RisingEdge(dut.clk_i);
    std::uint8_t before = dut.sum_o;
    dut.a_i = static_cast<std::uint8_t>(i * 7);
    dut.b_i = static_cast<std::uint8_t>(i * 3 + 1);
    // Not evaluated yet: the combinational output still shows the old inputs.
    check(dut.sum_o == before, "sum_o moved before any evaluation");
    double t = sim_time_ns();
    co_await ReadOnly();
    check(sim_time_ns() == t, "ReadOnly left the time step: {} -> {}", t, sim_time_ns());
    check(dut.sum_o == static_cast<std::uint8_t>(i * 10 + 1), "sum_o {} in ReadOnly (i={})",
          dut.sum_o, i);
    check(dut.count_o == i + 1, "count_o {} after edge {}", dut.count_o, i + 1);
  }
}

WM_TEST(read_write_lands_in_same_time_step) {
  co_await Timer(3, Unit::ns);
  co_await ReadWrite();
  dut.a_i = 20;
  dut.b_i = 22;
  co_await ReadOnly();
  check(sim_time_ns() == 3, "ReadWrite/ReadOnly moved time to {} ns", sim_time_ns());
  check(dut.sum_o == 42, "write in ReadWrite not evaluated in the same step: sum_o {}", dut.sum_o);
  bool threw = false;
  try {
    co_await ReadWrite();
  } catch (const SchedulerError&) {
    threw = true;
  }
  check(threw, "ReadWrite in the ReadOnly phase must throw");
  threw = false;
  try {
    co_await ReadOnly();
  } catch (const SchedulerError&) {
    threw = true;
  }
  check(threw, "ReadOnly in the ReadOnly phase must throw");
}

WM_TEST(falling_edge_and_timer_times) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await FallingEdge(dut.clk_i);
  check(sim_time_ns() == 5, "first falling edge at {} ns, expected 5", sim_time_ns());
  co_await RisingEdge(dut.clk_i);
  check(sim_time_ns() == 10, "rising edge at {} ns, expected 10", sim_time_ns());
  co_await Timer(7, Unit::ns);
  check(sim_time_ns() == 17, "Timer(7 ns) -> {}", sim_time_ns());
  co_await Timer(2500, Unit::ps);
  check(sim_time_ns() == 19.5, "Timer(2500 ps) -> {}", sim_time_ns());
  co_await Timer(0.5, Unit::ns);
  co_await Timer(1, Unit::us);
  check(sim_time_ns() == 1020, "Timer(1 us) -> {}", sim_time_ns());
  co_await Timer(2000, Unit::fs);
  check(sim_time_ns() == 1020.002, "Timer(2000 fs) -> {}", sim_time_ns());
  co_await FallingEdge(dut.clk_i);
  check(sim_time_ns() == 1025, "falling edge at {}", sim_time_ns());
  co_await NextTimeStep();
  check(sim_time_ns() == 1030, "NextTimeStep went to {} (next clock edge is 1030)",
        sim_time_ns());
  bool threw = false;
  try {
    Timer bad(1.5, Unit::fs);
  } catch (const std::invalid_argument&) {
    threw = true;
  }
  check(threw, "a Timer below the 1 ps precision must throw");
}

WM_TEST(value_change_on_every_width) {
  start_soon([](Dut& d) -> Task<> {
    co_await Timer(3, Unit::ns);
    d.wide_i = std::uint64_t{1} << 40;
    co_await Timer(2, Unit::ns);
    d.a_i = 1;
  }(dut));
  co_await ValueChange(dut.wide_o);  // QData output, follows wide_i combinationally
  check(sim_time_ns() == 3, "wide_o changed at {} ns", sim_time_ns());
  check(dut.wide_o == (std::uint64_t{1} << 40) + 1, "wide_o {:#x}", dut.wide_o);
  co_await ValueChange(dut.sum_o);  // CData
  check(sim_time_ns() == 5 && dut.sum_o == 1, "sum_o {} at {} ns", dut.sum_o, sim_time_ns());

  Clock clk(dut.clk_i, 2, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  dut.en_i = 1;
  co_await ValueChange(dut.count_o);  // SData
  co_await ValueChange(dut.cycles_o);  // IData
  co_await ReadOnly();
  // The first ValueChange resumed on the edge that made count_o 1 (and cycles_o 1); the
  // second waits for the next change of cycles_o: the next edge.
  check(dut.count_o == 2 && dut.cycles_o == 2, "count_o {} cycles_o {}", dut.count_o,
        dut.cycles_o);
  co_await RisingEdge(dut.odd_o);  // an output, not a clock: bit 0 of count
  co_await ReadOnly();
  check(dut.count_o == 3, "odd_o rose with count_o {}", dut.count_o);
  co_await FallingEdge(dut.odd_o);
  co_await ReadOnly();
  check(dut.count_o == 4, "odd_o fell with count_o {}", dut.count_o);
}

WM_TEST(first_tells_which_fired) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await RisingEdge(dut.clk_i);  // t = 0
  std::size_t i = co_await First(Timer(20, Unit::ns), RisingEdge(dut.clk_i));
  check(i == 1 && sim_time_ns() == 10, "First -> {} at {} ns", i, sim_time_ns());
  i = co_await First(ClockCycles(dut.clk_i, 5), Timer(3, Unit::ns));
  check(i == 1 && sim_time_ns() == 13, "First -> {} at {} ns", i, sim_time_ns());
  i = co_await First(ClockCycles(dut.clk_i, 2), Timer(300, Unit::ns));
  check(i == 0 && sim_time_ns() == 30, "First -> {} at {} ns", i, sim_time_ns());
  // A task handle fires when the task ends.
  auto h = start_soon(answer_after(dut, 3, 7));
  i = co_await First(Timer(1, Unit::us), h);
  check(i == 1 && sim_time_ns() == 60, "First(task) -> {} at {} ns", i, sim_time_ns());
  check(h.result() == 7, "task result {}", h.result());
  // The losing Timer(300 ns) above was disarmed: nothing wakes us at 330 ns.
  co_await Timer(400, Unit::ns);
  check(sim_time_ns() == 460, "time {}", sim_time_ns());
}

WM_TEST(combine_waits_for_all) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await Combine(Timer(5, Unit::ns), Timer(30, Unit::ns), ClockCycles(dut.clk_i, 2));
  check(sim_time_ns() == 30, "Combine resumed at {} ns, expected 30", sim_time_ns());
  // Resumed by the Timer at 30 ns, in the timed region before the design evaluates the clock
  // edge of that same step, so that edge counts: 30, 40, 50, 60 (as in cocotb).
  co_await Combine(Timer(1, Unit::ns), ClockCycles(dut.clk_i, 4));
  check(sim_time_ns() == 60, "Combine resumed at {} ns, expected 60", sim_time_ns());
}

WM_TEST(cancel_stops_a_task) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  int ticks = 0;
  auto counter = start_soon([](Dut& d, int& n) -> Task<> {
    for (;;) {
      co_await RisingEdge(d.clk_i);
      ++n;
    }
  }(dut, ticks));
  co_await ClockCycles(dut.clk_i, 5);
  co_await ReadOnly();
  check(ticks == 5, "counter saw {} edges, expected 5", ticks);
  counter.cancel();
  check(counter.done() && counter.cancelled(), "cancelled task not done");
  co_await ClockCycles(dut.clk_i, 10);
  check(ticks == 5, "a cancelled task kept running: {} edges", ticks);
  bool threw = false;
  try {
    co_await counter;
  } catch (const TaskCancelled&) {
    threw = true;
  }
  check(threw, "awaiting a cancelled task must throw TaskCancelled");

  // Cancelling the clock's task stops the clock.
  auto clk2_signal_task = start_soon(Clock(dut.a_i, 4, Unit::ns).start());
  co_await Timer(9, Unit::ns);
  clk2_signal_task.cancel();
  std::uint8_t frozen = dut.a_i;
  co_await Timer(20, Unit::ns);
  check(dut.a_i == frozen, "stopped clock still toggles");
}

WM_TEST(with_timeout_throws) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  bool threw = false;
  try {
    co_await with_timeout(RisingEdge(dut.en_i), 50, Unit::ns);  // en_i never moves
  } catch (const SimTimeoutError&) {
    threw = true;
  }
  check(threw && sim_time_ns() == 50, "with_timeout threw={} at {} ns", threw, sim_time_ns());

  int v = co_await with_timeout(answer_after(dut, 2, 9), 100, Unit::ns);
  check(v == 9 && sim_time_ns() == 70, "with_timeout(task) -> {} at {}", v, sim_time_ns());

  auto slow = start_soon(answer_after(dut, 100, 1));
  threw = false;
  try {
    co_await with_timeout(slow, 30, Unit::ns);
  } catch (const SimTimeoutError&) {
    threw = true;
  }
  check(threw && slow.cancelled(), "slow task: threw={} cancelled={}", threw, slow.cancelled());
}

WM_TEST(tasks_return_values_and_errors) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  auto a = start_soon(answer_after(dut, 3, 42));
  auto b = start_soon(answer_after(dut, 1, 5));
  int x = co_await a;
  int y = co_await b;  // already finished: returns at once
  check(x == 42 && y == 5, "results {} {}", x, y);
  // `a` armed its edge count after the clock task had already driven the clock high, so the
  // edge at 0 is not an edge for it (cocotb's Verilator value callbacks behave the same).
  check(sim_time_ns() == 30, "joined at {} ns", sim_time_ns());
  bool caught = false;
  try {
    co_await throw_after(dut, 1);  // child coroutine: the error reaches the caller
  } catch (const std::runtime_error& e) {
    caught = std::string(e.what()) == "boom";
  }
  check(caught, "child error not propagated");
  auto c = start_soon(throw_after(dut, 1));
  caught = false;
  try {
    co_await c;  // started task: the error reaches the joiner
  } catch (const std::runtime_error&) {
    caught = true;
  }
  check(caught, "task error not propagated to its joiner");
}

WM_TEST(event_wakes_every_waiter_in_the_same_step) {
  Event ev;
  int woken = 0;
  double at[2] = {-1, -1};
  for (int k = 0; k < 2; ++k) {
    start_soon([](Event& e, int& n, double& t) -> Task<> {
      co_await e.wait();
      ++n;
      t = sim_time_ns();
    }(ev, woken, at[k]));
  }
  co_await Timer(12, Unit::ns);
  check(woken == 0, "woken before set");
  ev.set();
  check(woken == 0, "set() must not resume waiters inside the setter");
  co_await Timer(1, Unit::ns);
  check(woken == 2 && at[0] == 12 && at[1] == 12, "woken {} at {} / {}", woken, at[0], at[1]);
  co_await ev.wait();  // already set: returns at once
  check(sim_time_ns() == 13, "wait on a set event blocked");
  ev.clear();
  std::size_t i = co_await First(ev.wait(), Timer(5, Unit::ns));
  check(i == 1, "cleared event fired");
}

WM_TEST(lock_is_exclusive_and_fair) {
  Lock lock;
  int inside = 0;
  std::vector<int> order;
  std::vector<TaskHandle<>> hs;
  for (int k = 0; k < 3; ++k) {
    hs.push_back(start_soon([](Lock& l, int& in, std::vector<int>& ord, int id) -> Task<> {
      co_await l.acquire();
      check(++in == 1, "two holders of one lock");
      ord.push_back(id);
      co_await Timer(10, Unit::ns);
      --in;
      l.release();
    }(lock, inside, order, k)));
  }
  for (auto& h : hs) co_await h;
  check(order == std::vector<int>({0, 1, 2}), "lock order {} {} {}", order.at(0), order.at(1),
        order.at(2));
  check(sim_time_ns() == 30 && !lock.locked(), "three holders took {} ns", sim_time_ns());
}

WM_TEST(queue_keeps_order_and_blocks_when_full) {
  Queue<int> q(2);
  std::size_t max_size = 0;
  auto producer = start_soon([](Queue<int>& qq, std::size_t& mx) -> Task<> {
    for (int k = 0; k < 20; ++k) {
      co_await qq.put(k);
      mx = std::max(mx, qq.size());
    }
  }(q, max_size));
  for (int k = 0; k < 20; ++k) {
    co_await Timer(3, Unit::ns);
    int v = co_await q.get();
    check(v == k, "got {} expected {}", v, k);
  }
  co_await producer;
  check(max_size == 2, "queue of maxsize 2 held {}", max_size);
  check(q.empty(), "queue not empty");
  bool threw = false;
  try {
    q.get_nowait();
  } catch (const QueueEmpty&) {
    threw = true;
  }
  check(threw, "get_nowait on empty queue");
}

WM_TEST(stimulus_digest) {
  // Drives seeded random stimulus and logs a digest of the design's responses; the CLI test
  // runs this with equal and different seeds and compares the digests.
  Clock clk(dut.clk_i, 2, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  std::uint64_t digest = 0xcbf29ce484222325ULL;
  for (int k = 0; k < 200; ++k) {
    dut.a_i = static_cast<std::uint8_t>(random()());
    dut.b_i = static_cast<std::uint8_t>(random()());
    dut.en_i = random()() & 1;
    co_await RisingEdge(dut.clk_i);
    co_await ReadOnly();
    digest = (digest ^ dut.sum_o ^ (std::uint64_t{dut.count_o} << 8)) * 0x100000001b3ULL;
  }
  log().info("stimulus digest {:016x} seed {}", digest, seed());
}

WM_TEST_WITH(skipped_by_option, .skip = true) {
  fail("a skipped test ran");
  co_return;
}

WM_TEST(skip_at_run_time) {
  co_await Timer(1, Unit::ns);
  skip("nothing to do at {} ns", sim_time_ns());
}

WM_TEST_WITH(expected_failure_counts_as_pass, .expect_fail = true) {
  co_await Timer(1, Unit::ns);
  check(dut.sum_o == 1, "sum_o is {}, not 1, as intended", dut.sum_o);
}

namespace {
Task<int> add_one(Dut& dut) {
  co_await ReadWrite();
  co_return dut.sum_o + 1;
}
}  // namespace

WM_TEST(steady_state_waits_do_not_allocate) {
  start_soon(Clock(dut.clk_i, 10, Unit::ns).start());
  co_await reset(dut);
  dut.en_i = 1;
  std::size_t before = 0;
  int acc = 0;
  for (int k = 0; k < 1100; ++k) {
    if (k == 100) before = g_allocations.load();  // after the pools and watch lists warmed up
    co_await RisingEdge(dut.clk_i);
    dut.a_i = static_cast<std::uint8_t>(k);
    acc += co_await add_one(dut);  // a child coroutine frame every cycle (pooled)
    std::size_t i = co_await First(FallingEdge(dut.clk_i), Timer(100, Unit::ns));
    co_await Combine(ClockCycles(dut.clk_i, 1), Timer(1, Unit::ns));
    co_await ReadOnly();
    check(i == 0 && dut.sum_o == static_cast<std::uint8_t>(k), "cycle {}: First {} sum_o {}", k,
          i, dut.sum_o);
  }
  std::size_t during = g_allocations.load() - before;
  check(during == 0, "{} heap allocations in 1000 cycles of waiting", during);
  check(acc != 0, "child results unused");
}

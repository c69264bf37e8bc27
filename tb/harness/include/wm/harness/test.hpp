// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Test registration and the per-test run: a fresh VerilatedContext and model for every test.
//
//   WM_TEST_DUT(Vwm_fifo);            // once per executable: the Verilated model type
//   WM_TEST(fifo_keeps_order) { ... } // a coroutine; `dut` is the model
//   WM_TEST_WITH(long_one, .sim_time_limit_ns = 5e6) { ... }

#include <verilated.h>
#include <verilated_fst_c.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "wm/harness/context.hpp"
#include "wm/harness/registry.hpp"
#include "wm/harness/scheduler.hpp"
#include "wm/harness/task.hpp"

namespace wm::harness {

/// Base of every WM_TEST: the model as `dut`, and the per-test services as members (members
/// win name lookup over the C library's random()).
template <class Model>
class TestBody {
 public:
  explicit TestBody(Model& d) : dut(d) {}

 protected:
  Model& dut;
  static std::uint64_t seed() { return TestContext::current().seed(); }
  static std::mt19937_64& random() { return TestContext::current().random(); }
  static const Logger& log() { return TestContext::current().log(); }
  static double sim_time_ns() { return ::wm::harness::sim_time_ns(); }
};

namespace detail {
template <class Model>
struct ModelRun {
  Model* model;
  VerilatedContext* context;
  VerilatedFstC* fst;
  // Verilator counts time in the design's precision; the harness in picoseconds.
  std::uint64_t mul;
  std::uint64_t div;

  static void eval(void* p) { static_cast<ModelRun*>(p)->model->eval(); }
  static void set_time(void* p, SimTime ps) {
    auto* r = static_cast<ModelRun*>(p);
    r->context->time(r->div == 1 ? ps * r->mul : ps * r->mul / r->div);
  }
  static void dump(void* p, SimTime ps) {
    auto* r = static_cast<ModelRun*>(p);
    r->fst->dump(ps * r->mul / r->div);
  }
  static bool finished(void* p) { return static_cast<ModelRun*>(p)->context->gotFinish(); }
};
// Wave dumping, instantiated only for models built with TRACE (others lack the FST symbols).
template <class Model, bool Traceable>
class Waves {
 public:
  bool open(Model&, VerilatedContext&, const RunEnv& env, ModelHooks&, ModelRun<Model>&) {
    env.reg_log.warning(
        "waves requested, but this model was built without TRACE (wm_verilated_model(... "
        "TRACE)); no wave file");
    return false;
  }
  void close() {}
};

template <class Model>
class Waves<Model, true> {
 public:
  bool open(Model& model, VerilatedContext& vctx, const RunEnv& env, ModelHooks& hooks,
            ModelRun<Model>& run) {
    (void)vctx;
    fst_ = std::make_unique<VerilatedFstC>();
    model.trace(fst_.get(), 99);
    std::filesystem::create_directories(env.wave_file.parent_path());
    fst_->open(env.wave_file.c_str());
    run.fst = fst_.get();
    hooks.dump = &ModelRun<Model>::dump;
    env.reg_log.info("waves: {}", env.wave_file.string());
    return true;
  }
  void close() {
    if (fst_) fst_->close();
  }

 private:
  std::unique_ptr<VerilatedFstC> fst_;
};
}  // namespace detail

template <class Model, class Fixture>
std::exception_ptr run_model_test(const RunEnv& env) {
  constexpr bool kTraceable = requires(Model& m, VerilatedFstC* t) { m.trace(t, 99); };
  VerilatedContext vctx;
  vctx.randSeed(static_cast<int>(env.context.seed() & 0x7fffffff));
  if (env.waves && kTraceable) vctx.traceEverOn(true);
  auto model = std::make_unique<Model>(&vctx, "TOP");

  detail::ModelRun<Model> run{model.get(), &vctx, nullptr, 1, 1};
  int precision = vctx.timeprecision();  // e.g. -12 for 1ps
  for (int p = precision; p < -12; ++p) run.mul *= 10;
  for (int p = precision; p > -12; --p) run.div *= 10;

  ModelHooks hooks{&run, &detail::ModelRun<Model>::eval, &detail::ModelRun<Model>::set_time,
                   nullptr, &detail::ModelRun<Model>::finished};
  detail::Waves<Model, kTraceable> waves;
  if (env.waves) waves.open(*model, vctx, env, hooks, run);

  std::exception_ptr err;
  {
    Fixture fixture(*model);
    Scheduler sched(hooks, env.check_read_only);
    err = sched.run(fixture.body(), env.sim_time_limit);
    *env.end_time = sched.now();
  }
  model->final();
  waves.close();
  return err;
}

}  // namespace wm::harness

#define WM_TEST_DUT(Model) using wm_harness_dut_type = Model

#define WM_TEST_WITH(name, ...)                                                              \
  namespace {                                                                                \
  struct wm_test_##name : ::wm::harness::TestBody<wm_harness_dut_type> {                     \
    using TestBody::TestBody;                                                                \
    ::wm::harness::Task<> body();                                                            \
  };                                                                                         \
  const ::wm::harness::Registration wm_registration_##name(                                  \
      #name, __FILE__, __LINE__, ::wm::harness::TestOptions{__VA_ARGS__},                    \
      &::wm::harness::run_model_test<wm_harness_dut_type, wm_test_##name>);                  \
  }                                                                                          \
  ::wm::harness::Task<> wm_test_##name::body()

#define WM_TEST(name) WM_TEST_WITH(name)

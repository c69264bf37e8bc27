// Sum orders: the trees the mapper will describe, and that the order really changes results.

#include <array>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "wm/sw/model/sum_order.hpp"

namespace wm::tb::model {
namespace {

using namespace wm::sw::model;

std::vector<std::pair<int, int>> pairs(const ReductionTree& t) {
  std::vector<std::pair<int, int>> p;
  for (const auto s : t.steps()) {
    p.emplace_back(s.dst, s.src);
  }
  return p;
}

using P = std::vector<std::pair<int, int>>;

}  // namespace

BOOST_AUTO_TEST_SUITE(sum_order)

BOOST_AUTO_TEST_CASE(tree_shapes) {
  BOOST_TEST((pairs(ReductionTree::chain(4)) == P{{0, 1}, {0, 2}, {0, 3}}));
  BOOST_TEST((pairs(ReductionTree::binary(5)) == P{{0, 1}, {2, 3}, {0, 2}, {0, 4}}));
  BOOST_TEST(
      (pairs(ReductionTree::grouped(7, 3)) == P{{0, 1}, {0, 2}, {3, 4}, {3, 5}, {0, 3}, {0, 6}}));
  BOOST_TEST(pairs(ReductionTree::chain(1)).empty());
}

BOOST_AUTO_TEST_CASE(bad_trees_are_refused) {
  using S = ReductionTree::Step;
  BOOST_CHECK_THROW(ReductionTree(0, {}), std::invalid_argument);
  BOOST_CHECK_THROW(ReductionTree(3, {S{0, 1}}), std::invalid_argument);  // slot 2 never added
  BOOST_CHECK_THROW(ReductionTree(3, {S{0, 1}, S{2, 1}, S{0, 2}}), std::invalid_argument);
  BOOST_CHECK_THROW(ReductionTree(2, {S{1, 0}}), std::invalid_argument);  // consumes slot 0
  BOOST_CHECK_THROW(ReductionTree(2, {S{0, 2}}), std::invalid_argument);
  BOOST_CHECK_THROW(ReductionTree(2, {S{1, 1}, S{0, 1}}), std::invalid_argument);
  BOOST_CHECK_THROW(ReductionTree(3, {S{0, 1}, S{1, 2}}), std::invalid_argument);  // 1 is gone
  BOOST_CHECK_NO_THROW(ReductionTree(3, {S{1, 2}, S{0, 1}}));
}

BOOST_AUTO_TEST_CASE(split_bounds) {
  const SumOrder o = SumOrder::split(10, 4, ReductionTree::binary(4));
  BOOST_TEST((o.bounds == std::vector<std::int64_t>{0, 3, 6, 8, 10}));
  const SumOrder padded = SumOrder::split(2, 4, ReductionTree::chain(4));
  BOOST_TEST((padded.bounds == std::vector<std::int64_t>{0, 1, 2, 2, 2}));
  BOOST_CHECK_THROW(SumOrder::split(10, 4, ReductionTree::chain(3)), std::invalid_argument);
  BOOST_CHECK_THROW(o.check(11), std::invalid_argument);
  BOOST_CHECK_NO_THROW(o.check(10));
}

BOOST_AUTO_TEST_CASE(order_decides_the_rounding) {
  // Float spacing at 1e8 is 8, so where the +1s meet 1e8 decides whether they survive.
  const std::array<float, 4> t = {1e8F, 1.0F, -1e8F, 1.0F};
  std::array<float, 8> scratch{};
  // ((((0 + 1e8) + 1) - 1e8) + 1) = 1
  BOOST_TEST(ordered_sum(t, SumOrder::sequential(), scratch) == 1.0F);
  // (1e8 + 1) + (-1e8 + 1) = 1e8 + -1e8 = 0
  BOOST_TEST(ordered_sum(t, SumOrder::split(4, 4, ReductionTree::binary(4)), scratch) == 0.0F);
  // Chunks {1e8, 1}, {-1e8, 1} summed from 0 then added: also 0.
  BOOST_TEST(ordered_sum(t, SumOrder::split(4, 2, ReductionTree::chain(2)), scratch) == 0.0F);
  // Chain over four one-term chunks is the sequential sum.
  BOOST_TEST(ordered_sum(t, SumOrder::split(4, 4, ReductionTree::chain(4)), scratch) == 1.0F);
  // A tree that cancels the big terms first keeps both ones: (1e8 - 1e8) + (1 + 1) = 2.
  SumOrder custom = SumOrder::split(4, 4, ReductionTree(4, {{0, 2}, {1, 3}, {0, 1}}));
  BOOST_TEST(ordered_sum(t, custom, scratch) == 2.0F);
  // An order for the wrong length is refused, as is too little scratch.
  BOOST_CHECK_THROW((void)ordered_sum(std::span<const float>(t).first(3), custom, scratch),
                    std::invalid_argument);
  BOOST_CHECK_THROW((void)ordered_sum(t, custom, std::span<float>(scratch).first(2)),
                    std::invalid_argument);
}

// A KV cache dealt over a mesh row: chunk c holds terms c, c + k, ...; the counts are split's.
BOOST_AUTO_TEST_CASE(dealt_chunks) {
  const SumOrder o = SumOrder::deal(5, 2, ReductionTree::chain(2));
  BOOST_TEST((o.bounds == std::vector<std::int64_t>{0, 3, 5}));
  BOOST_TEST(o.dealt);
  BOOST_CHECK_NO_THROW(o.check(5));
  SumOrder wrong = o;
  wrong.bounds = {0, 2, 5};  // terms 0, 2 and 1, 3, 5: there is no term 5
  BOOST_CHECK_THROW(wrong.check(5), std::invalid_argument);
  // Dealt: {1e8, -1e8} = 0 and {1, 1} = 2, total 2. Cut in halves: (1e8 + 1) + (-1e8 + 1) =
  // 1e8 - 1e8 = 0. Left to right: 1.
  const std::array<float, 4> t = {1e8F, 1.0F, -1e8F, 1.0F};
  std::array<float, 4> scratch{};
  BOOST_TEST(ordered_sum(t, SumOrder::deal(4, 2, ReductionTree::chain(2)), scratch) == 2.0F);
  BOOST_TEST(ordered_sum(t, SumOrder::split(4, 2, ReductionTree::chain(2)), scratch) == 0.0F);
  BOOST_TEST(ordered_sum(t, SumOrder::sequential(), scratch) == 1.0F);
  // More chunks than terms: the empty ones add +0.
  const float z = ordered_sum(std::span<const float>(t).first(2),
                              SumOrder::deal(2, 4, ReductionTree::chain(4)), scratch);
  BOOST_TEST(z == 1e8F);
}

BOOST_AUTO_TEST_CASE(empty_sums_are_positive_zero) {
  std::array<float, 4> scratch{};
  const float z = ordered_sum({}, SumOrder::sequential(), scratch);
  BOOST_TEST(z == 0.0F);
  BOOST_TEST(!std::signbit(z));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wm::tb::model

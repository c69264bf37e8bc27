// Encoders and the decoder of wm::sw::isa agree, and the legality rules of docs/isa.md hold
// on hand-picked words (each check names the rule it pins).
#define BOOST_TEST_MODULE sw_isa
#include <boost/test/unit_test.hpp>

#include <wm/sw/isa/isa.hpp>

namespace isa = wm::sw::isa;

BOOST_AUTO_TEST_CASE(scalar_fields_round_trip) {
  const auto w = isa::encode_i(isa::Op::addi, 3, 7, -5);
  const auto f = isa::fields(w);
  BOOST_TEST(f.op == static_cast<unsigned>(isa::Op::addi));
  BOOST_TEST(f.a == 3);
  BOOST_TEST(f.rs1 == 7);
  BOOST_TEST(f.imm18 == -5);
  BOOST_TEST(isa::is_legal(w));
  const auto j = isa::fields(isa::encode_jal(14, -100000));
  BOOST_TEST(j.off22 == -100000);
  BOOST_TEST(isa::fields(isa::encode_lui(2, 0xBEEF)).imm16 == 0xBEEFu);
}

BOOST_AUTO_TEST_CASE(vector_fields_round_trip) {
  const isa::VecInstr v{isa::Vop::fdotv, isa::dsd(2), isa::dsd(0), isa::dsd(1), 3, true, true, 9};
  const auto f = isa::fields(isa::encode_v(v));
  BOOST_TEST(f.vector);
  BOOST_TEST(f.vop == static_cast<unsigned>(isa::Vop::fdotv));
  BOOST_TEST(f.vdst == 2);
  BOOST_TEST(f.va == 0);
  BOOST_TEST(f.vb == 1);
  BOOST_TEST(f.engine == 3);
  BOOST_TEST(f.async);
  BOOST_TEST(f.notify);
  BOOST_TEST(f.task == 9);
  BOOST_TEST(isa::is_legal(isa::encode_v(v)));
}

BOOST_AUTO_TEST_CASE(legality_rules) {
  BOOST_TEST(!isa::is_legal(0u));                                    // all-zero word
  BOOST_TEST(!isa::is_legal(0x1Fu << 26));                           // undefined opcode
  BOOST_TEST(!isa::is_legal(isa::encode_r(isa::Op::alu, 1, 2, 3, 11)));  // undefined funct
  BOOST_TEST(!isa::is_legal(isa::encode_alu(isa::AluFn::add, 1, 2, 3) | 0x10u));  // reserved
  BOOST_TEST(!isa::is_legal(isa::encode_i(isa::Op::slli, 1, 2, 32)));  // shift imm > 31
  BOOST_TEST(!isa::is_legal(isa::encode_d(isa::Op::dsdm, 8, 1, 2, 3, 0, 0)));  // d8
  BOOST_TEST(!isa::is_legal(isa::encode_d(isa::Op::recv, 1, 0, 0, 0, 8, 0)));  // color 8 of 8
  BOOST_TEST(isa::is_legal(isa::encode_d(isa::Op::recv, 1, 0, 0, 0, 8, 0), 24));
  BOOST_TEST(!isa::is_legal(isa::encode_sys(isa::SysFn::ewait, 4)));  // engine 4
  BOOST_TEST(!isa::is_legal(isa::encode_sys(isa::SysFn::exit, 1)));   // unused field set
  isa::VecInstr v{isa::Vop::fadd, isa::reg(1), isa::dsd(0), isa::dsd(1)};
  BOOST_TEST(!isa::is_legal(isa::encode_v(v)));  // element-wise op into a register
  v.vop = isa::Vop::fmac;
  BOOST_TEST(isa::is_legal(isa::encode_v(v)));   // dot product
  v.a = isa::reg(2);
  v.b = isa::reg(3);
  BOOST_TEST(!isa::is_legal(isa::encode_v(v)));  // dot product without a DSD
  v = {isa::Vop::frsum, isa::dsd(1), isa::dsd(0), isa::dsd(0)};
  BOOST_TEST(!isa::is_legal(isa::encode_v(v)));  // reduction into a DSD
  BOOST_TEST(!isa::is_legal(isa::encode_v({isa::Vop::fmov, isa::dsd(1), isa::dsd(0),
                                           isa::dsd(2)})));  // unary op with a srcB
  BOOST_TEST(!isa::is_legal(0x80000000u | (0x08u << 21)));   // operand 01xxx
  BOOST_TEST(!isa::is_legal(0x80000000u | (16u << 26)));     // undefined vop
}

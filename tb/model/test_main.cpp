#define BOOST_TEST_MODULE wm_model_tests
#include <boost/test/unit_test.hpp>

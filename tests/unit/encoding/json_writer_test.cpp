#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "encoding/json_writer.hpp"

using namespace aw::encoding;

TEST_CASE("json_writer: strings are valid UTF-8, numbers stay integers, NaN is null") {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  w.StartArray();
  write_string(w, "bad \xFF byte");
  write_number(w, 45000.0);
  write_number(w, 2.5);
  write_number(w, std::nan(""));
  write_number(w, std::numeric_limits<double>::infinity());
  write_raw(w, "", rapidjson::kObjectType, "{}");
  write_raw(w, "[1,2]", rapidjson::kArrayType);
  w.EndArray();
  CHECK(take(buffer) == "[\"bad \xEF\xBF\xBD byte\",45000,2.5,null,null,{},[1,2]]");
}

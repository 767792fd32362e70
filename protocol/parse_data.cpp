#include "protocol/parse_data.hpp"

#include <algorithm>
#include <cmath>

#include "protocol/json_read.hpp"

namespace aw::protocol {
namespace {

using json_read::check_array;
using json_read::find;
using json_read::invalid;
using json_read::item_path;
using json_read::value;

std::string field_path(std::string_view path, std::string_view field) {
  std::string p(path);
  p += '.';
  p += field;
  return p;
}

// Field `field` of the object at path[index]; builds the path only on failure.
status read_item_number(const value& item, const char* field, std::string_view path,
                        std::size_t index, double* out) {
  const value* v = find(item, field);
  if (v != nullptr && v->IsNumber() && std::isfinite(v->GetDouble())) {
    *out = v->GetDouble();
    return {};
  }
  return invalid(item_path(path, index, field) + " must be a finite number");
}

status require_object(const value& item, std::string_view path, std::size_t index,
                      std::string_view shape) {
  if (item.IsObject()) return {};
  return invalid(item_path(path, index) + " must be an object " + std::string(shape));
}

// [{name, values:[numbers]}] with 1..max_items entries.
status parse_named_list(const value& v, std::string_view path, std::size_t max_items,
                        std::vector<named_series>* out) {
  if (auto failed = check_array(v, path, max_items); !failed.ok()) return failed;
  out->clear();
  out->reserve(v.Size());
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    const value& item = v[i];
    if (auto failed = require_object(item, path, i, "{name, values}"); !failed.ok()) return failed;
    named_series s;
    const value* name = find(item, "name");
    if (name == nullptr) {
      return invalid(item_path(path, i, "name") + " is required (string, 0..200 chars)");
    }
    if (auto failed =
            json_read::read_string(*name, item_path(path, i, "name"), 0, max_label_chars, &s.name);
        !failed.ok())
      return failed;
    const value* values = find(item, "values");
    if (values == nullptr) {
      return invalid(item_path(path, i, "values") + " is required (array of numbers)");
    }
    if (auto failed = json_read::read_numbers(*values, item_path(path, i, "values"), &s.values);
        !failed.ok())
      return failed;
    out->push_back(std::move(s));
  }
  return {};
}

status check_same_length(std::string_view a_path, std::size_t a, std::string_view b_path,
                         std::size_t b) {
  if (a == b) return {};
  return invalid(std::string(a_path) + " and " + std::string(b_path) + " differ in length (" +
                 std::to_string(a) + " vs " + std::to_string(b) + ")");
}

status parse_summary(const value& v, std::string_view path, chart_data* out) {
  const value* labels = find(v, "labels");
  const value* values = find(v, "values");
  const value* series = find(v, "series");
  std::string labels_path = field_path(path, "labels");
  if (labels != nullptr) {
    if (auto failed = json_read::read_labels(*labels, labels_path, &out->labels); !failed.ok())
      return failed;
  }
  if (values != nullptr) {
    std::string values_path = field_path(path, "values");
    if (auto failed = json_read::read_numbers(*values, values_path, &out->values); !failed.ok())
      return failed;
    if (labels == nullptr) {
      return invalid(labels_path + " is required with " + values_path);
    }
    if (auto failed =
            check_same_length(labels_path, out->labels.size(), values_path, out->values.size());
        !failed.ok())
      return failed;
  }
  if (series != nullptr) {
    std::string series_path = field_path(path, "series");
    if (auto failed = parse_named_list(*series, series_path, max_series, &out->series);
        !failed.ok())
      return failed;
    if (labels == nullptr) {
      return invalid(labels_path + " is required with " + series_path);
    }
    for (std::size_t i = 0; i < out->series.size(); ++i) {
      if (auto failed =
              check_same_length(labels_path, out->labels.size(),
                                item_path(series_path, i, "values"), out->series[i].values.size());
          !failed.ok())
        return failed;
    }
  }
  return {};
}

status parse_points(const value& v, std::string_view path, std::vector<point>* out) {
  if (auto failed = check_array(v, path, max_data_points); !failed.ok()) return failed;
  out->reserve(v.Size());
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    const value& item = v[i];
    if (auto failed = require_object(item, path, i, "{x, y, size}"); !failed.ok()) return failed;
    point p;
    if (auto failed = read_item_number(item, "x", path, i, &p.x); !failed.ok()) return failed;
    if (auto failed = read_item_number(item, "y", path, i, &p.y); !failed.ok()) return failed;
    if (find(item, "size") != nullptr) {
      double size = 0;
      if (!read_item_number(item, "size", path, i, &size).ok() || size <= 0) {
        return invalid(item_path(path, i, "size") + " must be a number > 0");
      }
      p.size = size;
    }
    out->push_back(p);
  }
  return {};
}

status parse_ohlc(const value& v, std::string_view path, std::vector<candle>* out) {
  if (auto failed = check_array(v, path, max_data_points); !failed.ok()) return failed;
  out->reserve(v.Size());
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    const value& item = v[i];
    if (auto failed = require_object(item, path, i, "{label, open, high, low, close}");
        !failed.ok())
      return failed;
    candle c;
    if (const value* label = find(item, "label")) {
      if (auto failed = json_read::read_string(*label, item_path(path, i, "label"), 0,
                                               max_label_chars, &c.label);
          !failed.ok())
        return failed;
    }
    for (auto [field, slot] : {std::pair{"open", &c.open}, std::pair{"high", &c.high},
                               std::pair{"low", &c.low}, std::pair{"close", &c.close}}) {
      if (auto failed = read_item_number(item, field, path, i, slot); !failed.ok()) return failed;
    }
    if (c.high < std::max(c.open, c.close)) {
      return invalid(item_path(path, i, "high") + " must be >= open and close");
    }
    if (c.low > std::min(c.open, c.close)) {
      return invalid(item_path(path, i, "low") + " must be <= open and close");
    }
    out->push_back(std::move(c));
  }
  return {};
}

status parse_matrix(const value& v, std::string_view path, chart_data* out) {
  std::string matrix_path = field_path(path, "matrix");
  const value& m = *find(v, "matrix");
  if (auto failed = check_array(m, matrix_path, max_data_points); !failed.ok()) return failed;
  std::size_t columns = 0;
  for (rapidjson::SizeType r = 0; r < m.Size(); ++r) {
    std::string row_path = item_path(matrix_path, r);
    std::vector<double> row;
    if (auto failed = json_read::read_numbers(m[r], row_path, &row); !failed.ok()) return failed;
    if (r == 0) {
      columns = row.size();
      if (columns * m.Size() > max_data_points) {
        return invalid(matrix_path + " has more than " + std::to_string(max_data_points) +
                       " cells");
      }
    } else if (row.size() != columns) {
      return invalid(row_path + " has " + std::to_string(row.size()) + " entries, expected " +
                     std::to_string(columns) + " (rows must be the same length)");
    }
    out->matrix.push_back(std::move(row));
  }
  if (const value* rows = find(v, "rows")) {
    std::string rows_path = field_path(path, "rows");
    if (auto failed = json_read::read_labels(*rows, rows_path, &out->row_labels); !failed.ok())
      return failed;
    if (auto failed = check_same_length(rows_path, out->row_labels.size(), matrix_path + " rows",
                                        out->matrix.size());
        !failed.ok())
      return failed;
  }
  if (const value* cols = find(v, "columns")) {
    std::string cols_path = field_path(path, "columns");
    if (auto failed = json_read::read_labels(*cols, cols_path, &out->column_labels); !failed.ok())
      return failed;
    if (auto failed = check_same_length(cols_path, out->column_labels.size(),
                                        matrix_path + " columns", columns);
        !failed.ok())
      return failed;
  }
  return {};
}

status parse_groups(const value& v, std::string_view path, chart_data* out) {
  if (const value* samples = find(v, "samples")) {
    named_series group;
    group.name = "samples";
    if (auto failed = json_read::read_numbers(*samples, field_path(path, "samples"), &group.values);
        !failed.ok())
      return failed;
    out->groups.push_back(std::move(group));
    return {};
  }
  return parse_named_list(*find(v, "groups"), field_path(path, "groups"), max_data_points,
                          &out->groups);
}

}  // namespace

status parse_chart_data(const rapidjson::Value& v, std::string_view path, chart_data* out) {
  std::string p(path);
  if (!v.IsObject()) {
    return invalid(p + " must be an object or null");
  }
  const value* points = find(v, "points");
  const value* ohlc = find(v, "ohlc");
  bool has_values = find(v, "values") != nullptr;
  bool has_series = find(v, "series") != nullptr;
  bool has_matrix = find(v, "matrix") != nullptr;
  bool has_samples = find(v, "samples") != nullptr;
  bool has_groups = find(v, "groups") != nullptr;
  bool has_extra = points || ohlc || has_matrix || has_samples || has_groups;

  if (!has_values && !has_series && !has_extra) {
    if (find(v, "labels") != nullptr)
      return invalid(p + ".labels needs " + p + ".values or " + p + ".series");
    return invalid(p + " must hold values, series, points, ohlc, matrix, samples or groups");
  }
  if (has_values && has_series) {
    return invalid(p + " has both values and series (give one)");
  }
  if (has_samples && has_groups) {
    return invalid(p + " has both samples and groups (give one)");
  }
  if (!has_matrix && (find(v, "rows") != nullptr || find(v, "columns") != nullptr)) {
    return invalid(p + ".rows and " + p + ".columns need " + p + ".matrix");
  }

  chart_data d;
  if (auto failed = parse_summary(v, p, &d); !failed.ok()) return failed;
  if (points) {
    if (auto failed = parse_points(*points, p + ".points", &d.points); !failed.ok()) return failed;
  }
  if (ohlc) {
    if (auto failed = parse_ohlc(*ohlc, p + ".ohlc", &d.candles); !failed.ok()) return failed;
  }
  if (has_matrix) {
    if (auto failed = parse_matrix(v, p, &d); !failed.ok()) return failed;
  }
  if (has_samples || has_groups) {
    if (auto failed = parse_groups(v, p, &d); !failed.ok()) return failed;
  }
  *out = std::move(d);
  return {};
}

}  // namespace aw::protocol

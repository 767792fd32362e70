#include "protocol/parse_data.hpp"

#include <algorithm>
#include <cmath>

#include "protocol/json_read.hpp"

namespace aw::protocol {
namespace {

using json_read::check_array;
using json_read::find;
using json_read::item_path;
using json_read::value;

std::string field_path(std::string_view path, std::string_view field) {
  std::string p(path);
  p += '.';
  p += field;
  return p;
}

// Field `field` of the object at path[index]; builds the path only on failure.
bool read_item_number(const value& item, const char* field, std::string_view path,
                      std::size_t index, double* out, std::string* error) {
  const value* v = find(item, field);
  if (v != nullptr && v->IsNumber() && std::isfinite(v->GetDouble())) {
    *out = v->GetDouble();
    return true;
  }
  *error = item_path(path, index, field) + " must be a finite number";
  return false;
}

bool require_object(const value& item, std::string_view path, std::size_t index,
                    std::string_view shape, std::string* error) {
  if (item.IsObject()) return true;
  *error = item_path(path, index) + " must be an object " + std::string(shape);
  return false;
}

// [{name, values:[numbers]}] with 1..max_items entries.
bool parse_named_list(const value& v, std::string_view path, std::size_t max_items,
                      std::vector<named_series>* out, std::string* error) {
  if (!check_array(v, path, max_items, error)) return false;
  out->clear();
  out->reserve(v.Size());
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    const value& item = v[i];
    if (!require_object(item, path, i, "{name, values}", error)) return false;
    named_series s;
    const value* name = find(item, "name");
    if (name == nullptr) {
      *error = item_path(path, i, "name") + " is required (string, 0..200 chars)";
      return false;
    }
    if (!json_read::read_string(*name, item_path(path, i, "name"), 0, max_label_chars, &s.name,
                                error))
      return false;
    const value* values = find(item, "values");
    if (values == nullptr) {
      *error = item_path(path, i, "values") + " is required (array of numbers)";
      return false;
    }
    if (!json_read::read_numbers(*values, item_path(path, i, "values"), &s.values, error))
      return false;
    out->push_back(std::move(s));
  }
  return true;
}

bool check_same_length(std::string_view a_path, std::size_t a, std::string_view b_path,
                       std::size_t b, std::string* error) {
  if (a == b) return true;
  *error = std::string(a_path) + " and " + std::string(b_path) + " differ in length (" +
           std::to_string(a) + " vs " + std::to_string(b) + ")";
  return false;
}

bool parse_summary(const value& v, std::string_view path, chart_data* out, std::string* error) {
  const value* labels = find(v, "labels");
  const value* values = find(v, "values");
  const value* series = find(v, "series");
  std::string labels_path = field_path(path, "labels");
  if (labels != nullptr && !json_read::read_labels(*labels, labels_path, &out->labels, error))
    return false;
  if (values != nullptr) {
    std::string values_path = field_path(path, "values");
    if (!json_read::read_numbers(*values, values_path, &out->values, error)) return false;
    if (labels == nullptr) {
      *error = labels_path + " is required with " + values_path;
      return false;
    }
    if (!check_same_length(labels_path, out->labels.size(), values_path, out->values.size(), error))
      return false;
  }
  if (series != nullptr) {
    std::string series_path = field_path(path, "series");
    if (!parse_named_list(*series, series_path, max_series, &out->series, error)) return false;
    if (labels == nullptr) {
      *error = labels_path + " is required with " + series_path;
      return false;
    }
    for (std::size_t i = 0; i < out->series.size(); ++i) {
      if (!check_same_length(labels_path, out->labels.size(), item_path(series_path, i, "values"),
                             out->series[i].values.size(), error))
        return false;
    }
  }
  return true;
}

bool parse_points(const value& v, std::string_view path, std::vector<point>* out,
                  std::string* error) {
  if (!check_array(v, path, max_data_points, error)) return false;
  out->reserve(v.Size());
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    const value& item = v[i];
    if (!require_object(item, path, i, "{x, y, size}", error)) return false;
    point p;
    if (!read_item_number(item, "x", path, i, &p.x, error)) return false;
    if (!read_item_number(item, "y", path, i, &p.y, error)) return false;
    if (find(item, "size") != nullptr) {
      double size = 0;
      if (!read_item_number(item, "size", path, i, &size, error) || size <= 0) {
        *error = item_path(path, i, "size") + " must be a number > 0";
        return false;
      }
      p.size = size;
    }
    out->push_back(p);
  }
  return true;
}

bool parse_ohlc(const value& v, std::string_view path, std::vector<candle>* out,
                std::string* error) {
  if (!check_array(v, path, max_data_points, error)) return false;
  out->reserve(v.Size());
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    const value& item = v[i];
    if (!require_object(item, path, i, "{label, open, high, low, close}", error)) return false;
    candle c;
    if (const value* label = find(item, "label")) {
      if (!json_read::read_string(*label, item_path(path, i, "label"), 0, max_label_chars, &c.label,
                                  error))
        return false;
    }
    if (!read_item_number(item, "open", path, i, &c.open, error) ||
        !read_item_number(item, "high", path, i, &c.high, error) ||
        !read_item_number(item, "low", path, i, &c.low, error) ||
        !read_item_number(item, "close", path, i, &c.close, error))
      return false;
    if (c.high < std::max(c.open, c.close)) {
      *error = item_path(path, i, "high") + " must be >= open and close";
      return false;
    }
    if (c.low > std::min(c.open, c.close)) {
      *error = item_path(path, i, "low") + " must be <= open and close";
      return false;
    }
    out->push_back(std::move(c));
  }
  return true;
}

bool parse_matrix(const value& v, std::string_view path, chart_data* out, std::string* error) {
  std::string matrix_path = field_path(path, "matrix");
  const value& m = *find(v, "matrix");
  if (!check_array(m, matrix_path, max_data_points, error)) return false;
  std::size_t columns = 0;
  for (rapidjson::SizeType r = 0; r < m.Size(); ++r) {
    std::string row_path = item_path(matrix_path, r);
    std::vector<double> row;
    if (!json_read::read_numbers(m[r], row_path, &row, error)) return false;
    if (r == 0) {
      columns = row.size();
      if (columns * m.Size() > max_data_points) {
        *error = matrix_path + " has more than " + std::to_string(max_data_points) + " cells";
        return false;
      }
    } else if (row.size() != columns) {
      *error = row_path + " has " + std::to_string(row.size()) + " entries, expected " +
               std::to_string(columns) + " (rows must be the same length)";
      return false;
    }
    out->matrix.push_back(std::move(row));
  }
  if (const value* rows = find(v, "rows")) {
    std::string rows_path = field_path(path, "rows");
    if (!json_read::read_labels(*rows, rows_path, &out->row_labels, error)) return false;
    if (!check_same_length(rows_path, out->row_labels.size(), matrix_path + " rows",
                           out->matrix.size(), error))
      return false;
  }
  if (const value* cols = find(v, "columns")) {
    std::string cols_path = field_path(path, "columns");
    if (!json_read::read_labels(*cols, cols_path, &out->column_labels, error)) return false;
    if (!check_same_length(cols_path, out->column_labels.size(), matrix_path + " columns", columns,
                           error))
      return false;
  }
  return true;
}

bool parse_groups(const value& v, std::string_view path, chart_data* out, std::string* error) {
  if (const value* samples = find(v, "samples")) {
    named_series group;
    group.name = "samples";
    if (!json_read::read_numbers(*samples, field_path(path, "samples"), &group.values, error))
      return false;
    out->groups.push_back(std::move(group));
    return true;
  }
  return parse_named_list(*find(v, "groups"), field_path(path, "groups"), max_data_points,
                          &out->groups, error);
}

}  // namespace

bool parse_chart_data(const rapidjson::Value& v, std::string_view path, chart_data* out,
                      std::string* error) {
  std::string p(path);
  if (!v.IsObject()) {
    *error = p + " must be an object or null";
    return false;
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
    if (find(v, "labels") != nullptr) {
      *error = p + ".labels needs " + p + ".values or " + p + ".series";
    } else {
      *error = p + " must hold values, series, points, ohlc, matrix, samples or groups";
    }
    return false;
  }
  if (has_values && has_series) {
    *error = p + " has both values and series (give one)";
    return false;
  }
  if (has_samples && has_groups) {
    *error = p + " has both samples and groups (give one)";
    return false;
  }
  if (!has_matrix && (find(v, "rows") != nullptr || find(v, "columns") != nullptr)) {
    *error = p + ".rows and " + p + ".columns need " + p + ".matrix";
    return false;
  }

  chart_data d;
  if (!parse_summary(v, p, &d, error)) return false;
  if (points && !parse_points(*points, p + ".points", &d.points, error)) return false;
  if (ohlc && !parse_ohlc(*ohlc, p + ".ohlc", &d.candles, error)) return false;
  if (has_matrix && !parse_matrix(v, p, &d, error)) return false;
  if ((has_samples || has_groups) && !parse_groups(v, p, &d, error)) return false;
  *out = std::move(d);
  return true;
}

}  // namespace aw::protocol

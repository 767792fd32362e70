#include "render/palette.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace aw::render {
namespace {

const std::vector<std::string> kModern = {"#3B82F6", "#10B981", "#F59E0B", "#EF4444", "#8B5CF6",
                                          "#EC4899", "#14B8A6", "#F97316", "#6366F1", "#84CC16"};

palette modern() {
  return {"#FFFFFF", "#1F2937", "#E5E7EB", "#9CA3AF", kModern, "#10B981", "#EF4444", true, false};
}

palette corporate() {
  return {"#FFFFFF",
          "#1E293B",
          "#E2E8F0",
          "#64748B",
          {"#1E3A5F", "#7F8C8D", "#4A6FA5", "#A3B1C2", "#2E5E8C", "#5D6D7E", "#8FA9C8", "#34495E",
           "#BDC3C7", "#0F2540"},
          "#2E7D5B",
          "#B03A2E",
          true,
          false};
}

palette dark() {
  return {"#111827",
          "#E5E7EB",
          "#374151",
          "#6B7280",
          {"#60A5FA", "#34D399", "#FBBF24", "#F87171", "#A78BFA", "#F472B6", "#2DD4BF", "#FB923C",
           "#818CF8", "#A3E635"},
          "#34D399",
          "#F87171",
          true,
          true};
}

palette minimal() {
  return {"#FFFFFF",
          "#374151",
          "#F3F4F6",
          "#D1D5DB",
          {"#2563EB", "#6B7280", "#9CA3AF", "#4B5563", "#D1D5DB", "#374151", "#A1A1AA", "#71717A"},
          "#4B5563",
          "#2563EB",
          false,
          false};
}

palette vibrant() {
  return {"#FFFFFF",
          "#111827",
          "#EEEEEE",
          "#9CA3AF",
          {"#FF006E", "#3A86FF", "#FB5607", "#8338EC", "#FFBE0B", "#06D6A0", "#EF476F", "#118AB2",
           "#7209B7", "#F15BB5"},
          "#06D6A0",
          "#EF476F",
          true,
          false};
}

palette custom(const std::vector<std::string>& wanted) {
  palette p = modern();
  std::vector<std::string> colours;
  for (const std::string& c : wanted) {
    if (valid_hex_colour(c) && colours.size() < 10) colours.push_back(c);
  }
  for (const auto& c : kModern) {
    if (colours.size() >= 10) break;
    bool taken = std::any_of(colours.begin(), colours.end(), [&](const std::string& have) {
      return std::equal(have.begin(), have.end(), c.begin(), c.end(),
                        [](char a, char b) { return std::toupper(a) == std::toupper(b); });
    });
    if (!taken) colours.push_back(c);
  }
  p.series = colours;
  return p;
}

int channel(const std::string& c, int i) {
  return std::stoi(c.substr(1 + 2 * i, 2), nullptr, 16);
}

}  // namespace

bool valid_hex_colour(const std::string& s) {
  if (s.size() != 7 || s[0] != '#') return false;
  return std::all_of(s.begin() + 1, s.end(),
                     [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)) != 0; });
}

palette theme_palette(std::string_view name, const std::vector<std::string>& custom_colours) {
  if (name == "corporate") return corporate();
  if (name == "dark") return dark();
  if (name == "minimal") return minimal();
  if (name == "vibrant") return vibrant();
  if (name == "custom") return custom(custom_colours);
  return modern();
}

std::string mix_colours(const std::string& a, const std::string& b, double t) {
  if (!valid_hex_colour(a) || !valid_hex_colour(b)) return valid_hex_colour(a) ? a : "#808080";
  t = std::clamp(t, 0.0, 1.0);
  char out[8];
  int rgb[3];
  for (int i = 0; i < 3; ++i) {
    rgb[i] = static_cast<int>(std::lround(channel(a, i) * (1 - t) + channel(b, i) * t));
  }
  std::snprintf(out, sizeof out, "#%02X%02X%02X", rgb[0], rgb[1], rgb[2]);
  return out;
}

double luminance(const std::string& colour) {
  if (!valid_hex_colour(colour)) return 0.5;
  double lin[3];
  for (int i = 0; i < 3; ++i) {
    double v = channel(colour, i) / 255.0;
    lin[i] = v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  }
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

long colour_value(const std::string& colour) {
  if (!valid_hex_colour(colour)) return 0x808080;
  return std::stol(colour.substr(1), nullptr, 16);
}

}  // namespace aw::render

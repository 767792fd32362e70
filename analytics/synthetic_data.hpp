// Synthetic data that fits the request text, for every chart type.
#pragma once

#include <cstddef>
#include <vector>

#include "analytics/request_profile.hpp"
#include "analytics/rng.hpp"
#include "protocol/chart_data.hpp"
#include "protocol/chart_types.hpp"

namespace aw::analytics {

// Every shape `type` needs, plus the summary view (labels + values|series).
protocol::chart_data synthesize(const request_profile& p, protocol::chart_type type,
                                seeded_rng& rng);

// --- building blocks (synthetic_data.cpp) ---
double round_value(const subject_info& s, double v);
// The subject with a range that never goes below zero (for pies, stacks, funnels).
subject_info positive_subject(const subject_info& s);
// n values following the profile's trend (and season) within the subject's range.
std::vector<double> trend_values(const request_profile& p, const subject_info& s, seeded_rng& rng,
                                 std::size_t n);
// n independent values for categories, spread over the subject's range.
std::vector<double> category_values(const subject_info& s, seeded_rng& rng, std::size_t n);

// --- extra shapes (synthetic_shapes.cpp) ---
std::vector<protocol::point> make_points(const request_profile& p, seeded_rng& rng,
                                         bool with_sizes);
std::vector<protocol::named_series> make_groups(const request_profile& p, seeded_rng& rng,
                                                std::size_t groups);
void make_matrix(const request_profile& p, seeded_rng& rng, protocol::chart_data& out);
std::vector<protocol::candle> make_candles(const request_profile& p, seeded_rng& rng);

// --- summary views of extra shapes (summary_views.cpp) ---
double median_of(std::vector<double> v);
// labels = bin ranges, values = counts.
void histogram_summary(const std::vector<double>& samples, protocol::chart_data& out);
// labels = group names, values = group medians.
void groups_summary(protocol::chart_data& out);
// labels = "P1".., values = y.
void points_summary(protocol::chart_data& out);
// labels = candle labels, values = closes.
void candles_summary(protocol::chart_data& out);
// labels = column labels, one series per matrix row.
void matrix_summary(protocol::chart_data& out);

}  // namespace aw::analytics

// Completing the user's data: labels, values and series stay exactly as given;
// the summary view and the shape the chart type draws from are derived when missing.
#pragma once

#include <string>

#include "protocol/chart_data.hpp"
#include "protocol/chart_types.hpp"

namespace aw::analytics {

// `value_name` names a derived group, matrix row or axis ("Revenue").
void complete_user_data(protocol::chart_type type, protocol::chart_data& data,
                        const std::string& value_name);

}  // namespace aw::analytics

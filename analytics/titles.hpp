// Chart title and axis labels from the request text.
#pragma once

#include <string>
#include <string_view>

#include "analytics/request_profile.hpp"
#include "protocol/chart_data.hpp"
#include "protocol/chart_types.hpp"

namespace aw::analytics {

// "Show quarterly revenue growth for 2024" -> "Quarterly Revenue Growth 2024".
std::string title_from_request(std::string_view content);

struct axis_texts {
  std::string x;
  std::string y;
};

// "A vs B" / "between A and B": the two quantities compared, in Title Case.
// Empty strings when the request names none.
axis_texts compared_quantities(std::string_view content);

axis_texts axis_labels_for(protocol::chart_type type, const request_profile& p,
                           const protocol::chart_data& data, std::string_view content);

}  // namespace aw::analytics

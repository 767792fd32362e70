#include "load/stream_checker.hpp"

#include <algorithm>

#include "load/timestamp.hpp"

namespace aw::load {

namespace {

const char* str_member(const rapidjson::Value& v, const char* name) {
  auto it = v.FindMember(name);
  if (it == v.MemberEnd() || !it->value.IsString()) return nullptr;
  return it->value.GetString();
}

bool is_int(const rapidjson::Value& v, const char* name, std::int64_t* out) {
  auto it = v.FindMember(name);
  if (it == v.MemberEnd() || !it->value.IsInt64()) return false;
  *out = it->value.GetInt64();
  return true;
}

std::string where(const std::string& type, const rapidjson::Value& f) {
  std::int64_t seq = 0;
  return is_int(f, "seq", &seq) ? type + "#" + std::to_string(seq) : type;
}

}  // namespace

const std::array<std::string_view, event_type_count> event_type_names = {
    "agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"};

int event_type_index(std::string_view type) {
  for (int i = 0; i < event_type_count; ++i)
    if (event_type_names[i] == type) return i;
  return -1;
}

std::string_view to_string(violation v) {
  static const std::array<std::string_view, violation_kinds> names = {
      "invalid_frame",        "first_not_ack",  "second_ack",
      "ack_mismatch",         "seq_gap",        "seq_duplicate",
      "seq_missing",          "foreign_user",   "foreign_correlation",
      "missing_field",        "bad_timestamp",  "duplicate_event_id",
      "event_before_started", "second_started", "event_after_completed",
      "no_thinking",          "tool_unmatched", "tool_duplicate",
      "tool_not_completed",   "bad_status",     "fanout_mismatch"};
  int i = static_cast<int>(v);
  return i >= 0 && i < violation_kinds ? names[i] : "unknown";
}

// ------------------------------------------------------------------ violation_log

void violation_log::add(violation kind, std::string message) {
  ++counts_[static_cast<int>(kind)];
  if (samples_.size() < max_samples_)
    samples_.push_back(std::string(to_string(kind)) + ": " + std::move(message));
}

void violation_log::merge(const violation_log& other) {
  for (int i = 0; i < violation_kinds; ++i) counts_[i] += other.counts_[i];
  for (const auto& s : other.samples_)
    if (samples_.size() < max_samples_) samples_.push_back(s);
}

std::uint64_t violation_log::total() const {
  std::uint64_t n = 0;
  for (auto c : counts_) n += c;
  return n;
}

std::map<std::string, std::uint64_t> violation_log::by_kind() const {
  std::map<std::string, std::uint64_t> out;
  for (int i = 0; i < violation_kinds; ++i)
    if (counts_[i]) out[std::string(to_string(static_cast<violation>(i)))] = counts_[i];
  return out;
}

// ------------------------------------------------------------------ conn_stream

frame_info conn_stream::on_text(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    ++frames_;
    user_->violate(violation::invalid_frame,
                   "frame is not JSON: " + std::string(text.substr(0, 80)));
    return {};
  }
  return on_frame(doc);
}

frame_info conn_stream::on_frame(const rapidjson::Value& f) {
  frame_info info;
  bool first = frames_++ == 0;
  const char* type = f.IsObject() ? str_member(f, "type") : nullptr;
  if (!type) {
    user_->violate(violation::invalid_frame, "frame is not an object with a string type");
    return info;
  }
  info.type = type;
  info.event = event_type_index(info.type);
  if (first && info.type != "connection_ack")
    user_->violate(violation::first_not_ack, "first frame is " + info.type);
  auto uid = f.FindMember("user_id");
  if (uid != f.MemberEnd() &&
      (!uid->value.IsString() || user_->user_id() != uid->value.GetString()))
    user_->violate(violation::foreign_user,
                   where(info.type, f) + " for user " +
                       (uid->value.IsString() ? uid->value.GetString() : "?") +
                       " delivered to a connection of " + user_->user_id());
  if (const char* cid = str_member(f, "correlation_id")) {
    info.correlation_id = cid;
    if (!user_->cids_.count(info.correlation_id))
      user_->violate(violation::foreign_correlation, where(info.type, f) + " with correlation_id " +
                                                         info.correlation_id + " that " +
                                                         user_->user_id() + " never sent");
  }
  if (const char* ts = str_member(f, "timestamp")) info.timestamp_ms = parse_rfc3339_ms(ts);

  if (info.type == "connection_ack") {
    if (acked_) {
      user_->violate(violation::second_ack, "second connection_ack on one connection");
      return info;
    }
    acked_ = true;
    std::int64_t last = 0;
    if (!is_int(f, "last_seq", &last) || last < 0) {
      user_->violate(violation::ack_mismatch, "connection_ack without integer last_seq");
    } else {
      last_seq_ = last;
    }
    if (uid == f.MemberEnd())
      user_->violate(violation::ack_mismatch, "connection_ack without user_id");
    return info;
  }
  if (info.type == "error") {
    if (const char* code = str_member(f, "code")) info.error_code = code;
    auto it = user_->cids_.find(info.correlation_id);
    if (it != user_->cids_.end() && !it->second.rejected && !it->second.seen[0] &&
        !it->second.done) {
      it->second.rejected = true;
      ++user_->rejected_;
    }
    return info;
  }
  if (f.HasMember("seq") || info.event >= 0) check_seq(f, info.type);
  if (info.event >= 0) on_event(f, info);
  return info;
}

void conn_stream::check_seq(const rapidjson::Value& f, const std::string& type) {
  std::int64_t seq = 0;
  if (!is_int(f, "seq", &seq)) {
    user_->violate(violation::seq_missing, type + " without integer seq");
    return;
  }
  if (last_seq_) {
    if (seq <= *last_seq_) {
      user_->violate(violation::seq_duplicate, type + " seq " + std::to_string(seq) +
                                                   " not above previous " +
                                                   std::to_string(*last_seq_));
      return;
    }
    if (seq != *last_seq_ + 1)
      user_->violate(violation::seq_gap, "seq gap " + std::to_string(*last_seq_) + " -> " +
                                             std::to_string(seq) + " (" + type + ")");
  }
  last_seq_ = seq;
}

void conn_stream::on_event(const rapidjson::Value& f, frame_info& info) {
  const std::string w = where(info.type, f);
  const char* event_id = str_member(f, "event_id");
  const char* run_id = str_member(f, "run_id");
  auto data = f.FindMember("data");
  bool has_data = data != f.MemberEnd() && data->value.IsObject();
  if (!event_id || !run_id || info.correlation_id.empty() || !f.HasMember("user_id") || !has_data) {
    user_->violate(violation::missing_field,
                   w + " lacks event_id, run_id, correlation_id, user_id or data");
  }
  if (!info.timestamp_ms)
    user_->violate(violation::bad_timestamp, w + " timestamp missing or not RFC 3339 ms UTC");
  if (event_id) {
    if (!seen_event_ids_.insert(event_id).second)
      user_->violate(violation::duplicate_event_id, w + " repeats event_id " + event_id);
    event_ids_.emplace_back(event_id);
  }
  if (!run_id) return;
  auto it = runs_.find(run_id);
  if (info.event == 0) {
    if (it != runs_.end()) {
      user_->violate(violation::second_started,
                     std::string("run ") + run_id + ": second agent_started (" + w + ")");
      return;
    }
    runs_[run_id].cid = info.correlation_id;
  } else if (it == runs_.end()) {
    user_->violate(violation::event_before_started,
                   std::string("run ") + run_id + ": " + w + " before its agent_started");
    return;
  }
  on_run_event(f, runs_[run_id], run_id, info);
}

void conn_stream::on_run_event(const rapidjson::Value& f, run_state& run, const std::string& run_id,
                               frame_info& info) {
  const std::string w = where(info.type, f);
  if (info.event != 0 && run.completed) {
    user_->violate(violation::event_after_completed,
                   "run " + run_id + ": " + w + " after agent_completed");
    return;
  }
  auto cid_it = user_->cids_.find(info.correlation_id);
  user_stream::cid_state* cs = cid_it == user_->cids_.end() ? nullptr : &cid_it->second;
  if (cs && !cs->seen[info.event]) {
    cs->seen[info.event] = true;
    info.first_for_user = true;
  }
  static const rapidjson::Value empty(rapidjson::kObjectType);
  auto dm = f.FindMember("data");
  const rapidjson::Value& d = dm != f.MemberEnd() && dm->value.IsObject() ? dm->value : empty;
  const char* call = str_member(d, "tool_call_id");
  const char* tool = str_member(d, "tool");
  switch (info.event) {
    case 1:
      ++run.thinking;
      break;
    case 2:
      if (!call) {
        user_->violate(violation::missing_field, w + " without data.tool_call_id");
        break;
      }
      if (!run.tool_ids.insert(call).second)
        user_->violate(violation::tool_duplicate,
                       "run " + run_id + ": tool_call_id " + call + " executed twice");
      run.open_tools[call] = tool ? tool : "";
      break;
    case 3: {
      auto open = call ? run.open_tools.find(call) : run.open_tools.end();
      if (open == run.open_tools.end()) {
        user_->violate(violation::tool_unmatched, "run " + run_id + ": " + w + " " +
                                                      (call ? call : "?") +
                                                      " without an open tool_executing");
      } else {
        run.open_tools.erase(open);
      }
      break;
    }
    case 4: {
      run.completed = true;
      ++completed_;
      if (run.thinking < 1)
        user_->violate(violation::no_thinking, "run " + run_id + ": no agent_thinking");
      if (!run.open_tools.empty())
        user_->violate(violation::tool_not_completed,
                       "run " + run_id + ": agent_completed with tool " +
                           run.open_tools.begin()->first + " still open");
      if (const char* st = str_member(d, "status")) info.status = st;
      auto err = d.FindMember("error");
      if (err != d.MemberEnd() && err->value.IsObject())
        if (const char* code = str_member(err->value, "code")) info.error_code = code;
      bool known = info.status == "success" || info.status == "error" ||
                   info.status == "cancelled" || info.status == "timeout";
      if (!known || (info.status != "success" && info.error_code.empty()))
        user_->violate(violation::bad_status,
                       w + " status '" + info.status + "' (error.code '" + info.error_code + "')");
      if (cs && !cs->done) {
        cs->done = true;
        ++user_->completed_;
        info.run_done = true;
      }
      break;
    }
    default:
      break;
  }
}

// ------------------------------------------------------------------ user_stream

void user_stream::expect_request(const std::string& cid) {
  cids_.emplace(cid, cid_state{});
}

conn_stream& user_stream::add_connection() {
  conns_.push_back(std::make_unique<conn_stream>(*this));
  return *conns_.back();
}

void user_stream::violate(violation kind, const std::string& message) {
  if (log_) log_->add(kind, user_id_ + ": " + message);
}

bool user_stream::all_done() const {
  if (completed_ + rejected_ < cids_.size()) return false;
  for (const auto& c : conns_)
    if (!c->closed() && c->completed_runs() < completed_) return false;
  return true;
}

user_stream::summary user_stream::finish(bool complete) {
  const conn_stream* ref = nullptr;
  for (const auto& c : conns_) {
    if (c->closed()) continue;
    if (!ref) {
      ref = c.get();
      continue;
    }
    const auto& a = ref->event_ids();
    const auto& b = c->event_ids();
    std::size_t n = complete ? std::max(a.size(), b.size()) : std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (i >= a.size() || i >= b.size() || a[i] != b[i]) {
        violate(violation::fanout_mismatch, "connections differ at event " + std::to_string(i) +
                                                " (" + std::to_string(a.size()) + " vs " +
                                                std::to_string(b.size()) + " events)");
        break;
      }
    }
  }
  summary s;
  s.sent = cids_.size();
  s.rejected = rejected_;
  s.completed = completed_;
  for (const auto& [cid, st] : cids_)
    if (!st.rejected && !st.done) ++s.lost;
  return s;
}

}  // namespace aw::load

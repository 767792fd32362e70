// A cluster node in the test process, built from the cluster's own types
// (cluster/cluster.hpp): it greets a gateway like a real worker and answers
// plan, generate and render steps, correctly or, on request, invalidly, to
// test that a gateway does not trust its workers' replies.
#pragma once

#include <memory>

namespace aw::test {

enum class fake_reply {
  good,            // the built-in plan and generation; an SVG of the asked size
  not_an_image,    // render: bytes that are neither PNG nor SVG
  wrong_size,      // render: a PNG header of 1x1 whatever was asked
  bad_plan,        // plan: a chart type that does not exist
  bad_generation,  // generate: a narrative that is not UTF-8
  model_choice,    // generate: as a model that chose pie_chart (decided_by "model")
  huge_partials,   // generate: streams 10 x 100 KiB of "model text" to the run first
  model_down,      // generate: fails as the LLM actor does, LLM_UNAVAILABLE with a detail
};

class fake_worker {
 public:
  fake_worker();  // published on 127.0.0.1, a free port, without TLS
  ~fake_worker();
  fake_worker(const fake_worker&) = delete;
  fake_worker& operator=(const fake_worker&) = delete;
  int port() const;
  void answer(fake_reply how);  // for the steps that arrive from now on

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace aw::test

#!/usr/bin/env node
'use strict';
// Reads bench/results/*.json and prints the figures as a Markdown table,
// medians over the repeated runs, next to the targets of the load-tool issue.
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const read = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
const files = (re) => fs.readdirSync(dir).filter((f) => re.test(f)).sort();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

const idle = files(/^idle-\d+\.json$/).map(read);
const runs = files(/^run-\d+\.json$/).map(read);
const rows = [];
const row = (what, value, target, ok) => rows.push(`| ${what} | ${value} | ${target} | ${ok === undefined ? '' : ok ? 'met' : 'not met'} |`);

if (idle.length) {
  const kb = median(idle.map((r) => r.server.rss_per_connection_kb * 1.024));
  row(`server RSS per idle connection (${idle[0].connections} connections, median of ${idle.length})`, `${fmt(kb)} KB`, '<= 12 KB', kb <= 12);
}
if (runs.length) {
  const started = median(runs.map((r) => r.latency_ms.agent_started.p99));
  const lag = median(runs.map((r) => r.latency_ms.delivery_lag.p99));
  const done = median(runs.map((r) => r.latency_ms.agent_completed.p50));
  const rps = median(runs.map((r) => r.runs_per_s));
  const viol = runs.reduce((s, r) => s + r.violations, 0);
  const lost = runs.reduce((s, r) => s + r.runs.lost, 0);
  const n = `${runs[0].users} users x ${runs[0].requests_per_user} requests, median of ${runs.length}`;
  row(`p99 time to agent_started (${n})`, `${fmt(started)} ms`, '<= 5 ms', started <= 5);
  row(`p99 event delivery lag (${n})`, `${fmt(lag)} ms`, '<= 10 ms', lag <= 10);
  row(`p50 time to agent_completed (${n})`, `${fmt(done)} ms`, '', undefined);
  row(`runs/s (${n})`, fmt(rps, 1), '', undefined);
  row('violations, lost runs (all runs)', `${viol}, ${lost}`, '0, 0', viol === 0 && lost === 0);
}
for (const f of ['idle', 'run']) {
  for (const r of files(new RegExp(`^${f}-\\d+\\.json$`)).map(read)) {
    if (r.violations || r.runs.lost) row(`${f} ${r.tag}`, `${r.violations} violations, ${r.runs.lost} lost`, '0', false);
  }
}
if (fs.existsSync(path.join(dir, 'render.txt'))) {
  const t = fs.readFileSync(path.join(dir, 'render.txt'), 'utf8');
  const m = /([\d.]+) charts\/s/.exec(t);
  row('render-only charts/s through the pool (800x500 bar PNG)', m ? m[1] : 'n/a', '', undefined);
}
if (fs.existsSync(path.join(dir, 'throughput.json'))) {
  const r = read('throughput.json');
  row(`end-to-end charts/s over WebSocket (${r.users} users, ${r.concurrency} in flight each)`, fmt(r.runs_per_s, 1), '>= 80% of render-only', undefined);
}
if (fs.existsSync(path.join(dir, 'sequential.json'))) {
  const r = read('sequential.json');
  row('one bar chart, p50 time to agent_completed (100 sequential)', `${fmt(r.latency_ms.agent_completed.p50)} ms`, '', undefined);
}
console.log('| figure | measured | target | |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(r);
if (fs.existsSync(path.join(dir, 'ramp.txt'))) {
  console.log('\nRamp (p95 time to agent_started, limit 50 ms):\n');
  console.log('```');
  console.log(fs.readFileSync(path.join(dir, 'ramp.txt'), 'utf8').trim().split('\n').slice(-12).join('\n'));
  console.log('```');
}

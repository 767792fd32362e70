'use strict';
// Bytes on the wire per run (all frames of one run, and its agent_completed
// with the inline image), the figure behind the resume-buffer and bandwidth
// arithmetic in deploy/README.md. Not a test.
//   tests/deploy/run_node.sh build/tests/deploy/node-deps run_bytes.js build/app/agentwire
const os = require('os');
const path = require('path');
const { startServer, Conn, stopProcess } = require('./routing_support');

(async () => {
  const dir = path.join(os.tmpdir(), `agentwire-run-bytes-${process.pid}`);
  const s = await startServer(process.argv[2], 'bytes', dir, `${dir}.log`);
  const c = new Conn(`ws://127.0.0.1:${s.port}/ws?user_id=bytes&session_id=s`);
  await c.next(10000, 'ack');
  c.ws.removeAllListeners('message');
  for (const chart of ['bar_chart_vertical', 'line_chart', 'pie_chart', 'scatter_plot']) {
    let total = 0;
    let frames = 0;
    const completed = await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${chart}: no agent_completed in 15 s`)), 15000);
      c.ws.on('message', (d) => {
        total += d.length;
        frames++;
        if (JSON.parse(d).type === 'agent_completed') { clearTimeout(t); c.ws.removeAllListeners('message'); resolve(d.length); }
      });
      c.send({ type: 'analytics_request', correlation_id: `c-${chart}`,
        payload: { content: 'Show quarterly revenue for 2024', chart_preference: chart } });
    });
    console.log(`${chart.padEnd(20)} frames ${frames}  bytes ${total}  agent_completed ${completed}`);
  }
  c.close();
  await stopProcess(s.proc, 'SIGTERM', 10000);
})().catch((e) => { console.error(e.message); process.exit(1); });

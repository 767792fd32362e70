'use strict';
// deploy/nginx/agentwire.conf for real: nginx on a loopback port in front of
// two independent `agentwire --role all` processes (gw-a, gw-b).
//  1. Every connection of a user (query form and path form) lands on one node
//     (connection_ack.node), and the users spread over both nodes; HTTP
//     requests that name the user (?user_id=, X-User-Id, /conversations/U)
//     reach the same node.
//     The chat page loads through nginx with every file it references (the
//     <link>/<script> of index.html and the modules they import), and each
//     user's chart_url, as the server hands it out, reaches the node that
//     holds the chart (the nodes have separate DATA_DIRs: 200 only there).
//  2. One node is killed (SIGKILL). Its users reconnect through nginx with
//     their last_seq and epoch: they land on the other node, get a new epoch
//     and RESUME_GAP (PROTOCOL.md section 6), and can run again. The users of
//     the surviving node stay where they are and resume without a gap.
//   node routing.js AGENTWIRE_BIN REPO_ROOT

const fs = require('fs');
const os = require('os');
const path = require('path');
const { within, startServer, startNginx, httpGet, waitForLog, Conn, stopProcess } = require('./routing_support');

const [bin, root] = process.argv.slice(2);
const USERS = 16;
const STEP_MS = 15000;
// Module-wide so that the overall deadline below can still stop them: main()'s
// own finally does not run while a step is stuck.
const procs = [];

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function runOne(conn, cid) {
  conn.send({ type: 'analytics_request', correlation_id: cid,
    payload: { content: `Show quarterly revenue for 2024 (${cid})`, chart_preference: 'bar_chart_vertical' } });
  const frames = await conn.until((f) => f.type === 'agent_completed' && f.correlation_id === cid, STEP_MS, `run ${cid}`);
  const done = frames[frames.length - 1];
  check(done.data && done.data.status === 'success', `run ${cid} ended ${JSON.stringify(done.data && done.data.status)}`);
  return done;
}

// GET / through nginx, then every file the page references: href/src in
// index.html and the `from './x.js'` imports of each module, transitively.
async function loadChatPage(port) {
  const page = await httpGet(port, '/');
  check(page.status === 200 && /^text\/html/.test(page.headers['content-type'] || ''), `GET / answered ${page.status}`);
  const pending = [...page.body.matchAll(/(?:href|src)="([^"#:]+)"/g)].map((m) => m[1]);
  check(pending.some((f) => f.endsWith('.css')) && pending.some((f) => f.endsWith('.js')), `index.html references ${pending}`);
  const loaded = new Set();
  while (pending.length) {
    const file = pending.shift().replace(/^\.?\//, '');
    if (loaded.has(file)) continue;
    loaded.add(file);
    const r = await httpGet(port, `/${file}`);
    check(r.status === 200 && r.bytes.length > 0, `the page's ${file} answered ${r.status} through nginx`);
    if (file.endsWith('.js'))
      for (const m of r.body.matchAll(/\bfrom\s+'\.\/([^']+)'/g)) pending.push(m[1]);
  }
  return [...loaded];
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agentwire-routing-'));
  const conns = [];
  try {
    const a = await startServer(bin, 'gw-a', path.join(tmp, 'a'), path.join(tmp, 'gw-a.log'));
    procs.push(a.proc);
    const b = await startServer(bin, 'gw-b', path.join(tmp, 'b'), path.join(tmp, 'gw-b.log'));
    procs.push(b.proc);
    const nginx = await startNginx(path.join(tmp, 'nginx'), path.join(root, 'deploy/nginx/agentwire.conf'), [a, b]);
    procs.push(nginx.proc);
    const ws = `ws://127.0.0.1:${nginx.port}`;
    const portOf = { 'gw-a': a.port, 'gw-b': b.port };

    // 1. Stickiness: two connections per user, query form and path form.
    const users = [];
    for (let i = 0; i < USERS; i++) {
      const id = `user-${i}`;
      const q = new Conn(`${ws}/ws?user_id=${id}&session_id=s-q`);
      const p = new Conn(`${ws}/ws/${id}/s-p`);
      conns.push(q, p);
      const ackQ = await q.next(STEP_MS, `${id} ack (query form)`);
      const ackP = await p.next(STEP_MS, `${id} ack (path form)`);
      check(ackQ.type === 'connection_ack' && ackP.type === 'connection_ack', `${id}: first frames ${ackQ.type}, ${ackP.type}`);
      check(ackQ.node === ackP.node, `${id}: query form on ${ackQ.node}, path form on ${ackP.node}`);
      check(ackQ.epoch === ackP.epoch, `${id}: two epochs on one node`);
      users.push({ id, node: ackQ.node, epoch: ackQ.epoch, q, p });
    }
    const onA = users.filter((u) => u.node === 'gw-a');
    const onB = users.filter((u) => u.node === 'gw-b');
    console.log(`${USERS} users: ${onA.length} on gw-a, ${onB.length} on gw-b; both connections of each user on one node`);
    check(onA.length > 0 && onB.length > 0, 'the users did not spread over both gateways');

    // HTTP requests that name the user reach the user's node.
    for (const u of users) {
      const viaQuery = JSON.parse((await httpGet(nginx.port, `/health?user_id=${u.id}`)).body);
      const viaHeader = JSON.parse((await httpGet(nginx.port, '/health', { 'X-User-Id': u.id })).body);
      check(viaQuery.node === u.node, `${u.id}: /health?user_id= on ${viaQuery.node}, connections on ${u.node}`);
      check(viaHeader.node === u.node, `${u.id}: /health with X-User-Id on ${viaHeader.node}, connections on ${u.node}`);
      await httpGet(nginx.port, `/conversations/${u.id}`);
      await httpGet(nginx.port, `/charts/ch-unknown?user_id=${u.id}`);
    }
    const logged = users.flatMap((u) => [`/conversations/${u.id}`, '/charts/ch-unknown'].map((what) => ({ u, what,
      re: new RegExp(`"GET ${what.replace(/[/.-]/g, '\\$&')}" \\d+ \\d+ \\S+ user=${u.id} upstream=(\\S+)`) })));
    const log = await waitForLog(nginx.accessLog, (text) => logged.every((l) => l.re.test(text)), STEP_MS,
      'an access-log line for each /conversations and /charts request');
    for (const { u, what, re } of logged) {
      const upstream = re.exec(log)[1];
      check(upstream === `127.0.0.1:${portOf[u.node]}`, `${u.id}: ${what} not routed to ${u.node} (upstream ${upstream})`);
    }
    check(!/token=|user_id=/.test(log), 'the access log holds query strings');
    console.log('HTTP by ?user_id=, X-User-Id, /conversations/U and /charts/{id}?user_id=U: same node as the user\'s connections');

    const files = await loadChatPage(nginx.port);
    check(files.length >= 6, `the page loaded only ${files.join(', ')}`);
    console.log(`the chat page through nginx: / and its ${files.length} files (${files.join(', ')}) all 200`);

    // One run per user; both connections see it; its chart_url, used as is,
    // reaches the node that rendered it.
    for (const u of users) {
      const done = await runOne(u.q, `c-${u.id}-1`);
      u.lastSeq = done.seq;
      await u.p.until((f) => f.type === 'agent_completed' && f.seq === u.lastSeq, STEP_MS, `${u.id} fan-out`);
      const url = done.data.response.chart_url;
      check(url === `/charts/${url.slice(8).split('?')[0]}?user_id=${u.id}`, `${u.id}: chart_url ${url} does not carry the user`);
      const chart = await httpGet(nginx.port, url);
      check(chart.status === 200 && chart.headers['content-type'] === 'image/png' &&
        chart.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
        `${u.id} (${u.node}): GET ${url} through nginx answered ${chart.status} ${chart.headers['content-type']}`);
    }
    console.log(`each user's chart_url through nginx: a PNG from the user's node (${USERS} users)`);

    // 2. gw-a dies.
    a.proc.kill('SIGKILL');
    for (const u of onA) {
      await u.q.waitClosed(STEP_MS, `${u.id} (gw-a) query connection`);
      await u.p.waitClosed(STEP_MS, `${u.id} (gw-a) path connection`);
    }
    for (const u of onB) check(!u.q.closed && !u.p.closed, `${u.id} on gw-b lost a connection when gw-a died`);

    for (const u of onA) {
      const c = new Conn(`${ws}/ws?user_id=${u.id}&session_id=s-q&last_seq=${u.lastSeq}&epoch=${u.epoch}`);
      conns.push(c);
      const ack = await c.next(STEP_MS, `${u.id} ack after gw-a died`);
      check(ack.type === 'connection_ack' && ack.node === 'gw-b', `${u.id}: reconnected to ${ack.node}, want gw-b`);
      check(ack.epoch !== u.epoch, `${u.id}: same epoch ${ack.epoch} on a node without its history`);
      check(ack.last_seq === 0, `${u.id}: last_seq ${ack.last_seq} on a new node`);
      const gap = await c.next(STEP_MS, `${u.id} RESUME_GAP`);
      check(gap.type === 'error' && gap.code === 'RESUME_GAP', `${u.id}: after ack got ${JSON.stringify(gap).slice(0, 200)}`);
      check(gap.epoch === ack.epoch && gap.oldest_seq === 1, `${u.id}: RESUME_GAP epoch ${gap.epoch} oldest_seq ${gap.oldest_seq}`);
      const { seq } = await runOne(c, `c-${u.id}-2`);
      check(seq > 0, `${u.id}: no seq on the new node`);
    }
    console.log(`gw-a killed: its ${onA.length} users reconnected to gw-b with a new epoch and got RESUME_GAP (oldest_seq 1), then ran again`);

    for (const u of onB) {
      const c = new Conn(`${ws}/ws?user_id=${u.id}&session_id=s-r&last_seq=${u.lastSeq}&epoch=${u.epoch}`);
      conns.push(c);
      const ack = await c.next(STEP_MS, `${u.id} ack on the surviving node`);
      check(ack.node === 'gw-b' && ack.epoch === u.epoch, `${u.id}: moved to ${ack.node} / epoch changed`);
      c.send({ type: 'ping' });
      const next = await c.next(STEP_MS, `${u.id} pong`);
      check(next.type === 'pong', `${u.id}: resume on the surviving node sent ${JSON.stringify(next).slice(0, 200)}`);
    }
    console.log(`the ${onB.length} users of gw-b stayed on gw-b and resumed with their epoch, no gap`);
    console.log('PASS');
  } catch (e) {
    process.exitCode = 1;
    throw e;
  } finally {
    conns.forEach((c) => c.close());
    await Promise.all(procs.map((p) => stopProcess(p, p.spawnfile.endsWith('nginx') ? 'SIGQUIT' : 'SIGTERM', 10000)));
    if (!process.exitCode) fs.rmSync(tmp, { recursive: true, force: true });
    else console.log(`logs kept in ${tmp}`);
  }
}

within(120000, 'the routing test', main()).then(() => process.exit(0), (e) => {
  console.error(`FAIL: ${e.message}`);
  process.exitCode = 1;
  // nginx: its master stops the workers (they would outlive a SIGKILLed master).
  for (const p of procs)
    if (p.exitCode === null && p.signalCode === null) p.kill(p.spawnfile.endsWith('nginx') ? 'SIGTERM' : 'SIGKILL');
  setTimeout(() => process.exit(1), 12000).unref();
});

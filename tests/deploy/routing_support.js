'use strict';
// Processes and clients for routing.js: agentwire servers and nginx on
// loopback ports, a WebSocket connection with a frame queue, bounded waits.

const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');
const WebSocket = require('ws');

function deadline(ms, what) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms).unref());
}
const within = (ms, what, promise) => Promise.race([promise, deadline(ms, what)]);

// Starts `agentwire --role all` on an ephemeral loopback port; resolves with
// {proc, port, node} once its "listening" log line names the port.
function startServer(bin, nodeId, dataDir, logFile) {
  fs.mkdirSync(dataDir, { recursive: true });
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ID: nodeId, DATA_DIR: dataDir,
    ROLE: 'all', RENDER_POOL_SIZE: '1', LOG_LEVEL: 'info', AUTH_SECRET: '', STORE_URL: '' };
  const proc = spawn(bin, [], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const log = fs.createWriteStream(logFile);
  const started = within(30000, `${nodeId} to listen (log ${logFile})`, new Promise((resolve, reject) => {
    let buf = '';
    proc.stderr.on('data', (chunk) => {
      log.write(chunk);
      buf += chunk.toString();
      if (buf.length > 1 << 20) buf = buf.slice(-65536);
      const m = /"msg":"listening"[^\n]*"port":"?(\d+)/.exec(buf);
      if (m) resolve({ proc, port: Number(m[1]), node: nodeId, logFile });
    });
    proc.on('exit', (code, sig) => reject(new Error(`${nodeId} exited (${code ?? sig}) before listening; log ${logFile}`)));
    proc.on('error', reject);
  }));
  // A server that never said "listening" must not outlive the test.
  started.catch(() => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); });
  return started;
}

// nginx writes a request's access-log line after it has sent the response, so
// a client can read the log before the line of its last request is there:
// polls the file until have(text) holds, within ms.
async function waitForLog(file, have, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (have(text)) return text;
    if (Date.now() >= end) throw new Error(`timed out after ${ms} ms: ${what} (${file})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// A request that outlives its deadline is destroyed, not left holding a socket
// (a port held by something that accepts but never answers).
function httpGet(port, urlPath, headers = {}, ms = 10000) {
  return new Promise((resolve, reject) => {
    let timer;
    const fail = (e) => { clearTimeout(timer); reject(e); };
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode, headers: res.headers, bytes, body: bytes.toString() });
      });
      res.on('error', fail);
    });
    timer = setTimeout(() => req.destroy(new Error(`timed out after ${ms} ms: GET ${urlPath}`)), ms);
    req.on('error', fail);
  });
}

// nginx in the foreground with a prefix of its own: the shipped
// agentwire.conf, and agentwire.d/ naming the two loopback backends.
async function startNginx(dir, agentwireConf, backends) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    fs.mkdirSync(path.join(dir, 'agentwire.d'), { recursive: true });
    fs.copyFileSync(agentwireConf, path.join(dir, 'agentwire.conf'));
    fs.writeFileSync(path.join(dir, 'agentwire.d/gateways.conf'),
      backends.map((b) => `server 127.0.0.1:${b.port} max_fails=1 fail_timeout=10s;\n`).join(''));
    const accessLog = path.join(dir, 'access.log');
    fs.writeFileSync(path.join(dir, 'agentwire.d/server.conf'),
      `listen 127.0.0.1:${port};\naccess_log ${accessLog} agentwire;\n`);
    fs.writeFileSync(path.join(dir, 'nginx.conf'), [
      'daemon off;', 'worker_processes 1;', `pid ${dir}/nginx.pid;`, `error_log ${dir}/error.log info;`,
      'events { worker_connections 512; }',
      'http {', ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`),
      '  include agentwire.conf;', '}', ''].join('\n'));
    const bin = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
    const proc = spawn(bin, ['-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf')],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (c) => { stderr += c.toString(); });
    // 'close', not 'exit': stderr is read to the end by then (the bind error).
    const exited = new Promise((resolve) => proc.on('close', () => resolve('exited')));
    // The body tells our nginx from whatever else may hold the port meanwhile.
    const isUp = (r) => r.status === 200 && r.body === 'ok\n';
    for (let i = 0; i < 100; i++) {
      const up = await Promise.race([httpGet(port, '/nginx-health').then(isUp, () => false),
        exited.then(() => 'exited')]);
      if (up === true) return { proc, port, accessLog };
      if (up === 'exited') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
    if (!/Address already in use/.test(stderr)) throw new Error(`nginx did not start: ${stderr}`);
  }
  throw new Error('nginx: no free port after 3 attempts');
}

// One WebSocket with every JSON frame queued, for next()/until().
class Conn {
  constructor(url) {
    this.url = url;
    this.frames = [];
    this.waiters = [];
    this.closed = null;
    this.ws = new WebSocket(url, { handshakeTimeout: 10000, maxPayload: 64 << 20 });
    this.ws.on('message', (data) => {
      let msg;
      try { msg = JSON.parse(data.toString()); } catch { msg = { type: '(not json)' }; }
      this.frames.push(msg);
      this.wake();
    });
    this.ws.on('close', (code) => { this.closed = { code }; this.wake(); });
    this.ws.on('error', (e) => { this.error = e; this.closed = this.closed || { code: -1, error: e.message }; this.wake(); });
    this.pos = 0;
  }
  wake() { const w = this.waiters; this.waiters = []; w.forEach((f) => f()); }
  // The next frame (in order), or a rejection on close/timeout.
  async next(ms, what) {
    const end = Date.now() + ms;
    while (this.pos >= this.frames.length) {
      if (this.closed) throw new Error(`${what}: connection closed (${JSON.stringify(this.closed)}) ${this.url}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`${what}: no frame within ${ms} ms on ${this.url}`);
      await new Promise((r) => { this.waiters.push(r); setTimeout(r, left).unref(); });
    }
    return this.frames[this.pos++];
  }
  // Frames up to and including the first one that satisfies pred (bounded).
  async until(pred, ms, what) {
    const seen = [];
    const end = Date.now() + ms;
    for (let i = 0; i < 10000; i++) {
      const f = await this.next(Math.max(1, end - Date.now()), what);
      seen.push(f);
      if (pred(f)) return seen;
    }
    throw new Error(`${what}: 10000 frames without a match`);
  }
  async waitClosed(ms, what) {
    const end = Date.now() + ms;
    while (!this.closed) {
      const left = end - Date.now();
      if (left <= 0) throw new Error(`${what}: still open after ${ms} ms`);
      await new Promise((r) => { this.waiters.push(r); setTimeout(r, left).unref(); });
    }
    return this.closed;
  }
  send(obj) { this.ws.send(JSON.stringify(obj)); }
  close() { try { this.ws.terminate(); } catch { /* already gone */ } }
}

function stopProcess(proc, signal, ms) {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  const done = new Promise((resolve) => proc.on('exit', resolve));
  proc.kill(signal);
  return Promise.race([done, new Promise((r) => setTimeout(r, ms).unref())]).then(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
}

module.exports = { within, startServer, startNginx, httpGet, waitForLog, Conn, stopProcess };

// A local OpenAI-compatible chat-completions server for the tests (Node.js,
// built-in http only). POST <prefix>/v1/chat/completions answers in the SSE
// chunk format. The mode comes from the URL prefix (/slow/v1/...) or from a
// marker "fake:MODE" in the user's content:
//   normal     many small chunks, then usage and [DONE]
//   slow       ten chunks 150 ms apart
//   ratelimit  odd-numbered requests get 429 with Retry-After: 1, others normal
//   error500   always 500
//   malformed  streams text that is not JSON
//   repair     streams JSON with out-of-range fields (NaN, mismatched lengths, long title)
//   drop       odd-numbered requests: the connection is dropped mid-stream; others normal
//   nousage    normal without the usage chunk
// GET /stats answers {"MODE": requests, ...}. Prints "listening PORT" on stdout.
//
// Configured streams (the load and the limits tests): the prefix
// /cfg/KEY=VALUE,KEY=VALUE/v1/... sets, per request:
//   chunks=N       the answer in N chunks (default 25)
//   latency=MS     spread over MS milliseconds (default 0), first chunk after MS/N
//   unique=1       a title of its own per request (no two charts alike)
//   status=CODE    the first `times` requests of this prefix get CODE (429, 503, ...)
//   retry_after=S  ... with Retry-After: S
//   times=N        how many requests get `status` or `drop_at` (default 1)
//   drop_at=K      the connection is dropped after K chunks (the first `times` requests)
//   endless=line   one data line that never ends (stops at 64 MiB or when the client goes)
//   endless=body   valid chunks without end (stops at 256 MiB or when the client goes)
// GET /cfgstats answers, per prefix: requests, arrivals (ms since start, first 10000),
// open streams now and at most, streams the client closed before the end
// (aborted), and bytes written.
'use strict';
const crypto = require('crypto');
const http = require('http');
const http2 = require('http2');

const counts = {};
const modes = ['normal', 'slow', 'ratelimit', 'error500', 'malformed', 'repair', 'drop', 'nousage'];

function modeOf(url, body) {
  const first = url.split('/')[1];
  if (modes.includes(first)) return first;
  const m = /fake:([a-z0-9]+)/.exec(body);
  if (m && modes.includes(m[1])) return m[1];
  return 'normal';
}

function answerText(mode, content) {
  if (mode === 'malformed') return 'Sure! Here is your chart: {title: revenue, values: [1, 2,';
  if (mode === 'repair') {
    return JSON.stringify({
      title: 'T'.repeat(500), x_label: 'Quarter', y_label: 'Revenue',
      chart_type: 'not_a_chart', labels: ['Q1', 'Q2', 'Q3'],
      values: [10, 'NaN', 30, 40, 50], insights: ['Repaired insight', 7, ''],
      narrative: 'Repaired narrative.'
    }).replace('"NaN"', 'NaN');
  }
  return JSON.stringify({
    // Longer than one 200-character batch: the prose reaches a chat in several pieces.
    reasoning: 'The request asks how revenue moved from quarter to quarter in 2024, so one bar for each quarter shows the level of every quarter and the change between them at a glance, which is what a reader wants here.',
    narrative: 'The model says revenue rose through the year.',
    title: 'Model revenue 2024', x_label: 'Quarter', y_label: 'Revenue (USD)',
    chart_type: 'bar_chart_vertical', labels: ['Q1', 'Q2', 'Q3', 'Q4'],
    values: [45000, 50000, 50000, 61000],
    insights: ['Revenue grew 35.6% from Q1 to Q4', 'Q4 was the strongest quarter at 61000']
  });
}

function chunk(content, finish) {
  return 'data: ' + JSON.stringify({
    id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: 'fake-model',
    choices: [{index: 0, delta: content === null ? {} : {content}, finish_reason: finish}]
  }) + '\n\n';
}

function stream(res, mode, text, withUsage) {
  res.writeHead(200, {'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache'});
  // slow: ten pieces 150 ms apart, so the prose at the start arrives in several of them.
  const size = mode === 'slow' ? Math.ceil(text.length / 10) : 5;
  const pieces = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  const delay = mode === 'slow' ? 150 : 0;
  let i = 0;
  res.write(': keep-alive\n\n');
  const next = () => {
    if (res.destroyed) return;
    if (mode === 'drop' && i === 3) { res.socket.destroy(); return; }
    if (i < pieces.length) {
      // Split one event across two writes to exercise the client's parser.
      const ev = chunk(pieces[i++], null);
      const cut = Math.floor(ev.length / 2);
      res.write(ev.slice(0, cut));
      res.write(ev.slice(cut));
      return delay ? setTimeout(next, delay) : setImmediate(next);
    }
    res.write(chunk(null, 'stop'));
    if (withUsage)
      res.write('data: ' + JSON.stringify({id: 'chatcmpl-fake', object: 'chat.completion.chunk',
        choices: [], usage: {prompt_tokens: 123, completion_tokens: 45, total_tokens: 168}}) + '\n\n');
    res.end('data: [DONE]\n\n');
  };
  next();
}

const started = Date.now();
const cfgStats = {};

function parseCfg(url) {
  const m = /^\/cfg\/([^/]*)\//.exec(url);
  if (!m) return null;
  const cfg = {key: decodeURIComponent(m[1]), chunks: 25, latency: 0, unique: false, status: 0,
    retry_after: null, times: 1, drop_at: -1, endless: ''};
  for (const kv of cfg.key.split(',')) {
    const [k, v] = kv.split('=');
    if (k === 'chunks') cfg.chunks = Math.max(1, Number(v));
    else if (k === 'latency') cfg.latency = Math.max(0, Number(v));
    else if (k === 'unique') cfg.unique = v === '1';
    else if (k === 'status') cfg.status = Number(v);
    else if (k === 'retry_after') cfg.retry_after = v;
    else if (k === 'times') cfg.times = Number(v);
    else if (k === 'drop_at') cfg.drop_at = Number(v);
    else if (k === 'endless') cfg.endless = v;
  }
  return cfg;
}

function statsFor(key) {
  return cfgStats[key] = cfgStats[key] ||
    {requests: 0, arrivals: [], open: 0, max_open: 0, aborted: 0, completed: 0, bytes: 0};
}

// Writes as fast as the client reads, up to `limit` bytes, then ends.
function pump(res, st, piece, limit) {
  let sent = 0;
  const more = () => {
    while (!res.destroyed && sent < limit) {
      sent += piece.length;
      st.bytes += piece.length;
      if (!res.write(piece)) return res.once('drain', more);
    }
    if (!res.destroyed) res.end();
  };
  more();
}

function configured(req, res, cfg, content) {
  const st = statsFor(cfg.key);
  const n = ++st.requests;
  if (st.arrivals.length < 10000) st.arrivals.push(Date.now() - started);
  if (cfg.status && n <= cfg.times) {
    const headers = {'Content-Type': 'application/json'};
    if (cfg.retry_after !== null) headers['Retry-After'] = cfg.retry_after;
    res.writeHead(cfg.status, headers);
    return res.end('{"error":{"message":"configured failure"}}');
  }
  st.open++;
  st.max_open = Math.max(st.max_open, st.open);
  let ended = false;
  let closed = false;
  res.on('close', () => {
    closed = true;
    st.open--;
    if (!ended) st.aborted++;
  });
  res.writeHead(200, {'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache'});
  if (cfg.endless === 'line') return pump(res, st, 'data: ' + 'x'.repeat(65536 - 6), 64 << 20);
  if (cfg.endless === 'body') return pump(res, st, chunk('abcdefghij'.repeat(100), null), 256 << 20);
  let text = answerText('normal', content);
  if (cfg.unique) {
    const h = crypto.createHash('sha1').update(content).digest('hex').slice(0, 10);
    text = text.replace('Model revenue 2024', 'Model revenue ' + h);
  }
  const size = Math.ceil(text.length / cfg.chunks);
  const pieces = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  const gap = cfg.latency / pieces.length;
  const drop = n <= cfg.times ? cfg.drop_at : -1;
  let i = 0;
  const next = () => {
    if (closed) return;
    if (i === drop) return req.socket.destroy();
    if (i < pieces.length) {
      const ev = chunk(pieces[i++], null);
      st.bytes += ev.length;
      res.write(ev);
      return gap ? setTimeout(next, gap) : setImmediate(next);
    }
    res.write(chunk(null, 'stop'));
    res.write('data: ' + JSON.stringify({id: 'chatcmpl-fake', object: 'chat.completion.chunk',
      choices: [], usage: {prompt_tokens: 100, completion_tokens: 50, total_tokens: 150}}) + '\n\n');
    ended = true;
    st.completed++;
    res.end('data: [DONE]\n\n');
  };
  if (gap) setTimeout(next, gap); else next();
}

let lastPrompt = '';  // the messages of the newest chat request (GET /lastprompt)
const tlsStats = {sessions: 0, h2_streams: 0, http1_requests: 0};

function handle(req, res) {
  if (req.method === 'GET' && req.url === '/tlsstats') {
    const text = JSON.stringify(tlsStats);
    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)});
    return res.end(text);
  }
  if (req.method === 'GET' && req.url === '/cfgstats') {
    const text = JSON.stringify(cfgStats);
    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)});
    return res.end(text);
  }
  if (req.method === 'GET' && req.url === '/lastprompt') {
    res.writeHead(200, {'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(lastPrompt)});
    return res.end(lastPrompt);
  }
  if (req.method === 'GET' && req.url === '/stats') {
    const text = JSON.stringify(counts);
    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text)});
    return res.end(text);
  }
  let body = '';
  req.on('data', d => { body += d; });
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
      res.writeHead(404, {'Content-Type': 'application/json'});
      return res.end('{"error":{"message":"not found"}}');
    }
    let parsed = {};
    try { parsed = JSON.parse(body); } catch (e) {
      res.writeHead(400, {'Content-Type': 'application/json'});
      return res.end('{"error":{"message":"bad json"}}');
    }
    const content = (parsed.messages || []).map(m => m.content).join('\n');
    lastPrompt = content;
    const cfg = parseCfg(req.url);
    if (cfg) return configured(req, res, cfg, content);
    const mode = modeOf(req.url, content);
    const n = counts[mode] = (counts[mode] || 0) + 1;
    if (mode === 'ratelimit' && n % 2 === 1) {
      res.writeHead(429, {'Content-Type': 'application/json', 'Retry-After': '1'});
      return res.end('{"error":{"message":"rate limited"}}');
    }
    if (mode === 'error500') {
      res.writeHead(500, {'Content-Type': 'application/json'});
      return res.end('{"error":{"message":"boom"}}');
    }
    const withUsage = mode !== 'nousage' && parsed.stream_options && parsed.stream_options.include_usage;
    const effective = (mode === 'drop' && n % 2 === 0) ? 'normal' : mode;
    stream(res, effective, answerText(mode, content), withUsage);
  });
}

const server = http.createServer(handle);
server.keepAliveTimeout = 30000;

// With a key and a certificate (argv 3 and 4), the same answers also over
// TLS on a second port, HTTP/2 (ALPN h2) or HTTP/1.1; GET /tlsstats on the
// plain port counts its TLS sessions and HTTP/2 streams.
function listenPlain(before) {
  server.listen({port: Number(process.argv[2] || 0), host: '127.0.0.1', backlog: 4096}, () => {
    process.stdout.write(before + 'listening ' + server.address().port + '\n');
  });
}
if (process.argv[3] && process.argv[4]) {
  const fs = require('fs');
  const tls = http2.createSecureServer({key: fs.readFileSync(process.argv[3]),
    cert: fs.readFileSync(process.argv[4]), allowHTTP1: true}, (req, res) => {
    if (req.httpVersionMajor === 2) tlsStats.h2_streams++; else tlsStats.http1_requests++;
    handle(req, res);
  });
  tls.on('secureConnection', () => { tlsStats.sessions++; });
  tls.listen({port: 0, host: '127.0.0.1', backlog: 4096}, () => listenPlain('tls ' + tls.address().port + '\n'));
} else {
  listenPlain('');
}
process.on('SIGTERM', () => process.exit(0));

// POST /agui against the real AG-UI client: @ag-ui/client's HttpAgent, whose
// pipeline validates every event against the @ag-ui/core schemas and runs the
// client's order verifier (verifyEvents) before anything reaches us. Started by
// agui.sh with:
//   AGUI_BASE       a server on the fake OpenAI-compatible model (streamed thoughts)
//   AGUI_AUTH_BASE  a server with AUTH_SECRET set and AGUI_DISCONNECT=cancel, on the
//                   fake model too; AGUI_TOKEN a token for "alice"
// A second, older client (@ag-ui/client 0.0.59, npm alias agui-client-legacy,
// pinned in the same lock file) checks the version negotiation.
'use strict';
const assert = require('node:assert/strict');
const {HttpAgent, verifyEvents, runHttpRequest, transformHttpEventStream} = require('@ag-ui/client');
const {EventSchemas, AgentCapabilitiesSchema} = require('@ag-ui/core/schemas');
const legacy = require('agui-client-legacy');
// The legacy client's own @ag-ui/core (nested: the top-level one is 1.0.0).
const legacyCore = require(require('node:path').join(__dirname, 'node_modules', 'agui-client-legacy',
                                                    'node_modules', '@ag-ui', 'core'));
const {from, lastValueFrom, toArray} = require('rxjs');

const BASE = process.env.AGUI_BASE;
const AUTH_BASE = process.env.AGUI_AUTH_BASE;
const TOKEN = process.env.AGUI_TOKEN;
const RUN_DEADLINE_MS = 20000;

// The client warns (and strips) when an event carries a field its schema does
// not know; our events must need none of that.
const clientWarnings = [];
const warn = console.warn;
console.warn = (...args) => {
  if (String(args[0]).includes('[ag-ui]')) clientWarnings.push(args.join(' '));
  warn(...args);
};

function deadline(promise, ms, what) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

let counter = 0;
// One run through HttpAgent; resolves with every event the agent applied.
async function run({base = BASE, content = 'Show quarterly revenue growth for 2024', props = {},
                    headers = {}, runId, threadId, messages, hooks = () => ({})} = {}) {
  const n = ++counter;
  const agent = new HttpAgent({
    url: base + '/agui', headers, threadId: threadId || `thread-${n}`,
    initialMessages: messages || [{id: `m-${n}`, role: 'user', content}],
  });
  const events = [];
  const subscriber = {
    onEvent: ({event}) => { events.push(event); },
    ...hooks(agent),
  };
  const out = await deadline(agent.runAgent({runId: runId || `run-${n}`, forwardedProps: props},
                                             subscriber), RUN_DEADLINE_MS, 'runAgent');
  return {events, types: events.map(e => e.type), result: out.result, newMessages: out.newMessages,
          agent};
}

async function rejected(promise) {
  try { await promise; } catch (e) { return e; }
  assert.fail('expected the run to be refused');
}

async function getJson(url, headers = {}) {
  const r = await deadline(fetch(url, {headers}), 5000, url);
  return {status: r.status, body: await r.text()};
}

// A request written by hand; resolves with whatever the server answers before closing.
function rawRequest(base, text) {
  const {port} = new URL(base);
  return deadline(new Promise((resolve, reject) => {
    const socket = require('node:net').connect(Number(port), '127.0.0.1', () => socket.write(text));
    let got = '';
    socket.on('data', d => { got += d; });
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
  }), 5000, 'raw request');
}

function metric(text, name) {
  for (const line of text.split('\n'))
    if (line.startsWith(name + ' ')) return Number(line.slice(name.length + 1));
  return 0;
}

async function until(what, check, ms = 5000) {
  const end = Date.now() + ms;
  for (let i = 0; Date.now() < end && i < 500; i++) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 20));
  }
  assert.fail(`${what}: not within ${ms} ms`);
}

// Each TOOL_CALL_START has its ARGS, END and RESULT after it, in that order;
// steps open and close in pairs; nothing follows RUN_FINISHED.
function checkShape(events) {
  const types = events.map(e => e.type);
  assert.equal(types[0], 'RUN_STARTED');
  assert.equal(types[types.length - 1], 'RUN_FINISHED');
  const at = (type, key, id) => events.findIndex(e => e.type === type && e[key] === id);
  const starts = events.filter(e => e.type === 'TOOL_CALL_START');
  assert.ok(starts.length >= 3, 'at least three tool calls');
  for (const s of starts) {
    const i = at('TOOL_CALL_START', 'toolCallId', s.toolCallId);
    const a = at('TOOL_CALL_ARGS', 'toolCallId', s.toolCallId);
    const e = at('TOOL_CALL_END', 'toolCallId', s.toolCallId);
    const r = at('TOOL_CALL_RESULT', 'toolCallId', s.toolCallId);
    assert.ok(i < a && a < e && e < r, `tool call ${s.toolCallName} in order`);
    JSON.parse(events[a].delta);
    assert.equal(JSON.parse(events[r].content).status, 'success');
  }
  assert.deepEqual(starts.map(s => s.toolCallName).filter(n => n !== 'llm_enhance'),
                   ['plan_chart', 'generate_data', 'render_chart']);
  const open = new Set();
  for (const e of events) {
    if (e.type === 'STEP_STARTED') open.add(e.stepName);
    if (e.type === 'STEP_FINISHED') assert.ok(open.delete(e.stepName), e.stepName);
  }
  assert.equal(open.size, 0);
  const steps = events.filter(e => e.type === 'STEP_STARTED').map(e => e.stepName);
  assert.equal(steps[0], 'planning');
  assert.ok(steps.every(s => ['planning', 'analyzing', 'writing'].includes(s)), steps.join());
}

// An SSE response read by hand, so that each event's `id:` is seen:
// resolves with {status, events: [{id, event}], cut}. `stop(event)` true
// aborts the request right after that event (a client that goes away).
async function readSse(url, {method = 'GET', headers = {}, body, stop} = {}) {
  const ctl = new AbortController();
  const r = await deadline(fetch(url, {method, headers, body, signal: ctl.signal}), 5000, url);
  if (r.status !== 200) return {status: r.status, body: await r.text(), events: []};
  const events = [];
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const {value, done} = await deadline(reader.read(), RUN_DEADLINE_MS, 'SSE read');
    if (done) return {status: 200, events, cut: false};
    buf += decoder.decode(value, {stream: true});
    for (let k; (k = buf.indexOf('\n\n')) >= 0;) {
      const block = buf.slice(0, k);
      buf = buf.slice(k + 2);
      let id, data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (!data) continue;
      const event = JSON.parse(data);
      events.push({id, event});
      if (stop && stop(event)) {
        ctl.abort();
        return {status: 200, events, cut: true};
      }
    }
  }
}

function runInput({threadId, runId, content, props = {}, v1 = true}) {
  return JSON.stringify({threadId, runId, state: {}, tools: [], context: [], forwardedProps: props,
    ...(v1 ? {protocolVersion: '1.0'} : {}),
    messages: [{id: `${runId}-m`, role: 'user', content}]});
}

const cursorOf = id => id.split('.').map(Number);
function idsIncrease(list) {
  for (let i = 1; i < list.length; i++) {
    const [a, b] = [cursorOf(list[i - 1].id), cursorOf(list[i].id)];
    assert.ok(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]), `${list[i - 1].id} < ${list[i].id}`);
  }
}

async function verified(events) {
  for (const e of events) EventSchemas.parse(e);
  return lastValueFrom(verifyEvents()(from(events)).pipe(toArray()));
}

// The real 1.0 client joining a run: connectAgent() through HttpAgent's own
// SSE parsing and pipeline, its connect() a GET of the run's events.
class JoinAgent extends HttpAgent {
  constructor(opts) { super(opts); this.joinHeaders = opts.joinHeaders || {}; this.after = opts.after; }
  connect(input) {
    const url = `${this.url}/runs/${encodeURIComponent(input.runId)}/events`;
    const headers = {Accept: 'text/event-stream', ...this.joinHeaders,
                     ...(this.after ? {'Last-Event-ID': this.after} : {})};
    return transformHttpEventStream(runHttpRequest(() => fetch(url, {headers})));
  }
}

async function join(runId, {threadId = 'joined', headers = {}} = {}) {
  const agent = new JoinAgent({url: BASE + '/agui', threadId, joinHeaders: headers});
  const events = [];
  await deadline(agent.connectAgent({runId}, {onEvent: ({event}) => { events.push(event); }}),
                 RUN_DEADLINE_MS, 'connectAgent');
  return {events, types: events.map(e => e.type), agent};
}

function cancelRun(runId, headers = {}, base = BASE) {
  return deadline(fetch(`${base}/agui/runs/${encodeURIComponent(runId)}/cancel`,
                        {method: 'POST', headers}), 5000, 'cancel');
}

function wsOpen(url) {
  return deadline(new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames = [];
    ws.onmessage = m => frames.push(JSON.parse(m.data));
    ws.onopen = () => resolve({ws, frames});
    ws.onerror = e => reject(new Error('websocket: ' + (e.message || 'error')));
  }), 5000, 'websocket open');
}

const checks = {
  async 'a run completes and the client verifier accepts its order'() {
    const {events, types, result, newMessages} = await run({props: {chart_preference: 'bar_chart_vertical'}});
    checkShape(events);
    // The streamed model output: one reasoning message with several pieces.
    const pieces = {};
    for (const e of events)
      if (e.type === 'REASONING_MESSAGE_CONTENT') pieces[e.messageId] = (pieces[e.messageId] || 0) + 1;
    assert.ok(Object.values(pieces).some(n => n > 1), 'partial thoughts stream into one message');
    // The narrative arrives as the assistant's text message.
    const text = events.filter(e => e.type === 'TEXT_MESSAGE_CONTENT').map(e => e.delta).join('');
    assert.match(text, /The model says revenue rose through the year\./);
    const answer = newMessages.find(m => m.role === 'assistant' && typeof m.content === 'string' &&
                                         m.content.includes('revenue rose'));
    assert.ok(answer, 'the narrative is an assistant message in agent.messages');
    const chart = events.find(e => e.type === 'CUSTOM' && e.name === 'agentwire.chart');
    assert.equal(chart.value.data.statistics.count, 4);
    assert.equal(chart.value.metadata.chart_type, 'bar_chart_vertical');
    assert.match(result.chart_url, /^\/charts\/ch-/);
    const img = await deadline(fetch(BASE + result.chart_url), 5000, 'chart');
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/png');
    // The verifier itself, on the collected sequence; and it is not a rubber
    // stamp: the same sequence with a tool call's start removed, or with
    // RUN_FINISHED before the answer is closed, is refused.
    const again = await lastValueFrom(verifyEvents()(from(events)).pipe(toArray()));
    assert.equal(again.length, events.length);
    const noStart = events.filter(e => !(e.type === 'TOOL_CALL_START' && e.toolCallName === 'render_chart'));
    await assert.rejects(lastValueFrom(verifyEvents()(from(noStart)).pipe(toArray())));
    const end = types.indexOf('TEXT_MESSAGE_END');
    const early = [...events.slice(0, end), events[events.length - 1], ...events.slice(end, -1)];
    await assert.rejects(lastValueFrom(verifyEvents()(from(early)).pipe(toArray())));
    assert.deepEqual(clientWarnings, [], 'no field of ours needed stripping');
  },

  async 'bad input gets HTTP 400/422 with the field named'() {
    let e = await rejected(run({messages: []}));
    assert.equal(e.status, 422);
    e = await rejected(run({props: {width: 50}}));
    assert.equal(e.status, 422);
    assert.equal(e.payload.code, 'VALIDATION_FAILED');
    assert.match(e.payload.error, /forwardedProps\.width/);
    e = await rejected(run({props: {chart_preference: 'sankey'}}));
    assert.equal(e.payload.code, 'UNSUPPORTED_CHART_TYPE');
    e = await rejected(run({threadId: 'no spaces allowed'}));
    assert.match(e.payload.error, /threadId/);
    const raw = await deadline(fetch(BASE + '/agui', {method: 'POST', body: '{"threadId":',
      headers: {'Content-Type': 'application/json'}}), 5000, 'raw');
    assert.equal(raw.status, 400);
    assert.equal((await raw.json()).code, 'INVALID_JSON');
    assert.equal((await getJson(BASE + '/agui')).status, 405);
    assert.match(await rawRequest(BASE, 'POST /agui HTTP/1.1\r\nHost: x\r\n' +
                                  'Content-Type: application/json\r\n' +
                                  'Content-Length: 2000000\r\n\r\n'), /^HTTP\/1\.1 413 /);
  },

  async 'POST /agui takes only JSON, and from a browser only its own or a listed origin'() {
    const body = JSON.stringify({threadId: 'thread-origin', runId: 'run-origin', state: {},
      messages: [{id: 'm-origin', role: 'user', content: 'Show monthly revenue'}],
      tools: [], context: [], forwardedProps: {user_id: 'origin-user'}});
    const host = new URL(BASE).host;
    const post = headers => rawRequest(BASE, `POST /agui HTTP/1.1\r\nHost: ${host}\r\n${headers}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    // What a cross-site form or text/plain fetch would send: refused before any run starts.
    assert.match(await post('Content-Type: text/plain\r\n'), /^HTTP\/1\.1 415 /);
    assert.match(await post(''), /^HTTP\/1\.1 415 /);
    assert.match(await post('Content-Type: application/json\r\nOrigin: http://evil.example\r\n'),
                 /^HTTP\/1\.1 403 /);
    const same = await post(`Content-Type: application/json; charset=utf-8\r\nOrigin: http://${host}\r\n`);
    assert.match(same, /^HTTP\/1\.1 200 /);
    assert.match(same, /RUN_FINISHED/);
  },

  async 'a request the session refuses ends with RUN_ERROR'() {
    const props = {user_id: 'dup-user'};
    let started;
    const startedP = new Promise(r => { started = r; });
    const first = run({content: 'fake:slow revenue by quarter', props, runId: 'same-run',
                       hooks: () => ({onRunStartedEvent: () => started()})});
    await deadline(startedP, 10000, 'first run started');
    const second = await run({props, runId: 'same-run'});
    assert.deepEqual(second.types, ['RUN_ERROR']);
    assert.equal(second.events[0].code, 'DUPLICATE_CORRELATION_ID');
    const a = await first;
    checkShape(a.events);
  },

  async 'a stream counts as a connection: over MAX_CONNECTIONS_PER_USER is 429'() {
    const props = {user_id: 'cap-user'};
    const startedPs = [];
    const runs = [0, 1, 2].map(() => {
      let started;
      startedPs.push(new Promise(r => { started = r; }));
      return run({content: 'fake:slow revenue by month', props,
                  hooks: () => ({onRunStartedEvent: () => started()})});
    });
    await deadline(Promise.all(startedPs), 10000, 'three runs started');
    // The open streams are counted: as connections in /health, as streams in /metrics.
    assert.ok(JSON.parse((await getJson(BASE + '/health')).body).active_connections >= 3);
    assert.ok(metric((await getJson(BASE + '/metrics')).body, 'agentwire_agui_streams') >= 3);
    const e = await rejected(run({props}));
    assert.equal(e.status, 429);
    for (const r of await Promise.all(runs)) checkShape(r.events);
    checkShape((await run({props})).events);  // the slots are free again
  },

  async 'AGUI_DISCONNECT=cancel: a client that aborts mid-run has its run cancelled'() {
    const auth = {Authorization: 'Bearer ' + TOKEN};
    const cancelledBefore = metric((await getJson(AUTH_BASE + '/metrics', auth)).body,
                                   'agentwire_runs_total{status="cancelled"}');
    const aborted = await run({
      base: AUTH_BASE, headers: auth, content: 'fake:slow revenue for 2024',
      hooks: (agent) => ({
        onToolCallStartEvent: ({event}) => {
          // With a model, plan_chart asks it (it decides the type): the model is streaming.
          if (event.toolCallName === 'plan_chart') agent.abortRun();
        },
      }),
    });
    assert.ok(!aborted.types.includes('RUN_FINISHED'));
    await until('the server cancels the run', async () =>
      metric((await getJson(AUTH_BASE + '/metrics', auth)).body,
             'agentwire_runs_total{status="cancelled"}') > cancelledBefore);
    await until('no run left', async () =>
      JSON.parse((await getJson(AUTH_BASE + '/health')).body).active_runs === 0);
    checkShape((await run({base: AUTH_BASE, headers: auth})).events);
  },


  async 'every event has an id, and a cut stream resumes with Last-Event-ID: each event once'() {
    const user = {'X-User-Id': 'resume-user'};
    const first = await readSse(BASE + '/agui', {
      method: 'POST', headers: {'Content-Type': 'application/json', ...user},
      body: runInput({threadId: 'thread-resume', runId: 'run-resume',
                      content: 'fake:slow revenue by quarter'}),
      stop: e => e.type === 'TOOL_CALL_START' && e.toolCallName === 'generate_data'});
    assert.ok(first.cut, 'the stream was cut mid-run');
    assert.ok(first.events.every(e => /^\d+\.\d+$/.test(e.id)), 'every event carries an id');
    const last = first.events[first.events.length - 1].id;
    // AGUI_DISCONNECT=continue (the default): the run goes on without a reader.
    const rest = await readSse(BASE + '/agui/runs/run-resume/events',
                               {headers: {'Last-Event-ID': last, ...user}});
    assert.equal(rest.status, 200);
    assert.ok(rest.events.length > 0);
    const union = [...first.events, ...rest.events];
    idsIncrease(union);
    assert.equal(new Set(union.map(e => e.id)).size, union.length, 'no event twice');
    // Nothing missing: the union is what a reader from the start gets (?after= works too).
    const whole = await readSse(BASE + '/agui/runs/run-resume/events?after=0.0', {headers: user});
    const started = first.events[0];
    assert.equal(started.event.type, 'RUN_STARTED');
    assert.deepEqual(union.map(e => e.id), whole.events.map(e => e.id));
    assert.deepEqual(union.map(e => e.event), whole.events.map(e => e.event));
    const events = union.map(e => e.event);
    checkShape(events);  // the run finished with success: it was not cancelled by the cut
    assert.equal((await verified(events)).length, events.length);
    // A cursor from the stream's middle resumes there too.
    const mid = union[Math.floor(union.length / 2)];
    const tail = await readSse(BASE + '/agui/runs/run-resume/events',
                               {headers: {'Last-Event-ID': mid.id, ...user}});
    assert.deepEqual(tail.events.map(e => e.id), union.slice(union.indexOf(mid) + 1).map(e => e.id));
    const m = (await getJson(BASE + '/metrics')).body;
    assert.ok(metric(m, 'agentwire_agui_runs_held') >= 1);
    assert.ok(metric(m, 'agentwire_agui_held_bytes') >= whole.events.reduce((n, e) =>
      n + JSON.stringify(e.event).length, 0), 'the held bytes count the events');
    // Bad cursors, other users and unknown runs.
    assert.equal((await readSse(BASE + '/agui/runs/run-resume/events',
                                {headers: {'Last-Event-ID': 'x', ...user}})).status, 400);
    assert.equal((await readSse(BASE + '/agui/runs/run-resume/events',
                                {headers: {'X-User-Id': 'someone-else'}})).status, 404);
    assert.equal((await readSse(BASE + '/agui/runs/no-such-run/events', {headers: user})).status, 404);
  },

  async 'a second client joins a running run through the 1.0 client (connectAgent)'() {
    const props = {user_id: 'join-user'};
    let started;
    const startedP = new Promise(r => { started = r; });
    const first = run({content: 'fake:slow revenue by region', props, runId: 'run-join',
                       threadId: 'thread-join', hooks: () => ({onRunStartedEvent: () => started()})});
    await deadline(startedP, 10000, 'first run started');
    const joined = await join('run-join', {threadId: 'thread-join', headers: {'X-User-Id': 'join-user'}});
    const a = await first;
    checkShape(a.events);
    // The joiner got the run from its start (replay, then live), and a
    // snapshot of the thread: the request being answered.
    assert.equal(joined.types[1], 'MESSAGES_SNAPSHOT');
    const snap = joined.events[1].messages;
    assert.equal(snap[snap.length - 1].content, 'fake:slow revenue by region');
    const withoutSnapshot = joined.events.filter(e => e.type !== 'MESSAGES_SNAPSHOT');
    checkShape(withoutSnapshot);
    assert.deepEqual(withoutSnapshot.map(e => e.type), a.types);
    assert.ok(joined.agent.messages.some(m => m.role === 'assistant' &&
                                        String(m.content).includes('revenue rose')));
  },

  async 'POST /agui/runs/{runId}/cancel: 202, the run ends cancelled once, then 200; seen by WebSocket'() {
    const user = 'cancel-user';
    const {ws, frames} = await wsOpen(BASE.replace('http', 'ws') + `/ws?user_id=${user}&session_id=s1`);
    const before = metric((await getJson(BASE + '/metrics')).body, 'agentwire_runs_total{status="cancelled"}');
    let answer;
    const r = await run({
      content: 'fake:slow revenue for 2023', props: {user_id: user}, runId: 'run-cancel',
      hooks: () => ({onToolCallStartEvent: ({event}) => {
        // The model streams while plan_chart is open (it decides the type): cancel then.
        if (event.toolCallName === 'plan_chart' && !answer) answer = cancelRun('run-cancel', {'X-User-Id': user});
      }})});
    const res = await answer;
    assert.equal(res.status, 202);
    assert.equal((await res.json()).status, 'cancelling');
    const end = r.events[r.events.length - 1];
    assert.equal(end.type, 'RUN_FINISHED');
    assert.equal(end.outcome.type, 'cancelled');
    assert.equal((await verified(r.events)).length, r.events.length);
    // Idempotent: the run has ended, and says how.
    const again = await cancelRun('run-cancel', {'X-User-Id': user});
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), {runId: 'run-cancel', status: 'ended', outcome: 'cancelled'});
    assert.equal((await cancelRun('no-such-run', {'X-User-Id': user})).status, 404);
    assert.equal((await cancelRun('run-cancel', {'X-User-Id': 'another-user'})).status, 404);
    const get = await deadline(fetch(`${BASE}/agui/runs/run-cancel/cancel`), 5000, 'GET');
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
    const post = await deadline(fetch(`${BASE}/agui/runs/run-cancel/events`, {method: 'POST'}), 5000, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, OPTIONS');
    const preflight = await deadline(fetch(`${BASE}/agui/runs/run-cancel/cancel`, {method: 'OPTIONS'}), 5000, 'OPTIONS');
    assert.equal(preflight.headers.get('allow'), 'POST, OPTIONS');
    // The user's WebSocket saw the same run, ended once.
    await until('the WebSocket sees the end', async () =>
      frames.some(f => f.type === 'agent_completed' && f.correlation_id === 'run-cancel'));
    const ends = frames.filter(f => f.type === 'agent_completed' && f.correlation_id === 'run-cancel');
    assert.equal(ends.length, 1);
    assert.equal(ends[0].data.status, 'cancelled');
    assert.ok(frames.some(f => f.type === 'agent_started' && f.correlation_id === 'run-cancel'));
    assert.equal(metric((await getJson(BASE + '/metrics')).body, 'agentwire_runs_total{status="cancelled"}'),
                 before + 1);
    // Same run, same numbers: the AG-UI ids carry the seq the WebSocket saw.
    const ids = await readSse(BASE + '/agui/runs/run-cancel/events', {headers: {'X-User-Id': user}});
    const wsStarted = frames.find(f => f.type === 'agent_started' && f.correlation_id === 'run-cancel');
    assert.equal(ids.events[0].event.type, 'RUN_STARTED');
    assert.equal(cursorOf(ids.events[0].id)[0], wsStarted.seq);
    const wsEnd = ends[0];
    assert.equal(cursorOf(ids.events[ids.events.length - 1].id)[0], wsEnd.seq);
    ws.close();
  },

  async 'a WebSocket cancel ends an AG-UI run once: the AG-UI client sees it cancelled'() {
    const user = 'wscancel-user';
    const {ws, frames} = await wsOpen(BASE.replace('http', 'ws') + `/ws?user_id=${user}&session_id=s1`);
    let sent = false;
    const r = await run({
      content: 'fake:slow revenue for 2022', props: {user_id: user}, runId: 'run-wscancel',
      hooks: () => ({onToolCallStartEvent: ({event}) => {
        if (event.toolCallName === 'plan_chart' && !sent) {
          sent = true;
          ws.send(JSON.stringify({type: 'cancel', correlation_id: 'run-wscancel'}));
        }
      }})});
    assert.ok(sent);
    const end = r.events[r.events.length - 1];
    assert.equal(end.outcome && end.outcome.type, 'cancelled');
    const res = await cancelRun('run-wscancel', {'X-User-Id': user});
    assert.equal(res.status, 200);  // already ended: nothing more happens
    await until('the WebSocket sees the end', async () =>
      frames.some(f => f.type === 'agent_completed' && f.correlation_id === 'run-wscancel'));
    assert.equal(frames.filter(f => f.type === 'agent_completed' &&
                                    f.correlation_id === 'run-wscancel').length, 1);
    ws.close();
  },

  async 'a thread with history: MESSAGES_SNAPSHOT of its past messages after RUN_STARTED'() {
    const props = {user_id: 'snap-user'};
    const one = await run({threadId: 'thread-snap', runId: 'run-snap-1', props,
                           content: 'Show monthly revenue'});
    checkShape(one.events);
    assert.ok(!one.types.includes('MESSAGES_SNAPSHOT'), 'a new thread has no history');
    // The history writer batches: wait until the first run is stored as done.
    await until('run 1 in the history', async () => {
      const h = await getJson(BASE + '/conversations/snap-user/thread-snap/messages');
      return h.status === 200 && JSON.parse(h.body).messages.some(m => m.status === 'success');
    }, 10000);
    const two = await run({threadId: 'thread-snap', runId: 'run-snap-2', props,
                           messages: [{id: 'm-two', role: 'user', content: 'And by quarter?'}]});
    checkShape(two.events);
    assert.equal(two.types[1], 'MESSAGES_SNAPSHOT');
    const m = two.events[1].messages;
    assert.deepEqual(m.map(x => x.role), ['user', 'assistant', 'user']);
    assert.equal(m[0].content, 'Show monthly revenue');
    assert.match(m[1].content, /revenue rose/);
    assert.deepEqual(m[2], {id: 'm-two', role: 'user', content: 'And by quarter?'});
    // The client's messages now hold the thread: the past turn and both answers.
    const contents = two.agent.messages.map(x => String(x.content));
    assert.ok(contents.includes('Show monthly revenue'));
    assert.equal(two.agent.messages.filter(x => x.role === 'assistant' &&
                                             /revenue rose/.test(String(x.content))).length, 2);
    // A join of that run gets the same snapshot.
    const joined = await join('run-snap-2', {headers: {'X-User-Id': 'snap-user'}});
    assert.deepEqual(joined.events[1], two.events[1]);
  },

  async 'GET /agui/capabilities: AgentCapabilities with transport.resumable'() {
    const r = await getJson(BASE + '/agui/capabilities');
    assert.equal(r.status, 200);
    const caps = AgentCapabilitiesSchema.parse(JSON.parse(r.body));
    assert.equal(caps.transport.resumable, true);
    assert.equal(caps.transport.streaming, true);
  },

  async 'a 0.0.x client (@ag-ui/client 0.0.59): a whole run, and a cancelled one ends with RUN_ERROR'() {
    // The legacy schema refuses what a 1.0 client gets for a cancelled run.
    assert.throws(() => legacyCore.EventSchemas.parse(
      {type: 'RUN_FINISHED', threadId: 't', runId: 'r', outcome: {type: 'cancelled'}}));
    const agentFor = (threadId) => new legacy.HttpAgent({url: BASE + '/agui', threadId,
      initialMessages: [{id: `${threadId}-m`, role: 'user', content: 'fake:slow revenue by week'}]});
    const ok = agentFor('thread-legacy-ok');
    const okEvents = [];
    await deadline(ok.runAgent({runId: 'run-legacy-ok', forwardedProps: {user_id: 'legacy-user'}},
                               {onEvent: ({event}) => { okEvents.push(event); }}), RUN_DEADLINE_MS, 'legacy run');
    checkShape(okEvents);
    const agent = agentFor('thread-legacy-cancel');
    const events = [];
    let answer;
    let failure;
    try {
      await deadline(agent.runAgent({runId: 'run-legacy-cancel', forwardedProps: {user_id: 'legacy-user'}}, {
        onEvent: ({event}) => { events.push(event); },
        onToolCallStartEvent: ({event}) => {
          if (event.toolCallName === 'plan_chart' && !answer)
            answer = cancelRun('run-legacy-cancel', {'X-User-Id': 'legacy-user'});
        }}), RUN_DEADLINE_MS, 'legacy cancelled run');
    } catch (e) {
      failure = e;
    }
    assert.equal((await answer).status, 202);
    const end = events[events.length - 1];
    assert.equal(end.type, 'RUN_ERROR', `ended with ${end.type}; ${failure}`);
    assert.equal(end.code, 'CANCELLED');
    assert.ok(!failure || !/invalid|schema|zod|Expected/i.test(String(failure && failure.message)),
              String(failure));
    await lastValueFrom(legacy.verifyEvents()(from(events)).pipe(toArray()));
    // A 1.0 reader joining the same run gets the 1.0 outcome.
    const joined = await readSse(BASE + '/agui/runs/run-legacy-cancel/events?protocolVersion=1.0',
                                 {headers: {'X-User-Id': 'legacy-user'}});
    const last = joined.events[joined.events.length - 1].event;
    assert.equal(last.type, 'RUN_FINISHED');
    assert.equal(last.outcome.type, 'cancelled');
  },

  async 'with AUTH_SECRET the Bearer token is the user'() {
    let e = await rejected(run({base: AUTH_BASE}));
    assert.equal(e.status, 401);
    e = await rejected(run({base: AUTH_BASE, headers: {Authorization: 'Bearer ' + TOKEN},
                              props: {user_id: 'mallory'}}));
    assert.equal(e.status, 401);
    const ok = await run({base: AUTH_BASE, headers: {Authorization: 'Bearer ' + TOKEN}});
    assert.equal(ok.types[ok.types.length - 1], 'RUN_FINISHED');
    const url = AUTH_BASE + ok.result.chart_url;
    assert.equal((await getJson(url)).status, 401);
    assert.equal((await getJson(url, {Authorization: 'Bearer ' + TOKEN})).status, 200);
  },
};

// Started before the other checks and checked after them: on the auth server
// (EVENT_BUFFER_S=10) a run is held 10 s after its end, then forgotten.
let expiring;
async function startExpiring() {
  const auth = {Authorization: 'Bearer ' + TOKEN};
  const r = await run({base: AUTH_BASE, headers: auth, runId: 'run-expire'});
  const endedAt = Date.now();
  assert.equal(r.types[r.types.length - 1], 'RUN_FINISHED');
  const held = await readSse(AUTH_BASE + '/agui/runs/run-expire/events', {headers: auth});
  assert.equal(held.status, 200);
  assert.equal(held.events[held.events.length - 1].event.type, 'RUN_FINISHED');
  return endedAt;
}
checks['a held run is forgotten EVENT_BUFFER_S after its end: then 404'] = async () => {
  const endedAt = await expiring;
  const auth = {Authorization: 'Bearer ' + TOKEN};
  const wait = endedAt + 10000 - Date.now();
  if (wait > 0) await new Promise(r => setTimeout(r, Math.min(wait, 10000)));  // EVENT_BUFFER_S itself
  await until('the run is forgotten', async () =>
    (await readSse(AUTH_BASE + '/agui/runs/run-expire/events', {headers: auth})).status === 404, 5000);
  assert.equal((await cancelRun('run-expire', auth, AUTH_BASE)).status, 404);
};

(async () => {
  expiring = startExpiring();
  expiring.catch(() => {});  // reported by its check
  const whole = setTimeout(() => { console.error('agui test: over 120 s'); process.exit(1); }, 120000);
  let failed = 0;
  // AGUI_ONLY=<regex> runs only the checks it matches (when chasing one).
  const only = process.env.AGUI_ONLY ? new RegExp(process.env.AGUI_ONLY) : null;
  for (const [name, check] of Object.entries(checks)) {
    if (only && !only.test(name)) continue;
    try {
      await check();
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}\n  ${(e && e.stack) || e}${e && e.cause ? "\n  cause: " + (e.cause.stack || e.cause) : ""}`);
    }
  }
  clearTimeout(whole);
  console.log(`${Object.keys(checks).length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();

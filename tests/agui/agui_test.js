// POST /agui against the real AG-UI client: @ag-ui/client's HttpAgent, whose
// pipeline validates every event against the @ag-ui/core schemas and runs the
// client's order verifier (verifyEvents) before anything reaches us. Started by
// agui.sh with:
//   AGUI_BASE       a server on the fake OpenAI-compatible model (streamed thoughts)
//   AGUI_AUTH_BASE  a server with AUTH_SECRET set, AGUI_TOKEN a token for "alice"
'use strict';
const assert = require('node:assert/strict');
const {HttpAgent, verifyEvents} = require('@ag-ui/client');
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

  async 'a client that aborts mid-run: the run is cancelled and the next run works'() {
    const cancelledBefore = metric((await getJson(BASE + '/metrics')).body,
                                   'agentwire_runs_total{status="cancelled"}');
    const aborted = await run({
      content: 'fake:slow revenue for 2024', props: {user_id: 'abort-user'},
      hooks: (agent) => ({
        onToolCallStartEvent: ({event}) => {
          // With a model, plan_chart asks it (it decides the type): the model is streaming.
          if (event.toolCallName === 'plan_chart') agent.abortRun();
        },
      }),
    });
    assert.ok(!aborted.types.includes('RUN_FINISHED'));
    await until('the server cancels the run', async () =>
      metric((await getJson(BASE + '/metrics')).body, 'agentwire_runs_total{status="cancelled"}') >
        cancelledBefore);
    await until('no run left', async () => JSON.parse((await getJson(BASE + '/health')).body).active_runs === 0);
    checkShape((await run({props: {user_id: 'abort-user'}})).events);
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

(async () => {
  const whole = setTimeout(() => { console.error('agui test: over 120 s'); process.exit(1); }, 120000);
  let failed = 0;
  for (const [name, check] of Object.entries(checks)) {
    try {
      await check();
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}\n  ${(e && e.stack) || e}`);
    }
  }
  clearTimeout(whole);
  console.log(`${Object.keys(checks).length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();

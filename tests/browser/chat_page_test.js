// Real-browser test of the chat page (GET /): headless Debian chromium driven
// by playwright-core, against the real agentwire binary.
//   node chat_page_test.js --port PORT --model-port PORT --out DIR [--chromium /usr/bin/chromium]
// --model-port is a second server on the fake OpenAI-compatible model: its
// runs stream thoughts, and "fake:slow" makes one slow enough to cancel.
'use strict';
const assert = require('assert/strict');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { WsProxy } = require('./ws_proxy');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const serverPort = Number(args.port);
const modelPort = Number(args['model-port']);
const outDir = args.out || '.';
const executablePath = args.chromium || '/usr/bin/chromium';
const WAIT_MS = 20000;
const TEST_BUDGET_MS = 120000;
const FIVE = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'];

let passed = 0;
function check(name, fn) {
  return Promise.resolve(fn()).then(() => {
    passed += 1;
    console.log(`ok - ${name}`);
  });
}

// Polls cond() until true or the deadline; throws with `what`.
async function until(what, cond, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  for (let i = 0; Date.now() < deadline && i < 100000; i += 1) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

// The five event types must all appear, agent_started first, agent_completed
// last and once, in an order a run can have.
function assertTimeline(types, label) {
  assert.equal(types[0], 'agent_started', `${label}: first event`);
  assert.equal(types[types.length - 1], 'agent_completed', `${label}: last event`);
  assert.equal(types.filter((t) => t === 'agent_started').length, 1, `${label}: one agent_started`);
  assert.equal(types.filter((t) => t === 'agent_completed').length, 1, `${label}: one agent_completed`);
  const firsts = FIVE.map((t) => types.indexOf(t));
  assert.ok(firsts.every((i) => i >= 0), `${label}: all five types in ${types.join(',')}`);
  assert.deepEqual([...firsts].sort((a, b) => a - b), firsts, `${label}: five types in order (${types.join(',')})`);
}

// What the page shows for the run with this correlation id.
function runState(page, correlationId) {
  return page.evaluate((cid) => {
    const runs = [...document.querySelectorAll('#log li.run')].filter((r) => r.dataset.correlationId === cid);
    const r = runs[0];
    const img = r && r.querySelector('img.chart-img');
    return {
      count: runs.length,
      status: r ? r.dataset.status : '',
      types: r ? [...r.querySelectorAll('li.ev')].map((e) => e.dataset.type) : [],
      // A line of streamed pieces (partial thoughts) holds all their seqs in data-seqs.
      seqs: r ? [...r.querySelectorAll('li.ev')].flatMap((e) => (e.dataset.seqs
        ? e.dataset.seqs.split(' ').map(Number) : [Number(e.dataset.seq)])) : [],
      imageLoaded: !!(img && img.complete && img.naturalWidth > 0),
      stats: r ? r.querySelectorAll('.stats .stat').length : 0,
      stream: r && !r.querySelector('p.stream').hidden ? r.querySelector('p.stream').textContent : '',
      partials: r ? r.querySelectorAll('li.ev[data-type="agent_thinking"][data-seqs]').length : 0,
      cancelVisible: !!(r && !r.querySelector('button.cancel').hidden),
      insights: r ? r.querySelectorAll('.insights li').length : 0,
      meta: r ? r.querySelector('.run-meta').textContent : '',
      error: r ? r.querySelector('.run-error').textContent : '',
    };
  }, correlationId);
}

async function sendAndTrack(page, submit) {
  const before = await page.$$eval('#log li.run', (rs) => rs.map((r) => r.dataset.correlationId));
  await submit();
  let cid = '';
  await until('the new run card', async () => {
    const now = await page.$$eval('#log li.run', (rs) => rs.map((r) => r.dataset.correlationId));
    cid = now.find((c) => !before.includes(c)) || '';
    return cid !== '';
  });
  return cid;
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const proxy = new WsProxy(serverPort);
  const port = await proxy.listen();
  const base = `http://127.0.0.1:${port}`;
  const userId = `browser-${process.pid}`;
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    timeout: WAIT_MS,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // A failed load is reported by the response below, with its URL.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      const quietHistory = /\/conversations\//.test(r.url()) && [404, 501].includes(r.status());
      if (r.status() >= 400 && !quietHistory) problems.push(`HTTP ${r.status()} for ${r.url()}`);
    });

    await check('GET / serves the page with a Content-Security-Policy', async () => {
      const res = await page.goto(`${base}/`, { waitUntil: 'load' });
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-type'], /^text\/html/);
      assert.match(res.headers()['content-security-policy'] || '', /script-src 'self'/);
    });

    await check('every control has a label', async () => {
      const unlabelled = await page.$$eval('input, select, textarea', (els) => els.filter((e) => e.labels.length === 0).map((e) => e.id));
      assert.deepEqual(unlabelled, []);
      assert.equal(await page.$$eval('#chart-type option', (o) => o.length), 24, 'auto + 23 chart types');
    });

    await check('a user id connects the page', async () => {
      await page.fill('#user-id', userId);
      await page.press('#user-id', 'Enter');
      await until('connected', async () => (await page.getAttribute('#conn-status', 'data-state')) === 'connected');
      assert.equal(proxy.upgrades.length, 1);
      assert.match(proxy.upgrades[0], new RegExp(`user_id=${userId}`));
      assert.doesNotMatch(proxy.upgrades[0], /last_seq/, 'a fresh page does not resume');
    });

    let first = '';
    await check('a request typed and sent with Enter shows the chart and the five events in order', async () => {
      first = await sendAndTrack(page, async () => {
        await page.fill('#request', 'Show quarterly revenue growth for 2024');
        await page.press('#request', 'Enter');
      });
      await until('the first chart to load', async () => (await runState(page, first)).imageLoaded);
      const s = await runState(page, first);
      assert.equal(s.status, 'success');
      assertTimeline(s.types, 'run 1');
      assert.ok(s.stats >= 6 && s.insights >= 1, `statistics (${s.stats}) and insights (${s.insights}) shown`);
    });

    let second = '';
    let cutSeq = 0;
    await check('a WebSocket cut mid-run: the page resumes with last_seq and shows the run once', async () => {
      await page.selectOption('#chart-type', 'bar_chart_horizontal');
      await page.selectOption('#theme', 'corporate');
      // Cut right after this run's agent_started reaches the browser. On the
      // reconnect, after checking the page asked for last_seq = that seq, the
      // proxy asks the server for everything from seq 1 again: every event
      // the page already has comes twice, and it must show each once.
      proxy.killAfter = (text) => text.includes('"type":"agent_started"') && !text.includes(first);
      proxy.rewriteNextUpgrade = (target) => target.replace(/last_seq=\d+/, 'last_seq=0');
      second = await sendAndTrack(page, async () => {
        await page.fill('#request', 'Compare revenue by region for 2024');
        await page.click('#send');
      });
      await until('the cut', () => proxy.killedAfter !== null);
      cutSeq = JSON.parse(proxy.killedAfter).seq;
      await until('the reconnect', () => proxy.upgrades.length >= 2);
      assert.match(proxy.upgrades[1], new RegExp(`[?&]last_seq=${cutSeq}(&|$)`), `resume URL ${proxy.upgrades[1]}`);
      assert.match(proxy.upgrades[1], /[?&]epoch=e-/);
      await until('the second chart to load', async () => (await runState(page, second)).imageLoaded);
      const s = await runState(page, second);
      assert.equal(s.count, 1, 'one card for the run');
      assert.equal(s.status, 'success');
      assertTimeline(s.types, 'run 2');
      assert.equal(s.seqs[0], cutSeq);
      s.seqs.forEach((q, i) => i === 0 || assert.equal(q, s.seqs[i - 1] + 1, `run 2 seqs without gap: ${s.seqs}`));
      assert.match(s.meta, /bar_chart_horizontal/, 'the chosen chart type was used');
    });

    await check('nothing is shown twice across the page', async () => {
      const all = await page.$$eval('#log li.ev', (es) => es.flatMap((e) => (e.dataset.seqs
        ? e.dataset.seqs.split(' ').map(Number) : [Number(e.dataset.seq)])));
      assert.equal(new Set(all).size, all.length, `duplicate seq in ${all}`);
      assert.deepEqual(all, all.map((_, i) => i + 1), 'seq 1..N, each once, in order');
      assert.equal(await page.$$eval('#log li.run', (rs) => rs.length), 2);
      assert.equal(await page.$$eval('#log li.ev[data-type="agent_completed"]', (es) => es.length), 2);
      assert.equal(await page.getAttribute('#conn-status', 'data-state'), 'connected');
    });

    // The screenshot for docs/: the second run, the sidebar as the server has it.
    const screenshot = async () => {
      await page.$eval(`#log li.run[data-correlation-id="${second}"]`, (el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: path.join(outDir, 'chat-page.png') });
    };
    await check('history: listed when the API answers, hidden quietly when not', async () => {
      const res = await fetch(`http://127.0.0.1:${serverPort}/conversations/${userId}`);
      if (res.status === 200) {
        const conv = (await page.textContent('#conv-current')).replace(/^Current: /, '');
        await until('the conversation in the sidebar', async () =>
          (await page.$(`#conversation-list button[data-conversation-id="${conv}"]`)) !== null);
        await screenshot();
        await page.click(`#conversation-list button[data-conversation-id="${conv}"]`);
        await until('the two past runs with their charts (chart_url)', () => page.$$eval('#log li.run', (rs) =>
          rs.length === 2 && rs.every((r) => {
            const img = r.querySelector('img.chart-img');
            return r.dataset.status === 'success' && img && img.complete && img.naturalWidth > 0;
          })));
      } else {
        await screenshot();
        assert.ok([404, 501].includes(res.status), `history answered ${res.status}`);
        assert.equal(await page.isHidden('#history'), true);
        assert.equal(await page.isHidden('#history-note'), true);
      }
    });

    // On the model server: a page of its own, the run's thoughts streamed live, and Cancel.
    const modelPage = await context.newPage();
    modelPage.on('pageerror', (e) => problems.push(`model page error: ${e.message}`));
    const modelUser = `browser-model-${process.pid}`;
    await check('streamed model output is shown as one growing text, then the chart', async () => {
      await modelPage.goto(`http://127.0.0.1:${modelPort}/`, { waitUntil: 'load' });
      await modelPage.fill('#user-id', modelUser);
      await modelPage.press('#user-id', 'Enter');
      await until('connected', async () => (await modelPage.getAttribute('#conn-status', 'data-state')) === 'connected');
      const cid = await sendAndTrack(modelPage, async () => {
        await modelPage.fill('#request', 'Show quarterly revenue for 2024');
        await modelPage.press('#request', 'Enter');
      });
      await until('the model run to end', async () => (await runState(modelPage, cid)).status !== 'running' &&
        (await runState(modelPage, cid)).status !== 'pending');
      const s = await runState(modelPage, cid);
      assert.equal(s.status, 'success', s.error);
      assertTimeline(s.types, 'model run');
      // The fake model streams its answer in small pieces; the page joins the prose (never the JSON).
      assert.match(s.stream, /The model says revenue rose through the year\./, `streamed text: ${s.stream.slice(0, 200)}`);
      assert.doesNotMatch(s.stream, /Model revenue 2024/, 'the structure is not streamed');
      assert.ok(s.partials >= 1, 'the streamed pieces are grouped on a timeline line');
      await until('its chart', async () => (await runState(modelPage, cid)).imageLoaded);
    });

    await check('Cancel on a running run ends it as cancelled, once', async () => {
      const cid = await sendAndTrack(modelPage, async () => {
        await modelPage.fill('#request', 'Show monthly orders fake:slow');
        await modelPage.press('#request', 'Enter');
      });
      await until('the slow run to start', async () => (await runState(modelPage, cid)).status === 'running');
      assert.equal((await runState(modelPage, cid)).cancelVisible, true, 'Cancel shown while running');
      await modelPage.click(`#log li.run[data-correlation-id="${cid}"] button.cancel`);
      await until('the run to end', async () => !['pending', 'running'].includes((await runState(modelPage, cid)).status));
      const s = await runState(modelPage, cid);
      assert.equal(s.status, 'cancelled');
      assert.equal(s.types[0], 'agent_started');
      assert.equal(s.types.filter((t) => t === 'agent_completed').length, 1);
      assert.equal(s.types[s.types.length - 1], 'agent_completed');
      assert.equal(s.cancelVisible, false, 'Cancel hidden once the run is over');
      assert.equal(s.imageLoaded, false, 'no chart for a cancelled run');
    });

    await check('usable 360 px wide: no sideways scrolling, composer visible', async () => {
      await page.setViewportSize({ width: 360, height: 740 });
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(widths[0] <= widths[1], `page ${widths[0]} px wide in a ${widths[1]} px window`);
      assert.equal(await page.isVisible('#send'), true);
      const box = await page.locator('#send').boundingBox();
      assert.ok(box && box.x + box.width <= 360 && box.y + box.height <= 740, `send button at ${JSON.stringify(box)}`);
      await page.screenshot({ path: path.join(outDir, 'chat-page-phone.png') });
    });

    await check('no script errors or CSP violations', () => {
      assert.deepEqual(problems, []);
    });
  } finally {
    await browser.close();
    await proxy.close();
  }
  console.log(`${passed} passed, 0 failed`);
}

const budget = setTimeout(() => {
  console.error(`browser test over its ${TEST_BUDGET_MS} ms budget`);
  process.exit(1);
}, TEST_BUDGET_MS);
main().then(() => clearTimeout(budget), (e) => {
  console.log(`not ok - ${e.stack || e}`);
  console.log(`${passed} passed, 1 failed`);
  process.exit(1);
});

// The agentwire chat page: wires the connection, the run views, the history
// sidebar and the controls together. No framework, no build step.
import { Connection } from './connection.js';
import { RunView } from './run_view.js';
import { History } from './history.js';
import { h } from './dom.js';

const CHART_TYPES = [
  'bar_chart_vertical', 'bar_chart_horizontal', 'bar_chart_grouped', 'bar_chart_stacked',
  'line_chart', 'line_chart_multi', 'area_chart', 'area_chart_stacked',
  'pie_chart', 'donut_chart', 'scatter_plot', 'bubble_chart',
  'histogram', 'box_plot', 'violin_plot', 'heatmap',
  'radar_chart', 'waterfall_chart', 'funnel_chart', 'step_chart',
  'candlestick_chart', 'combo_bar_line', 'pareto_chart',
];
const THEMES = ['modern', 'corporate', 'dark', 'minimal', 'vibrant'];
const ID_RE = /^[A-Za-z0-9_.:@-]{1,128}$/;

const $ = (id) => document.getElementById(id);
const els = {
  status: $('conn-status'), settings: $('settings'), toggleSettings: $('toggle-settings'),
  userId: $('user-id'), token: $('token'), connect: $('connect'), settingsError: $('settings-error'),
  notice: $('notice'), log: $('log'), empty: $('empty'), form: $('composer'), request: $('request'),
  send: $('send'), chartType: $('chart-type'), theme: $('theme'), convCurrent: $('conv-current'),
  newConversation: $('new-conversation'),
};

const store = {
  get: (k) => { try { return localStorage.getItem(k) || ''; } catch (_) { return ''; } },
  set: (k, v) => { try { localStorage.setItem(k, v); } catch (_) { /* private mode */ } },
  getSession: (k) => { try { return sessionStorage.getItem(k) || ''; } catch (_) { return ''; } },
  setSession: (k, v) => { try { sessionStorage.setItem(k, v); } catch (_) { /* private mode */ } },
};

const randomId = (prefix) => `${prefix}${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

const state = {
  userId: '',
  token: '',
  sessionId: store.getSession('aw.session_id') || randomId('s-'),
  conversationId: '',
  runs: new Map(),     // run_id -> RunView
  pending: new Map(),  // correlation_id -> RunView not started yet
  sent: 0,
};
store.setSession('aw.session_id', state.sessionId);

const conn = new Connection({
  onEvent,
  onAck: (ack, resumed) => { if (!resumed) past.load(); },
  onError,
  onGap: (f) => showNotice(`Some events were lost while disconnected; showing what the server still holds (from #${f.oldest_seq}).`),
  onStatus: (s, text) => { els.status.dataset.state = s; els.status.textContent = text; },
});

const past = new History({
  wrap: $('history'), list: $('conversation-list'), more: $('more-conversations'), note: $('history-note'),
}, pickConversation);

let noticeTimer = null;
function showNotice(text) {
  els.notice.textContent = text;
  els.notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { els.notice.hidden = true; }, 15000);
}

function appendView(view) {
  const nearBottom = els.log.scrollHeight - els.log.scrollTop - els.log.clientHeight < 120;
  els.log.append(view.el);
  els.empty.hidden = true;
  if (nearBottom) view.el.scrollIntoView({ block: 'end' });
}

function cancelRun(view) {
  if (view.correlationId) conn.send({ type: 'cancel', correlation_id: view.correlationId });
}

function onEvent(ev) {
  if (typeof ev.run_id !== 'string') return;
  let view = state.runs.get(ev.run_id);
  if (!view) {
    view = state.pending.get(ev.correlation_id);
    if (view) {
      state.pending.delete(ev.correlation_id);
    } else {
      const other = typeof ev.conversation_id === 'string' && ev.conversation_id !== state.conversationId;
      view = new RunView({
        correlationId: ev.correlation_id,
        content: ev.type === 'agent_started' && ev.data ? ev.data.content : '',
        note: other ? `in conversation ${ev.conversation_id}` : '',
        onCancel: cancelRun,
      });
      appendView(view);
    }
    state.runs.set(ev.run_id, view);
  }
  const wasBottom = els.log.scrollHeight - els.log.scrollTop - els.log.clientHeight < 120;
  view.apply(ev);
  if (wasBottom) els.log.scrollTop = els.log.scrollHeight;
  if (ev.type === 'agent_completed') {
    refreshHistorySoon();
    const img = view.el.querySelector('img.chart-img');
    if (img && wasBottom) img.addEventListener('load', () => { els.log.scrollTop = els.log.scrollHeight; }, { once: true });
  }
}

// The history writer stores a finished run shortly after it ends.
let historyTimer = null;
function refreshHistorySoon() {
  clearTimeout(historyTimer);
  historyTimer = setTimeout(() => past.load(), 1000);
}

function onError(f) {
  const code = typeof f.code === 'string' ? f.code : 'ERROR';
  const message = typeof f.message === 'string' ? f.message : '';
  const view = typeof f.correlation_id === 'string' ? state.pending.get(f.correlation_id) : null;
  if (view) {
    state.pending.delete(f.correlation_id);
    view.fail(code, message);
  } else {
    showNotice(`${code}: ${message}`);
  }
}

function sendRequest() {
  const content = els.request.value.trim();
  if (!content) return;
  if (!state.userId) {
    openSettings(true);
    return;
  }
  state.sent += 1;
  const correlationId = randomId(`c-${state.sent}-`);
  const chart = els.chartType.value;
  const frame = {
    type: 'analytics_request',
    message_id: randomId('m-'),
    correlation_id: correlationId,
    conversation_id: state.conversationId,
    payload: { content: content.slice(0, 4000), chart_preference: chart === 'auto' ? null : chart, theme: els.theme.value, format: 'png' },
  };
  const view = new RunView({ correlationId, content, onCancel: cancelRun,
    note: [chart === 'auto' ? '' : chart.replace(/_/g, ' '), els.theme.value].filter(Boolean).join(' · ') });
  if (!conn.send(frame)) {
    view.fail('NOT_CONNECTED', 'Not connected; the request was not sent.');
  } else {
    state.pending.set(correlationId, view);
  }
  appendView(view);
  els.request.value = '';
}

function setConversation(id) {
  state.conversationId = id;
  store.set(`aw.conversation.${state.userId}`, id);
  els.convCurrent.textContent = `Current: ${id}`;
  past.markCurrent(id);
}

function clearLog() {
  els.log.replaceChildren();
  els.empty.hidden = false;
}

async function pickConversation(id, title) {
  setConversation(id);
  clearLog();
  const views = await past.messages(id);
  if (state.conversationId !== id) return;  // another pick came first
  if (!views) {
    showNotice(`Could not load “${title}”.`);
    return;
  }
  for (const v of views) appendView(v);
  els.request.focus();
}

function openSettings(open) {
  els.settings.hidden = !open;
  els.toggleSettings.setAttribute('aria-expanded', String(open));
  if (open) els.userId.focus();
}

function connect() {
  const userId = els.userId.value.trim();
  if (!ID_RE.test(userId)) {
    els.settingsError.textContent = 'A user id is 1–128 of A–Z a–z 0–9 _ . : @ -';
    els.userId.setAttribute('aria-invalid', 'true');
    els.userId.focus();
    return;
  }
  els.userId.removeAttribute('aria-invalid');
  els.settingsError.textContent = '';
  const changed = userId !== state.userId;
  state.userId = userId;
  state.token = els.token.value.trim();
  store.set('aw.user_id', userId);
  store.setSession('aw.token', state.token);
  if (changed) {
    state.runs.clear();
    state.pending.clear();
    clearLog();
  }
  setConversation(store.get(`aw.conversation.${userId}`) || randomId('conv-'));
  past.reset(userId, state.token);
  conn.start(userId, state.token, state.sessionId);
  openSettings(false);
  els.request.focus();
}

function fillSelects() {
  els.chartType.append(h('option', { value: 'auto', text: 'Auto (from the request)' }));
  for (const t of CHART_TYPES) els.chartType.append(h('option', { value: t, text: t.replace(/_/g, ' ') }));
  const savedChart = store.get('aw.chart_type');
  els.chartType.value = savedChart === 'auto' || CHART_TYPES.includes(savedChart) ? savedChart : 'auto';
  const savedTheme = store.get('aw.theme');
  els.theme.value = THEMES.includes(savedTheme) ? savedTheme : 'modern';
  els.chartType.addEventListener('change', () => store.set('aw.chart_type', els.chartType.value));
  els.theme.addEventListener('change', () => store.set('aw.theme', els.theme.value));
}

function init() {
  fillSelects();
  els.form.addEventListener('submit', (e) => { e.preventDefault(); sendRequest(); });
  els.request.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      sendRequest();
    }
  });
  els.connect.addEventListener('click', connect);
  els.userId.addEventListener('keydown', (e) => { if (e.key === 'Enter') connect(); });
  els.token.addEventListener('keydown', (e) => { if (e.key === 'Enter') connect(); });
  els.toggleSettings.addEventListener('click', () => openSettings(els.settings.hidden));
  els.newConversation.addEventListener('click', () => {
    setConversation(randomId('conv-'));
    clearLog();
    els.request.focus();
  });

  const fromUrl = new URLSearchParams(location.search).get('user_id') || '';
  const userId = ID_RE.test(fromUrl) ? fromUrl : store.get('aw.user_id');
  els.token.value = store.getSession('aw.token');
  if (ID_RE.test(userId)) {
    els.userId.value = userId;
    connect();
  } else {
    openSettings(true);
  }
}

init();

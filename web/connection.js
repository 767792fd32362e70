// One WebSocket to agentwire (PROTOCOL.md sections 1, 6, 7): connects with a
// user id, reconnects by itself with backoff and resumes with last_seq and
// epoch, and hands each event on exactly once (by seq).

const EVENT_TYPES = new Set([
  'agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed',
]);
const PING_EVERY_MS = 20000;
const PONG_WITHIN_MS = 10000;
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];
const BACKOFF_MAX_MS = 15000;
const MAX_QUEUED = 20;

export class Connection {
  // handlers: onEvent(ev), onAck(ack), onError(frame), onStatus(state, text),
  // onGap(frame), onOpenedAgain()
  constructor(handlers) {
    this.h = handlers;
    this.ws = null;
    this.userId = '';
    this.token = '';
    this.sessionId = '';
    this.lastSeq = null;   // highest seq handed on; null until the first ack
    this.epoch = '';
    this.attempt = 0;
    this.timer = null;
    this.pingTimer = null;
    this.pongTimer = null;
    this.queue = [];       // frames sent while disconnected, sent on the next ack
    this.ready = false;
    this.stopped = true;
    this.connects = 0;
  }

  start(userId, token, sessionId) {
    this.stop();
    this.userId = userId;
    this.token = token;
    this.sessionId = sessionId;
    this.lastSeq = null;
    this.epoch = '';
    this.attempt = 0;
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.stopHeartbeat();
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      try { ws.close(1000, 'bye'); } catch (_) { /* already closed */ }
    }
    this.ready = false;
    this.queue = [];
  }

  url() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const q = new URLSearchParams({ user_id: this.userId, session_id: this.sessionId });
    if (this.token) q.set('token', this.token);
    if (this.lastSeq !== null) {
      q.set('last_seq', String(this.lastSeq));
      if (this.epoch) q.set('epoch', this.epoch);
    }
    return `${proto}//${location.host}/ws?${q}`;
  }

  open() {
    this.connects += 1;
    const resuming = this.lastSeq !== null;
    this.h.onStatus('connecting', resuming ? `Reconnecting (resume after #${this.lastSeq})…` : 'Connecting…');
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch (e) {
      this.h.onStatus('error', `Cannot connect: ${e.message}`);
      return;
    }
    this.ws = ws;
    ws.onmessage = (m) => this.onMessage(m.data);
    ws.onclose = (e) => this.onClose(e);
    ws.onerror = () => { /* onclose follows and says why */ };
  }

  onMessage(text) {
    let f;
    try { f = JSON.parse(text); } catch (_) { return; }
    if (!f || typeof f !== 'object' || typeof f.type !== 'string') return;
    this.alive();
    if (f.type === 'connection_ack') return this.onAck(f);
    if (f.type === 'pong') return;
    if (f.type === 'error') {
      if (f.code === 'RESUME_GAP') return this.onGap(f);
      return this.h.onError(f);
    }
    if (!EVENT_TYPES.has(f.type) || !Number.isInteger(f.seq)) return;
    // Replay comes in order before live events; anything at or below the
    // newest seq already shown is a repeat and is dropped.
    if (this.lastSeq !== null && f.seq <= this.lastSeq) return;
    this.lastSeq = f.seq;
    this.h.onEvent(f);
  }

  onAck(ack) {
    const first = this.lastSeq === null;
    if (typeof ack.epoch === 'string') {
      // A new epoch means the old seq values mean nothing; the server also
      // says so with RESUME_GAP, which sets lastSeq from oldest_seq.
      if (this.epoch && ack.epoch !== this.epoch) this.h.onStatus('warning', 'The server lost this user’s event history');
      this.epoch = ack.epoch;
    }
    // A fresh page shows only what happens from now on.
    if (first) this.lastSeq = Number.isInteger(ack.last_seq) ? ack.last_seq : 0;
    this.attempt = 0;
    this.ready = true;
    this.startHeartbeat();
    this.h.onAck(ack, !first);
    this.h.onStatus('connected', `Connected as ${this.userId}`);
    const queued = this.queue.splice(0);
    for (const frame of queued) this.ws.send(frame);
  }

  onGap(f) {
    if (typeof f.epoch === 'string') this.epoch = f.epoch;
    // The held events from oldest_seq on come next.
    if (Number.isInteger(f.oldest_seq)) this.lastSeq = Math.max(0, f.oldest_seq - 1);
    this.h.onGap(f);
  }

  onClose(e) {
    this.ws = null;
    this.ready = false;
    this.stopHeartbeat();
    if (this.stopped) return;
    if (e.code === 4000) {
      this.stopped = true;
      this.h.onStatus('error', 'Closed: this user opened too many connections elsewhere. Press Connect to take over.');
      return;
    }
    const why = {
      1001: 'server restarting', 1009: 'message too large', 4001: 'no traffic',
      4002: 'too slow to read',
    }[e.code] || 'connection lost';
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] * (this.attempt >= BACKOFF_MS.length ? 2 : 1);
    const delay = Math.min(BACKOFF_MAX_MS, base) * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    this.h.onStatus('reconnecting', `Disconnected (${why}); reconnecting in ${(delay / 1000).toFixed(1)} s`);
    this.timer = setTimeout(() => this.open(), delay);
  }

  // Frames wait in a short queue while the socket is down; false when full.
  send(obj) {
    const frame = JSON.stringify(obj);
    if (this.ready && this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(frame);
      return true;
    }
    if (this.stopped || this.queue.length >= MAX_QUEUED) return false;
    this.queue.push(frame);
    return true;
  }

  // JSON ping; a connection that does not answer is dropped and resumed,
  // because a browser may not notice a dead TCP connection for minutes.
  startHeartbeat() {
    this.stopHeartbeat();
    this.pingTimer = setInterval(() => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
      this.ws.send('{"type":"ping"}');
      if (!this.pongTimer) this.pongTimer = setTimeout(() => { if (this.ws) this.ws.close(4100, 'no pong'); }, PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  alive() {
    clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  stopHeartbeat() {
    clearInterval(this.pingTimer);
    this.alive();
  }
}

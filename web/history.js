// Past conversations from the history API (PROTOCOL.md section 8). When the
// server has no history (404/501) or it fails, the list stays hidden.
import { h, fmtDate, str, safeImageSrc } from './dom.js';
import { RunView } from './run_view.js';

const TIMEOUT_MS = 10000;
const PAGE = 30;

async function getJson(url, token) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  try {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(url, { headers, signal: ctl.signal, cache: 'no-store' });
    if (!res.ok) return { status: res.status, body: null };
    return { status: res.status, body: await res.json() };
  } catch (_) {
    return { status: 0, body: null };
  } finally {
    clearTimeout(timer);
  }
}

export class History {
  // els: { wrap, list, more, note }; onPick(conversationId, title)
  constructor(els, onPick) {
    this.els = els;
    this.onPick = onPick;
    this.userId = '';
    this.token = '';
    this.nextBefore = null;
    this.nextBeforeId = null;
    this.current = '';
    this.blobUrls = [];
    els.more.addEventListener('click', () => this.load(true));
  }

  reset(userId, token) {
    this.userId = userId;
    this.token = token;
    this.nextBefore = null;
    this.nextBeforeId = null;
    this.els.list.replaceChildren();
    this.els.wrap.hidden = true;
  }

  async load(more = false) {
    if (!this.userId) return;
    // user_id in the query too: a proxy that hashes on ?user_id= (the k8s
    // Ingress) sends the request to the user's gateway.
    const q = new URLSearchParams({ limit: String(PAGE), user_id: this.userId });
    if (more && this.nextBefore !== null) {
      q.set('before', String(this.nextBefore));
      if (this.nextBeforeId) q.set('before_id', this.nextBeforeId);
    }
    const { status, body } = await getJson(`/conversations/${encodeURIComponent(this.userId)}?${q}`, this.token);
    if (status !== 200 || !body || !Array.isArray(body.conversations)) {
      if (!more) this.els.wrap.hidden = true;
      // No history on this server (404/501) or no answer: say nothing.
      const quiet = status === 404 || status === 501 || status === 0;
      this.els.note.hidden = quiet;
      this.els.note.textContent = status === 401 ? 'History needs a valid token.' : 'History is not available right now.';
      return;
    }
    this.els.note.hidden = true;
    this.els.wrap.hidden = false;
    if (!more) this.els.list.replaceChildren();
    for (const c of body.conversations) {
      if (!c || typeof c.conversation_id !== 'string') continue;
      const title = str(c.title, 200) || c.conversation_id;
      const count = Number.isInteger(c.message_count) ? c.message_count : 0;
      const btn = h('button', {
        type: 'button', class: 'conv', 'data-conversation-id': c.conversation_id,
        'aria-current': c.conversation_id === this.current ? 'true' : null,
        onclick: () => this.onPick(c.conversation_id, title),
      }, h('span', { class: 'conv-title', text: title }),
      h('span', { class: 'muted small', text: `${fmtDate(c.updated_at || c.created_at)} · ${count} message${count === 1 ? '' : 's'}` }));
      this.els.list.append(h('li', {}, btn));
    }
    this.nextBefore = body.next_before ?? null;
    this.nextBeforeId = typeof body.next_before_id === 'string' ? body.next_before_id : null;
    this.els.more.hidden = this.nextBefore === null;
  }

  markCurrent(conversationId) {
    this.current = conversationId;
    for (const b of this.els.list.querySelectorAll('button.conv')) {
      if (b.dataset.conversationId === conversationId) b.setAttribute('aria-current', 'true');
      else b.removeAttribute('aria-current');
    }
  }

  // The runs of one past conversation, oldest first, as RunViews.
  async messages(conversationId) {
    for (const u of this.blobUrls.splice(0)) URL.revokeObjectURL(u);
    const url = `/conversations/${encodeURIComponent(this.userId)}/${encodeURIComponent(conversationId)}/messages?${new URLSearchParams({ limit: '100', user_id: this.userId })}`;
    const { status, body } = await getJson(url, this.token);
    if (status !== 200 || !body || !Array.isArray(body.messages)) return null;
    const views = [];
    for (const m of body.messages) {
      if (!m || typeof m !== 'object') continue;
      const req = m.request && typeof m.request === 'object' ? m.request : {};
      const view = new RunView({ correlationId: str(m.correlation_id, 200), content: str(req.content) || str(req.query),
        note: fmtDate(m.created_at) });
      view.timelineBox.hidden = true;
      const outer = m.response && typeof m.response === 'object' ? m.response : null;
      // The stored response is agent_completed's data, or its inner response.
      const r = outer && outer.response && typeof outer.response === 'object' ? outer.response : outer;
      const status = str(m.status, 20) || (outer && str(outer.status, 20)) || '';
      if (!status) {
        view.setStatus('running');
      } else if (status === 'success' && r) {
        view.setStatus('success');
        view.setProgress(1);
        view.showResponse(r, outer && outer.duration_ms, await this.image(r.chart_url));
      } else {
        view.setStatus(['error', 'cancelled', 'timeout'].includes(status) ? status : 'error');
        view.setProgress(1);
        const e = outer && outer.error && typeof outer.error === 'object' ? outer.error : {};
        view.showError(str(e.code, 80) || status.toUpperCase(), str(e.message, 500));
      }
      views.push(view);
    }
    return views;
  }

  // A chart from history: its same-origin URL, fetched with the token when
  // there is one (an <img> cannot send the Authorization header).
  async image(chartUrl) {
    const src = safeImageSrc(chartUrl);
    if (!src || !this.token) return src;
    try {
      const res = await fetch(src, { headers: { Authorization: `Bearer ${this.token}` } });
      if (!res.ok) return '';
      const u = URL.createObjectURL(await res.blob());
      this.blobUrls.push(u);
      return u;
    } catch (_) {
      return '';
    }
  }
}

// One run in the chat log: the request, a live timeline of its events with
// progress and streamed thoughts, then the chart, statistics and insights.
import { h, fmtNumber, fmtTime, fmtMs, str, safeImageSrc } from './dom.js';

const STATUS_TEXT = {
  pending: 'Waiting', running: 'Running', success: 'Done', error: 'Failed',
  cancelled: 'Cancelled', timeout: 'Timed out',
};
const EVENT_LABEL = {
  agent_started: 'Started', agent_thinking: 'Thinking', tool_executing: 'Tool',
  tool_completed: 'Tool done', agent_completed: 'Completed',
};
const STAT_ROWS = [
  ['count', 'Count'], ['sum', 'Sum'], ['mean', 'Mean'], ['median', 'Median'],
  ['min', 'Min'], ['max', 'Max'], ['std_dev', 'Std dev'], ['growth_pct', 'Growth'],
];

export class RunView {
  // opts: { correlationId, content, note, onCancel }
  constructor(opts) {
    this.correlationId = opts.correlationId || '';
    this.runId = '';
    this.progress = 0;
    this.status = 'pending';
    this.toolItems = new Map();
    this.onCancel = opts.onCancel;
    this.build(str(opts.content), opts.note || '');
  }

  build(content, note) {
    this.contentEl = h('p', { class: 'content', text: content || '(request from another window)' });
    this.badge = h('span', { class: 'badge', text: STATUS_TEXT.pending });
    this.bar = h('progress', { max: 100, value: 0, 'aria-label': 'Progress' });
    this.pct = h('span', { class: 'pct', text: '0%' });
    this.cancelBtn = h('button', {
      type: 'button', class: 'ghost cancel', text: 'Cancel', hidden: !this.onCancel,
      onclick: () => this.onCancel && this.onCancel(this),
    });
    this.timeline = h('ol', { class: 'timeline', 'aria-live': 'polite', 'aria-relevant': 'additions' });
    this.timelineCount = h('span', { class: 'muted', text: '' });
    this.timelineBox = h('details', { class: 'timeline-box', open: true },
      h('summary', {}, 'Timeline ', this.timelineCount), this.timeline);
    this.stream = h('p', { class: 'stream', hidden: true, 'aria-live': 'off' });
    this.result = h('div', { class: 'result' });
    this.errorEl = h('p', { class: 'run-error', role: 'alert', hidden: true });
    this.meta = h('p', { class: 'run-meta muted small' });
    this.el = h('li', { class: 'run', 'data-status': 'pending' },
      h('div', { class: 'bubble user' }, this.contentEl, note ? h('p', { class: 'muted small', text: note }) : null),
      h('article', { class: 'bubble agent', 'aria-label': `Answer to: ${content.slice(0, 80)}` },
        h('div', { class: 'run-head' }, this.badge, this.bar, this.pct, this.cancelBtn),
        h('div', { class: 'run-body' },
          h('div', { class: 'run-steps' }, this.timelineBox, this.stream),
          h('div', { class: 'run-out' }, this.errorEl, this.result, this.meta))));
    if (this.correlationId) this.el.dataset.correlationId = this.correlationId;
  }

  setStatus(status) {
    this.status = status;
    this.el.dataset.status = status;
    this.badge.textContent = STATUS_TEXT[status] || status;
    const open = status === 'pending' || status === 'running';
    this.cancelBtn.hidden = !open || !this.onCancel;
  }

  setProgress(p) {
    if (typeof p !== 'number' || !Number.isFinite(p)) return;
    this.progress = Math.max(this.progress, Math.min(1, Math.max(0, p)));
    const v = Math.round(this.progress * 100);
    this.bar.value = v;
    this.pct.textContent = `${v}%`;
  }

  // One event of this run (already de-duplicated by seq).
  apply(ev) {
    const d = ev.data && typeof ev.data === 'object' ? ev.data : {};
    if (!this.runId && typeof ev.run_id === 'string') {
      this.runId = ev.run_id;
      this.el.dataset.runId = ev.run_id;
    }
    if (!this.correlationId && typeof ev.correlation_id === 'string') {
      this.correlationId = ev.correlation_id;
      this.el.dataset.correlationId = ev.correlation_id;
    }
    if (ev.type !== 'agent_completed' && this.status === 'pending') this.setStatus('running');
    this.setProgress(d.progress);
    if (ev.type === 'agent_thinking' && d.partial === true) {
      // Streamed LLM output: one growing text instead of a line per piece.
      this.stream.hidden = false;
      this.stream.textContent = (this.stream.textContent + str(d.thought)).slice(-4000);
      if (this.streamItem) {
        this.streamItem.dataset.seqs += ` ${ev.seq}`;
        return;
      }
    }
    const item = this.addItem(ev, d);
    if (ev.type === 'agent_thinking' && d.partial === true) {
      this.streamItem = item;
      item.dataset.seqs = String(ev.seq);
    } else if (ev.type === 'agent_thinking') {
      this.streamItem = null;
    }
    if (ev.type === 'agent_started') {
      if (this.contentEl.textContent.startsWith('(') && d.content) this.contentEl.textContent = str(d.content);
    } else if (ev.type === 'agent_completed') {
      this.complete(d);
    }
  }

  addItem(ev, d) {
    let text = '';
    if (ev.type === 'agent_started') text = `${str(d.agent, 100) || 'agent'} took the request`;
    else if (ev.type === 'agent_thinking') text = `${str(d.stage, 40)}: ${d.partial ? 'streaming model output…' : str(d.thought, 500)}`;
    else if (ev.type === 'tool_executing') text = `${str(d.tool, 100)}${toolArgs(d.args)}`;
    else if (ev.type === 'tool_completed') text = `${str(d.tool, 100)} ${str(d.status, 20)} in ${fmtMs(d.duration_ms)}`;
    else if (ev.type === 'agent_completed') text = `${str(d.status, 20)} in ${fmtMs(d.duration_ms)}`;
    const item = h('li', { class: `ev ev-${ev.type}`, 'data-type': ev.type, 'data-seq': ev.seq },
      h('span', { class: 'ev-type', text: EVENT_LABEL[ev.type] }),
      h('span', { class: 'ev-text', text }),
      h('time', { class: 'ev-time', datetime: str(ev.timestamp, 40), text: fmtTime(ev.timestamp) }));
    if (ev.type === 'tool_executing' && typeof d.tool_call_id === 'string') {
      item.classList.add('open');
      this.toolItems.set(d.tool_call_id, item);
    }
    if (ev.type === 'tool_completed') {
      const started = this.toolItems.get(d.tool_call_id);
      if (started) started.classList.remove('open');
      if (d.status !== 'success') item.classList.add('bad');
    }
    this.timeline.append(item);
    this.timelineCount.textContent = `(${this.timeline.children.length} events)`;
    return item;
  }

  complete(d) {
    const status = ['success', 'error', 'cancelled', 'timeout'].includes(d.status) ? d.status : 'error';
    this.setStatus(status);
    this.setProgress(1);
    if (status === 'success' && d.response && typeof d.response === 'object') {
      this.showResponse(d.response, d.duration_ms);
    } else {
      const e = d.error && typeof d.error === 'object' ? d.error : {};
      this.showError(str(e.code, 80) || status.toUpperCase(), str(e.message, 500) ||
        (status === 'timeout' ? 'The run took too long.' : status === 'cancelled' ? 'The run was cancelled.' : 'The run failed.'));
    }
    // On a phone the finished timeline folds away; the answer matters now.
    if (window.matchMedia('(max-width: 720px)').matches) this.timelineBox.open = false;
  }

  // An error frame about this request (for example VALIDATION_FAILED).
  fail(code, message) {
    if (this.status !== 'pending' && this.status !== 'running') return;
    this.setStatus('error');
    this.showError(str(code, 80), str(message, 500));
  }

  showError(code, message) {
    this.errorEl.hidden = false;
    this.errorEl.replaceChildren(h('strong', { text: code }), ` ${message}`);
  }

  // response (PROTOCOL.md 3.1); imageSrc overrides response.chart (history).
  showResponse(r, durationMs, imageSrc) {
    const meta = r.metadata && typeof r.metadata === 'object' ? r.metadata : {};
    const title = str(meta.title, 300) || this.contentEl.textContent;
    const src = imageSrc !== undefined ? imageSrc : safeImageSrc(r.chart) || safeImageSrc(r.chart_url);
    const parts = [];
    if (src) {
      const img = h('img', { class: 'chart-img', alt: `Chart: ${title}`, src, decoding: 'async' });
      img.addEventListener('error', () => img.replaceWith(h('p', { class: 'muted', text: 'The chart image is no longer available.' })));
      const links = [];
      if (src.startsWith('data:')) {
        const ext = src.startsWith('data:image/svg') ? 'svg' : 'png';
        links.push(h('a', { href: src, download: `chart.${ext}`, text: `Download ${ext.toUpperCase()}` }));
      }
      parts.push(h('figure', { class: 'chart' }, img, h('figcaption', {}, title, ' ', ...links)));
    }
    const stats = r.data && typeof r.data === 'object' ? r.data.statistics : null;
    if (stats && typeof stats === 'object') {
      const rows = STAT_ROWS.filter(([k]) => typeof stats[k] === 'number').map(([k, label]) =>
        h('div', { class: 'stat' }, h('dt', { text: label }),
          h('dd', { text: k === 'growth_pct' ? `${fmtNumber(stats[k])}%` : fmtNumber(stats[k]) })));
      if (rows.length) parts.push(h('section', { class: 'stats', 'aria-label': 'Statistics' }, h('h3', { text: 'Statistics' }), h('dl', {}, rows)));
    }
    const insights = Array.isArray(r.insights) ? r.insights.filter((x) => typeof x === 'string').slice(0, 20) : [];
    if (insights.length) {
      parts.push(h('section', { class: 'insights', 'aria-label': 'Insights' }, h('h3', { text: 'Insights' }),
        h('ul', {}, insights.map((t) => h('li', { text: t.slice(0, 1000) })))));
    }
    if (typeof r.narrative === 'string' && r.narrative) parts.push(h('p', { class: 'narrative', text: r.narrative.slice(0, 4000) }));
    this.result.replaceChildren(...parts);
    this.meta.textContent = [str(meta.chart_type, 60), str(meta.llm_provider, 60), str(meta.data_source, 40),
      fmtMs(durationMs)].filter(Boolean).join(' · ');
  }
}

function toolArgs(args) {
  if (!args || typeof args !== 'object') return '';
  const keys = ['chart_type', 'theme', 'format', 'model'];
  const shown = keys.filter((k) => typeof args[k] === 'string' && args[k]).map((k) => `${k}=${args[k].slice(0, 40)}`);
  return shown.length ? ` (${shown.join(', ')})` : '';
}

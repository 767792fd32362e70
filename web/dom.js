// Tiny DOM helpers. Text always goes in as text (never as HTML): every field
// of a server frame is treated as untrusted.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

export function fmtNumber(x) {
  return typeof x === 'number' && Number.isFinite(x) ? numberFormat.format(x) : '–';
}

export function fmtTime(ts) {
  const d = ts ? new Date(ts) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function fmtDate(ts) {
  const d = ts ? new Date(ts) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function fmtMs(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function str(x, max = 4000) {
  return typeof x === 'string' ? x.slice(0, max) : '';
}

// Only images the page may show: data: PNG/SVG and same-origin paths.
export function safeImageSrc(src) {
  if (typeof src !== 'string') return '';
  if (/^data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(src)) return src;
  // chart_url: /charts/{id}?user_id={user} (the query routes it to the user's gateway).
  if (/^\/charts\/[A-Za-z0-9_-]+(\?user_id=[A-Za-z0-9_.*%-]+)?$/.test(src)) return src;
  return '';
}

// A TCP proxy between the browser and agentwire, so the test can cut a
// WebSocket in the middle of a run the way a network does (the browser sees
// the TCP connection end without a close frame), see the URL each WebSocket
// connects with, and optionally rewrite a reconnect's last_seq.
'use strict';
const net = require('net');

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER = 16384;

class WsProxy {
  constructor(upstreamPort) {
    this.upstreamPort = upstreamPort;
    this.upgrades = [];          // request targets of every WebSocket upgrade, in order
    this.killAfter = null;       // (frameText) => bool: cut the WebSocket right after that frame
    this.killedAfter = null;     // the frame text the cut came after
    this.rewriteNextUpgrade = null;  // (target) => target, applied once
    this.sockets = new Set();
    this.server = net.createServer((client) => this.accept(client));
  }

  listen() {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve(this.server.address().port));
    });
  }

  close() {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  accept(client) {
    const upstream = net.connect(this.upstreamPort, '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    let cut = false;  // after a cut the client side only ends, so the last frame is delivered
    const done = () => { client.destroy(); upstream.destroy(); this.sockets.delete(client); this.sockets.delete(upstream); };
    client.on('error', done);
    client.on('close', done);
    upstream.on('error', () => { if (!cut) done(); });
    upstream.on('close', () => { if (!cut) done(); });

    // Client -> server: hold the request head to see whether it is a
    // WebSocket upgrade; after it, pass bytes through as they come.
    let head = Buffer.alloc(0);
    let isWs = false;
    let headDone = false;
    client.on('data', (chunk) => {
      if (headDone) return upstream.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(HEADER_END);
      if (end < 0) {
        if (head.length > MAX_HEADER) done();
        return;
      }
      headDone = true;
      let text = head.subarray(0, end).toString('latin1');
      const rest = head.subarray(end);
      const m = /^GET (\/ws\S*) HTTP\/1\.1\r\n/.exec(text);
      if (m) {
        isWs = true;
        this.upgrades.push(m[1]);
        if (this.rewriteNextUpgrade) {
          const target = this.rewriteNextUpgrade(m[1]);
          this.rewriteNextUpgrade = null;
          text = text.replace(m[1], target);
        }
      }
      upstream.write(Buffer.concat([Buffer.from(text, 'latin1'), rest]));
    });

    // Server -> client: for a WebSocket, forward frame by frame after the
    // 101 response, so a cut can come exactly after a chosen frame.
    let buf = Buffer.alloc(0);
    let responseDone = false;
    upstream.on('data', (chunk) => {
      if (cut) return;
      if (!isWs) return client.write(chunk);
      buf = Buffer.concat([buf, chunk]);
      if (!responseDone) {
        const end = buf.indexOf(HEADER_END);
        if (end < 0) return;
        responseDone = true;
        client.write(buf.subarray(0, end + 4));
        buf = buf.subarray(end + 4);
      }
      for (;;) {
        const frame = nextFrame(buf);
        if (!frame) return;
        buf = buf.subarray(frame.length);
        client.write(frame.bytes);
        if (frame.opcode === 1 && this.killAfter && this.killAfter(frame.text)) {
          this.killAfter = null;
          this.killedAfter = frame.text;
          cut = true;
          client.end();        // the browser gets the frame, then the TCP end
          upstream.destroy();  // and the server loses the connection
          return;
        }
      }
    });
  }
}

// One complete unmasked server frame at the start of buf, or null.
function nextFrame(buf) {
  if (buf.length < 2) return null;
  const opcode = buf[0] & 0x0f;
  let len = buf[1] & 0x7f;
  let off = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    off = 4;
  } else if (len === 127) {
    if (buf.length < 10) return null;
    len = Number(buf.readBigUInt64BE(2));
    off = 10;
  }
  if (buf.length < off + len) return null;
  const payload = buf.subarray(off, off + len);
  return { opcode, length: off + len, bytes: buf.subarray(0, off + len), text: opcode === 1 ? payload.toString('utf8') : '' };
}

module.exports = { WsProxy };

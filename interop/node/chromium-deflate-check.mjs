#!/usr/bin/env node
// Manual interop check of permessage-deflate with Chromium (not run by the test suite: the machines do not have a
// browser). Needs a running server in development mode with websocket.compression on, and Chromium's headless
// shell (Debian: apt-get install chromium-headless-shell) or chromium.
//
//   node chromium-deflate-check.mjs http://127.0.0.1:PORT [--browser chromium-headless-shell]
//
// Chromium opens a WebSocket to /ws (it offers `permessage-deflate; client_max_window_bits`), calls `ping`; this
// script then broadcasts a 4 KB notification and a small one through the HTTP API, and the page returns what it
// received. Driven over the DevTools protocol with `ws`. Prints one JSON object:
//   {"ok":bool,"browser":"...","extensions":"<socket.extensions>","payloadsMatch":bool,"problems":[...]}
// Exit code 0 when Chromium negotiated server_no_context_takeover and read both notifications intact.
import { spawn } from 'node:child_process';
import WebSocket from 'ws';

const base = process.argv[2];
const browserIndex = process.argv.indexOf('--browser');
const browser = browserIndex > 0 ? process.argv[browserIndex + 1] : 'chromium-headless-shell';
if (!base || !/^http:\/\//.test(base)) {
  process.stderr.write('usage: node chromium-deflate-check.mjs http://127.0.0.1:PORT [--browser BINARY]\n');
  process.exit(2);
}
const wsUrl = base.replace(/^http/, 'ws') + '/ws';
const port = 9300 + Math.floor(Math.random() * 500);
const chrome = spawn(browser, ['--headless', '--no-sandbox', '--disable-gpu', `--remote-debugging-port=${port}`,
  'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
const done = (result) => {
  chrome.kill();
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(result.ok ? 0 : 1));
};
setTimeout(() => done({ ok: false, problems: ['gave up after 60 s'] }), 60000).unref();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function pageSocket() {
  for (let i = 0; i < 100; i++) {
    try {
      const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      const page = targets.find((t) => t.type === 'page');
      if (page) return page.webSocketDebuggerUrl;
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  throw new Error('Chromium did not open its DevTools port');
}

function devtools(url) {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  let id = 0;
  const pending = new Map();
  socket.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    if (pending.has(msg.id)) pending.get(msg.id)(msg);
  });
  const evaluate = (expression) => new Promise((resolve, reject) => {
    const n = ++id;
    pending.set(n, (msg) => {
      if (msg.error || msg.result.exceptionDetails) reject(new Error(JSON.stringify(msg.error ?? msg.result.exceptionDetails)));
      else resolve(msg.result.result.value);
    });
    socket.send(JSON.stringify({ id: n, method: 'Runtime.evaluate',
      params: { expression, awaitPromise: true, returnByValue: true } }));
  });
  return new Promise((resolve) => socket.once('open', () => resolve({ evaluate, close: () => socket.close() })));
}

async function broadcast(payload) {
  const answer = await fetch(`${base}/api/v1/notifications/broadcast`, { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event_type: 'chromium', payload }) });
  if (answer.status !== 200) throw new Error(`broadcast answered ${answer.status}: ${await answer.text()}`);
}

async function main() {
  const page = await devtools(await pageSocket());
  const version = await page.evaluate('navigator.userAgent');
  await page.evaluate(`new Promise((resolve, reject) => {
    const ws = new WebSocket(${JSON.stringify(wsUrl)});
    window.received = [];
    ws.onerror = () => reject(new Error('WebSocket error'));
    ws.onclose = (e) => window.received.push({ closed: e.code + ' ' + e.reason });
    ws.onmessage = (e) => {
      window.received.push(e.data);
      if (JSON.parse(e.data).id === 1) resolve(true);
    };
    ws.onopen = () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
    window.socket = ws;
  })`);
  const large = { items: Array.from({ length: 60 }, (_, i) => ({ id: `ord_${(i * 2654435761 % 4294967296).toString(16)}`,
    status: ['shipped', 'pending', 'delivered'][i % 3], amount: (i * 7919) % 100000 })) };
  const small = { small: true };
  await broadcast(large);
  await broadcast(small);
  const result = await page.evaluate(`new Promise((resolve) => {
    const check = () => {
      const notes = window.received.filter((m) => typeof m === 'string' && JSON.parse(m).method === 'notification');
      if (notes.length >= 2) resolve({ extensions: window.socket.extensions, notes, all: window.received.length });
      else setTimeout(check, 20);
    };
    check();
  })`);
  page.close();
  const payloads = result.notes.map((n) => JSON.parse(n).params.payload);
  const payloadsMatch = JSON.stringify(payloads) === JSON.stringify([large, small]);
  const negotiated = /permessage-deflate/.test(result.extensions) && /server_no_context_takeover/.test(result.extensions);
  done({ ok: payloadsMatch && negotiated, browser: version, extensions: result.extensions, payloadsMatch,
    largeBytes: JSON.stringify(large).length, problems: [] });
}

main().catch((e) => done({ ok: false, problems: [e && e.stack ? e.stack : String(e)] }));

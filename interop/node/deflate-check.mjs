#!/usr/bin/env node
// Interop check of permessage-deflate against a running Switchboard server with compression on, with the `ws`
// package's defaults (it offers `permessage-deflate; client_max_window_bits`, as browsers do).
//
//   node deflate-check.mjs ws://127.0.0.1:PORT/ws [--devices N] [--notifications N]
//
// Opens N connections (3 by default), calls `ping` on each (the server has registered it once answered) and
// `echo` with a 4 KB string (ws compresses the request, the server its answer), then prints
//   {"event":"ready","extensions":"<the server's Sec-WebSocket-Extensions>"}
// and waits until every connection has N notifications (4 by default; the caller broadcasts them). Then prints
//   {"ok":true|false,"extensions":[...per connection],"echoOk":bool,"payloads":[JSON text of connection 0's
//    notification payloads, in order],"allSame":bool,"notificationBytes":N,"wireBytes":N,"problems":[...]}
// where notificationBytes is the size of the notifications as JSON text on one connection and wireBytes what that
// connection read off its socket meanwhile. Exits 0 when every check held, 1 otherwise, 2 on bad usage. Every wait
// is bounded.
import WebSocket from 'ws';

const TIMEOUT_MS = 10000;
const log = (msg) => process.stderr.write(`[deflate-check] ${msg}\n`);

function usage(msg) {
  process.stderr.write(`deflate-check: ${msg}\nusage: node deflate-check.mjs ws://HOST:PORT/ws [--devices N] ` +
    '[--notifications N]\n');
  process.exit(2);
}

const args = process.argv.slice(2);
const url = args.shift();
if (!url || !/^wss?:\/\//.test(url)) usage('a ws:// URL is required');
let devices = 3;
let expected = 4;
while (args.length > 0) {
  const arg = args.shift();
  if (arg === '--devices') devices = Number(args.shift());
  else if (arg === '--notifications') expected = Number(args.shift());
  else usage(`unknown argument: ${arg}`);
}
if (!Number.isInteger(devices) || devices < 1 || !Number.isInteger(expected) || expected < 1) {
  usage('--devices and --notifications must be integers >= 1');
}

const emit = (obj, then) => process.stdout.write(JSON.stringify(obj) + '\n', then);
const problems = [];
const hardLimit = setTimeout(() => finish({ ok: false, problems: [...problems, 'gave up after 60 s'] }), 60000);
hardLimit.unref();

function finish(result) {
  clearTimeout(hardLimit);
  emit(result, () => process.exit(result.ok ? 0 : 1));
}

function withTimeout(promise, label) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${TIMEOUT_MS} ms: ${label}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

// One connection: answers by id, notifications in order, the bytes read off its socket.
function open(index) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const device = { ws, index, extensions: null, answers: new Map(), waiters: new Map(), notifications: [],
      onNotification: null };
    ws.once('upgrade', (res) => { device.extensions = res.headers['sec-websocket-extensions'] ?? ''; });
    ws.once('open', () => resolve(device));
    ws.on('error', (e) => { problems.push(`connection ${index}: ${e.message}`); reject(e); });
    ws.on('close', (code, reason) => problems.push(`connection ${index} closed: ${code} ${reason}`));
    ws.on('message', (data) => {
      let msg;
      try {
        msg = JSON.parse(data.toString('utf8'));
      } catch {
        problems.push(`connection ${index}: not JSON: ${String(data).slice(0, 100)}`);
        return;
      }
      if (msg.method === 'notification') {
        device.notifications.push(data.toString('utf8'));
        if (device.onNotification) device.onNotification();
      } else if (msg.method !== undefined) {
        if (msg.id !== undefined && msg.id !== null) ws.send(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: 'pong' }));
      } else {
        const waiter = device.waiters.get(msg.id);
        if (waiter) waiter(msg);
      }
    });
  });
}

function call(device, id, method, params) {
  const answer = new Promise((resolve) => device.waiters.set(id, resolve));
  device.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) }));
  return withTimeout(answer, `${method} on connection ${device.index}`);
}

function notifications(device) {
  return withTimeout(new Promise((resolve) => {
    const check = () => { if (device.notifications.length >= expected) resolve(device.notifications); };
    device.onNotification = check;
    check();
  }), `${expected} notifications on connection ${device.index}`);
}

async function main() {
  const all = await withTimeout(Promise.all(Array.from({ length: devices }, (_, i) => open(i))), 'connecting');
  const text = Array.from({ length: 200 }, (_, i) => `item-${i}:${(i * 7919) % 1000}`).join(',').slice(0, 4096);
  let echoOk = true;
  for (const device of all) {
    await call(device, 1, 'ping');
    const answer = await call(device, 2, 'echo', [text]);
    if (answer.result !== text) {
      echoOk = false;
      problems.push(`connection ${device.index}: echo answered ${JSON.stringify(answer).slice(0, 100)}`);
    }
  }
  const readBefore = all[0].ws._socket.bytesRead;
  emit({ event: 'ready', extensions: all[0].extensions });
  const received = await Promise.all(all.map(notifications));
  const wireBytes = all[0].ws._socket.bytesRead - readBefore;
  const payloads = received[0].map((n) => JSON.stringify(JSON.parse(n).params.payload));
  const allSame = received.every((r) => JSON.stringify(r) === JSON.stringify(received[0]));
  const extensions = all.map((d) => d.extensions);
  const negotiated = extensions.every((e) => /permessage-deflate/.test(e) && /server_no_context_takeover/.test(e));
  if (!negotiated) problems.push(`not negotiated as expected: ${JSON.stringify(extensions)}`);
  if (!allSame) problems.push('the connections got different notifications');
  for (const device of all) device.ws.terminate();
  finish({ ok: echoOk && allSame && negotiated && problems.length === 0, extensions, echoOk, payloads, allSame,
    notificationBytes: received[0].reduce((sum, n) => sum + Buffer.byteLength(n), 0), wireBytes, problems });
}

main().catch((e) => finish({ ok: false, problems: [...problems, e && e.stack ? e.stack : String(e)] }));

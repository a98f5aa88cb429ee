#!/usr/bin/env node
// Independent push subscribers for `switchboard bench fanout --client node`: the clients users use, with their
// defaults, holding a share of the devices of one system.
//   switchboard  ws (perMessageDeflate offered, as by default), our device protocol: ws://HOST:PORT<path> where
//                <path> is /ws?token=<JWT> (one line per device in --paths-file), then
//                {"jsonrpc":"2.0","id":1,"method":"subscribe","params":{"channels":[CHANNEL]}}; notifications
//                arrive as {"jsonrpc":"2.0","method":"notification","params":{...,"payload":<bench payload>}};
//                the server's rpc.ping is answered "pong".
//   socketio     socket.io-client io(URL, {transports:["websocket"], auth:{user}, forceNew:true,
//                reconnection:false}), then emit("subscribe", {channels:[CHANNEL]}, ack); events "notification".
//
// The bench payload is {"bench_seq":N,"bench_t":T,...}: T is the Java publisher's System.nanoTime(), which on
// Linux reads CLOCK_MONOTONIC, as process.hrtime.bigint() does; so now - T is the delivery latency. (T as a
// double loses at most a few ns.)
//
// stdout, one JSON object a line:
//   {"event":"ready","devices":N,...}      every device subscribed (or {"ok":false,"failure":..} and exit 1)
//   {"done":SEQ}                           every device of this process has message SEQ
//   {"ok":true,...}                        the results, after the parent wrote "report FROM TO" on stdin; with
//                                          wireBytes (ws: bytes read off the sockets since ready) and deliveries
//                                          (every notification received since ready)
// stderr: progress. Exits when stdin ends.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { forEachOption } from './cli.mjs';

const log = (msg) => process.stderr.write(`[fanout-client ${process.pid}] ${msg}\n`);

function parseArgs(argv) {
  const o = { system: null, url: null, pathsFile: null, userFrom: 0, devices: 0, channel: 'bench', handshakes: 100,
    connectSeconds: 120 };
  forEachOption(argv, usage, (arg, next) => {
    switch (arg) {
      case '--system': o.system = next(); break;
      case '--url': o.url = next(); break;
      case '--paths-file': o.pathsFile = next(); break;
      case '--user-from': o.userFrom = Number(next()); break;
      case '--devices': o.devices = Number(next()); break;
      case '--channel': o.channel = next(); break;
      case '--handshakes': o.handshakes = Number(next()); break;
      case '--connect-seconds': o.connectSeconds = Number(next()); break;
      default: usage(`unknown argument: ${arg}`);
    }
  });
  if (!['switchboard', 'socketio'].includes(o.system)) usage('--system must be switchboard or socketio');
  if (!o.url) usage('--url is required');
  if (o.system === 'switchboard' && !o.pathsFile) usage('--paths-file is required for switchboard');
  if (!Number.isInteger(o.devices) || o.devices < 1) usage('--devices must be an integer >= 1');
  return o;
}

function usage(msg) {
  process.stderr.write(`fanout-client: ${msg}\nusage: node fanout-client.mjs --system switchboard|socketio ` +
    '--url URL --devices N [--paths-file FILE] [--user-from I] [--channel C] [--handshakes N]\n');
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const require = createRequire(import.meta.url);
const emit = (obj, then) => process.stdout.write(JSON.stringify(obj) + '\n', then);

// ---- state, all on the one event loop

const perSeq = new Map(); // seq -> {count, maxUs}
let samplesSeq = new Float64Array(1 << 20);
let samplesUs = new Float64Array(1 << 20);
let sampleCount = 0;
let ready = false;
let finished = false;
let closedAfterReady = 0;
let refused = 0;
let malformed = 0;
let extensions = null; // what the server answered to ws's permessage-deflate offer (switchboard)
let readAtReady = 0; // bytes the devices had read off their sockets when all were subscribed (switchboard)
const problems = [];

function problem(msg) {
  if (problems.length < 5) problems.push(msg);
}

function fail(message) {
  if (finished) return;
  finished = true;
  log(`FAILED: ${message}`);
  emit({ ok: false, failure: message }, () => process.exit(1));
}

process.on('uncaughtException', (e) => fail(`uncaught: ${e && e.stack ? e.stack : e}`));

function onDelivery(payload) {
  const now = Number(process.hrtime.bigint());
  if (!payload || typeof payload.bench_seq !== 'number' || typeof payload.bench_t !== 'number') {
    malformed++;
    problem(`a notification without the bench payload: ${JSON.stringify(payload).slice(0, 200)}`);
    return;
  }
  const seq = payload.bench_seq;
  const us = (now - payload.bench_t) / 1000;
  let s = perSeq.get(seq);
  if (s === undefined) {
    s = { count: 0, maxUs: 0 };
    perSeq.set(seq, s);
  }
  s.count++;
  if (us > s.maxUs) s.maxUs = us;
  if (sampleCount === samplesUs.length) {
    const a = new Float64Array(sampleCount * 2); a.set(samplesUs); samplesUs = a;
    const b = new Float64Array(sampleCount * 2); b.set(samplesSeq); samplesSeq = b;
  }
  samplesSeq[sampleCount] = seq;
  samplesUs[sampleCount++] = us;
  if (s.count === opts.devices) emit({ done: seq });
}

function onClose(index, why) {
  if (finished) return;
  if (ready) {
    closedAfterReady++;
    problem(`device ${index} closed after it was ready: ${why}`);
  }
}

// ---- the two kinds of device; each resolves once subscribed

function switchboardDevice(index, path) {
  const WebSocket = require('ws');
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(opts.url + path); // ws's defaults: permessage-deflate offered
    ws.once('upgrade', (res) => {
      if (extensions === null) extensions = res.headers['sec-websocket-extensions'] ?? '';
    });
    ws.on('open', () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'subscribe',
      params: { channels: [opts.channel] } })));
    ws.on('message', (data) => {
      let msg;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        malformed++;
        return problem(`not JSON: ${String(data).slice(0, 200)}`);
      }
      if (msg.method === 'notification') return onDelivery(msg.params && msg.params.payload);
      if (msg.method !== undefined) {
        if (msg.id !== undefined && msg.id !== null) {
          ws.send(JSON.stringify(msg.method === 'rpc.ping' ? { jsonrpc: '2.0', id: msg.id, result: 'pong' }
            : { jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } }));
        }
        return;
      }
      if (msg.id === 1) {
        const subscribed = msg.result && Array.isArray(msg.result.subscribed) ? msg.result.subscribed : [];
        if (subscribed.includes(opts.channel)) resolve(ws);
        else reject(new Error(`device ${index}: subscribe not granted: ${JSON.stringify(msg).slice(0, 200)}`));
      }
    });
    ws.on('error', (e) => reject(new Error(`device ${index}: ${e.message}`)));
    ws.on('close', (code, reason) => {
      reject(new Error(`device ${index}: closed before subscribing: ${code} ${reason}`));
      onClose(index, `${code} '${reason}'`);
    });
  });
}

function socketIoDevice(index, user) {
  const { io } = require('socket.io-client');
  return new Promise((resolve, reject) => {
    const socket = io(opts.url, { transports: ['websocket'], auth: { user }, forceNew: true, reconnection: false });
    socket.on('connect', () => {
      socket.emit('subscribe', { channels: [opts.channel] }, (answer) => {
        if (answer && Array.isArray(answer.subscribed) && answer.subscribed.includes(opts.channel)) resolve(socket);
        else reject(new Error(`device ${index}: subscribe not granted: ${JSON.stringify(answer).slice(0, 200)}`));
      });
    });
    socket.on('notification', onDelivery);
    socket.on('connect_error', (e) => reject(new Error(`device ${index}: ${e.message}`)));
    socket.on('disconnect', (reason) => {
      reject(new Error(`device ${index}: disconnected before subscribing: ${reason}`));
      onClose(index, reason);
    });
  });
}

// ---- connecting, with at most --handshakes at once

async function connectAll() {
  const paths = opts.system === 'switchboard'
    ? readFileSync(opts.pathsFile, 'utf8').split('\n').filter((l) => l.length > 0) : null;
  if (paths && paths.length < opts.devices) throw new Error(`${opts.pathsFile} has ${paths.length} paths, need ${opts.devices}`);
  const devices = new Array(opts.devices);
  let nextIndex = 0;
  let firstError = null;
  const worker = async () => {
    while (nextIndex < opts.devices && firstError === null) {
      const i = nextIndex++;
      try {
        devices[i] = opts.system === 'switchboard' ? await switchboardDevice(i, paths[i])
          : await socketIoDevice(i, `u${opts.userFrom + i}`);
      } catch (e) {
        refused++;
        if (firstError === null) firstError = e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.handshakes, opts.devices) }, worker));
  if (firstError !== null) throw firstError;
  return devices;
}

// What the devices read off their sockets so far (ws only; socket.io-client does not expose its socket).
function bytesRead(devices) {
  return devices.reduce((sum, d) => sum + (d._socket ? d._socket.bytesRead : 0), 0);
}

function report(from, to, devices) {
  const counts = {};
  const maxUs = {};
  let received = 0;
  let strays = 0;
  let deliveries = 0;
  for (const [seq, s] of perSeq) {
    deliveries += s.count;
    if (seq >= from && seq <= to) {
      counts[seq] = s.count;
      maxUs[seq] = Math.round(s.maxUs);
      received += s.count;
    } else if (seq > to) {
      strays += s.count;
    }
  }
  // Latencies of the measured messages, as a histogram with buckets 0.5% wide (log scale): index
  // floor(ln(1 + us) / ln(1.005)); the parent merges the processes' histograms.
  const histogram = {};
  for (let i = 0; i < sampleCount; i++) {
    const seq = samplesSeq[i];
    if (seq >= from && seq <= to) {
      const b = Math.floor(Math.log1p(Math.max(0, samplesUs[i])) / Math.log(1.005));
      histogram[b] = (histogram[b] || 0) + 1;
    }
  }
  const cpu = process.cpuUsage();
  return {
    ok: true,
    system: opts.system,
    client: opts.system === 'switchboard' ? `ws ${require('ws/package.json').version}`
      : `socket.io-client ${require('socket.io-client/package.json').version}`,
    node: process.version,
    devices: opts.devices,
    extensions,
    received,
    counts,
    maxUs,
    histogram,
    strays,
    closedAfterReady,
    malformed,
    problems,
    clientCpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
    // Bytes read off the sockets since every device was ready, and the deliveries of that time (warm-up included).
    wireBytes: opts.system === 'switchboard' ? bytesRead(devices) - readAtReady : null,
    deliveries,
  };
}

async function main() {
  log(`${opts.devices} ${opts.system} devices to ${opts.url}, ${opts.handshakes} handshakes at once`);
  const timer = setTimeout(() => fail(`not every device subscribed within ${opts.connectSeconds} s`),
    opts.connectSeconds * 1000);
  let devices;
  try {
    devices = await connectAll();
  } catch (e) {
    return fail(`cannot connect every device (${refused} failed): ${e.message}`);
  }
  clearTimeout(timer);
  ready = true;
  if (opts.system === 'switchboard') readAtReady = bytesRead(devices);
  emit({ event: 'ready', devices: devices.length });
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const m = /^report (-?\d+) (-?\d+)$/.exec(line.trim());
    if (!m || finished) return;
    finished = true;
    const result = report(Number(m[1]), Number(m[2]), devices);
    for (const d of devices) {
      if (opts.system === 'switchboard') d.terminate(); else d.disconnect();
    }
    emit(result, () => process.exit(0));
  });
  lines.on('close', () => process.exit(finished ? 0 : 1));
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));

#!/usr/bin/env node
// An independent JSON-RPC 2.0 client for `switchboard bench rpc --client ws`: Node's `ws` with its defaults
// (it offers permessage-deflate unless told not to; one frame per message, as browsers and Node backends send),
// driving any server with the same requests. See --help. Progress goes to stderr; stdout carries two marker lines
// around the measured window ({"event":"measuring"}, {"event":"measured"}: the parent samples the server's CPU
// there) and then one JSON object of results.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import WebSocket from 'ws';
import { forEachOption } from './cli.mjs';

const USAGE = `usage: node ws-rpc-client.mjs --url ws://HOST:PORT/PATH [options]

Opens N connections, keeps K calls of echo([payload]) in flight on each for the warmup and then the
measured seconds, and prints one JSON object on stdout:
  {"ok":true,"ws":..,"node":..,"connections":N,"inflightPerConnection":K,"compressionOffered":..,
   "extensions":"<the server's Sec-WebSocket-Extensions, or empty>","calls":..,"seconds":..,
   "callsPerSecond":..,"latency":{"samples":..,"p50us":..,"p90us":..,"p99us":..,"p999us":..,"maxUs":..,
   "meanUs":..},"clientCpuSeconds":..,"errors":..,"firstError":..,"notifications":..}
or {"ok":false,"failure":"..."} with exit code 1 (a close, a wrong reply, a stall). Bad arguments exit 2.

Each request is {"jsonrpc":"2.0","method":"echo","params":["<payload>"],"id":N}, ids 1, 2, 3... per connection;
--method, --params and --expect make it another call (bench cluster-rpc's cluster.call graphs), checked the same way.

options:
  --url URL             server to drive (required)
  --reply KIND          what answers a call: "result" (a JSON-RPC response whose result is the payload)
                        or "request" (a WebSocket echo sending the request back); default result
  --connections N       connections (default 1)
  --inflight K          calls in flight on each connection (default 1: sequential calls)
  --seconds S           measured seconds (default 5)
  --warmup-seconds S    untimed seconds before them (default 2)
  --payload-bytes N     length of the ASCII payload (default 64)
  --compression MODE    "offer": ws's default (perMessageDeflate: true); "none": perMessageDeflate: false
  --stall-seconds S     fail when no reply arrives for this long (default 15)
  --method NAME         the method called (default echo)
  --params JSON         its params (default ["<payload>"])
  --expect JSON         the result every answer must have, compared deeply (default "<payload>"); only with
                        --reply result
  --on-error MODE       "count": a JSON-RPC error answer is counted and the calls go on (default);
                        "fail": the first one fails the run
  -h, --help            show this help

Latency: every reply received in the measured window, from its request's send (performance.now());
exact nearest-rank percentiles (sorted[ceil(p * n) - 1]). errors counts JSON-RPC error responses (the
calls still go on); calls counts only correct replies.
`;

const log = (msg) => process.stderr.write(`[ws-rpc-client] ${msg}\n`);

function usageError(msg) {
  process.stderr.write(`ws-rpc-client: ${msg}\n\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { url: null, reply: 'result', connections: 1, inflight: 1, seconds: 5, warmupSeconds: 2,
    payloadBytes: 64, compression: 'offer', stallSeconds: 15, method: 'echo', params: null, expect: undefined,
    onError: 'count' };
  const json = (name, v) => {
    try {
      return JSON.parse(v);
    } catch (e) {
      return usageError(`${name} must be JSON, got '${v}': ${e.message}`);
    }
  };
  const int = (name, v, min) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) usageError(`${name} must be an integer >= ${min}, got '${v}'`);
    return n;
  };
  const num = (name, v, min, strict) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || (strict && n === min)) usageError(`${name} must be a number ${strict ? '>' : '>='} ${min}, got '${v}'`);
    return n;
  };
  const oneOf = (name, v, allowed) => {
    if (!allowed.includes(v)) usageError(`${name} must be one of ${allowed.join(', ')}, got '${v}'`);
    return v;
  };
  forEachOption(argv, usageError, (arg, next) => {
    switch (arg) {
      case '-h': case '--help': process.stdout.write(USAGE); process.exit(0); break;
      case '--url': o.url = next(); break;
      case '--reply': o.reply = oneOf(arg, next(), ['result', 'request']); break;
      case '--connections': o.connections = int(arg, next(), 1); break;
      case '--inflight': o.inflight = int(arg, next(), 1); break;
      case '--seconds': o.seconds = num(arg, next(), 0, true); break;
      case '--warmup-seconds': o.warmupSeconds = num(arg, next(), 0, false); break;
      case '--payload-bytes': o.payloadBytes = int(arg, next(), 0); break;
      case '--compression': o.compression = oneOf(arg, next(), ['offer', 'none']); break;
      case '--stall-seconds': o.stallSeconds = num(arg, next(), 0, true); break;
      case '--method': o.method = next(); break;
      case '--params': o.params = json(arg, next()); break;
      case '--expect': o.expect = json(arg, next()); break;
      case '--on-error': o.onError = oneOf(arg, next(), ['count', 'fail']); break;
      default: usageError(`unknown argument: ${arg}`);
    }
  });
  if (!o.url) usageError('--url is required');
  if (o.expect !== undefined && o.reply !== 'result') usageError('--expect needs --reply result');
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const payload = Array.from({ length: opts.payloadBytes }, (_, i) => ALPHABET[i % ALPHABET.length]).join('');
const requestPrefix = `{"jsonrpc":"2.0","method":${JSON.stringify(opts.method)},` +
  `"params":${JSON.stringify(opts.params ?? [payload])},"id":`;
// A string compares fastest as a string; anything else (a cluster.call's result object) deeply.
const expected = opts.expect === undefined ? payload : opts.expect;
const correct = typeof expected === 'string' ? (v) => v === expected : (v) => isDeepStrictEqual(v, expected);

// ---- state, all on the one event loop

const sockets = [];
let phase = 'connecting'; // connecting, warmup, measuring, draining, done
let replies = 0; // correct replies so far, all phases
let errors = 0;
let firstError = null;
let notifications = 0;
let samples = new Float64Array(1 << 16); // latencies in ms of the measured window
let sampleCount = 0;
let finished = false;

function record(ms) {
  if (sampleCount === samples.length) {
    const bigger = new Float64Array(samples.length * 2);
    bigger.set(samples);
    samples = bigger;
  }
  samples[sampleCount++] = ms;
}

function emit(obj, then) {
  process.stdout.write(JSON.stringify(obj) + '\n', then);
}

function fail(message) {
  if (finished) return;
  finished = true;
  log(`FAILED: ${message}`);
  for (const s of sockets) s.ws.terminate();
  emit({ ok: false, failure: message }, () => process.exit(1));
}

process.on('uncaughtException', (e) => fail(`uncaught: ${e && e.stack ? e.stack : e}`));
process.on('SIGTERM', () => fail('terminated'));

/** One connection: its socket, the send time of each call awaiting its answer, and its next id. */
function connect(index) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(opts.url, opts.compression === 'offer' ? {} : { perMessageDeflate: false });
    const conn = { index, ws, pending: new Map(), nextId: 1, extensions: '', offered: '' };
    const timer = setTimeout(() => reject(new Error(`connection ${index}: no handshake within 10 s`)), 10_000);
    ws.once('upgrade', (res) => {
      conn.extensions = res.headers['sec-websocket-extensions'] ?? '';
      // What ws offered: its request is still at hand while 'upgrade' is emitted (a private field, for the report).
      conn.offered = (ws._req && ws._req.getHeader('sec-websocket-extensions')) ?? '';
    });
    ws.once('open', () => { clearTimeout(timer); resolve(conn); });
    ws.on('error', (e) => {
      clearTimeout(timer);
      if (phase === 'connecting') reject(new Error(`connection ${index}: ${e.message}`));
      else fail(`connection ${index}: ${e.message}`);
    });
    ws.on('close', (code, reason) => {
      if (phase !== 'done' && phase !== 'connecting') {
        fail(`connection ${index} closed by the server during the run: ${code} '${reason.toString()}' ` +
          `(${replies} correct replies, ${errors} errors so far)`);
      }
    });
    ws.on('message', (data, isBinary) => onMessage(conn, data, isBinary));
  });
}

function send(conn) {
  const id = conn.nextId++;
  conn.pending.set(id, performance.now());
  conn.ws.send(requestPrefix + id + '}');
}

function onMessage(conn, data, isBinary) {
  const now = performance.now();
  let msg;
  try {
    msg = JSON.parse(isBinary ? data : data.toString());
  } catch (e) {
    return fail(`connection ${conn.index}: a reply that is not JSON: ${String(data).slice(0, 200)}`);
  }
  const id = msg && msg.id;
  if (id === undefined || id === null) {
    if (msg && msg.error) return fail(`connection ${conn.index}: an error without an id: ${JSON.stringify(msg).slice(0, 300)}`);
    notifications++;
    return;
  }
  const sent = conn.pending.get(id);
  if (sent === undefined) return fail(`connection ${conn.index}: a reply to no call of ours: ${String(data).slice(0, 200)}`);
  conn.pending.delete(id);
  if (msg.error) {
    if (opts.onError === 'fail') {
      return fail(`connection ${conn.index}: an error answer to id ${id}: ${JSON.stringify(msg.error).slice(0, 300)}`);
    }
    errors++;
    if (firstError === null) firstError = msg.error;
  } else {
    const ok = opts.reply === 'result'
      ? correct(msg.result)
      : (Array.isArray(msg.params) && msg.params[0] === payload);
    if (!ok) return fail(`connection ${conn.index}: a wrong reply to id ${id}: ${String(data).slice(0, 200)}`);
    replies++;
    if (phase === 'measuring') record(now - sent);
  }
  if (phase === 'warmup' || phase === 'measuring') send(conn);
  else if (phase === 'draining' && pendingTotal() === 0) drained();
}

function pendingTotal() {
  let n = 0;
  for (const s of sockets) n += s.pending.size;
  return n;
}

let drained = () => {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function watchdog() {
  let last = -1;
  let lastChange = Date.now();
  return setInterval(() => {
    const seen = replies + errors;
    if (seen !== last) {
      last = seen;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > opts.stallSeconds * 1000 && phase !== 'done') {
      fail(`no reply for ${opts.stallSeconds} s (after ${replies} correct replies, ${errors} errors, ` +
        `${pendingTotal()} calls unanswered)`);
    }
  }, 250);
}

function percentile(sorted, n, p) {
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
}

const round3 = (x) => Math.round(x * 1000) / 1000;

function latency() {
  if (sampleCount === 0) return null;
  const sorted = samples.subarray(0, sampleCount).sort();
  let sum = 0;
  for (let i = 0; i < sampleCount; i++) sum += sorted[i];
  const us = (ms) => round3(ms * 1000);
  return {
    samples: sampleCount,
    p50us: us(percentile(sorted, sampleCount, 0.5)),
    p90us: us(percentile(sorted, sampleCount, 0.9)),
    p99us: us(percentile(sorted, sampleCount, 0.99)),
    p999us: us(percentile(sorted, sampleCount, 0.999)),
    maxUs: us(sorted[sampleCount - 1]),
    meanUs: us(sum / sampleCount),
  };
}

function wsVersion() {
  const require = createRequire(import.meta.url);
  return require('ws/package.json').version;
}

async function main() {
  log(`${opts.connections} connection(s) x ${opts.inflight} in flight to ${opts.url}, compression ${opts.compression}, ` +
    `${opts.warmupSeconds} s warmup + ${opts.seconds} s measured`);
  try {
    sockets.push(...await Promise.all(Array.from({ length: opts.connections }, (_, i) => connect(i))));
  } catch (e) {
    return fail(`cannot connect: ${e.message}`);
  }
  const extensions = [...new Set(sockets.map((s) => s.extensions))];
  if (extensions.length > 1) return fail(`connections negotiated different extensions: ${JSON.stringify(extensions)}`);
  const timer = watchdog();

  phase = 'warmup';
  for (const conn of sockets) for (let k = 0; k < opts.inflight; k++) send(conn);
  await sleep(opts.warmupSeconds * 1000);

  await new Promise((r) => emit({ event: 'measuring' }, r));
  phase = 'measuring';
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const replies0 = replies;
  const errors0 = errors;
  await sleep(opts.seconds * 1000);
  phase = 'draining';
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const calls = replies - replies0;
  const windowErrors = errors - errors0;
  await new Promise((r) => emit({ event: 'measured' }, r));

  // Let the calls still in flight finish, so the server is not left answering into closed sockets.
  if (pendingTotal() > 0) {
    await Promise.race([new Promise((r) => { drained = r; }), sleep(5_000)]);
  }
  clearInterval(timer);
  phase = 'done';
  await Promise.race([
    Promise.all(sockets.map((s) => new Promise((r) => { s.ws.once('close', r); s.ws.close(1000); }))),
    sleep(2_000),
  ]);
  if (finished) return;
  finished = true;
  const seconds = (t1 - t0) / 1000;
  emit({
    ok: true,
    ws: wsVersion(),
    node: process.version,
    url: opts.url,
    method: opts.method,
    payloadBytes: opts.payloadBytes,
    connections: opts.connections,
    inflightPerConnection: opts.inflight,
    compressionOffered: opts.compression === 'offer',
    offer: sockets[0].offered,
    extensions: extensions[0],
    calls,
    seconds: round3(seconds),
    callsPerSecond: Math.round((calls / seconds) * 10) / 10,
    latency: latency(),
    clientCpuSeconds: round3((cpu.user + cpu.system) / 1e6),
    errors: windowErrors,
    errorsTotal: errors,
    firstError,
    notifications,
  }, () => process.exit(0));
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));

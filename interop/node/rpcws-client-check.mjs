#!/usr/bin/env node
// Independent interop check of a running Switchboard server, using a third-party JSON-RPC client
// (rpc-websockets' Client) plus raw frames over the plain `ws` package.
//
//   node rpcws-client-check.mjs ws://127.0.0.1:PORT/ws
//
// Prints ONE JSON object to stdout:
//   {"ok":true|false,"checks":[{"name":"...","ok":true,"got":...,"expected":...}, ...]}
// Exit codes: 0 all checks passed, 1 some check failed, 2 cannot connect / bad usage
// (with a message on stderr). Every wait is bounded, so the script always ends by itself.
import { isDeepStrictEqual } from 'node:util';
import { Client } from 'rpc-websockets';
import WebSocket from 'ws';

const TIMEOUT_MS = 5000;      // per await
const SETTLE_MS = 150;        // after a raw reply: how long to watch for unexpected extra frames
const HARD_LIMIT_MS = 120000; // the whole script, whatever happens

const USAGE = 'usage: node rpcws-client-check.mjs ws://127.0.0.1:PORT/ws\n';

const url = process.argv[2];
if (!url || url === '--help' || url === '-h' || process.argv.length > 3) {
  process.stderr.write(USAGE);
  process.exit(url === '--help' || url === '-h' ? 0 : 2);
}
if (!/^wss?:\/\//.test(url)) {
  process.stderr.write(`rpcws-client-check: not a ws:// URL: ${url}\n${USAGE}`);
  process.exit(2);
}

const log = (msg) => process.stderr.write(`[rpcws-client-check] ${msg}\n`);

let rpcClient = null;
let raw = null;

function closeAll() {
  try { if (rpcClient) { rpcClient.setAutoReconnect(false); rpcClient.close(); } } catch { /* ignore */ }
  try { if (raw) raw.terminate(); } catch { /* ignore */ }
}

let exiting = false;
function finish(code, stdoutText) {
  if (exiting) return;
  exiting = true;
  closeAll();
  if (stdoutText !== undefined) process.stdout.write(stdoutText, () => process.exit(code));
  else process.exit(code);
}

const hardLimit = setTimeout(() => {
  process.stderr.write(`rpcws-client-check: gave up after ${HARD_LIMIT_MS} ms\n`);
  finish(1);
}, HARD_LIMIT_MS);
hardLimit.unref();

process.on('uncaughtException', (err) => {
  process.stderr.write(`rpcws-client-check: uncaught: ${err && err.stack ? err.stack : err}\n`);
  finish(1);
});

function withTimeout(promise, label, ms = TIMEOUT_MS) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${label}`)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

// What a rejection looks like in the report: JSON-RPC error objects as they are, Errors by message.
function errorView(err) {
  if (err instanceof Error) return { exception: err.message };
  if (err && typeof err === 'object') return err;
  return { exception: String(err) };
}

const checks = [];
function record(name, ok, got, expected) {
  checks.push({ name, ok: !!ok, got: got === undefined ? null : got, expected });
  log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
}

// ---------------------------------------------------------------------------------------------
// Connections

function connectRpcClient() {
  return new Promise((resolve, reject) => {
    const c = new Client(url, { autoconnect: true, reconnect: false });
    rpcClient = c;
    const timer = setTimeout(() => reject(new Error(`rpc-websockets Client: no connection within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    c.once('open', () => { clearTimeout(timer); resolve(c); });
    c.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`rpc-websockets Client: ${e && e.message ? e.message : e}`));
    });
  });
}

// Raw socket: every text frame goes into a queue; server-initiated requests/notifications
// (objects with a "method") are logged and skipped, since they are not replies.
const rawInbox = [];
let rawWaiter = null;
let rawClosed = null;

function connectRaw() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    raw = ws;
    const timer = setTimeout(() => reject(new Error(`ws: no connection within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    ws.once('open', () => { clearTimeout(timer); resolve(ws); });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`ws: ${e && e.message ? e.message : e}`));
    });
    ws.on('close', (code, reason) => {
      rawClosed = `closed (${code} ${reason ? reason.toString() : ''})`.trim();
      if (rawWaiter) rawWaiter();
    });
    ws.on('message', (data, isBinary) => {
      const text = data.toString('utf8');
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { unparseableFrame: text };
      }
      if (parsed && !Array.isArray(parsed) && typeof parsed === 'object' && 'method' in parsed) {
        log(`raw: ignoring server-initiated message ${text.slice(0, 200)}`);
        return;
      }
      rawInbox.push(isBinary ? { binaryFrame: parsed } : parsed);
      if (rawWaiter) rawWaiter();
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Sends one text frame and returns the first reply frame, plus any further frames that arrive
// within SETTLE_MS (a correct server sends exactly one frame per request here).
async function rawExchange(text, label) {
  rawInbox.length = 0;
  if (rawClosed) throw new Error(`raw socket ${rawClosed}`);
  await withTimeout(new Promise((resolve, reject) => raw.send(text, (e) => (e ? reject(e) : resolve()))), `${label}: send`);
  await withTimeout(new Promise((resolve, reject) => {
    const check = () => {
      if (rawInbox.length > 0) { rawWaiter = null; resolve(); } else if (rawClosed) { rawWaiter = null; reject(new Error(`raw socket ${rawClosed}`)); }
    };
    rawWaiter = check;
    check();
  }), `${label}: reply`).finally(() => { rawWaiter = null; });
  await sleep(SETTLE_MS);
  const [first, ...extra] = rawInbox.splice(0);
  return { reply: first, extra };
}

// ---------------------------------------------------------------------------------------------
// Checks

async function callCheck(name, method, params, expected) {
  try {
    const got = await withTimeout(rpcClient.call(method, params), name);
    record(name, isDeepStrictEqual(got, expected), got, expected);
  } catch (err) {
    record(name, false, { rejected: errorView(err) }, expected);
  }
}

async function errorCheck(name, method, params, code, messageIncludes) {
  const expected = messageIncludes === undefined
    ? { rejected: { code } }
    : { rejected: { code, messageContains: messageIncludes } };
  try {
    const got = await withTimeout(rpcClient.call(method, params), name);
    record(name, false, { resolved: got }, expected);
  } catch (err) {
    const e = errorView(err);
    const ok = e.code === code
      && (messageIncludes === undefined || (typeof e.message === 'string' && e.message.includes(messageIncludes)));
    record(name, ok, { rejected: e }, expected);
  }
}

async function clientChecks() {
  await callCheck('client: echo ["hi"]', 'echo', ['hi'], 'hi');
  await callCheck('client: sum [1,2,4]', 'sum', [1, 2, 4], 7);
  await callCheck('client: subtract by position [42,23]', 'subtract', [42, 23], 19);
  await callCheck('client: subtract by name {minuend:42,subtrahend:23}', 'subtract', { minuend: 42, subtrahend: 23 }, 19);
  await callCheck('client: get_data (no params)', 'get_data', undefined, ['hello', 5]);
  await errorCheck('client: fail ["boom"] rejects with -32000', 'fail', ['boom'], -32000, 'boom');
  await errorCheck('client: no_such_method rejects with -32601', 'no_such_method', undefined, -32601);

  // 50 concurrent echoes on one connection: each reply must come back to its own call.
  const name = 'client: 50 concurrent echo calls matched to their own ids';
  const inputs = Array.from({ length: 50 }, (_, i) => `concurrent-${i}-${'x'.repeat(i)}`);
  try {
    const results = await withTimeout(
      Promise.allSettled(inputs.map((v) => rpcClient.call('echo', [v]))),
      name,
    );
    const wrong = [];
    results.forEach((r, i) => {
      if (r.status !== 'fulfilled') wrong.push({ index: i, rejected: errorView(r.reason) });
      else if (r.value !== inputs[i]) wrong.push({ index: i, got: r.value, expected: inputs[i] });
    });
    record(name, wrong.length === 0, { calls: inputs.length, mismatched: wrong.length, firstMismatches: wrong.slice(0, 5) },
      { calls: inputs.length, mismatched: 0, firstMismatches: [] });
  } catch (err) {
    record(name, false, { rejected: errorView(err) }, { calls: inputs.length, mismatched: 0, firstMismatches: [] });
  }
}

async function rawCheck(name, text, expected, judge) {
  try {
    const { reply, extra } = await rawExchange(text, name);
    const got = extra.length ? { reply, extraFrames: extra } : reply;
    record(name, extra.length === 0 && judge(reply), got, expected);
  } catch (err) {
    record(name, false, { failed: errorView(err) }, expected);
  }
}

const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);

async function rawChecks() {
  await rawCheck(
    'raw ws: single request sum [1,2,3] id "abc"',
    '{"jsonrpc":"2.0","method":"sum","params":[1,2,3],"id":"abc"}',
    { jsonrpc: '2.0', result: 6, id: 'abc' },
    (r) => isDeepStrictEqual(r, { jsonrpc: '2.0', result: 6, id: 'abc' }),
  );

  await rawCheck(
    'raw ws: batch [sum id "1", notification, invalid] -> 2 replies',
    '[{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"1"},{"jsonrpc":"2.0","method":"update","params":[1]},{"foo":"boo"}]',
    [
      { jsonrpc: '2.0', result: 7, id: '1' },
      { jsonrpc: '2.0', error: { code: -32600, message: '<any>' }, id: null },
    ],
    (r) => {
      if (!Array.isArray(r) || r.length !== 2) return false;
      const ok7 = r.filter((x) => isObj(x) && x.jsonrpc === '2.0' && x.id === '1' && x.result === 7 && !('error' in x));
      const bad = r.filter((x) => isObj(x) && x.jsonrpc === '2.0' && x.id === null && !('result' in x)
        && isObj(x.error) && x.error.code === -32600 && typeof x.error.message === 'string');
      return ok7.length === 1 && bad.length === 1;
    },
  );

  await rawCheck(
    'raw ws: invalid JSON -> -32700 with id null',
    '{"jsonrpc":"2.0","method":"foobar,"params":"bar","baz]',
    { jsonrpc: '2.0', error: { code: -32700, message: '<any>' }, id: null },
    (r) => isObj(r) && r.jsonrpc === '2.0' && r.id === null && !('result' in r)
      && isObj(r.error) && r.error.code === -32700 && typeof r.error.message === 'string',
  );
}

// ---------------------------------------------------------------------------------------------

async function main() {
  try {
    await connectRpcClient();
    await connectRaw();
  } catch (err) {
    process.stderr.write(`rpcws-client-check: cannot connect to ${url}: ${err.message}\n`);
    return finish(2);
  }
  log(`connected to ${url}`);
  await clientChecks();
  await rawChecks();
  const ok = checks.length > 0 && checks.every((c) => c.ok);
  log(`${checks.filter((c) => c.ok).length} of ${checks.length} checks ok`);
  finish(ok ? 0 : 1, JSON.stringify({ ok, checks }) + '\n');
}

main().catch((err) => {
  process.stderr.write(`rpcws-client-check: ${err && err.stack ? err.stack : err}\n`);
  finish(1);
});

#!/usr/bin/env node
// Peer benchmark: rpc-websockets Server (in a child process) + rpc-websockets Client over loopback.
// Prints ONE JSON object to stdout; progress goes to stderr. See --help.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { Client } from 'rpc-websockets';
import { forEachOption } from './cli.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

const USAGE = `usage: node rpcws-bench.mjs [options]

Benchmarks rpc-websockets (server in a separate node process, client in this one) over
127.0.0.1 with the method echo([payload]) -> payload, and prints one JSON object to stdout:
  {"system":"rpc-websockets","version":..,"node":..,"payloadBytes":..,
   "sequential":{"calls":..,"p50us":..,"p90us":..,"p99us":..,"p999us":..,"meanUs":..},
   "pipelined":[{"inflight":..,"callsPerSecond":..,"calls":..,"seconds":..},...]}
Progress lines go to stderr. Exit 0 on success, 1 on a failed/mismatched call or a stall,
2 on bad arguments or if the server cannot be started.

options:
  --payload-bytes N     length of the ASCII string payload (default 64)
  --warmup-calls W      untimed sequential calls before measuring (default 2000)
  --seq-calls N         timed sequential calls, one at a time (default 20000)
  --inflight LIST       comma-separated in-flight levels for the pipelined phase (default 1,16,256)
  --seconds S           measured seconds per in-flight level, after a 1 s warmup (default 5)
  --warmup-seconds S    warmup seconds per in-flight level (default 1)
  --prewarm-seconds S   before measuring anything, run the highest in-flight level this long, untimed,
                        so that JIT compilers reach steady state (default 0)
  --stall-seconds S     abort if no call completes for this long (default 15)
  -h, --help            show this help

Percentiles are exact nearest-rank values over the sorted per-call round-trip times
(p-th percentile = sorted[ceil(p * n) - 1]), measured with process.hrtime.bigint().
`;

function usageError(msg) {
  process.stderr.write(`rpcws-bench: ${msg}\n\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    payloadBytes: 64,
    warmupCalls: 2000,
    seqCalls: 20000,
    inflight: [1, 16, 256],
    seconds: 5,
    warmupSeconds: 1,
    prewarmSeconds: 0,
    stallSeconds: 15,
  };
  const int = (name, v, min) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) usageError(`${name} must be an integer >= ${min}, got '${v}'`);
    return n;
  };
  const pos = (name, v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) usageError(`${name} must be a number > 0, got '${v}'`);
    return n;
  };
  forEachOption(argv, usageError, (arg, next) => {
    switch (arg) {
      case '-h': case '--help':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      case '--payload-bytes': opts.payloadBytes = int(arg, next(), 0); break;
      case '--warmup-calls': opts.warmupCalls = int(arg, next(), 0); break;
      case '--seq-calls': opts.seqCalls = int(arg, next(), 1); break;
      case '--inflight': {
        const raw = next();
        const list = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
        if (list.length === 0) usageError(`--inflight must list at least one level`);
        opts.inflight = list.map((s) => int('--inflight', s, 1));
        break;
      }
      case '--seconds': opts.seconds = pos(arg, next()); break;
      case '--prewarm-seconds': {
        const n = Number(next());
        if (!Number.isFinite(n) || n < 0) usageError(`--prewarm-seconds must be >= 0`);
        opts.prewarmSeconds = n;
        break;
      }
      case '--warmup-seconds': {
        const n = Number(next());
        if (!Number.isFinite(n) || n < 0) usageError(`--warmup-seconds must be >= 0`);
        opts.warmupSeconds = n;
        break;
      }
      case '--stall-seconds': opts.stallSeconds = pos(arg, next()); break;
      default: usageError(`unknown argument: ${arg}`);
    }
  });
  return opts;
}

const log = (msg) => process.stderr.write(`[rpcws-bench] ${msg}\n`);

// ---------------------------------------------------------------------------------------------
// Server child process and cleanup

let serverChild = null;
let client = null;

function killServer() {
  if (serverChild && serverChild.exitCode === null && serverChild.signalCode === null) {
    try { serverChild.kill('SIGKILL'); } catch { /* ignore */ }
  }
}

function closeClient() {
  if (client) {
    try { client.setAutoReconnect(false); client.close(); } catch { /* ignore */ }
  }
}

let exiting = false;
function finish(code, stdoutText) {
  if (exiting) return;
  exiting = true;
  closeClient();
  killServer();
  if (stdoutText !== undefined) {
    process.stdout.write(stdoutText, () => process.exit(code));
  } else {
    process.exit(code);
  }
}

function die(msg, code = 1) {
  process.stderr.write(`rpcws-bench: error: ${msg}\n`);
  finish(code);
}

process.on('exit', killServer);
process.on('SIGINT', () => { log('interrupted'); finish(130); });
process.on('SIGTERM', () => { log('terminated'); finish(143); });
process.on('uncaughtException', (err) => die(`uncaught: ${err && err.stack ? err.stack : err}`));
process.on('unhandledRejection', (err) => die(`unhandled rejection: ${describe(err)}`));

function describe(err) {
  if (err instanceof Error) return err.message;
  try { return JSON.stringify(err); } catch { return String(err); }
}

function startServer() {
  return new Promise((resolve, reject) => {
    // stdin stays a pipe: the server exits when it sees EOF, i.e. when we are gone.
    serverChild = spawn(process.execPath, [join(HERE, 'rpcws-server.mjs'), '--host', '127.0.0.1', '--port', '0'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const timer = setTimeout(() => reject(new Error('server did not report its port within 15 s')), 15000);
    serverChild.on('error', (err) => { clearTimeout(timer); reject(err); });
    serverChild.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!exiting) {
        reject(new Error(`server exited early (code ${code}, signal ${signal})`));
        die(`server process exited (code ${code}, signal ${signal})`);
      }
    });
    const rl = createInterface({ input: serverChild.stdout });
    rl.once('line', (line) => {
      clearTimeout(timer);
      try {
        const { port } = JSON.parse(line);
        if (!Number.isInteger(port) || port <= 0) throw new Error(`bad port in '${line}'`);
        resolve(port);
      } catch (err) {
        reject(new Error(`unexpected server output '${line}': ${err.message}`));
      }
    });
  });
}

function connectClient(url) {
  return new Promise((resolve, reject) => {
    const c = new Client(url, { autoconnect: true, reconnect: false });
    const timer = setTimeout(() => reject(new Error(`could not connect to ${url} within 10 s`)), 10000);
    c.once('open', () => { clearTimeout(timer); resolve(c); });
    c.once('error', (err) => { clearTimeout(timer); reject(new Error(`connect error: ${describe(err)}`)); });
    client = c;
  });
}

// ---------------------------------------------------------------------------------------------
// Measurement

function makePayload(n) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[i % alphabet.length];
  return s;
}

// Stall watchdog: the run is bounded even if a reply is lost (a lost reply would leave a
// promise pending forever). Checked once a second.
let completedTotal = 0;
function startWatchdog(stallSeconds) {
  let lastCount = -1;
  let lastChange = Date.now();
  const t = setInterval(() => {
    if (completedTotal !== lastCount) {
      lastCount = completedTotal;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallSeconds * 1000) {
      die(`no call completed for ${stallSeconds} s (stalled after ${completedTotal} calls)`);
    }
  }, 1000);
  return () => clearInterval(t);
}

let mismatches = 0;
function check(result, payload) {
  completedTotal++;
  if (result !== payload) {
    if (mismatches < 5) log(`mismatch: got ${JSON.stringify(result).slice(0, 120)}`);
    mismatches++;
  }
}

function percentile(sorted, p) {
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[idx];
}

const round3 = (x) => Math.round(x * 1000) / 1000;

async function sequential(opts, payload) {
  log(`sequential warmup: ${opts.warmupCalls} calls`);
  for (let i = 0; i < opts.warmupCalls; i++) {
    check(await client.call('echo', [payload]), payload);
  }
  log(`sequential: ${opts.seqCalls} timed calls`);
  const ns = new Float64Array(opts.seqCalls);
  for (let i = 0; i < opts.seqCalls; i++) {
    const t0 = process.hrtime.bigint();
    const r = await client.call('echo', [payload]);
    const t1 = process.hrtime.bigint();
    ns[i] = Number(t1 - t0);
    check(r, payload);
  }
  let sum = 0;
  for (let i = 0; i < ns.length; i++) sum += ns[i];
  const sorted = ns.slice().sort();
  const us = (x) => round3(x / 1000);
  const res = {
    calls: opts.seqCalls,
    p50us: us(percentile(sorted, 0.5)),
    p90us: us(percentile(sorted, 0.9)),
    p99us: us(percentile(sorted, 0.99)),
    p999us: us(percentile(sorted, 0.999)),
    meanUs: us(sum / ns.length),
  };
  log(`sequential: p50 ${res.p50us} us, p90 ${res.p90us} us, p99 ${res.p99us} us, p999 ${res.p999us} us, mean ${res.meanUs} us`);
  return res;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function pipelined(k, opts, payload) {
  log(`pipelined inflight=${k}: ${opts.warmupSeconds} s warmup + ${opts.seconds} s measured`);
  let stop = false;
  let count = 0;
  // K workers, each with exactly one call outstanding: when one completes the next starts,
  // so exactly K calls are in flight on the one connection.
  const worker = async () => {
    while (!stop) {
      check(await client.call('echo', [payload]), payload);
      count++;
    }
  };
  const workers = [];
  for (let i = 0; i < k; i++) workers.push(worker());
  if (opts.warmupSeconds > 0) await sleep(opts.warmupSeconds * 1000);
  const c0 = count;
  const t0 = process.hrtime.bigint();
  await sleep(opts.seconds * 1000);
  const c1 = count;
  const t1 = process.hrtime.bigint();
  stop = true;
  await Promise.all(workers); // drain the calls still in flight
  const seconds = Number(t1 - t0) / 1e9;
  const calls = c1 - c0;
  const res = { inflight: k, callsPerSecond: Math.round((calls / seconds) * 10) / 10, calls, seconds: round3(seconds) };
  log(`pipelined inflight=${k}: ${res.callsPerSecond} calls/s (${calls} calls in ${res.seconds} s)`);
  return res;
}

// ---------------------------------------------------------------------------------------------

// The package's "exports" map hides package.json, so resolve its entry point and walk up.
function installedVersion(name) {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === name) return pkg.version;
    } catch { /* keep walking */ }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find package.json of ${name}`);
    dir = parent;
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const version = installedVersion('rpc-websockets');
  log(`rpc-websockets ${version}, node ${process.version}, payload ${opts.payloadBytes} bytes`);

  let port;
  try {
    port = await startServer();
  } catch (err) {
    return die(`cannot start server: ${describe(err)}`, 2);
  }
  const url = `ws://127.0.0.1:${port}/`;
  log(`server pid ${serverChild.pid} listening on ${url}`);
  try {
    await connectClient(url);
  } catch (err) {
    return die(describe(err), 2);
  }

  const payload = makePayload(opts.payloadBytes);
  const stopWatchdog = startWatchdog(opts.stallSeconds);
  let seq;
  const pipe = [];
  try {
    if (opts.prewarmSeconds > 0) {
      log(`prewarm: ${opts.prewarmSeconds} s at the highest in-flight level, untimed`);
      await pipelined(Math.max(...opts.inflight), { ...opts, warmupSeconds: opts.prewarmSeconds, seconds: 0.1 }, payload);
    }
    seq = await sequential(opts, payload);
    for (const k of opts.inflight) pipe.push(await pipelined(k, opts, payload));
  } catch (err) {
    return die(`call failed: ${describe(err)}`);
  } finally {
    stopWatchdog();
  }
  if (mismatches > 0) {
    return die(`${mismatches} echo replies did not equal the payload`);
  }
  const out = {
    system: 'rpc-websockets',
    version,
    node: process.version,
    payloadBytes: opts.payloadBytes,
    sequential: seq,
    pipelined: pipe,
  };
  finish(0, JSON.stringify(out) + '\n');
}

main().catch((err) => die(describe(err)));

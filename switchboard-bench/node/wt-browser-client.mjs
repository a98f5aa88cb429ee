#!/usr/bin/env node
// The client of `switchboard bench wt`: one headless Chromium page (Debian's chromium, started as a plain process) that
// holds a WebSocket connection and a WebTransport session to one development-mode Switchboard server and runs the
// same JavaScript over both; only the transport object differs (a WebSocket frame per message against a line of the
// session's first bidirectional stream). A third "transport", wt-raw, is the limit of the WebTransport one: a second
// bidirectional stream on the same session, which a development server's demo echoes back on itself (no RPC peer, no
// JSON-RPC dispatch); the page sends it the very JSON texts an `echo` call sends and reads each one back.
// No DevTools protocol (so no Playwright): with one attached, Chromium reports every WebSocket frame to it (the
// Network domain's webSocketFrameSent/Received events) and none of WebTransport's, which made a WebSocket call cost
// the browser five times the CPU of a WebTransport one. The page fetches its orders from this script's own HTTP server
// instead, between phases only.
// The parent (WtBenchCommand) drives it through stdin and stdout, one JSON text per line, so that it can read the
// server's CPU time right before and right after each phase:
//   stdout, once: {"ready":true,"chromium":"<version>","crossOriginIsolated":true}
//   stdin:  {"transport":"ws"|"wt"|"wt-raw","phase":"seq"|"pipe"|"push"|"push-rate","count":N,"window":W,"batch":B}
//   stdout: {"transport":..,"phase":..,"ops":N,"seconds":S,"errors":E,"firstError":..,"latenciesUs":[...]}
// It exits when its stdin ends. Progress and the page's errors go to stderr.
// Usage: node wt-browser-client.mjs http://127.0.0.1:PORT   (CHROMIUM: the browser, default /usr/bin/chromium)
import http from 'node:http';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const base = process.argv[2];
if (!base || !/^http:\/\/[^/]+$/.test(base)) {
  process.stderr.write('usage: node wt-browser-client.mjs http://127.0.0.1:PORT\n');
  process.exit(2);
}
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const log = (msg) => process.stderr.write(`[wt-browser-client] ${msg}\n`);

// Runs in the page (its source is inlined into the page). Everything but `transports` is shared by both transports.
function harness() {
  const enc = new TextEncoder();
  const PAYLOAD = 'x'.repeat(64);
  // A bidirectional stream as JSON texts, one a line. The bytes of a line may arrive split over reads, or several lines
  // in one read.
  const lines = (stream) => {
    const writer = stream.writable.getWriter();
    let deliver = () => {};
    (async () => {
      const reader = stream.readable.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffered += value;
        let nl;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.length > 0) deliver(line);
        }
      }
    })();
    // Not awaited, as ws.send is not: both queue the bytes and return.
    return { send: (text) => { writer.write(enc.encode(text + '\n')); }, onText: (cb) => { deliver = cb; } };
  };
  let wtSession = null; // the session of the wt transport, on which wt-raw opens its stream
  // The only code that differs: how a JSON text goes out and comes in.
  const transports = {
    ws: (cfg) => new Promise((resolve, reject) => {
      const ws = new WebSocket(cfg.wsUrl);
      ws.onerror = () => reject(new Error('websocket error'));
      ws.onopen = () => resolve({
        send: (text) => ws.send(text),
        onText: (cb) => { ws.onmessage = (e) => cb(e.data); },
      });
    }),
    wt: async (cfg) => {
      const hash = Uint8Array.from(atob(cfg.wtHash), (c) => c.charCodeAt(0));
      const wt = new WebTransport(cfg.wtUrl, { serverCertificateHashes: [{ algorithm: 'sha-256', value: hash }] });
      await wt.ready;
      wtSession = wt;
      return lines(await wt.createBidirectionalStream());
    },
  };

  const peers = {};
  const connect = async (cfg, name) => {
    const conn = await transports[name](cfg);
    const peer = { pending: new Map(), ids: 0, onNotice: () => {}, channel: `bench-${name}` };
    conn.onText((text) => {
      const msg = JSON.parse(text);
      if (msg.method === 'notification') {
        peer.onNotice(msg.params);
      } else if (msg.id !== undefined && peer.pending.has(msg.id)) {
        const done = peer.pending.get(msg.id);
        peer.pending.delete(msg.id);
        done(msg);
      }
    });
    peer.call = (method, params) => new Promise((resolve) => {
      const id = ++peer.ids;
      peer.pending.set(id, resolve);
      conn.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
    const sub = await peer.call('subscribe', { channels: [peer.channel] });
    if (!sub.result) throw new Error(`subscribe over ${name}: ${JSON.stringify(sub)}`);
    peers[name] = peer;
  };

  // wt-raw: a second bidirectional stream of the wt session (opened after the RPC one has answered, so that the
  // server sees it second and echoes it). Its peer sends what the RPC peer sends for a call and, as the RPC peer does
  // with an answer, parses each line that comes back and settles the call of its id: with the echoed string as the
  // result, so that the phases check it as they check an `echo` call's answer.
  const connectRaw = async () => {
    const conn = lines(await wtSession.createBidirectionalStream());
    const peer = { pending: new Map(), ids: 0, onNotice: () => {} };
    conn.onText((text) => {
      const msg = JSON.parse(text);
      if (peer.pending.has(msg.id)) {
        const done = peer.pending.get(msg.id);
        peer.pending.delete(msg.id);
        // Only the request itself, echoed, counts: an RPC answer (had the server taken this stream for RPC) has no method.
        done(msg.method === 'echo' ? { result: msg.params?.[0] } : { notEchoed: msg });
      }
    });
    peer.call = (method, params) => new Promise((resolve) => {
      const id = ++peer.ids;
      peer.pending.set(id, resolve);
      conn.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
    const hello = await peer.call('echo', ['hello']);
    if (hello.result !== 'hello') throw new Error(`the raw stream echoed ${JSON.stringify(hello)}`);
    peers['wt-raw'] = peer;
  };

  const post = (cfg, path, body) => fetch(cfg.httpBase + path, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });

  const phases = {
    // One call after another; each call's latency.
    seq: async (peer, cmd, out) => {
      for (let i = 0; i < cmd.count; i++) {
        const t0 = performance.now();
        const answer = await peer.call('echo', [PAYLOAD]);
        out.latenciesUs.push((performance.now() - t0) * 1000);
        out.check(answer.result === PAYLOAD, answer);
      }
    },
    // cmd.window calls in flight until cmd.count have been answered.
    pipe: (peer, cmd, out) => new Promise((resolve) => {
      let sent = 0;
      let answered = 0;
      const next = () => {
        sent++;
        peer.call('echo', [PAYLOAD]).then((answer) => {
          out.check(answer.result === PAYLOAD, answer);
          if (++answered === cmd.count) resolve();
          else if (sent < cmd.count) next();
        });
      };
      for (let i = 0; i < Math.min(cmd.window, cmd.count); i++) next();
    }),
    // One push at a time through the HTTP API; latency from the POST's start to the notification's arrival.
    push: async (peer, cmd, out, cfg) => {
      for (let i = 0; i < cmd.count; i++) {
        let arrived;
        const arrival = new Promise((r) => { arrived = r; });
        peer.onNotice = (params) => { if (params.payload?.i === i) arrived(performance.now()); };
        const t0 = performance.now();
        const res = await post(cfg, '/api/v1/notifications/channel',
          { channel: peer.channel, event_type: 'bench', payload: { i } });
        const body = await res.json();
        out.check(res.status === 200 && body.delivered_to === 1, body);
        const at = await Promise.race([arrival, new Promise((r) => setTimeout(() => r(null), 5000))]);
        if (at === null) out.check(false, `push ${i} did not arrive within 5 s`);
        else out.latenciesUs.push((at - t0) * 1000);
      }
    },
    // cmd.count pushes in batches of cmd.batch, with at most cmd.window batches' worth sent and not yet received: a POST
    // is answered once its notifications are queued, not delivered, so without that bound the sender outruns the page
    // and the server drops the oldest, as it does for any slow device. Notifications received per second.
    'push-rate': (peer, cmd, out, cfg) => new Promise((resolve) => {
      let received = 0;
      let sent = 0;
      let lastArrival = performance.now();
      const send = () => {
        for (let n = Math.min(cmd.batch, cmd.count - sent);
          n > 0 && sent - received + n <= cmd.window * cmd.batch; n = Math.min(cmd.batch, cmd.count - sent)) {
          sent += n;
          const notifications = Array.from({ length: n }, (_, k) => (
            { target: { type: 'channel', name: peer.channel }, event_type: 'bench', payload: { k } }));
          const batchSize = n;
          post(cfg, '/api/v1/notifications/batch', { notifications }).then(async (res) => {
            const body = await res.json();
            out.check(res.status === 200 && body.successful === batchSize, body);
          });
        }
      };
      const done = () => { clearInterval(stall); out.ops = received; resolve(); };
      const stall = setInterval(() => {
        if (performance.now() - lastArrival < 3000) return;
        out.check(false, `${cmd.count - received} of ${cmd.count} pushes did not arrive (none for 3 s)`);
        out.errors += cmd.count - received - 1;
        done();
      }, 500);
      peer.onNotice = () => {
        received++;
        lastArrival = performance.now();
        if (received === cmd.count) done(); else send();
      };
      send();
    }),
  };

  window.bench = {
    open: async (cfg) => {
      for (const name of Object.keys(transports)) await connect(cfg, name);
      await connectRaw();
      return crossOriginIsolated;
    },
    run: async (cfg, cmd) => {
      const out = { latenciesUs: [], errors: 0, firstError: null };
      out.check = (ok, what) => {
        if (!ok && out.errors++ === 0) out.firstError = JSON.stringify(what).slice(0, 300);
      };
      const peer = peers[cmd.transport];
      const t0 = performance.now();
      await phases[cmd.phase](peer, cmd, out, cfg);
      const seconds = (performance.now() - t0) / 1000;
      peer.onNotice = () => {};
      return { ops: out.ops ?? cmd.count, seconds, errors: out.errors, firstError: out.firstError,
        latenciesUs: out.latenciesUs.map((us) => Math.round(us * 10) / 10) };
    },
  };
}

// The page's side of the order channel: report ready, then fetch an order, run it, post its result, until told to stop.
async function pageMain(cfg) {
  const post = (path, body) => fetch(path, { method: 'POST', body: JSON.stringify(body) });
  window.onerror = (e) => { post('/log', String(e)); };
  try {
    await post('/result', { ready: true, crossOriginIsolated: await window.bench.open(cfg) });
  } catch (e) {
    await post('/result', { ready: false, failure: String(e?.message ?? e) });
    return;
  }
  for (;;) {
    const cmd = await (await fetch('/next')).json();
    if (cmd.stop) return;
    let result;
    try {
      result = await window.bench.run(cfg, cmd);
    } catch (e) {
      result = { ops: 0, seconds: 0, errors: 1, firstError: `the page failed: ${e?.message ?? e}`, latenciesUs: [] };
    }
    await post('/result', result);
  }
}

let chromium = null;
let profile = null;
let stopping = false;
const finish = async (code) => {
  if (chromium && chromium.exitCode === null) {
    // Chromium writes to its profile until it is gone: remove the profile after.
    const exited = new Promise((r) => chromium.once('exit', r));
    chromium.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  try {
    if (profile) rmSync(profile, { recursive: true, force: true });
  } catch (e) {
    log(`could not remove ${profile}: ${e.message}`);
  }
  process.exit(code);
};
process.on('SIGTERM', () => finish(143));

const readBody = (req) => new Promise((resolve) => {
  let body = '';
  req.setEncoding('utf8').on('data', (c) => { body += c; }).on('end', () => resolve(body));
});

try {
  const info = await (await fetch(`${base}/api/v1/webtransport`)).json();
  if (!info.url || info.certificate_hashes?.[0]?.algorithm !== 'sha-256') {
    throw new Error(`GET /api/v1/webtransport answered ${JSON.stringify(info)}: is WebTransport on?`);
  }
  const cfg = { httpBase: base, wsUrl: `${base.replace(/^http/, 'ws')}/ws?protocol=jsonrpc`,
    wtUrl: info.url, wtHash: info.certificate_hashes[0].value };

  const orders = [];        // orders not yet fetched by the page
  let parked = null;        // the page's GET /next waiting for an order
  let resultWaiter = null;  // who waits for the page's next POST /result
  const nextResult = () => new Promise((resolve) => { resultWaiter = resolve; });
  const give = (order) => {
    if (parked) { parked.end(JSON.stringify(order)); parked = null; } else orders.push(order);
  };
  const page = `<!doctype html><title>wt-bench</title><script>
${harness.toString()}
${pageMain.toString()}
harness();
pageMain(${JSON.stringify(cfg)});
</script>`;
  // Cross-origin isolation (COOP + COEP) gives the page performance.now() at 5 µs instead of 100 µs; the API it calls
  // answers CORS in development mode.
  const pageServer = http.createServer(async (req, res) => {
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('cross-origin-embedder-policy', 'require-corp');
    if (req.url === '/next') {
      res.setHeader('content-type', 'application/json');
      if (orders.length > 0) res.end(JSON.stringify(orders.shift())); else parked = res;
    } else if (req.url === '/result' && req.method === 'POST') {
      const body = JSON.parse(await readBody(req));
      res.end();
      resultWaiter?.(body);
    } else if (req.url === '/log' && req.method === 'POST') {
      log(`page: ${await readBody(req)}`);
      res.end();
    } else {
      res.setHeader('content-type', 'text/html');
      res.end(page);
    }
  });
  pageServer.requestTimeout = 0; // the page's GET /next waits as long as the parent takes between phases
  await new Promise((r) => pageServer.listen(0, '127.0.0.1', r));

  const version = execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  profile = mkdtempSync(join(tmpdir(), 'wt-bench-chromium-'));
  const ready = nextResult();
  chromium = spawn(chromiumPath, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--mute-audio',
    '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows', `--user-data-dir=${profile}`,
    `http://127.0.0.1:${pageServer.address().port}/`], { stdio: ['ignore', 'ignore', 'pipe'] });
  const chromiumLog = [];
  createInterface({ input: chromium.stderr }).on('line', (l) => { chromiumLog.push(l); chromiumLog.splice(0, chromiumLog.length - 20); });
  chromium.on('exit', (code) => {
    if (stopping) return;
    log(`chromium exited (${code}); its last lines:\n${chromiumLog.join('\n')}`);
    resultWaiter?.({ ready: false, failure: `chromium exited with ${code}` });
  });
  const hello = await Promise.race([ready, new Promise((r) => setTimeout(() => r(null), 60000))]);
  if (!hello?.ready) throw new Error(hello?.failure ?? 'the page did not connect within 60 s');
  process.stdout.write(JSON.stringify({ ready: true, chromium: version,
    crossOriginIsolated: hello.crossOriginIsolated }) + '\n');

  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    const cmd = JSON.parse(line);
    const result = nextResult();
    give(cmd);
    process.stdout.write(JSON.stringify({ transport: cmd.transport, phase: cmd.phase, ...await result }) + '\n');
  }
  stopping = true;
  give({ stop: true });
  await finish(0);
} catch (e) {
  log(`failed: ${e.stack ?? e}`);
  process.stdout.write(JSON.stringify({ ready: false, failure: String(e.message ?? e) }) + '\n');
  await finish(1);
}

// Headless Chromium as a Switchboard device over WebTransport: reads the URL and the development certificate's hash
// from GET /api/v1/webtransport, opens a session, and on its first bidirectional stream (JSON-RPC, one JSON text per
// line) calls methods, subscribes, receives a push sent through the HTTP API, answers the server's call, then checks
// the demo's datagram, unidirectional and further bidirectional echoes, and that the server's close (a message over
// the size limit: 1009) reaches `closed` with its code and reason.
// With a token (a server that verifies them), the session authenticates with ?token=, a push to the token's user
// arrives, and a session with a forged token is refused.
// Usage: node switchboard-wt-check.mjs http://127.0.0.1:PORT [TOKEN USER]   (a development-mode server)
// Prints one JSON line of named checks, as interop/node/*.mjs do; exits 1 when one failed.
import { kit } from './browser-kit.mjs';

const base = process.argv[2];
const [token, user] = [process.argv[3], process.argv[4]];
if (!base || !/^http:\/\//.test(base)) {
  process.stderr.write('usage: node switchboard-wt-check.mjs http://127.0.0.1:PORT\n');
  process.exit(2);
}
const { log, check, finish, openPage } = kit('switchboard-wt', 90000);
const api = async (path, body) => {
  const res = await fetch(base + path, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};

const info = await api('/api/v1/webtransport');
check('GET /api/v1/webtransport answers a url and a sha-256 hash',
  [info.status, /^https:\/\/.*\/wt$/.test(info.body.url), info.body.certificate_hashes?.[0]?.algorithm],
  [200, true, 'sha-256']);

const { page, go } = await openPage();
await page.exposeFunction('pushToNews', async () =>
  (await api('/api/v1/notifications/channel', { channel: 'news', event_type: 'headline', payload: { n: 1 } })).body);
await page.exposeFunction('pushToUser', async () =>
  (await api('/api/v1/notifications/send', { target_user_id: user, event_type: 'personal', payload: { n: 2 } })).body);
await go();

const results = await page.evaluate(async ({ url, hash, token }) => {
  const out = {};
  const hashBytes = Uint8Array.from(atob(hash), (c) => c.charCodeAt(0));
  const text = (bytes) => new TextDecoder().decode(bytes);
  const step = async (name, body) => {
    try {
      out[name] = await Promise.race([body(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 10000))]);
    } catch (e) {
      out[name] = `error: ${e}`;
    }
  };
  const options = { serverCertificateHashes: [{ algorithm: 'sha-256', value: hashBytes }] };
  if (token) {
    await step('a forged token is refused', async () => {
      const forged = new WebTransport(url + '?token=' + token.slice(0, -4) + 'AAAA', options);
      forged.closed.catch(() => {});
      return forged.ready.then(() => 'accepted', () => 'refused');
    });
  }
  const wt = new WebTransport(token ? url + '?token=' + token : url, options);
  await step('ready', async () => { await wt.ready; return true; });

  // The RPC stream: one JSON text per line, both ways.
  const rpc = await wt.createBidirectionalStream();
  const writer = rpc.writable.getWriter();
  const send = (msg) => writer.write(new TextEncoder().encode(JSON.stringify(msg) + '\n'));
  const waiting = new Map();
  const notifications = [];
  const noticeWaiters = [];
  (async () => {
    const reader = rpc.readable.getReader();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffered += text(value);
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const msg = JSON.parse(line);
        if (msg.method === 'notification') {
          notifications.push(msg.params);
          noticeWaiters.splice(0).forEach((w) => w());
        } else if (msg.method === 'double' && msg.id !== undefined) {
          send({ jsonrpc: '2.0', id: msg.id, result: msg.params[0] * 2 });
        } else if (msg.id !== undefined && waiting.has(msg.id)) {
          waiting.get(msg.id)(msg);
          waiting.delete(msg.id);
        }
      }
    }
  })();
  let ids = 0;
  const call = (method, params) => new Promise((resolve) => {
    const id = ++ids;
    waiting.set(id, resolve);
    send({ jsonrpc: '2.0', id, method, params });
  });

  await step('ping', async () => (await call('ping', [])).result);
  await step('sum', async () => (await call('sum', [1, 2, 4])).result);
  await step('subscribe', async () => (await call('subscribe', { channels: ['news'] })).result.subscribed);
  await step('push', async () => {
    const arrived = new Promise((r) => noticeWaiters.push(r));
    const sent = await window.pushToNews();
    await arrived;
    return { delivered_to: sent.delivered_to, event_type: notifications[0].event_type, channel: notifications[0].channel };
  });
  if (token) {
    await step('push to user', async () => {
      const arrived = new Promise((r) => noticeWaiters.push(r));
      const sent = await window.pushToUser();
      await arrived;
      return { delivered_to: sent.delivered_to, event_type: notifications.at(-1).event_type };
    });
  }
  await step('server calls the page', async () =>
    (await call('callback', { method: 'double', params: [21] })).result);
  await step('datagram echo', async () => {
    const reader = wt.datagrams.readable.getReader();
    const dw = wt.datagrams.writable.getWriter();
    for (let i = 0; i < 10; i++) {
      await dw.write(new TextEncoder().encode('dgram'));
      const got = await Promise.race([reader.read(), new Promise((r) => setTimeout(() => r(null), 500))]);
      if (got) { reader.releaseLock(); dw.releaseLock(); return text(got.value); }
    }
    return 'no datagram came back';
  });
  const readAll = async (readable) => {
    const reader = readable.getReader();
    const chunks = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(...value);
    }
    return text(new Uint8Array(chunks));
  };
  await step('uni echo', async () => {
    const incoming = wt.incomingUnidirectionalStreams.getReader();
    const s = await wt.createUnidirectionalStream();
    const w = s.getWriter();
    await w.write(new TextEncoder().encode('uni out'));
    await w.close();
    const { value } = await incoming.read();
    incoming.releaseLock();
    return readAll(value);
  });
  await step('second bidi echo', async () => {
    const s = await wt.createBidirectionalStream();
    const w = s.writable.getWriter();
    await w.write(new TextEncoder().encode('bidi two'));
    await w.close();
    return readAll(s.readable);
  });
  await step('server close', async () => {
    // Over the 1 MiB message limit without a newline: the server closes the session with 1009.
    writer.write(new Uint8Array(1100 * 1024).fill(0x61)).catch(() => {});
    const info = await wt.closed;
    return { closeCode: info.closeCode, hasReason: info.reason.length > 0 };
  });
  return out;
}, { url: info.body.url, hash: info.body.certificate_hashes[0].value, token });

check('session ready', results.ready, true);
check('rpc: ping answers pong', results.ping, 'pong');
check('rpc: sum', results.sum, 7);
check('subscribe', results.subscribe, ['news']);
check('a push sent through the HTTP API arrives', results.push,
  { delivered_to: 1, event_type: 'headline', channel: 'news' });
if (token) {
  check('authenticated with ?token=: a forged token is refused', results['a forged token is refused'], 'refused');
  check("authenticated with ?token=: a push to the token's user arrives", results['push to user'],
    { delivered_to: 1, event_type: 'personal' });
}
check('the server calls the page and gets its answer', results['server calls the page'], 42);
check('demo: datagram echoed', results['datagram echo'], 'dgram');
check('demo: uni stream echoed on a server uni stream', results['uni echo'], 'uni out');
check('demo: a further bidi stream echoed on itself', results['second bidi echo'], 'bidi two');
check('the server close (1009, message too big) reaches closed with its code and a reason',
  results['server close'], { closeCode: 1009, hasReason: true });
await finish();

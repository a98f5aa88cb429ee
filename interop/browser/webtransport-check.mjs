// Headless Chromium against Switchboard's WebTransport echo server (DemoEcho): opens a session with the
// certificate's SHA-256 in serverCertificateHashes and checks bidi, uni and datagram echoes, a client close,
// and a server close reaching `closed`. Usage: node webtransport-check.mjs <port> <base64 sha-256> [path]
// Prints one JSON line of named checks, as interop/node/*.mjs do; exits 1 when one failed.
import { kit } from './browser-kit.mjs';

const [port, hash, path = '/wt'] = process.argv.slice(2);
if (!port || !hash) {
  process.stderr.write('usage: node webtransport-check.mjs <port> <base64 sha-256> [path]\n');
  process.exit(2);
}
const { log, check, finish, openPage } = kit('webtransport', 60000);

// A secure context for the page: http://127.0.0.1 is one.
const { page, go } = await openPage();
await go();

const results = await page.evaluate(async ({ port, hash, path }) => {
  const out = {};
  const hashBytes = Uint8Array.from(atob(hash), (c) => c.charCodeAt(0));
  const open = (query = '') => new WebTransport(`https://127.0.0.1:${port}${path}${query}`,
    { serverCertificateHashes: [{ algorithm: 'sha-256', value: hashBytes }] });
  const text = (bytes) => new TextDecoder().decode(bytes);
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
  const step = async (name, body) => {
    try {
      out[name] = await Promise.race([body(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 10000))]);
    } catch (e) {
      out[name] = `error: ${e}`;
    }
  };
  const wt = open('?token=abc');
  await step('ready', async () => { await wt.ready; return true; });
  await step('bidi echo', async () => {
    const s = await wt.createBidirectionalStream();
    const w = s.writable.getWriter();
    await w.write(new TextEncoder().encode('hello '));
    await w.write(new TextEncoder().encode('bidi'));
    await w.close();
    return readAll(s.readable);
  });
  await step('uni echo on a server uni stream', async () => {
    const incoming = wt.incomingUnidirectionalStreams.getReader();
    const s = await wt.createUnidirectionalStream();
    const w = s.getWriter();
    await w.write(new TextEncoder().encode('hello uni'));
    await w.close();
    const { value } = await incoming.read();
    incoming.releaseLock();
    return readAll(value);
  });
  await step('datagram echo', async () => {
    const reader = wt.datagrams.readable.getReader();
    const writer = wt.datagrams.writable.getWriter();
    for (let i = 0; i < 10; i++) {
      await writer.write(new TextEncoder().encode('ping'));
      const got = await Promise.race([reader.read(), new Promise((r) => setTimeout(() => r(null), 500))]);
      if (got) return text(got.value);
    }
    return 'no datagram came back';
  });
  await step('client close', async () => {
    wt.close({ closeCode: 7, reason: 'done' });
    const info = await wt.closed;
    return { closeCode: info.closeCode, reason: info.reason };
  });
  await step('server close reaches closed', async () => {
    const closing = open('?close=4242');
    await closing.ready;
    const writer = closing.datagrams.writable.getWriter();
    const timer = setInterval(() => writer.write(new Uint8Array([1])).catch(() => {}), 200);
    try {
      const info = await closing.closed;
      return { closeCode: info.closeCode, reason: info.reason };
    } finally {
      clearInterval(timer);
    }
  });
  return out;
}, { port, hash, path });

check('session ready', results['ready'], true);
check('bidi stream echoed on itself', results['bidi echo'], 'hello bidi');
check('uni stream echoed on a server uni stream', results['uni echo on a server uni stream'], 'hello uni');
check('datagram echoed', results['datagram echo'], 'ping');
check('client close resolves closed', results['client close'], { closeCode: 7, reason: 'done' });
check('server close code and reason reach closed', results['server close reaches closed'],
  { closeCode: 4242, reason: 'bye' });
await finish();

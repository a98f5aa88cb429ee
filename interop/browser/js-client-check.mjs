// @switchboard/client in headless Chromium: a page loads clients/js/dist/index.js as an ES module (no bundler,
// no dependency) and, against a development server, connects (WebTransport, which Chromium has and the server
// offers; WebSocket when told to, and when the WebTransport session fails), calls a method, answers the server's call, subscribes and receives a
// push sent through the HTTP API.
// Usage: node js-client-check.mjs http://127.0.0.1:PORT TOKEN   (after npm run build in clients/js)
// Prints one JSON line of named checks, as interop/node/*.mjs do; exits 1 when one failed.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, normalize } from 'node:path';
import { kit } from './browser-kit.mjs';

const [base, token] = process.argv.slice(2);
if (!base || !/^http:\/\//.test(base)) {
  process.stderr.write('usage: node js-client-check.mjs http://127.0.0.1:PORT TOKEN\n');
  process.exit(2);
}
const dist = fileURLToPath(new URL('../../clients/js/dist/', import.meta.url));
const { log, check, finish, openPage } = kit('js-client-browser', 90000);

// The page's origin also serves the client's dist/ at /dist/.
const { page } = await openPage();
const files = http.createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  try {
    if (!path.startsWith('/dist/')) throw new Error('not here');
    const body = await readFile(join(dist, path.slice('/dist/'.length)));
    res.writeHead(200, { 'content-type': path.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>js-client</title><p>js-client</p>');
  }
});
await new Promise((r) => files.listen(0, '127.0.0.1', r));
await page.exposeFunction('pushTo', async (channel, n) => {
  const res = await fetch(`${base}/api/v1/notifications/channel`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel, event_type: 'headline', payload: { n } }),
  });
  return res.status;
});
await page.goto(`http://127.0.0.1:${files.address().port}/`);

const run = (transports) => page.evaluate(async ({ url, token, transports }) => {
  const out = {};
  const step = async (name, body) => {
    try {
      out[name] = await Promise.race([body(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 10000))]);
    } catch (e) {
      out[name] = `error: ${e}`;
    }
  };
  const { Switchboard, RpcError } = await import('/dist/index.js');
  const sb = new Switchboard(url, transports ? { token, transports } : { token });
  const states = [];
  sb.on('state', (e) => states.push(e.state));
  sb.expose('greet', (p) => `hello ${p[0]}`);
  sb.expose('refuse', () => { throw new RpcError(4001, 'no'); });
  await step('connect', async () => { await sb.connect(); return sb.status; });
  await step('call', () => sb.call('sum', [1, 2, 4]));
  await step('callback', () => sb.call('callback', ['greet', ['Ada']]));
  await step('push', async () => {
    const got = new Promise((resolve) => sb.subscribe('news', (n) => resolve([n.channel, n.payload.n])).ready
      .then(() => window.pushTo('news', 7)));
    return got;
  });
  sb.close();
  out.states = states;
  return out;
}, { url: base.replace(/^http/, 'ws') + '/ws', token, transports });

const wt = await run(undefined);
log(JSON.stringify(wt));
check('Chromium has WebTransport and the server offers it: the client uses it', wt.connect,
  { state: 'connected', transport: 'webtransport' });
check('a call over WebTransport', wt.call, 7);
check('the server calls the page over WebTransport', wt.callback, 'hello Ada');
check('a channel push over WebTransport', wt.push, ['news', 7]);
check('states over WebTransport', wt.states, ['connecting', 'connected', 'closed']);

const ws = await run(['websocket']);
log(JSON.stringify(ws));
check('transports: [websocket] connects over the browser\'s WebSocket', ws.connect,
  { state: 'connected', transport: 'websocket' });
check('a call over WebSocket', ws.call, 7);
check('the server calls the page over WebSocket', ws.callback, 'hello Ada');
check('a channel push over WebSocket', ws.push, ['news', 7]);

// A WebTransport session that fails (here: the answer names a port Chromium refuses): WebSocket instead.
await page.route('**/api/v1/webtransport', (route) => route.fulfill({
  status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' },
  body: JSON.stringify({ url: 'https://127.0.0.1:9/wt', certificate_hashes: [] }),
}));
const fallback = await run(undefined);
log(JSON.stringify(fallback));
check('when the WebTransport session fails, the client falls back to WebSocket', fallback.connect,
  { state: 'connected', transport: 'websocket' });
check('a call after the fallback', fallback.call, 7);
files.close();
finish();

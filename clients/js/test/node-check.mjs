// @switchboard/client on Node against a real server (development mode verifying HS256 tokens, leeway 0):
// RPC both ways, push to channels and users, ACKs, a reconnect after the server closes with 4001 (the token
// expired) with the channel recovered from its last offset and a redelivered notification deduplicated, a token
// refreshed before expiry, SSE (forced, and as the fallback when WebSocket fails), the server's shutdown notice
// (a stand-in ws server), the backoff's bounds, and close().
// Usage: node test/node-check.mjs http://127.0.0.1:PORT SECRET ISSUER AUDIENCE   (after npm run build)
// Prints one JSON line of named checks, as interop/node/*.mjs do; exits 1 when one failed.
import { checks, tokens } from '../../../interop/node/check-kit.mjs';
import { WebSocketServer } from 'ws';
import { Switchboard, RpcError, ConnectionError, backoffDelay } from '../dist/index.js';

const [base, secret, issuer, audience] = process.argv.slice(2);
if (!base || !secret) {
  process.stderr.write('usage: node test/node-check.mjs http://127.0.0.1:PORT SECRET ISSUER AUDIENCE\n');
  process.exit(2);
}
const { check, group, finish, log, onExit } = checks('js-client-node', 120000);
const mint = tokens(secret, issuer, audience);
/** A token of `user` expiring in `seconds`. */
const shortToken = (user, seconds) => mint(user, { exp: Math.floor(Date.now() / 1000) + seconds });
const post = async (path, body) => {
  const res = await fetch(base + path, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};
const toChannel = (channel, n) => post('/api/v1/notifications/channel', { channel, event_type: 'test', payload: { n } });
const toUser = (user, n) => post('/api/v1/notifications/send', { target_user_id: user, event_type: 'test', payload: { n } });
/** Resolves once `condition()` holds (looked at every 20 ms); rejects naming `what` after `ms`. */
const waitFor = (condition, what, ms = 5000) => new Promise((resolve, reject) => {
  const started = Date.now();
  const look = () => {
    if (condition()) resolve();
    else if (Date.now() - started > ms) reject(new Error(`no ${what} within ${ms} ms`));
    else setTimeout(look, 20);
  };
  look();
});
const run = Date.now().toString(36); // users and channels of this run: a server may be reused
const NEWS = `news-${run}`;
const ORDERS = `orders-${run}`;
const ALERTS = `alerts-${run}`;
const clients = [];
const client = (url, options) => {
  const c = new Switchboard(url, options);
  clients.push(c);
  return c;
};
onExit(() => clients.forEach((c) => c.close()));
const wsUrl = base.replace(/^http/, 'ws') + '/ws';
const errorOf = (promise) => promise.then((v) => ({ resolved: v }), (e) => ({ name: e.name, code: e.code, message: e.message }));

await group('RPC over WebSocket', async () => {
  const states = [];
  const sb = client(wsUrl, { token: mint(`ann-${run}`) });
  sb.on('state', (e) => states.push(e.state + (e.transport ? `/${e.transport}` : '')));
  await sb.connect();
  check('connect() goes connecting, then connected over WebSocket (Node 20: the ws package)',
    states.slice(), ['connecting', 'connected/websocket']);
  check('call by position', await sb.call('sum', [1, 2, 4]), 7);
  check('call by name', await sb.call('subtract', { minuend: 42, subtrahend: 23 }), 19);
  const failed = await errorOf(sb.call('fail', ['boom']));
  check('an error answer rejects with RpcError {code, message}', [failed.name, failed.code, failed.message],
    ['RpcError', -32000, 'boom']);
  check('an unknown method is RpcError -32601', (await errorOf(sb.call('no_such_method'))).code, -32601);
  sb.expose('greet', (params) => `hello ${params[0]}`);
  sb.expose('refuse', () => { throw new RpcError(4000, 'not today', { why: 'test' }); });
  check('the server calls an exposed method (callback)', await sb.call('callback', ['greet', ['Ada']]), 'hello Ada');
  const refused = await errorOf(sb.call('callback', ['refuse', []]));
  check('an exposed method\'s RpcError reaches the server with its code', [refused.code, refused.message],
    [4000, 'not today']);
  const unknown = await errorOf(sb.call('callback', ['not_exposed', []]));
  check('a method not exposed is answered -32601', unknown.code, -32601);
  sb.notify('update', [1, 2, 3]);
  check('notify then call on one connection', await sb.call('echo', ['after notify']), 'after notify');
  const timedOut = await errorOf(sb.call('sleep', [2000], { timeoutMs: 50 }));
  check('a call over its timeout rejects with -32002', timedOut.code, -32002);
});

await group('push: channels, users, ACKs', async () => {
  const sb = client(wsUrl, { token: mint(`ben-${run}`), ack: true });
  const all = [];
  const news = [];
  sb.on('notification', (n) => all.push(n));
  await sb.connect();
  const sub = sb.subscribe(NEWS, (n) => news.push(n));
  check('subscribe is confirmed by the server', (await sub.ready).subscribed, [NEWS]);
  const sent = await toChannel(NEWS, 1);
  await waitFor(() => news.length === 1, 'the channel notification');
  check('the channel handler gets the push with channel, offset and epoch',
    [news[0].id, news[0].channel, news[0].offset, typeof news[0].epoch, news[0].payload],
    [sent.body.notification_id, NEWS, 1, 'string', { n: 1 }]);
  check('the channel position is tracked', sb.positions()[NEWS]?.offset, 1);
  const direct = await toUser(`ben-${run}`, 2);
  await waitFor(() => all.length === 2, 'the user notification');
  check('on(notification) gets channel and user notifications', all.map((n) => n.payload.n), [1, 2]);
  check('ack answers acked', await sb.ack(direct.body.notification_id), { acked: true });
  const notOwed = await errorOf(sb.ack(news[0].id));
  check('ack of a channel notification is RpcError -32011', notOwed.code, -32011);
  sub.unsubscribe();
});

await group('reconnect after 4001 (token expired), recovery and deduplication', async () => {
  const states = [];
  const orders = [];
  const mine = [];
  let calls = 0;
  const sb = client(wsUrl, {
    ack: true,
    refreshTokens: false,
    getToken: async () => {
      calls += 1;
      if (calls === 2) { // disconnected: what is published now must be recovered
        await toChannel(ORDERS, 2);
        await toChannel(ORDERS, 3);
      }
      return shortToken(`cid-${run}`, calls === 1 ? 3 : 600);
    },
  });
  sb.on('state', (e) => states.push(e.code ? `${e.state}/${e.code}` : e.state));
  const answers = [];
  sb.on('subscribed', (a) => answers.push(a));
  sb.on('notification', (n) => { if (!n.channel) mine.push(n.payload.n); });
  sb.subscribe(ORDERS, (n) => orders.push([n.offset, n.payload.n]));
  const raw = []; // every notification as it came off the wire, before deduplication (a private field)
  const inbound = sb.peer.inbound.bind(sb.peer);
  sb.peer.inbound = (m) => { if (m.method === 'notification' && !m.params.channel) raw.push(m.params.payload.n); inbound(m); };
  await sb.connect();
  await toChannel(ORDERS, 1);
  const owed = await toUser(`cid-${run}`, 10);
  await waitFor(() => orders.length === 1 && mine.length === 1, 'the first notifications');
  log('waiting for the token to expire (3 s)');
  await waitFor(() => answers.length === 2, 'the resubscription after the reconnect', 15000);
  check('the server closed with 4001 and the client reconnected with a fresh token',
    [states.filter((s) => s.startsWith('disconnected'))[0], states.at(-1), calls],
    ['disconnected/4001', 'connected', 2]);
  check('the resubscription recovered the channel', answers[1].recovered, { [ORDERS]: true });
  await toUser(`cid-${run}`, 11);
  await waitFor(() => orders.length === 3 && mine.length === 2, 'the recovered and the new notifications');
  check('what was published while disconnected came, in order, no gap, no duplicate', orders,
    [[1, 1], [2, 2], [3, 3]]);
  check('the server redelivered the unacknowledged notification (ack=1)', raw, [10, 10, 11]);
  check('the client delivered it once', mine, [10, 11]);
  check('it can still be acknowledged', await sb.ack(owed.body.notification_id), { acked: true });
});

await group('token refresh before expiry', async () => {
  const states = [];
  let calls = 0;
  const sb = client(wsUrl, { getToken: () => { calls += 1; return shortToken(`dee-${run}`, 4); } });
  sb.on('state', (e) => states.push(e.state));
  await sb.connect();
  const firstExpiry = Date.now() + 4000;
  await waitFor(() => calls === 2, 'the refresh', 10000);
  await waitFor(() => Date.now() > firstExpiry + 1000, 'the first token\'s expiry', 10000);
  check('after the first token\'s exp the connection is still up (refreshed)', await sb.call('echo', ['up']), 'up');
  check('no disconnect happened', states.slice(), ['connecting', 'connected']);
});

await group('SSE', async () => {
  const sb = client(wsUrl, { token: mint(`eve-${run}`), transports: ['sse'], ack: true });
  const alerts = [];
  const all = [];
  sb.on('notification', (n) => all.push(n));
  await sb.connect();
  check('transports: [sse] connects over SSE', sb.status, { state: 'connected', transport: 'sse' });
  const sub = sb.subscribe(ALERTS, (n) => alerts.push(n));
  await sub.ready;
  await waitFor(() => sb.status.state === 'connected', 'the stream reopened for the new channel');
  await toChannel(ALERTS, 1);
  await waitFor(() => alerts.length === 1, 'the channel notification over SSE');
  check('the channel handler gets it with its offset', [alerts[0].channel, alerts[0].offset], [ALERTS, 1]);
  const direct = await toUser(`eve-${run}`, 2);
  await waitFor(() => all.length === 2, 'the user notification over SSE');
  check('ack over SSE goes by POST /sse/ack', await sb.ack(direct.body.notification_id), { acked: true });
  check('an ack of a channel notification over SSE is RpcError -32011 too', (await errorOf(sb.ack(alerts[0].id))).code,
    -32011);
  const call = await errorOf(sb.call('echo', ['x']));
  check('call rejects over SSE with a ConnectionError saying why', [call.name, /Server-Sent Events/.test(call.message)],
    ['ConnectionError', true]);

  const fallback = client(base + '/no-websocket-here', { token: mint(`fay-${run}`), sseAfterFailures: 2,
    backoff: { baseMs: 10, maxMs: 50 } });
  await fallback.connect();
  check('after 2 failed WebSocket attempts the client falls back to SSE', fallback.status.transport, 'sse');
});

await group('the server\'s shutdown notice, and the backoff', async () => {
  // A stand-in for a server stopping: it sends the shutdown notification, then closes with 1001.
  const fake = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => fake.once('listening', r));
  onExit(() => fake.close());
  fake.on('connection', (socket) => {
    socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'shutdown',
      params: { reason: 'server shutting down', reconnect_after_seconds: 5 } }));
    socket.close(1001, 'server shutting down');
  });
  const sb = client(`ws://127.0.0.1:${fake.address().port}/ws`, { transports: ['websocket'] });
  const states = [];
  sb.on('state', (e) => states.push(e));
  await sb.connect();
  await waitFor(() => states.some((e) => e.state === 'disconnected'), 'the disconnect');
  const gone = states.find((e) => e.state === 'disconnected');
  check('after shutdown + 1001 the next attempt waits reconnect_after_seconds (plus up to 0.5 s of jitter)',
    [gone.code, gone.retryInMs >= 5000 && gone.retryInMs < 5500], [1001, true]);
  sb.close();
  check('backoff: full jitter under 0.5 s at first, 20 s at most', [
    backoffDelay(0, {}, () => 0), backoffDelay(0, {}, () => 0.999) < 500,
    backoffDelay(3, {}, () => 0.5), backoffDelay(30, {}, () => 0.999) < 20000, backoffDelay(30, {}, () => 0.999) > 19000,
  ], [0, true, 2000, true, true]);
});

await group('close', async () => {
  const sb = client(wsUrl, { token: mint(`gus-${run}`) });
  const states = [];
  sb.on('state', (e) => states.push(e.state));
  await sb.connect();
  sb.close();
  check('close() ends in closed', states.at(-1), 'closed');
  const after = await errorOf(sb.call('echo', ['x']));
  check('a call after close rejects with ConnectionError', after.name, 'ConnectionError');
  check('connect() after close rejects', (await errorOf(sb.connect())).name, 'ConnectionError');
  check('ConnectionError is exported', typeof ConnectionError, 'function');
});

finish();

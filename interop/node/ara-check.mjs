#!/usr/bin/env node
// An Ara backend and Ara devices against Switchboard, unchanged: the request bodies are the examples
// of Ara's own API reference, the devices speak Ara's {"type": ...} protocol over the plain `ws`
// package, the HTTP API is called with Node's own http (as curl would).
//
//   node ara-check.mjs http://127.0.0.1:PORT API_KEY JWT_SECRET [ISSUER AUDIENCE]
//
// The server runs in production mode with websocket.default_protocol = "ara" (the devices name no
// protocol, as Ara's do) and the connection rate limit off. Prints ONE JSON object to stdout:
//   {"ok":true|false,"checks":[{"name":"...","ok":true,"got":...,"expected":...}, ...]}
// Exit codes: 0 all checks passed, 1 some check failed, 2 bad usage.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { TIMEOUT_MS, Waiters, api, checks, sleep, tokens } from './check-kit.mjs';

const [base, apiKey, secret, issuer, audience] = process.argv.slice(2);
if (!base || !apiKey || !secret || !/^https?:\/\//.test(base)) {
  process.stderr.write(
    'usage: node ara-check.mjs http://127.0.0.1:PORT API_KEY JWT_SECRET [ISSUER AUDIENCE]\n');
  process.exit(2);
}
const { check, group, finish, onExit } = checks('ara-check');
const token = tokens(secret, issuer, audience);
const request = api(base, apiKey);
const run = randomUUID().slice(0, 8); // keeps users, channels and templates of one run apart
const user = (name) => `${name}-${run}`;
const orders = `orders-${run}`;

/** A device as Ara's apps are: /ws?token=, {"type": ...} messages, flat notifications. */
class AraDevice {
  static async connect(name, claims = {}) {
    const device = new AraDevice();
    device.ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws?token=${token(name, claims)}`);
    onExit(() => device.ws.terminate());
    device.ws.on('message', (data) => {
      device.messages.push(JSON.parse(data.toString()));
      device.waiters.poke();
    });
    await new Promise((resolve, reject) => {
      device.ws.once('open', resolve);
      device.ws.once('error', reject);
    });
    return device;
  }

  constructor() {
    this.messages = [];
    this.waiters = new Waiters();
  }

  send(message) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message of `type` (and matching `where`) not taken yet, waiting for it. */
  async next(type, where = () => true) {
    const find = () => this.messages.findIndex((m) => m.type === type && where(m));
    await this.until(() => find() >= 0, `a ${type} message`);
    return this.messages.splice(find(), 1)[0];
  }

  until(condition, what) {
    return this.waiters.until(condition, what);
  }

  notifications() {
    return this.messages.filter((m) => m.type === 'notification');
  }

  close() {
    return new Promise((resolve) => {
      this.ws.once('close', resolve);
      this.ws.close();
      setTimeout(resolve, TIMEOUT_MS);
    });
  }
}

await group('health', async () => {
  const health = await request('GET', '/health', undefined, { 'X-API-Key': '' });
  check('GET /health says healthy', [health.status, health.body.status], [200, 'healthy']);
});

await group('device protocol', async () => {
  const phone = await AraDevice.connect(user('user-123'));
  phone.send({ type: 'Subscribe', payload: { channels: [orders, `alerts-${run}`] } });
  check('Subscribe is answered subscribed', await phone.next('subscribed'),
    { type: 'subscribed', payload: [orders, `alerts-${run}`] });
  phone.send({ type: 'Ping' });
  check('Ping is answered pong', await phone.next('pong'), { type: 'pong' });

  const sent = await request('POST', '/api/v1/notifications/channel', {
    channel: orders, event_type: 'order.status_changed',
    payload: { order_id: 'ORD-001', status: 'shipped' },
  });
  check('the channel send answers Ara\'s fields',
    [sent.status, sent.body.channel, sent.body.delivered_to], [200, orders, 1]);
  const n = await phone.next('notification');
  check('the device gets it flat, in Ara\'s shape',
    [n.id, n.event_type, n.payload, n.metadata.priority],
    [sent.body.notification_id, 'order.status_changed', { order_id: 'ORD-001', status: 'shipped' },
      'Normal']);

  const direct = await request('POST', '/api/v1/notifications/send', {
    target_user_id: user('user-123'), event_type: 'order.created',
    payload: { order_id: 'ORD-001', amount: 99.99 }, priority: 'High', ttl: 3600,
  });
  check('send answers {notification_id, delivered_to, queued}',
    [direct.status, direct.body.delivered_to, direct.body.queued], [200, 1, false]);
  const mine = await phone.next('notification', (m) => m.id === direct.body.notification_id);
  check('with its priority and ttl', [mine.metadata.priority, mine.metadata.ttl], ['High', 3600]);
  phone.send({ type: 'Ack', payload: { notification_id: mine.id } });
  check('Ack is answered acked', await phone.next('acked'),
    { type: 'acked', notification_id: mine.id });
  const acks = await request('GET', '/api/v1/stats/acks');
  check('the ACK counts in /api/v1/stats/acks', acks.body.acknowledged >= 1, true);

  const subs = await request('GET', `/api/v1/users/${user('user-123')}/subscriptions`);
  check('subscriptions answers Ara\'s field',
    [subs.body.user_id, [...subs.body.subscriptions].sort(), subs.body.connections],
    [user('user-123'), [`alerts-${run}`, orders].sort(), 1]);
  const channel = await request('GET', `/api/v1/channels/${orders}`);
  check('channel details carry created_at',
    [channel.body.subscribers, typeof channel.body.created_at], [1, 'string']);

  phone.send({ type: 'Unsubscribe', payload: { channels: [orders] } });
  check('Unsubscribe is answered unsubscribed', await phone.next('unsubscribed'),
    { type: 'unsubscribed', payload: [orders] });
  phone.send({ type: 'Dance' });
  const error = await phone.next('error');
  check('an unknown type is an error, and the connection stays up',
    [error.code, phone.ws.readyState], ['INVALID_MESSAGE', WebSocket.OPEN]);
  await phone.close();
});

await group('offline queue', async () => {
  const away = user('user-3');
  const queued = await request('POST', '/api/v1/notifications/send-to-users', {
    target_user_ids: [away], event_type: 'group.notification', payload: { message: 'New group update' },
    priority: 'Normal',
  });
  check('send-to-users says queued for a user who is away', queued.body.results[away],
    { delivered: false, queued: true, connections: 0 });
  const back = await AraDevice.connect(away);
  const replayed = await back.next('notification');
  check('the queue is replayed on connect', replayed.id, queued.body.notification_id);
  await back.close();
});

await group('batch', async () => {
  const phone = await AraDevice.connect(user('user-1'));
  phone.send({ type: 'Subscribe', payload: { channels: [orders] } });
  await phone.next('subscribed');
  const batch = await request('POST', '/api/v1/notifications/batch', {
    notifications: [
      { target: { type: 'user', id: user('user-1') }, event_type: 'message.new', payload: { text: 'Hello' } },
      { target: { type: 'channel', name: orders }, event_type: 'order.created', payload: { order_id: '123' } },
    ],
    atomic: false,
  });
  check('Ara\'s batch targets are sent', [batch.status, batch.body.successful, batch.body.failed],
    [200, 2, 0]);
  await phone.until(() => phone.notifications().length >= 2, 'both batch notifications');
  check('and both arrive', phone.notifications().map((m) => m.event_type).sort(),
    ['message.new', 'order.created']);
  const atomic = await request('POST', '/api/v1/notifications/batch', {
    notifications: [
      { target: { type: 'user', id: user('user-1') }, event_type: 'message.new', payload: { text: 'Hi' } },
      { target: { type: 'channel', name: 'bad name!' }, event_type: 'order.created', payload: {} },
    ],
    atomic: true,
  });
  await sleep(300);
  check('atomic: an invalid item means none is sent',
    [atomic.body.successful, phone.notifications().length], [0, 2]);
  await phone.close();
});

await group('templates', async () => {
  const id = `order-shipped-${run}`;
  const created = await request('POST', '/api/v1/templates', {
    id, name: 'Order Shipped', event_type: 'order.shipped',
    payload_template: {
      title: 'Order {{order_id}} Shipped',
      body: 'Your order is on the way! Tracking: {{tracking_number}}',
      action_url: '/orders/{{order_id}}',
    },
    priority: 'High', ttl: 86400,
  });
  check('a template is created', [created.status, created.body.id], [201, id]);
  const phone = await AraDevice.connect(user('user-9'));
  const sent = await request('POST', '/api/v1/notifications/send', {
    target_user_id: user('user-9'), template_id: id,
    variables: { order_id: 'ORD-001', tracking_number: 'TRK-12345' },
  });
  const n = await phone.next('notification', (m) => m.id === sent.body.notification_id);
  check('a send with template_id and variables renders it',
    [n.event_type, n.payload, n.metadata.priority, n.metadata.ttl],
    ['order.shipped', {
      title: 'Order ORD-001 Shipped', body: 'Your order is on the way! Tracking: TRK-12345',
      action_url: '/orders/ORD-001',
    }, 'High', 86400]);
  const missing = await request('POST', '/api/v1/notifications/send', {
    target_user_id: user('user-9'), template_id: id, variables: { order_id: 'ORD-002' },
  });
  check('a missing variable is 422 naming it',
    [missing.status, missing.body.error.code, /tracking_number/.test(missing.body.error.message)],
    [422, 'VALIDATION_ERROR', true]);
  const deleted = await request('DELETE', `/api/v1/templates/${id}`);
  check('the template is deleted', deleted.status, 204);
  await phone.close();
});

await group('tenants', async () => {
  const alice = user('alice');
  const acme = await AraDevice.connect(alice, { tenant_id: `acme-${run}` });
  const globex = await AraDevice.connect(alice, { tenant_id: `globex-${run}` });
  for (const device of [acme, globex]) {
    device.send({ type: 'Subscribe', payload: { channels: [orders] } });
    await device.next('subscribed');
  }
  const asAcme = { 'X-Tenant-ID': `acme-${run}` };
  const asGlobex = { 'X-Tenant-ID': `globex-${run}` };
  const toChannel = await request('POST', '/api/v1/notifications/channel',
    { channel: orders, event_type: 'acme.only', payload: {} }, asAcme);
  const toUser = await request('POST', '/api/v1/notifications/send',
    { target_user_id: alice, event_type: 'globex.only', payload: {} }, asGlobex);
  check('a send reaches its tenant\'s devices alone',
    [toChannel.body.delivered_to, toUser.body.delivered_to], [1, 1]);
  await acme.next('notification', (m) => m.event_type === 'acme.only');
  await globex.next('notification', (m) => m.event_type === 'globex.only');
  await sleep(300);
  check('alice of acme is not alice of globex',
    [acme.notifications().map((m) => m.event_type), globex.notifications().map((m) => m.event_type)],
    [[], []]);
  const listed = await request('GET', '/api/v1/channels', undefined, asAcme);
  check('a tenant lists its own channels', listed.body.channels, [{ name: orders, subscribers: 1 }]);
  const tenant = await request('GET', `/api/v1/tenants/acme-${run}`);
  check('GET /api/v1/tenants/{id} counts the tenant',
    [tenant.status, tenant.body.connections, tenant.body.users], [200, 1, 1]);
  await acme.close();
  await globex.close();
});

await group('stats and errors', async () => {
  const stats = await request('GET', '/api/v1/stats');
  check('GET /api/v1/stats has Ara\'s nested shape',
    ['connections', 'users', 'channels', 'messages'].map((k) => typeof stats.body[k]),
    ['object', 'object', 'object', 'object']);
  check('with Ara\'s counters',
    [typeof stats.body.connections.websocket, typeof stats.body.users.with_multiple_connections,
      typeof stats.body.channels.total_subscriptions, typeof stats.body.messages.sent_today],
    ['number', 'number', 'number', 'number']);
  const invalid = await request('POST', '/api/v1/notifications/send', {
    target_user_id: 'user-123', event_type: '', payload: {},
  });
  check('a bad field is Ara\'s VALIDATION_ERROR with details',
    [invalid.status, invalid.body.error.code, invalid.body.error.details.field],
    [422, 'VALIDATION_ERROR', 'event_type']);
  const wrong = await request('DELETE', '/api/v1/channels');
  check('a wrong method is 405 with Allow', [wrong.status, wrong.headers.allow],
    [405, 'GET, HEAD, OPTIONS']);
  const noKey = await request('GET', '/api/v1/channels', undefined, { 'X-API-Key': 'wrong' });
  check('a wrong API key is 401 UNAUTHORIZED', [noKey.status, noKey.body.error.code],
    [401, 'UNAUTHORIZED']);
  const cluster = await request('GET', '/api/v1/cluster/status');
  check('cluster status answers for the one node',
    [cluster.status, cluster.body.mode, cluster.body.nodes.length], [200, 'standalone', 1]);
});

finish();

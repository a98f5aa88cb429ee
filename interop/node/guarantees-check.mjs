#!/usr/bin/env node
// Independent check of Switchboard's delivery guarantees, as a user would try them: the plain `ws`
// package for devices, Node's own http for the HTTP API (as curl would) and a raw SSE reader (no
// EventSource library: it parses the event stream itself, per the HTML spec).
//
//   node guarantees-check.mjs http://127.0.0.1:PORT API_KEY JWT_SECRET [ISSUER AUDIENCE]
//
// Mints its own HS256 tokens with the secret. Prints ONE JSON object to stdout:
//   {"ok":true|false,"checks":[{"name":"...","ok":true,"got":...,"expected":...}, ...]}
// Exit codes: 0 all checks passed, 1 some check failed, 2 bad usage or cannot connect.
// Every wait is bounded, so the script always ends by itself.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import WebSocket from 'ws';
import { TIMEOUT_MS, Waiters, api, checks, tokens } from './check-kit.mjs';

const QUIET_MS = 300; // how long "nothing more arrives" is watched for

const [base, apiKey, secret, issuer, audience] = process.argv.slice(2);
if (!base || !apiKey || !secret || !/^https?:\/\//.test(base)) {
  process.stderr.write(
    'usage: node guarantees-check.mjs http://127.0.0.1:PORT API_KEY JWT_SECRET [ISSUER AUDIENCE]\n');
  process.exit(2);
}
const wsBase = base.replace(/^http/, 'ws');
const run = randomUUID().slice(0, 8); // keeps users and channels of one run apart
const { check, group, finish, log, onExit } = checks('guarantees-check');
const token = tokens(secret, issuer, audience);
const request = api(base, apiKey);

const sendToUser = (user, eventType, extra = {}, headers = {}) => request('POST', '/api/v1/notifications/send',
  { target_user_id: user, event_type: eventType, payload: { run }, ...extra }, headers);
const sendToChannel = (channel, eventType) => request('POST', '/api/v1/notifications/channel',
  { channel, event_type: eventType, payload: { run } });

// ---------------------------------------------------------------- a WebSocket device

class Device {
  static async connect(user, query = '') {
    const device = new Device();
    device.ws = new WebSocket(`${wsBase}/ws?token=${token(user)}${query}`);
    onExit(() => device.ws.terminate());
    device.ws.on('message', (data) => device.onMessage(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${user} could not connect`)), TIMEOUT_MS);
      device.ws.once('open', () => { clearTimeout(timer); resolve(); });
      device.ws.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
    return device;
  }

  constructor() {
    this.notifications = [];
    this.answers = new Map();
    this.waiters = new Waiters();
    this.nextId = 1;
  }

  onMessage(message) {
    if (message.method === 'notification') {
      this.notifications.push(message.params);
    } else if (message.id !== undefined) {
      this.answers.set(message.id, message);
    }
    this.waiters.poke();
  }

  until(condition, what) {
    return this.waiters.until(condition, what);
  }

  async call(method, params) {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    await this.until(() => this.answers.has(id), `the answer to ${method}`);
    return this.answers.get(id);
  }

  /** Event types of the notifications received once `count` arrived and nothing more came. */
  async events(count) {
    await this.until(() => this.notifications.length >= count, `${count} notifications`);
    await new Promise((r) => setTimeout(r, QUIET_MS));
    return this.notifications.map((n) => n.event_type);
  }

  close() {
    return new Promise((resolve) => {
      this.ws.once('close', resolve);
      this.ws.close();
      setTimeout(resolve, TIMEOUT_MS);
    });
  }
}

// ---------------------------------------------------------------- a raw SSE reader

/** Reads /sse with Node's http, parsing the stream as browsers do (fields event, data, id). */
class SseReader {
  static async open(user, query = '', lastEventId) {
    const reader = new SseReader();
    const headers = { Authorization: `Bearer ${token(user)}`, Accept: 'text/event-stream' };
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    await new Promise((resolve, reject) => {
      const req = http.get(`${base}/sse${query}`, { headers }, (res) => {
        reader.status = res.statusCode;
        reader.contentType = res.headers['content-type'];
        res.setEncoding('utf8');
        res.on('data', (chunk) => reader.feed(chunk));
        resolve();
      });
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error('SSE connect timed out')));
      req.on('error', reject);
      reader.req = req;
      onExit(() => req.destroy());
    });
    return reader;
  }

  constructor() {
    this.events = [];
    this.lastEventId = '';
    this.buffer = '';
    this.pending = { event: '', data: [], id: undefined };
    this.waiters = new Waiters();
  }

  feed(chunk) {
    this.buffer += chunk;
    let end;
    while ((end = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      this.line(line);
    }
    this.waiters.poke();
  }

  line(line) {
    if (line === '') {
      if (this.pending.id !== undefined) this.lastEventId = this.pending.id;
      if (this.pending.data.length > 0) {
        this.events.push({
          event: this.pending.event || 'message',
          data: JSON.parse(this.pending.data.join('\n')),
          lastEventId: this.lastEventId,
        });
      }
      this.pending = { event: '', data: [], id: undefined };
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.pending.event = value;
    else if (field === 'data') this.pending.data.push(value);
    else if (field === 'id') this.pending.id = value;
  }

  of(type) {
    return this.events.filter((e) => e.event === type);
  }

  until(condition, what) {
    return this.waiters.until(condition, what);
  }

  async notifications(count) {
    await this.until(() => this.of('notification').length >= count, `${count} SSE notifications`);
    await new Promise((r) => setTimeout(r, QUIET_MS));
    return this.of('notification').map((e) => e.data.event_type);
  }

  close() {
    this.req.destroy();
  }
}

// ---------------------------------------------------------------- the checks

async function offlineQueue() {
  const user = `queue-${run}`;
  const answers = [];
  for (const e of ['q1', 'q2', 'q3']) answers.push((await sendToUser(user, e)).body);
  check('a send to a user with no device answers queued: true',
    answers.map((a) => [a.delivered_to, a.queued]), [[0, true], [0, true], [0, true]]);
  const many = await request('POST', '/api/v1/notifications/send-to-users',
    { target_user_ids: [user], event_type: 'q4', payload: {} });
  check('send-to-users says queued per user',
    many.body.results[user], { delivered: false, queued: true, connections: 0 });
  const device = await Device.connect(user);
  await device.events(4);
  await sendToUser(user, 'live');
  check('the next connection gets the queue first, in order, then live ones',
    await device.events(5), ['q1', 'q2', 'q3', 'q4', 'live']);
  await device.close();
  const again = await Device.connect(user);
  await sendToUser(user, 'marker');
  check('a later connection does not get the queue again (Ara)', await again.events(1), ['marker']);
  await again.close();
}

async function acks() {
  const user = `acker-${run}`;
  const device = await Device.connect(user);
  const sent = (await sendToUser(user, 'to-ack')).body;
  await device.events(1);
  const stranger = await Device.connect(`stranger-${run}`);
  const refused = await stranger.call('ack', { notification_id: sent.notification_id });
  check('another user cannot ack it', refused.error?.code, -32011);
  const acked = await device.call('ack', { notification_id: sent.notification_id });
  check('ack answers {acked: true}', acked.result, { acked: true });
  const stats = (await request('GET', '/api/v1/stats/acks')).body;
  check('GET /api/v1/stats/acks has Ara\'s fields', Object.keys(stats).sort(),
    ['acknowledged', 'average_ack_time_ms', 'expired', 'pending']);
  check('the ACK counts', stats.acknowledged >= 1, true);
  await device.close();
  await stranger.close();
}

async function atLeastOnce() {
  const user = `alo-${run}`;
  const first = await Device.connect(user, '&ack=1');
  const sent = (await sendToUser(user, 'owed')).body;
  await first.events(1);
  await first.close(); // received, never acknowledged
  const second = await Device.connect(user, '&ack=1');
  await second.events(1);
  check('an ack=1 device\'s unacknowledged notification comes again, same id',
    second.notifications.map((n) => n.id), [sent.notification_id]);
  await second.call('ack', { notification_id: sent.notification_id });
  await second.close();
  const third = await Device.connect(user, '&ack=1');
  await sendToUser(user, 'marker');
  check('once acknowledged it never comes again', await third.events(1), ['marker']);
  await third.close();
}

async function recovery() {
  const channel = `rec-${run}`;
  const device = await Device.connect(`rec-user-${run}`);
  const subscribed = (await device.call('subscribe', { channels: [channel] })).result;
  check('subscribe answers positions', Object.keys(subscribed.positions), [channel]);
  await sendToChannel(channel, 'c1');
  await device.events(1);
  const seen = device.notifications[0];
  check('a channel notification carries channel and offset',
    [seen.channel, seen.offset, typeof seen.epoch], [channel, 1, 'string']);
  await device.close();
  for (const e of ['c2', 'c3']) await sendToChannel(channel, e);
  const back = await Device.connect(`rec-user-${run}`);
  const answer = (await back.call('subscribe',
    { channels: [channel], recover: { [channel]: { offset: seen.offset, epoch: seen.epoch } } })).result;
  await sendToChannel(channel, 'c4');
  check('recovery with the right epoch says recovered: true', answer.recovered, { [channel]: true });
  check('the missed ones come first, in order, then live', await back.events(3), ['c2', 'c3', 'c4']);
  check('with offsets 2, 3, 4', back.notifications.map((n) => n.offset), [2, 3, 4]);
  await back.close();
  const foreign = await Device.connect(`rec-user-${run}`);
  const refused = (await foreign.call('subscribe',
    { channels: [channel], recover: { [channel]: { offset: 1, epoch: 'notmine0' } } })).result;
  await sendToChannel(channel, 'c5');
  check('a foreign epoch says recovered: false', refused.recovered, { [channel]: false });
  check('and replays nothing', await foreign.events(1), ['c5']);
  await foreign.close();
}

async function idempotency() {
  const user = `idem-${run}`;
  const device = await Device.connect(user);
  const key = `key-${run}`;
  const a = (await sendToUser(user, 'once', {}, { 'Idempotency-Key': key })).body;
  const b = (await sendToUser(user, 'once', {}, { 'Idempotency-Key': key })).body;
  check('a repeat gets the first answer', b, a);
  const c = (await sendToUser(user, 'once', { idempotency_key: `${key}-body` })).body;
  const d = (await sendToUser(user, 'once', { idempotency_key: `${key}-body` })).body;
  check('idempotency_key in the body works the same', d.notification_id, c.notification_id);
  const other = await sendToUser(user, 'different', {}, { 'Idempotency-Key': key });
  check('the same key for another request is 422', other.status, 422);
  check('the device got each send once', await device.events(2), ['once', 'once']);
  await device.close();
}

async function sse() {
  const user = `sse-${run}`;
  const channel = `ssech-${run}`;
  for (const e of ['s1', 's2']) await sendToUser(user, e);
  const stream = await SseReader.open(user, `?channels=${channel}`);
  check('SSE answers 200 text/event-stream',
    [stream.status, (stream.contentType || '').split(';')[0]], [200, 'text/event-stream']);
  await stream.until(() => stream.of('connected').length > 0, 'connected');
  check('connected comes first with connection_id and user_id',
    [stream.events[0].event, stream.events[0].data.user_id, typeof stream.events[0].data.connection_id],
    ['connected', user, 'string']);
  check('the queue is replayed on connect', await stream.notifications(2), ['s1', 's2']);
  await sendToChannel(channel, 'ch1');
  await stream.notifications(3);
  const resumeFrom = stream.lastEventId;
  check('every notification has an id', stream.of('notification').every((e) => e.lastEventId !== ''), true);
  stream.close();
  await sendToUser(user, 's3');
  await sendToChannel(channel, 'ch2');
  const resumed = await SseReader.open(user, `?channels=${channel}`, resumeFrom);
  const got = await resumed.notifications(2);
  check('Last-Event-ID resumes exactly after that event, across inbox and channel',
    [...got].sort(), ['ch2', 's3']);
  check('and reports no error', resumed.of('error').length, 0);
  resumed.close();
}

for (const step of [offlineQueue, acks, atLeastOnce, recovery, idempotency, sse]) {
  await group(step.name, step);
}
finish();

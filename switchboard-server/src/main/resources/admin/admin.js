// The admin page of Switchboard: polls /admin/api/overview every 2 s and renders it; sends a test
// notification, reads a channel's history, disconnects a device. With admin.token set, the token is
// asked for once and kept in sessionStorage (this tab only), and sent as X-Admin-Token.
'use strict';

const TOKEN_KEY = 'switchboard-admin-token';
const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);

let previous = null; // {at, sent, delivered}: the last poll's counters, for the rates
const rendered = {}; // table id -> the JSON it shows, so that an unchanged table is left alone

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

async function call(method, path, body) {
  const headers = {};
  if (token()) headers['X-Admin-Token'] = token();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
  });
  let json = null;
  try { json = await response.json(); } catch { /* no body */ }
  if (response.status === 401) {
    showLogin(token() ? 'That token was refused.' : 'This server needs its admin token.');
  }
  if (!response.ok) {
    const message = json && json.error ? json.error.message : `HTTP ${response.status}`;
    throw new Error(message);
  }
  return json;
}

function showLogin(why) {
  $('admin').hidden = true;
  $('login').hidden = false;
  $('status').textContent = why;
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function button(label, name, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.setAttribute('aria-label', name);
  b.addEventListener('click', onClick);
  return b;
}

/** Fills table `id` with one row per item; `fill(row, item)` adds its cells. */
function table(id, items, fill) {
  const json = JSON.stringify(items);
  if (rendered[id] === json) return;
  rendered[id] = json;
  const body = $(id).querySelector('tbody');
  body.replaceChildren();
  for (const item of items) {
    const row = document.createElement('tr');
    fill(row, item);
    body.appendChild(row);
  }
}

function render(o) {
  const stats = o.stats;
  const now = Date.now();
  const sent = stats.messages.notifications_sent;
  const delivered = stats.messages.deliveries;
  if (previous && now > previous.at) {
    const seconds = (now - previous.at) / 1000;
    $('sent-rate').textContent = ((sent - previous.sent) / seconds).toFixed(1);
    $('delivered-rate').textContent = ((delivered - previous.delivered) / seconds).toFixed(1);
  }
  previous = { at: now, sent, delivered };
  $('connections').textContent = String(stats.connections);
  $('users-count').textContent = String(stats.users);
  $('tenants-count').textContent = String(o.tenants.length);
  $('sent-total').textContent = String(sent);
  $('slow-total').textContent = String(stats.messages.slow_consumers_disconnected);

  table('devices', o.devices, (row, d) => {
    row.dataset.device = d.id;
    for (const v of [d.id, d.user_id, d.tenant, d.transport, d.remote, d.connected_at]) cell(row, v);
    cell(row, '').appendChild(button('Disconnect', `Disconnect ${d.id}`, () => disconnect(d.id)));
  });
  table('channels', o.channels, (row, c) => {
    for (const v of [c.tenant, c.name, String(c.subscribers)]) cell(row, v);
    cell(row, '').appendChild(button('History', `History of ${c.name}`, () => {
      $('history-tenant').value = c.tenant;
      $('history-name').value = c.name;
      readHistory();
    }));
  });
  table('users', o.users, (row, u) => {
    for (const v of [u.tenant, u.user_id, String(u.devices)]) cell(row, v);
  });
  table('tenants', o.tenants, (row, t) => {
    for (const v of [t.tenant_id, t.connections, t.users, t.channels, t.messages_today]) cell(row, String(v));
  });
  table('events', o.events, (row, e) => {
    for (const v of [e.at, e.kind.replace('_', ' '), e.subject, e.detail]) cell(row, v);
  });
}

async function poll() {
  try {
    const overview = await call('GET', '/admin/api/overview');
    $('login').hidden = true;
    $('admin').hidden = false;
    $('status').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    render(overview);
  } catch (e) {
    if (!$('login').hidden) return;
    $('status').textContent = `Cannot read the server: ${e.message}`;
  }
}

async function disconnect(id) {
  try {
    await call('POST', `/admin/api/devices/${encodeURIComponent(id)}/disconnect`);
    $('status').textContent = `Disconnected ${id}`;
  } catch (e) {
    $('status').textContent = `Cannot disconnect ${id}: ${e.message}`;
  }
  poll();
}

async function send(event) {
  event.preventDefault();
  const result = $('send-result');
  let payload;
  try {
    payload = JSON.parse($('send-payload').value || '{}');
  } catch (e) {
    result.textContent = `Payload is not JSON: ${e.message}`;
    return;
  }
  try {
    const answer = await call('POST', '/admin/api/send', {
      tenant: $('send-tenant').value,
      channel: $('send-channel').value,
      event_type: $('send-event-type').value,
      payload,
    });
    result.textContent = `Sent ${answer.notification_id} to ${answer.delivered_to} device(s)`;
  } catch (e) {
    result.textContent = `Not sent: ${e.message}`;
  }
  poll();
}

async function readHistory(event) {
  if (event) event.preventDefault();
  const name = $('history-name').value;
  const query = new URLSearchParams({ channel: name, tenant: $('history-tenant').value });
  try {
    const h = await call('GET', `/admin/api/history?${query}`);
    $('history-summary').textContent =
      `${h.entries.length} notification(s) kept on ${h.channel} (offset ${h.offset}, epoch ${h.epoch})`;
    rendered['history-entries'] = undefined;
    table('history-entries', h.entries, (row, e) => {
      const params = (e.message && e.message.params) || {};
      cell(row, String(e.offset));
      cell(row, params.event_type ?? '');
      cell(row, JSON.stringify(params.payload ?? e.message));
      cell(row, e.notification_id);
    });
  } catch (e) {
    $('history-summary').textContent = `Cannot read the history: ${e.message}`;
  }
}

function signIn(event) {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value);
  $('token').value = '';
  poll();
}

document.addEventListener('DOMContentLoaded', () => {
  $('login').addEventListener('submit', signIn);
  $('send').addEventListener('submit', send);
  $('history').addEventListener('submit', readHistory);
  poll();
  setInterval(poll, POLL_MS);
});

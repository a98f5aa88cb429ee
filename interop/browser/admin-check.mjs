// Headless Chromium clicking through the admin page (/admin) as an operator would, finding every control by its
// accessible name: the connection count ("Connections") follows a WebSocket device that connects and leaves; the
// send form ("Channel", "Event type", "Payload", "Send") reaches the device; the channel's history lists what was
// sent; "Disconnect" closes the device with 4009. With an admin token, the page first asks for it ("Admin token",
// "Sign in"), refuses a wrong one, and keeps the right one for the tab (a reload does not ask again).
// Usage: node admin-check.mjs http://127.0.0.1:PORT [ADMIN_TOKEN]   (a server whose devices need no token)
// Prints one JSON line of named checks, as interop/node/*.mjs do; exits 1 when one failed.
import { kit } from './browser-kit.mjs';

const base = process.argv[2];
const adminToken = process.argv[3];
if (!base || !/^http:\/\//.test(base)) {
  process.stderr.write('usage: node admin-check.mjs http://127.0.0.1:PORT [ADMIN_TOKEN]\n');
  process.exit(2);
}
const { log, check, finish, openPage } = kit('admin', 120000);
const WAIT_MS = 15000;

/** Waits until `read()` resolves to `expected` (polling), then records the check with what it last read. */
const until = async (what, read, expected) => {
  const deadline = Date.now() + WAIT_MS;
  let got;
  for (;;) {
    try { got = await read(); } catch (e) { got = `error: ${e.message.split('\n')[0]}`; }
    if (JSON.stringify(got) === JSON.stringify(expected) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  check(what, got, expected);
};

try {
  const { page } = await openPage();
  await page.goto(`${base}/admin`);
  const connections = page.getByLabel('Connections');

  if (adminToken) {
    await until('the page asks for the admin token', () => page.getByLabel('Admin token').isVisible(), true);
    check('nothing is shown before the token', await connections.isVisible(), false);
    await page.getByLabel('Admin token').fill(adminToken + '-wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await until('a wrong token is refused', () => page.getByRole('status').first().textContent(),
      'That token was refused.');
    await page.getByLabel('Admin token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await until('the right token opens the page', () => connections.isVisible(), true);
    await page.reload();
    await until('a reload keeps the token for the tab', () => connections.isVisible(), true);
    check('and does not ask again', await page.getByLabel('Admin token').isVisible(), false);
  }

  await until('Connections starts at 0', () => connections.textContent(), '0');

  // The device: a WebSocket of another tab, subscribed to "orders", recording what it receives and its close.
  const devicePage = await page.context().newPage();
  const wsUrl = base.replace(/^http/, 'ws') + '/ws';
  const subscribed = await devicePage.evaluate((url) => new Promise((resolve) => {
    window.received = [];
    window.closedWith = null;
    const ws = new WebSocket(url);
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.id === 1) resolve(msg.result ? msg.result.subscribed : msg.error);
      else window.received.push(msg);
    };
    ws.onclose = (e) => { window.closedWith = { code: e.code, reason: e.reason }; };
    ws.onopen = () => ws.send(JSON.stringify(
      { jsonrpc: '2.0', id: 1, method: 'subscribe', params: { channels: ['orders'] } }));
    setTimeout(() => resolve('timeout'), 10000);
  }), wsUrl);
  check('the device subscribed to orders', subscribed, ['orders']);
  await until('Connections shows the device', () => connections.textContent(), '1');
  await until('the device is listed with its transport',
    () => page.getByRole('row').filter({ hasText: 'anonymous-' }).getByRole('cell').nth(3).textContent(), 'ws');

  await page.getByLabel('Channel').fill('orders');
  await page.getByLabel('Event type').fill('admin.check');
  await page.getByLabel('Payload').fill('{"n": 7}');
  await page.getByRole('button', { name: 'Send' }).click();
  await until('the send form answers', async () => /to 1 device/.test(
    await page.locator('#send-result').textContent()), true);
  await until('the device receives the notification', () => devicePage.evaluate(() => window.received
    .filter((m) => m.method === 'notification' && m.params.event_type === 'admin.check')
    .map((m) => m.params.payload)), [{ n: 7 }]);

  await page.getByRole('button', { name: 'History of orders' }).click();
  await until('the history of orders lists the notification', () => page.locator('#history-entries tbody tr')
    .filter({ hasText: 'admin.check' }).getByRole('cell').nth(2).textContent(), '{"n":7}');

  await page.getByRole('button', { name: /^Disconnect / }).click();
  await until('Disconnect closes the device with 4009', () => devicePage.evaluate(() => window.closedWith),
    { code: 4009, reason: 'disconnected by an operator' });
  await until('Connections goes back to 0', () => connections.textContent(), '0');
  await until('the device is no longer listed', () => page.locator('#devices tbody tr').count(), 0);
} catch (e) {
  log(`failed: ${e.stack}`);
  check('the check ran to its end', String(e), 'no error');
}
await finish();

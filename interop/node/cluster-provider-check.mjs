#!/usr/bin/env node
// Independent check of clustered RPC, as a user's own JSON-RPC code tries it: a provider written with the plain
// `ws` package (no Switchboard code) on node 1, and callers on both nodes of a two-node cluster.
//
//   node cluster-provider-check.mjs http://NODE1:PORT http://NODE2:PORT API_KEY JWT_SECRET [ISSUER AUDIENCE]
//
// The nodes run in production mode and share one Redis. Each provides `where` in-process (answering its node id)
// with the resources `java-1` (node 1) and `java-2` (node 2). Mints its own HS256 tokens with the secret.
// Prints ONE JSON object to stdout:
//   {"ok":true|false,"checks":[{"name":"...","ok":true,"got":...,"expected":...}, ...]}
// Exit codes: 0 all checks passed, 1 some check failed, 2 bad usage or cannot connect.
// Every wait is bounded, so the script always ends by itself.
import WebSocket from 'ws';
import { TIMEOUT_MS, Waiters, api, checks, sleep, tokens } from './check-kit.mjs';

const SLOW_MS = 5000; // how long `slowjs` takes unless cancelled

const [base1, base2, apiKey, secret, issuer, audience] = process.argv.slice(2);
if (!base1 || !base2 || !apiKey || !secret || ![base1, base2].every((b) => /^https?:\/\//.test(b))) {
  process.stderr.write('usage: node cluster-provider-check.mjs http://NODE1:PORT http://NODE2:PORT '
    + 'API_KEY JWT_SECRET [ISSUER AUDIENCE]\n');
  process.exit(2);
}
const { check, group, finish, log, onExit } = checks('cluster-provider-check', 90000);
const token = tokens(secret, issuer, audience);

// ---------------------------------------------------------------- a JSON-RPC 2.0 peer over plain ws

/** One connection: calls it makes, requests it answers with `handlers`, and every message it received. */
class Peer {
  static async connect(base, user, roles, handlers = {}) {
    const peer = new Peer(handlers);
    const claims = roles ? { roles } : {};
    peer.ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws?token=${token(user, claims)}`);
    onExit(() => peer.ws.terminate());
    peer.ws.on('message', (data) => peer.onMessage(data.toString()));
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${user} could not connect`)), TIMEOUT_MS);
      peer.ws.once('open', () => { clearTimeout(timer); resolve(); });
      peer.ws.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
    return peer;
  }

  constructor(handlers) {
    this.handlers = handlers;
    this.received = []; // every message, parsed, in order
    this.answers = new Map();
    this.waiters = new Waiters();
    this.nextId = 1;
  }

  onMessage(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      message = { unparsable: text };
    }
    this.received.push(message);
    if (message.method === undefined && message.id !== undefined) {
      this.answers.set(message.id, message);
    } else if (typeof message.method === 'string' && this.handlers[message.method]) {
      this.handlers[message.method](message, (reply) => this.send({ jsonrpc: '2.0', id: message.id, ...reply }));
    }
    this.waiters.poke();
  }

  send(message) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  until(condition, what) {
    return this.waiters.until(condition, what);
  }

  /** The whole response to `method` ({result} or {error}), within TIMEOUT_MS. */
  async call(method, params) {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    await this.until(() => this.answers.has(id), `the answer to ${method}`);
    return this.answers.get(id);
  }

  close() {
    return new Promise((resolve) => {
      this.ws.once('close', resolve);
      this.ws.close(1000);
      setTimeout(resolve, TIMEOUT_MS);
    });
  }
}

/** Polls `attempt` every 100 ms until `done(answer)` or `ms` pass; the other answers on the way (errors' codes). */
async function poll(attempt, done, ms = TIMEOUT_MS) {
  const seen = [];
  const end = Date.now() + ms;
  let answer;
  for (;;) {
    answer = await attempt();
    const code = answer.error ? answer.error.code : 'result';
    if (seen.at(-1) !== code) seen.push(code);
    if (!done(answer) && answer.error) log(`on the way: ${JSON.stringify(answer.error)}`);
    if (done(answer) || Date.now() > end) return { answer, seen };
    await sleep(100);
  }
}

const cmd = (name, method, params, locs = []) => ({ name, method, params, locs });
const graph = (timeoutMs, ...cmds) => ({ cmds, timeout_ms: timeoutMs });

/** Why `message` is not a valid JSON-RPC 2.0 request, notification or response; null when it is one. */
function invalidJsonRpc(message) {
  if (message.unparsable !== undefined) return 'not JSON';
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return 'not an object';
  if (message.jsonrpc !== '2.0') return 'jsonrpc is not "2.0"';
  const idOk = (id) => id === null || typeof id === 'string' || Number.isInteger(id);
  if ('method' in message) {
    if (typeof message.method !== 'string') return 'method is not a string';
    if ('params' in message && (message.params === null || typeof message.params !== 'object')) {
      return 'params is neither an array nor an object';
    }
    if ('id' in message && !idOk(message.id)) return 'id is not a string, an integer or null';
    if ('result' in message || 'error' in message) return 'a request with result or error';
    return null;
  }
  if (!('id' in message) || !idOk(message.id)) return 'a response without a valid id';
  if (('result' in message) === ('error' in message)) return 'a response needs exactly one of result and error';
  if ('error' in message && (!Number.isInteger(message.error.code) || typeof message.error.message !== 'string')) {
    return 'an error without an integer code and a string message';
  }
  return null;
}

// ---------------------------------------------------------------- the provider

const upperCalls = []; // params of every `upper` the provider got
const slowCalls = new Map(); // id -> {at, timeoutMs, timer, cancelledAt}
const cancels = []; // params of every rpc.cancel, with when it came

const providerHandlers = {
  upper: (request, reply) => {
    upperCalls.push(request.params);
    const [text] = Array.isArray(request.params) ? request.params : [];
    if (typeof text !== 'string') {
      reply({ error: { code: -32602, message: `upper takes one string by position, got ${JSON.stringify(request.params)}` } });
    } else {
      reply({ result: text.toUpperCase() });
    }
  },
  words: (request, reply) => {
    const [text] = Array.isArray(request.params) ? request.params : [];
    reply({ result: String(text).split(' ') });
  },
  slowjs: (request, reply) => {
    const call = { at: Date.now(), timeoutMs: request.timeout_ms, cancelledAt: undefined };
    call.timer = setTimeout(() => reply({ result: 'slept' }), SLOW_MS);
    slowCalls.set(request.id, call);
  },
  // The callee of a cancelled call answers -32003, which the caller ignores (docs/protocol.md).
  'rpc.cancel': (notification) => {
    cancels.push({ params: notification.params, at: Date.now() });
    const p = notification.params;
    const id = Array.isArray(p) ? p[0] : p?.id;
    const call = slowCalls.get(id);
    if (call && call.cancelledAt === undefined) {
      call.cancelledAt = Date.now();
      clearTimeout(call.timer);
      provider.send({ jsonrpc: '2.0', id, error: { code: -32003, message: 'cancelled' } });
    }
  },
};

// ---------------------------------------------------------------- the checks

let provider;
let caller2;
let caller1;
let nodeIds;

async function clusterUp() {
  const ids = [];
  for (const base of [base1, base2]) {
    const status = await api(base, apiKey)('GET', '/api/v1/cluster/status');
    ids.push(status.body?.node_id);
  }
  nodeIds = ids;
  const seen = await poll(
    () => api(base2, apiKey)('GET', '/api/v1/cluster/status').then((r) => ({ result: r.body })),
    (a) => a.result?.nodes?.length === 2);
  check('node 2 sees both nodes in /api/v1/cluster/status',
    [...(seen.answer.result?.nodes ?? [])].sort(), [...ids].sort());
}

async function register() {
  provider = await Peer.connect(base1, 'js-provider', ['provider'], providerHandlers);
  const answer = await provider.call('cluster.register',
    { functions: ['upper', 'words', 'slowjs'], resources: ['node-js'], idempotent: false });
  check('a provider with the role "provider" registers upper, words and slowjs on node 1',
    answer.result, { registered: ['upper', 'words', 'slowjs'], resources: ['node-js'], node: nodeIds[0] });
}

async function routedCall() {
  caller2 = await Peer.connect(base2, 'js-caller-2');
  // node 2 learns of the provider from the directory (read every 500 ms): refused -32022 until then
  const { answer, seen } = await poll(
    () => caller2.call('cluster.call', graph(5000, cmd('u', 'upper', ['abc'], ['node-js']))),
    (a) => a.error?.code !== -32022);
  check('a caller on node 2 gets upper ["abc"] from the provider on node 1', answer.result, { u: 'ABC' });
  log(`codes until routed: ${JSON.stringify(seen)}`);
  check('the provider got the params by position, as sent', upperCalls.at(-1), ['abc']);
}

async function mixedGraph() {
  const answer = await caller2.call('cluster.call', graph(5000,
    cmd('a', 'upper', ['x'], ['node-js']),
    cmd('b', 'where', { got: 'a' }, ['java-2']),
    cmd('c', 'upper', ['b'], ['node-js']),
    cmd('d', 'where', [], ['java-1']),
    cmd('e', 'upper', ['a'])));
  check('a graph of the JS provider and the Java nodes answers every result by name',
    answer.result, { a: 'X', b: nodeIds[1], c: nodeIds[1].toUpperCase(), d: nodeIds[0], e: 'X' });
  check('its results come in request order', Object.keys(answer.result ?? {}), ['a', 'b', 'c', 'd', 'e']);
  check('the provider got the dependencies\' results in place of their names',
    upperCalls.slice(-3).sort(), [['X'], ['x'], [nodeIds[1]]].sort());

  caller1 = await Peer.connect(base1, 'js-caller-1');
  const paths = await caller1.call('cluster.call', graph(5000,
    cmd('w', 'words', ['hello big world'], ['node-js']),
    cmd('last', 'upper', ['w.2'], ['node-js']),
    cmd('where', 'where', { of: 'w.0' }, ['java-2'])));
  check('a caller on node 1 gets a path into a result (w.2) in place of the reference',
    paths.result, { w: ['hello', 'big', 'world'], last: 'WORLD', where: nodeIds[1] });
  const missing = await caller1.call('cluster.call', graph(5000,
    cmd('w', 'words', ['one two'], ['node-js']),
    cmd('third', 'upper', ['w.2'], ['node-js'])));
  check('a path the result does not have fails its command with -32020 in a -32021',
    [missing.error?.code, missing.error?.data?.failed?.third?.code, missing.error?.data?.results],
    [-32021, -32020, { w: ['one', 'two'] }]);
}

async function refusals() {
  const plain = await Peer.connect(base2, 'js-plain');
  const answer = await plain.call('cluster.register', { functions: ['steal'], resources: [] });
  check('a token without the role "provider" may not register (-32025)', answer.error?.code, -32025);
  check('... and the message names the role', /provider/.test(answer.error?.message ?? ''), true);
  const steal = await caller1.call('cluster.call', graph(5000, cmd('s', 'steal', [])));
  check('... and nothing was registered (-32022)', steal.error?.code, -32022);

  const none = await caller2.call('cluster.call', graph(5000, cmd('u', 'upper', ['q'], ['node-js', 'java-2'])));
  check('resources no provider has together are refused (-32023)', none.error?.code, -32023);
  const cycle = await caller2.call('cluster.call', graph(5000,
    cmd('p', 'upper', ['q']), cmd('q', 'upper', ['p'])));
  check('a cycle is refused (-32602)', cycle.error?.code, -32602);
  const dup = await caller2.call('cluster.call', graph(5000, cmd('p', 'upper', ['x']), cmd('p', 'upper', ['y'])));
  check('a duplicate name is refused (-32602)', dup.error?.code, -32602);
  const empty = await caller2.call('cluster.call', graph(5000));
  check('an empty graph is refused (-32602)', empty.error?.code, -32602);
  await plain.close();
}

async function deadline() {
  const before = slowCalls.size;
  const started = Date.now();
  const answer = await caller2.call('cluster.call', graph(300,
    cmd('fast', 'upper', ['f'], ['node-js']),
    cmd('stuck', 'slowjs', ['zzz'], ['node-js']),
    cmd('after', 'upper', ['stuck'])));
  const took = Date.now() - started;
  check('a graph past its deadline fails with -32021', answer.error?.code, -32021);
  const data = answer.error?.data ?? {};
  check('... whose failed command is -32002 (deadline exceeded)', data.failed?.stuck?.code, -32002);
  check('... with its dependants skipped and what finished answered',
    { skipped: data.skipped, results: data.results }, { skipped: ['after'], results: { fast: 'F' } });
  check('... answered within 2 s of the 300 ms deadline', took < 2000, true);
  log(`the graph with deadline 300 ms was answered after ${took} ms`);

  check('the provider got the slow command once', slowCalls.size - before, 1);
  const [id, call] = [...slowCalls].at(-1) ?? [];
  const deadlineSent = call?.timeoutMs;
  log(`slowjs came with timeout_ms ${deadlineSent}`);
  check('... with a timeout_ms of at most 300', typeof deadlineSent === 'number' && deadlineSent <= 300, true);
  try {
    await provider.until(() => call?.cancelledAt !== undefined, 'rpc.cancel of slowjs');
  } catch { /* checked below */ }
  check('the provider is sent rpc.cancel {"id": <its id>} for it',
    cancels.map((c) => c.params).filter((p) => (Array.isArray(p) ? p[0] : p?.id) === id),
    [{ id }]);
  const cancelAfter = call?.cancelledAt === undefined ? null : call.cancelledAt - call.at;
  log(`rpc.cancel reached the provider ${cancelAfter} ms after the request`);
  check('... within 3 s of the request', cancelAfter !== null && cancelAfter < 3000, true);
}

async function unregister() {
  const answer = await provider.call('cluster.unregister', { functions: ['slowjs'] });
  check('cluster.unregister {functions: ["slowjs"]} answers what went', answer.result, { unregistered: ['slowjs'] });
  const { answer: after, seen } = await poll(
    () => caller2.call('cluster.call', graph(2000, cmd('s', 'slowjs', [], ['node-js']))),
    (a) => a.error?.code === -32022);
  check('... and slowjs is refused (-32022) on node 2 within 5 s', after.error?.code, -32022);
  log(`codes after unregister: ${JSON.stringify(seen)}`);
  const still = await caller2.call('cluster.call', graph(5000, cmd('u', 'upper', ['still'], ['node-js'])));
  check('... while upper is still served', still.result, { u: 'STILL' });
}

async function providerLeaves() {
  await provider.close();
  const started = Date.now();
  const { answer, seen } = await poll(
    () => caller2.call('cluster.call', graph(2000, cmd('u', 'upper', ['gone'], ['node-js']))),
    (a) => a.error?.code === -32022);
  check('after the provider closes its socket, upper is refused (-32022) on node 2 within 5 s',
    answer.error?.code, -32022);
  log(`refused after ${Date.now() - started} ms; codes on the way: ${JSON.stringify(seen)}`);
  const here = await caller1.call('cluster.call', graph(2000, cmd('u', 'upper', ['gone'], ['node-js'])));
  check('... and on node 1', here.error?.code, -32022);
}

function providerSawOnlyJsonRpc() {
  const bad = provider.received.map((m) => [m, invalidJsonRpc(m)]).filter(([, why]) => why !== null);
  check('every message the provider received is valid JSON-RPC 2.0', bad, []);
  const requests = provider.received.filter((m) => 'method' in m);
  check('... and every request or notification to it is "2.0" with a known method',
    requests.filter((m) => m.jsonrpc !== '2.0' || !(m.method in providerHandlers)).map((m) => m.method), []);
  log(`the provider received ${provider.received.length} messages: ${JSON.stringify(
    [...new Set(provider.received.map((m) => m.method ?? 'response'))])}`);
}

try {
  await clusterUp();
} catch (e) {
  log(`cannot reach the cluster: ${e}`);
  finish(2);
}
await group('the provider registers', register);
await group('a routed call', routedCall);
await group('a mixed graph', mixedGraph);
await group('refusals', refusals);
await group('the deadline', deadline);
await group('unregister', unregister);
await group('the provider leaves', providerLeaves);
await group('what the provider received', providerSawOnlyJsonRpc);
finish();

// What the interop checks share: the check list and its one JSON line of output, HS256 tokens minted
// with the server's secret, the HTTP API called with Node's own http (as curl would), and a bounded
// wait for a condition. Every wait ends by itself.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { isDeepStrictEqual } from 'node:util';

export const TIMEOUT_MS = 5000;

/** A named run of checks: `check` records one, `finish` prints the JSON line and exits. */
export function checks(name, hardLimitMs = 120000) {
  const list = [];
  const cleanups = new Set();
  const log = (msg) => process.stderr.write(`[${name}] ${msg}\n`);
  const finish = (code) => {
    for (const c of cleanups) {
      try { c(); } catch { /* closing anyway */ }
    }
    process.stdout.write(JSON.stringify({ ok: list.every((c) => c.ok), checks: list }) + '\n');
    process.exit(code ?? (list.every((c) => c.ok) ? 0 : 1));
  };
  setTimeout(() => {
    log(`gave up after ${hardLimitMs} ms`);
    finish(1);
  }, hardLimitMs).unref();
  const check = (what, got, expected) => {
    const ok = isDeepStrictEqual(got, expected);
    list.push({ name: what, ok, got, expected });
    log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : `: got ${JSON.stringify(got)}`}`);
  };
  /** Runs a named group of checks; a throw is one failed check, and the next group still runs. */
  const group = async (title, body) => {
    log(`-- ${title}`);
    try {
      await body();
    } catch (e) {
      check(`${title} ran to the end`, String(e), 'no error');
    }
  };
  return { check, group, finish, log, onExit: (c) => cleanups.add(c) };
}

function b64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** Mints HS256 tokens for `sub` with `extra` claims (tenant_id, ...), valid for 10 minutes. */
export function tokens(secret, issuer, audience) {
  return (user, extra = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: user, iat: now, exp: now + 600, ...extra };
    if (issuer) claims.iss = issuer;
    if (audience) claims.aud = audience;
    const unsigned = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
    return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
  };
}

/** `request(method, path, body?, headers?)` against `base` with the API key: {status, headers, body}. */
export function api(base, apiKey) {
  return (method, path, body, headers = {}) => new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${base}${path}`, {
      method,
      headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json', ...headers },
      timeout: TIMEOUT_MS,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => {
        let parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
        resolve({ status: res.statusCode, headers: res.headers, body: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

/** Waits for conditions re-checked on each `poke()`, each wait bounded by TIMEOUT_MS. */
export class Waiters {
  constructor() { this.waiters = []; }

  poke() { this.waiters = this.waiters.filter((w) => !w()); }

  until(condition, what) {
    return new Promise((resolve, reject) => {
      if (condition()) return resolve();
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT_MS);
      this.waiters.push(() => {
        if (!condition()) return false;
        clearTimeout(timer);
        resolve();
        return true;
      });
    });
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

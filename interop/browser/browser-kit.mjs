// What the browser checks share: named checks printed as one JSON line (as interop/node/*.mjs do), cleanups,
// a give-up timer, and headless Chromium (Debian's, through playwright-core) on a page served from
// http://127.0.0.1 (a secure context, as WebTransport needs).
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { chromium } from 'playwright-core';

export function kit(name, giveUpMs) {
  const list = [];
  const cleanups = [];
  const log = (msg) => process.stderr.write(`[${name}] ${msg}\n`);
  const finish = async (code) => {
    for (const c of cleanups.reverse()) {
      try { await c(); } catch { /* closing anyway */ }
    }
    const ok = list.length > 0 && list.every((c) => c.ok);
    process.stdout.write(JSON.stringify({ ok, checks: list }) + '\n');
    process.exit(code ?? (ok ? 0 : 1));
  };
  setTimeout(() => { log(`gave up after ${giveUpMs / 1000} s`); finish(1); }, giveUpMs).unref();
  const check = (what, got, expected) => {
    const ok = isDeepStrictEqual(got, expected);
    list.push({ name: what, ok, got, expected });
    log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : `: got ${JSON.stringify(got)}`}`);
  };
  /** Headless Chromium on a blank page of http://127.0.0.1:<port>/, closed by finish(). */
  const openPage = async () => {
    const pageServer = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>${name}</title><p>${name}</p>`);
    });
    await new Promise((r) => pageServer.listen(0, '127.0.0.1', r));
    cleanups.push(() => pageServer.close());
    const profile = mkdtempSync(join(tmpdir(), `${name}-chromium-`));
    cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    cleanups.push(() => browser.close());
    const page = browser.pages()[0] ?? await browser.newPage();
    page.on('console', (m) => log(`page: ${m.text()}`));
    return {
      page,
      go: () => page.goto(`http://127.0.0.1:${pageServer.address().port}/`),
    };
  };
  return { log, check, finish, openPage };
}

#!/usr/bin/env node
// rpc-websockets echo server used by rpcws-bench.mjs (run as a separate process so that the
// server and the client each have their own event loop).
//
//   node rpcws-server.mjs [--host 127.0.0.1] [--port 0]
//
// Prints exactly one line to stdout once listening: {"port":<bound port>}.
// Exits when its stdin reaches end-of-file (i.e. when the parent goes away), on SIGINT/SIGTERM,
// or on a server error.
import { Server } from 'rpc-websockets';
import { forEachOption } from './cli.mjs';

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: 0 };
  forEachOption(argv, fail, (arg, next) => {
    switch (arg) {
      case '--host': opts.host = next(); break;
      case '--port': {
        const p = Number(next());
        if (!Number.isInteger(p) || p < 0 || p > 65535) fail(`bad --port`);
        opts.port = p;
        break;
      }
      case '--help': case '-h':
        process.stderr.write('usage: node rpcws-server.mjs [--host 127.0.0.1] [--port 0]\n');
        process.exit(0);
        break;
      default: fail(`unknown argument: ${arg}`);
    }
  });
  return opts;
}

function fail(msg) {
  process.stderr.write(`rpcws-server: ${msg}\n`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const server = new Server({ host: opts.host, port: opts.port });

// echo(value) -> value (first by-position param)
server.register('echo', (params) => params[0]);

server.on('error', (err) => fail(`server error: ${err && err.message ? err.message : err}`));
server.on('socket-error', (_socket, err) => {
  process.stderr.write(`rpcws-server: socket error: ${err && err.message ? err.message : err}\n`);
});
server.on('listening', () => {
  const { port } = server.wss.address();
  process.stdout.write(JSON.stringify({ port }) + '\n');
});

function shutdown(code) {
  try { server.close(); } catch { /* ignore */ }
  process.exit(code);
}
process.on('SIGINT', () => shutdown(130));
process.on('SIGTERM', () => shutdown(143));
// The parent keeps our stdin open; when it exits (even if killed) we see EOF and stop.
process.stdin.on('end', () => shutdown(0));
process.stdin.on('error', () => shutdown(0));
process.stdin.resume();

#!/usr/bin/env node
// Socket.IO push server used by `./switchboard bench fanout` (the Java side connects the devices and
// publishes; this process only forwards, as Switchboard's server does).
//
//   node socketio-server.mjs [--host 127.0.0.1] [--port 0]
//
// Devices connect with the WebSocket transport only (no HTTP long-polling, no per-message deflate),
// name their user in the CONNECT packet's auth ({"user":"u42"}) and join channels with the event
// subscribe({channels:[...]}) and an acknowledgement, answered {subscribed:[...]}. Each user is also in the
// room "user:<id>".
//
// HTTP API (JSON bodies; the payload is forwarded untouched as the event's argument):
//   POST /broadcast {"channel":"bench","event_type":"bench","payload":{...}}
//        -> io.to(channel).emit("notification", payload); 200 {"delivered_to":<room size>}
//   POST /send      {"target_user_id":"u42","event_type":"bench","payload":{...}}
//        -> io.to("user:u42").emit("notification", payload); 200 {"delivered_to":<0 or 1>}
//   GET  /health    -> 200 {"status":"ok","connections":<count>}
//
// Prints exactly one line to stdout once listening: {"port":<bound port>}. Exits when its stdin reaches
// end-of-file (when the parent goes away), on SIGINT/SIGTERM, or on a server error.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { Server } from 'socket.io';
import { forEachOption } from './cli.mjs';

const EVENT = 'notification';
const MAX_BODY_BYTES = 1 << 20;

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: 0 };
  forEachOption(argv, fail, (arg, next) => {
    switch (arg) {
      case '--host': opts.host = next(); break;
      case '--port': {
        const p = Number(next());
        if (!Number.isInteger(p) || p < 0 || p > 65535) fail(`bad --port: ${p}`);
        opts.port = p;
        break;
      }
      case '--help': case '-h':
        process.stderr.write('usage: node socketio-server.mjs [--host 127.0.0.1] [--port 0]\n');
        process.exit(0);
        break;
      default: fail(`unknown argument: ${arg}`);
    }
  });
  return opts;
}

function fail(msg) {
  process.stderr.write(`socketio-server: ${msg}\n`);
  process.exit(2);
}

function reply(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

// Reads a JSON body; answers 400/413 itself and calls back only with a parsed object.
function readJson(req, res, then) {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_BODY_BYTES) return reply(res, 413, { error: `body over ${MAX_BODY_BYTES} bytes` });
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      return reply(res, 400, { error: `body is not JSON: ${e.message}` });
    }
    if (body === null || typeof body !== 'object') return reply(res, 400, { error: 'body is not an object' });
    then(body);
  });
}

function roomSize(io, room) {
  const members = io.of('/').adapter.rooms.get(room);
  return members ? members.size : 0;
}

const opts = parseArgs(process.argv.slice(2));
let io;
const http = createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (req.method === 'GET' && path === '/health') {
    return reply(res, 200, { status: 'ok', connections: io.engine.clientsCount });
  }
  if (req.method === 'POST' && path === '/broadcast') {
    return readJson(req, res, (body) => {
      if (typeof body.channel !== 'string') return reply(res, 400, { error: 'channel must be a string' });
      // emit() encodes the packet and its WebSocket frame once, then writes that frame to every socket.
      io.to(body.channel).emit(EVENT, body.payload);
      reply(res, 200, { delivered_to: roomSize(io, body.channel) });
    });
  }
  if (req.method === 'POST' && path === '/send') {
    return readJson(req, res, (body) => {
      if (typeof body.target_user_id !== 'string') {
        return reply(res, 400, { error: 'target_user_id must be a string' });
      }
      const room = `user:${body.target_user_id}`;
      io.to(room).emit(EVENT, body.payload);
      reply(res, 200, { delivered_to: roomSize(io, room) });
    });
  }
  reply(res, 404, { error: `no route for ${req.method} ${path}` });
});

io = new Server(http, {
  transports: ['websocket'],
  perMessageDeflate: false,
  serveClient: false,
});

io.on('connection', (socket) => {
  const user = socket.handshake.auth && socket.handshake.auth.user;
  if (typeof user === 'string') socket.join(`user:${user}`);
  socket.on('subscribe', (params, ack) => {
    const channels = params && Array.isArray(params.channels) ? params.channels.filter((c) => typeof c === 'string') : [];
    socket.join(channels);
    if (typeof ack === 'function') ack({ subscribed: channels });
  });
});

http.on('error', (err) => fail(`server error: ${err && err.message ? err.message : err}`));
http.listen(opts.port, opts.host, () => {
  const { port } = http.address();
  const require = createRequire(import.meta.url);
  const version = require('socket.io/package.json').version;
  process.stderr.write(`socketio-server: socket.io ${version} on node ${process.version}, port ${port}\n`);
  process.stdout.write(JSON.stringify({ port, version }) + '\n');
});

function shutdown(code) {
  try { io.close(); } catch { /* already closing */ }
  process.exit(code);
}
process.on('SIGINT', () => shutdown(130));
process.on('SIGTERM', () => shutdown(143));
// The parent keeps our stdin open; when it exits (even if killed) we see EOF and stop.
process.stdin.on('end', () => shutdown(0));
process.stdin.on('error', () => shutdown(0));
process.stdin.resume();

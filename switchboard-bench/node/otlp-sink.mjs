// A stand-in OTLP/HTTP trace receiver for measuring what tracing costs the server: it reads each
// export (POST /v1/traces, application/x-protobuf) and answers 200 with an empty
// ExportTraceServiceResponse, counting bytes. Nothing is decoded or kept.
//   node otlp-sink.mjs [port]        (default 4318; prints a line per 10 s with exports and bytes)
import http from 'node:http';

const port = Number(process.argv[2] ?? 4318);
let exports = 0;
let bytes = 0;
http
  .createServer((req, res) => {
    req.on('data', (chunk) => (bytes += chunk.length));
    req.on('end', () => {
      exports += 1;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  })
  .listen(port, '127.0.0.1', () => console.log(`otlp-sink: listening on 127.0.0.1:${port}`));
setInterval(() => console.log(`otlp-sink: ${exports} exports, ${bytes} bytes`), 10_000).unref();

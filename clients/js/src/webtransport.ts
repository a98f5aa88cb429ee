import { Endpoint, Transport, TransportEvents, withQuery } from './transport.js';

interface WebTransportInfo {
  url: string;
  certificate_hashes?: { algorithm: string; value: string }[];
}

/** Whether this runtime has WebTransport (Chromium, Firefox, Safari 26; not Node). */
export function hasWebTransport(): boolean {
  return typeof (globalThis as { WebTransport?: unknown }).WebTransport === 'function';
}

/**
 * Asks the server where WebTransport listens (`GET /api/v1/webtransport`), opens a session there with the
 * token in its URL, and carries JSON-RPC on its first bidirectional stream, one JSON text per line.
 * Rejects on any failure before the stream is open, so that the caller falls back to WebSocket.
 */
export async function openWebTransport(endpoint: Endpoint, events: TransportEvents): Promise<Transport> {
  const answer = await fetch(`${endpoint.httpBase}/api/v1/webtransport`);
  if (!answer.ok) throw new Error(`GET /api/v1/webtransport answered ${answer.status}`);
  const info = (await answer.json()) as WebTransportInfo;
  if (typeof info.url !== 'string') throw new Error('GET /api/v1/webtransport named no url');
  const options: WebTransportOptions = {};
  if (info.certificate_hashes?.length) {
    options.serverCertificateHashes = info.certificate_hashes.map((h) => ({
      algorithm: h.algorithm,
      value: Uint8Array.from(atob(h.value), (c) => c.charCodeAt(0)),
    }));
  }
  const url = withQuery(info.url, { token: endpoint.token, ack: endpoint.ack ? '1' : undefined });
  const session = new WebTransport(url, options);
  session.closed.catch(() => {});
  try {
    await session.ready;
  } catch (e) {
    throw new Error(`WebTransport session to ${info.url} failed: ${e}`);
  }
  const stream = await session.createBidirectionalStream();
  const writer = stream.writable.getWriter();
  const encoder = new TextEncoder();
  let ended = false;
  const end = (code: number, reason: string) => {
    if (ended) return;
    ended = true;
    events.closed(code, reason);
  };
  session.closed.then(
    (info) => end(info.closeCode ?? 1006, info.reason ?? ''),
    (e) => end(1006, String(e)),
  );
  // The session's close (with the server's code) usually follows the stream's end: give it a moment.
  const lost = (reason: string) => setTimeout(() => end(1006, reason), 1000);
  readLines(stream.readable, events).then(
    () => lost('stream ended'),
    (e) => lost(String(e)),
  );
  return {
    name: 'webtransport',
    send: (message) => {
      writer.write(encoder.encode(JSON.stringify(message) + '\n')).catch(() => {});
    },
    close: (code, reason) => session.close({ closeCode: code, reason }),
  };
}

async function readLines(readable: ReadableStream<Uint8Array>, events: TransportEvents): Promise<void> {
  const reader = readable.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) events.message(JSON.parse(line));
    }
  }
}

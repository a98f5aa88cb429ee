import { ConnectionError, ErrorCodes, RpcError } from './errors.js';
import { Endpoint, Transport, TransportEvents, withQuery } from './transport.js';

/** What an SSE stream follows and where it stood. */
export interface SseCursor {
  channels: string[];
  /** The last event id seen (`key:offset:epoch,...`), sent back as `last_event_id` to resume after it. */
  lastEventId?: string;
}

/** The close code an SSE `error` event stands for, as a WebSocket would have closed. */
const CLOSE_CODES: Record<string, number> = { token_expired: 4001, slow_consumer: 4008, going_away: 1001 };

/**
 * Server-Sent Events (`GET /sse`): notifications only, from server to client. Messages come to `events`
 * in the WebSocket's shapes (`notification`, `shutdown`), so the client handles them alike; an `error`
 * event `not_recovered` comes as the notification `sse.not_recovered`. Calls cannot be carried: `send`
 * throws, and ACKs go by `POST /sse/ack`. Read with fetch, so that it runs in browsers and on Node alike.
 */
export async function openSse(endpoint: Endpoint, cursor: SseCursor, events: TransportEvents): Promise<Transport> {
  const url = withQuery(`${endpoint.httpBase}/sse`, {
    token: endpoint.token,
    channels: cursor.channels.length ? cursor.channels.join(',') : undefined,
    ack: endpoint.ack ? '1' : undefined,
    last_event_id: cursor.lastEventId,
  });
  const abort = new AbortController();
  const answer = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
  if (!answer.ok || !answer.body) {
    abort.abort();
    throw new Error(`GET /sse answered ${answer.status}`);
  }
  let connectionId: string | undefined;
  let ended = false;
  let closeCode = 1006;
  let closeReason = 'stream ended';
  const end = (code: number, reason: string) => {
    if (ended) return;
    ended = true;
    abort.abort();
    events.closed(code, reason);
  };
  const onEvent = (type: string, data: string, id: string | undefined) => {
    if (id !== undefined) cursor.lastEventId = id;
    if (!data) return;
    const body = JSON.parse(data);
    if (type === 'connected') connectionId = body.connection_id;
    else if (type === 'notification') events.message({ jsonrpc: '2.0', method: 'notification', params: body });
    else if (type === 'shutdown') events.message({ jsonrpc: '2.0', method: 'shutdown', params: body });
    else if (type === 'error' && body.code === 'not_recovered') {
      events.message({ jsonrpc: '2.0', method: 'sse.not_recovered', params: body });
    } else if (type === 'error') {
      closeCode = CLOSE_CODES[body.code] ?? 1011;
      closeReason = body.message ?? body.code;
    }
  };
  readEvents(answer.body, onEvent).then(
    () => end(closeCode, closeReason),
    (e) => end(closeCode, ended ? closeReason : String(e)),
  );
  return {
    name: 'sse',
    send: () => {
      throw new ConnectionError('calls cannot be made over Server-Sent Events: the stream carries notifications only');
    },
    close: (code, reason) => end(code, reason),
    ack: async (id: string) => {
      const body: Record<string, string> = { notification_id: id };
      if (!endpoint.token && connectionId) body.connection_id = connectionId;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (endpoint.token) headers.authorization = `Bearer ${endpoint.token}`;
      const res = await fetch(`${endpoint.httpBase}/sse/ack`, { method: 'POST', headers, body: JSON.stringify(body) });
      const answer = await res.json().catch(() => null);
      if (res.ok) return answer;
      // As the ack method answers over WebSocket: -32011 when nothing waits for it, else the HTTP error.
      const error = answer?.error ?? {};
      const code = error.code === 'NOT_AWAITING_ACK' ? ErrorCodes.NOT_AWAITING_ACK : res.status;
      throw new RpcError(code, error.message ?? `POST /sse/ack answered ${res.status}`, error);
    },
  };
}

/** Parses `text/event-stream` (the fields event, data, id; comments and retry ignored). */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (type: string, data: string, id: string | undefined) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let type = 'message';
  let data: string[] = [];
  let id: string | undefined;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).replace(/\r$/, '');
      buffered = buffered.slice(nl + 1);
      if (line === '') {
        if (data.length || id !== undefined) onEvent(type, data.join('\n'), id);
        type = 'message';
        data = [];
        id = undefined;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = val;
      else if (field === 'data') data.push(val);
      else if (field === 'id') id = val;
    }
  }
}

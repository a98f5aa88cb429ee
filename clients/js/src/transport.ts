/** What moves whole JSON-RPC messages for a client: WebSocket, WebTransport or Server-Sent Events. */
export type TransportName = 'websocket' | 'webtransport' | 'sse';

/** What a transport reports to its client. */
export interface TransportEvents {
  /** One message from the server, parsed. */
  message(message: unknown): void;
  /** The connection ended (after it was open); `code` is the close code (1006 when it was lost). */
  closed(code: number, reason: string): void;
}

/** An open connection. */
export interface Transport {
  readonly name: TransportName;
  /** Sends one message; throws a ConnectionError when this transport cannot send (SSE). */
  send(message: unknown): void;
  close(code: number, reason: string): void;
  /** SSE only: acknowledges out of band (`POST /sse/ack`), answering as the `ack` method; the others send that. */
  ack?(id: string): Promise<unknown>;
}

/** Where and who: what every transport needs to open. */
export interface Endpoint {
  /** The WebSocket URL (ws: or wss:), without token. */
  wsUrl: string;
  /** The HTTP base (http://host:port) of the same server. */
  httpBase: string;
  token?: string;
  ack: boolean;
}

/** `ws://h/ws`, `http://h`, `https://h/ws`: the WebSocket URL and the HTTP base of a server. */
export function endpointOf(url: string): { wsUrl: string; httpBase: string } {
  const u = new URL(url);
  const secure = u.protocol === 'wss:' || u.protocol === 'https:';
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(u.protocol)) {
    throw new TypeError(`url must be ws:, wss:, http: or https:, got ${url}`);
  }
  const path = u.pathname === '/' || u.pathname === '' ? '/ws' : u.pathname;
  return {
    wsUrl: `${secure ? 'wss' : 'ws'}://${u.host}${path}`,
    httpBase: `${secure ? 'https' : 'http'}://${u.host}`,
  };
}

/** Appends `params` (skipping undefined) to `url`'s query. */
export function withQuery(url: string, params: Record<string, string | undefined>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined) u.searchParams.set(k, v);
  }
  return u.toString();
}

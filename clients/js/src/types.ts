import type { BackoffOptions } from './backoff.js';
import type { TransportName } from './transport.js';

/** A push notification as the server sends it (docs/push.md); channel ones carry channel, offset and epoch. */
export interface Notification {
  id: string;
  occurred_at: string;
  event_type: string;
  payload: unknown;
  metadata?: { source?: string; priority?: string; ttl?: number; correlation_id?: string | null };
  channel?: string;
  offset?: number;
  epoch?: string;
}

/** A channel's place in its stream: what `recover` sends back after a reconnect. */
export interface Position {
  offset: number;
  epoch: string;
}

/** The server's answer to `subscribe`. */
export interface SubscribeAnswer {
  subscribed: string[];
  recovered?: Record<string, boolean>;
  positions?: Record<string, Position>;
}

export type State = 'connecting' | 'connected' | 'disconnected' | 'closed';

/** A change of state: the transport once connected; the close code, reason and next try once disconnected. */
export interface StateEvent {
  state: State;
  transport?: TransportName;
  code?: number;
  reason?: string;
  /** When disconnected: milliseconds until the next attempt. */
  retryInMs?: number;
}

export interface SwitchboardOptions {
  /** A token used for every connection. */
  token?: string;
  /** Called for a fresh token before each connection and before the current one expires (then `refresh`). */
  getToken?: () => string | Promise<string>;
  /** Connect with `ack=1`: at-least-once delivery of what is sent to the user; call `ack(id)` for each. */
  ack?: boolean;
  /** Transports to try, in this order of preference (default: webtransport, websocket, sse). */
  transports?: TransportName[];
  /** Consecutive WebSocket failures after which SSE is used, when allowed (3). */
  sseAfterFailures?: number;
  /** Reconnect delays (exponential with full jitter; base 500 ms, max 20 s). */
  backoff?: BackoffOptions;
  /** A call's default timeout (30,000 ms). */
  callTimeoutMs?: number;
  /** Refresh the token with the server's `refresh` before it expires (true; needs getToken). */
  refreshTokens?: boolean;
}

export interface Subscription {
  /** Settles once the server confirmed the subscription (it waits for the connection). */
  readonly ready: Promise<SubscribeAnswer>;
  unsubscribe(): void;
}

export interface SwitchboardEvents {
  notification: (notification: Notification) => void;
  state: (event: StateEvent) => void;
  /** Each `subscribe` answer, including `recovered: {channel: false}` when a channel could not be recovered. */
  subscribed: (answer: SubscribeAnswer) => void;
  /** What went wrong without stopping the client: a failed attempt, refresh or recovery. */
  error: (error: Error) => void;
}

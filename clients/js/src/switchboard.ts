import { backoffDelay } from './backoff.js';
import { ConnectionError } from './errors.js';
import { CallOptions, Handler, Params, RpcPeer } from './rpc.js';
import { openSse, SseCursor } from './sse.js';
import { refreshDelay, tokenExpiry } from './token.js';
import { Endpoint, endpointOf, Transport, TransportEvents, TransportName } from './transport.js';
import type {
  Notification, Position, State, StateEvent, SubscribeAnswer, Subscription, SwitchboardEvents, SwitchboardOptions,
} from './types.js';
import { openWebSocket } from './websocket.js';
import { hasWebTransport, openWebTransport } from './webtransport.js';

const CHANNEL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const REMEMBERED_IDS = 1000;

interface Channel {
  handlers: Set<(n: Notification) => void>;
  position?: Position;
  ready: Deferred<SubscribeAnswer>;
}

/**
 * A Switchboard client: JSON-RPC 2.0 both ways and push subscriptions over WebTransport, WebSocket or
 * Server-Sent Events, reconnecting with backoff and recovering its channels from their last offsets.
 * Not connected until `connect()`; `close()` ends it for good.
 */
export class Switchboard {
  private readonly endpoint: { wsUrl: string; httpBase: string };
  private readonly options: SwitchboardOptions;
  private readonly peer: RpcPeer;
  private readonly listeners = new Map<keyof SwitchboardEvents, Set<(arg: never) => void>>();
  private readonly channels = new Map<string, Channel>();
  private readonly seen = new Set<string>();
  private readonly acked = new Set<string>();
  private readonly sseCursor: SseCursor = { channels: [] };
  private transport?: Transport;
  private state: State = 'disconnected';
  private closed = false;
  private started = false;
  private generation = 0;
  private attempt = 0;
  private wsFailures = 0;
  private webTransportFailed = false;
  private shutdownAfterMs?: number;
  private token?: string;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private connected = new Deferred<void>();

  constructor(url: string, options: SwitchboardOptions = {}) {
    this.endpoint = endpointOf(url);
    this.options = options;
    this.token = options.token;
    this.peer = new RpcPeer((m) => this.send(m), (method, params) => this.onNotification(method, params),
      options.callTimeoutMs ?? 30_000);
  }

  /** Starts connecting; settles once connected (then keeps reconnecting), or rejects if closed first. */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new ConnectionError('this client was closed'));
    if (!this.started) {
      this.started = true;
      void this.open();
    }
    return this.connected.promise;
  }

  /** Closes for good: no more reconnects; waiting calls are rejected. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.refreshTimer);
    const transport = this.transport;
    this.transport = undefined;
    this.generation++;
    transport?.close(1000, 'closed by the client');
    this.peer.failAll('the client was closed');
    this.connected.reject(new ConnectionError('the client was closed'));
    this.setState({ state: 'closed' });
  }

  /** Calls `method` on the server; rejects with RpcError on its error answer or the timeout. */
  call<T = unknown>(method: string, params?: Params, options?: CallOptions): Promise<T> {
    return this.peer.call(method, params, options) as Promise<T>;
  }

  /** Sends a notification (no answer); throws a ConnectionError when not connected. */
  notify(method: string, params?: Params): void {
    this.peer.notify(method, params);
  }

  /** Answers the server's calls (and notifications) of `method` with `handler`. */
  expose(method: string, handler: Handler): void {
    this.peer.expose(method, handler);
  }

  /** Follows `channel`: `handler` gets each of its notifications; kept across reconnects. */
  subscribe(channel: string, handler: (n: Notification) => void): Subscription {
    if (!CHANNEL_NAME.test(channel)) {
      throw new TypeError(`channel names are 1-64 letters, digits, '-', '_' or '.', got ${JSON.stringify(channel)}`);
    }
    let c = this.channels.get(channel);
    if (!c) {
      c = { handlers: new Set(), ready: new Deferred() };
      this.channels.set(channel, c);
      if (this.transport?.name === 'sse') this.reopenSse();
      else if (this.transport) void this.sendSubscribe([channel]);
    }
    const entry = c;
    entry.handlers.add(handler);
    return {
      ready: entry.ready.promise,
      unsubscribe: () => {
        entry.handlers.delete(handler);
        if (entry.handlers.size > 0 || this.channels.get(channel) !== entry) return;
        this.channels.delete(channel);
        if (this.transport?.name === 'sse') this.reopenSse();
        else if (this.transport) this.call('unsubscribe', { channels: [channel] }).catch((e) => this.emit('error', e));
      },
    };
  }

  /** Acknowledges a notification sent to this user (with `ack: true`, until then it comes again). */
  async ack(id: string): Promise<unknown> {
    remember(this.acked, id);
    const transport = this.transport;
    if (transport?.ack) return transport.ack(id);
    return this.call('ack', { notification_id: id });
  }

  /** Adds a listener; returns what removes it. */
  on<E extends keyof SwitchboardEvents>(event: E, listener: SwitchboardEvents[E]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (arg: never) => void);
    return () => set!.delete(listener as (arg: never) => void);
  }

  /** The current state, and the transport when connected. */
  get status(): { state: State; transport?: TransportName } {
    return { state: this.state, transport: this.transport?.name };
  }

  /** The last position seen on each channel: where a reconnect recovers from. */
  positions(): Record<string, Position> {
    const out: Record<string, Position> = {};
    for (const [name, c] of this.channels) if (c.position) out[name] = { ...c.position };
    return out;
  }

  // ------------------------------------------------------------------ connecting

  private async open(): Promise<void> {
    if (this.closed) return;
    const generation = ++this.generation;
    this.setState({ state: 'connecting' });
    const events: TransportEvents = {
      message: (m) => generation === this.generation && this.peer.inbound(m),
      closed: (code, reason) => generation === this.generation && this.lost(code, reason),
    };
    let transport: Transport;
    try {
      if (this.options.getToken) this.token = await this.options.getToken();
      transport = await this.openTransport({ ...this.endpoint, token: this.token, ack: !!this.options.ack }, events);
    } catch (e) {
      if (generation !== this.generation) return;
      this.emit('error', e instanceof Error ? e : new Error(String(e)));
      this.retryIn(backoffDelay(this.attempt++, this.options.backoff));
      return;
    }
    if (generation !== this.generation) {
      transport.close(1000, 'closed by the client');
      return;
    }
    this.transport = transport;
    this.attempt = 0;
    this.scheduleRefresh();
    if (transport.name === 'sse') {
      for (const c of this.channels.values()) c.ready.resolve({ subscribed: [...this.channels.keys()] });
    } else if (this.channels.size > 0) {
      await this.sendSubscribe([...this.channels.keys()]);
    }
    if (generation !== this.generation) return;
    this.setState({ state: 'connected', transport: transport.name });
    this.connected.resolve();
  }

  private async openTransport(endpoint: Endpoint, events: TransportEvents): Promise<Transport> {
    const allowed = this.options.transports ?? ['webtransport', 'websocket', 'sse'];
    if (allowed.includes('webtransport') && hasWebTransport() && !this.webTransportFailed) {
      try {
        return await openWebTransport(endpoint, events);
      } catch (e) {
        this.webTransportFailed = true; // WebSocket from now on
        this.emit('error', e instanceof Error ? e : new Error(String(e)));
      }
    }
    const sseAfter = this.options.sseAfterFailures ?? 3;
    if (allowed.includes('websocket') && !(allowed.includes('sse') && this.wsFailures >= sseAfter)) {
      try {
        const ws = await openWebSocket(endpoint, events);
        this.wsFailures = 0;
        return ws;
      } catch (e) {
        this.wsFailures++;
        if (!allowed.includes('sse') || this.wsFailures < sseAfter) throw e;
        this.emit('error', e instanceof Error ? e : new Error(String(e)));
      }
    }
    if (allowed.includes('sse')) {
      this.sseCursor.channels = [...this.channels.keys()];
      return openSse(endpoint, this.sseCursor, events);
    }
    throw new ConnectionError(`no transport to try: transports is ${JSON.stringify(allowed)}`);
  }

  /** The connection ended: reconnect, at once after 4001 (a fresh token), else after the server's or a backoff. */
  private lost(code: number, reason: string): void {
    this.transport = undefined;
    this.generation++;
    clearTimeout(this.refreshTimer);
    this.peer.failAll(`the connection closed (${code}${reason ? ' ' + reason : ''})`);
    if (this.closed) return;
    const shutdownAfterMs = this.shutdownAfterMs; // said by this connection's server, for this close only
    this.shutdownAfterMs = undefined;
    let delay: number;
    if (code === 4001 || reason === 'resubscribe') delay = 0;
    else if (shutdownAfterMs !== undefined) delay = shutdownAfterMs + backoffDelay(0, this.options.backoff);
    else delay = backoffDelay(this.attempt++, this.options.backoff);
    this.setState({ state: 'disconnected', code, reason, retryInMs: delay });
    this.retryIn(delay);
  }

  private retryIn(delay: number): void {
    if (this.closed) return;
    if (this.state !== 'disconnected') this.setState({ state: 'disconnected', retryInMs: delay });
    this.retryTimer = setTimeout(() => void this.open(), delay);
  }

  /** SSE follows its channels from the URL: a new set means a new stream, resumed from the last event. */
  private reopenSse(): void {
    this.transport?.close(1000, 'resubscribe');
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    const getToken = this.options.getToken;
    const expiry = tokenExpiry(this.token);
    if (!getToken || this.options.refreshTokens === false || expiry === undefined || this.transport?.name === 'sse') return;
    this.refreshTimer = setTimeout(async () => {
      try {
        const fresh = await getToken();
        await this.call('refresh', { token: fresh });
        this.token = fresh;
        this.scheduleRefresh();
      } catch (e) {
        this.emit('error', new Error(`token refresh failed (the server closes with 4001 at expiry): ${e}`));
      }
    }, refreshDelay(expiry, Date.now()));
  }

  // ------------------------------------------------------------------ push

  private async sendSubscribe(names: string[]): Promise<void> {
    const recover: Record<string, Position> = {};
    for (const name of names) {
      const p = this.channels.get(name)?.position;
      if (p) recover[name] = p;
    }
    const params: Record<string, unknown> = { channels: names };
    if (Object.keys(recover).length > 0) params.recover = recover;
    try {
      const answer = await this.call<SubscribeAnswer>('subscribe', params);
      for (const name of answer.subscribed ?? names) {
        const c = this.channels.get(name);
        const p = answer.positions?.[name];
        // A recovered channel's replay brings its offsets; otherwise start from where the server stands.
        if (c && p && !answer.recovered?.[name]) c.position = newer(c.position, p);
        c?.ready.resolve(answer);
      }
      this.emit('subscribed', answer);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      for (const name of names) this.channels.get(name)?.ready.reject(error);
      this.emit('error', error);
    }
  }

  private onNotification(method: string, params: Params): void {
    const p = (params ?? {}) as Record<string, unknown>;
    if (method === 'shutdown') {
      const after = Number(p.reconnect_after_seconds);
      this.shutdownAfterMs = Number.isFinite(after) && after > 0 ? after * 1000 : 0;
    } else if (method === 'sse.not_recovered') {
      this.emit('error', new Error(`the SSE stream could not resume ${JSON.stringify(p.streams)}: ${p.message}`));
    } else if (method === 'notification' && typeof p.id === 'string') {
      this.onPush(p as unknown as Notification);
    }
  }

  private onPush(n: Notification): void {
    if (this.seen.has(n.id)) {
      // Comes again when our ACK was lost (ack=1): acknowledge it again, deliver it once.
      if (this.acked.has(n.id)) this.ack(n.id).catch(() => {});
      return;
    }
    remember(this.seen, n.id);
    const c = n.channel === undefined ? undefined : this.channels.get(n.channel);
    if (c && typeof n.offset === 'number' && typeof n.epoch === 'string') {
      c.position = newer(c.position, { offset: n.offset, epoch: n.epoch });
    }
    this.emit('notification', n);
    if (c) for (const h of [...c.handlers]) this.safely(() => h(n));
  }

  // ------------------------------------------------------------------ plumbing

  private send(message: unknown): void {
    if (!this.transport) throw new ConnectionError(this.closed ? 'the client was closed' : 'not connected');
    this.transport.send(message);
  }

  private setState(event: StateEvent): void {
    this.state = event.state;
    this.emit('state', event);
  }

  private emit<E extends keyof SwitchboardEvents>(event: E, arg: Parameters<SwitchboardEvents[E]>[0]): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) this.safely(() => (l as (a: typeof arg) => void)(arg));
  }

  private safely(f: () => void): void {
    try {
      f();
    } catch (e) {
      // A listener's bug is reported, and the client goes on.
      const report = (globalThis as { reportError?: (e: unknown) => void }).reportError ?? console.error;
      report(e);
    }
  }
}

function newer(current: Position | undefined, next: Position): Position {
  if (!current || current.epoch !== next.epoch || next.offset > current.offset) return { ...next };
  return current;
}

function remember(set: Set<string>, id: string): void {
  set.add(id);
  if (set.size > REMEMBERED_IDS) set.delete(set.values().next().value as string);
}

class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: Error) => void;
  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.promise.catch(() => {}); // settled for whoever listens; never an unhandled rejection
  }
}

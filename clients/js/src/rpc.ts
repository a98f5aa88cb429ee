import { ConnectionError, ErrorCodes, RpcError } from './errors.js';

/** Params of a call or notification: by position or by name. */
export type Params = unknown[] | Record<string, unknown> | undefined;

/** A method this client answers for the server; may return a promise. Throw an RpcError to choose the code. */
export type Handler = (params: Params) => unknown;

export interface CallOptions {
  /** How long to wait for the answer, in milliseconds; sent to the server as `timeout_ms`. */
  timeoutMs?: number;
}

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

interface Message {
  jsonrpc?: string;
  id?: string | number | null;
  method?: unknown;
  params?: Params;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/**
 * The JSON-RPC 2.0 half of a client: its calls waiting for answers, the methods it exposes, and the
 * notifications it passes on. Knows nothing of sockets: `send` moves a message, `inbound` takes one.
 */
export class RpcPeer {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Handler>();

  constructor(
    private readonly send: (message: unknown) => void,
    private readonly onNotification: (method: string, params: Params) => void,
    private readonly defaultTimeoutMs: number,
  ) {}

  expose(method: string, handler: Handler): void {
    if (method.startsWith('rpc.')) throw new TypeError(`method names starting with rpc. are reserved: ${method}`);
    this.handlers.set(method, handler);
  }

  call(method: string, params: Params, options: CallOptions = {}): Promise<unknown> {
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.trySend({ jsonrpc: '2.0', method: 'rpc.cancel', params: { id } });
        reject(new RpcError(ErrorCodes.DEADLINE_EXCEEDED, `${method} had no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      try {
        this.send(withParams({ jsonrpc: '2.0', id, method, timeout_ms: timeoutMs }, params));
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(e);
      }
    });
  }

  notify(method: string, params: Params): void {
    this.send(withParams({ jsonrpc: '2.0', method }, params));
  }

  /** Rejects every call still waiting: the connection is gone, and their answers with it. */
  failAll(reason: string): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new ConnectionError(`${p.method} got no answer: ${reason}`));
    }
    this.pending.clear();
  }

  /** One message from the server (or a batch). */
  inbound(message: unknown): void {
    if (Array.isArray(message)) {
      for (const m of message) this.inbound(m);
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const m = message as Message;
    if (typeof m.method === 'string') {
      const handler = this.handlers.get(m.method);
      if (m.id !== undefined) void this.answer(m.id, m.method, m.params);
      else if (handler) Promise.resolve().then(() => handler(m.params)).catch(() => {}); // nobody to tell
      else this.onNotification(m.method, m.params);
      return;
    }
    if (typeof m.id !== 'number') return;
    const p = this.pending.get(m.id);
    if (!p) return; // answered after our timeout
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.error) p.reject(new RpcError(m.error.code, m.error.message, m.error.data));
    else p.resolve(m.result);
  }

  private async answer(id: string | number | null, method: string, params: Params): Promise<void> {
    const handler = this.handlers.get(method);
    if (!handler) {
      this.trySend({ jsonrpc: '2.0', id, error: { code: ErrorCodes.METHOD_NOT_FOUND, message: `Method not found: ${method}` } });
      return;
    }
    try {
      const result = await handler(params);
      this.trySend({ jsonrpc: '2.0', id, result: result === undefined ? null : result });
    } catch (e) {
      this.trySend({ jsonrpc: '2.0', id, error: errorObject(e) });
    }
  }

  private trySend(message: unknown): void {
    try {
      this.send(message);
    } catch {
      /* the connection is gone: the other side forgets the call too */
    }
  }
}

function withParams(message: Record<string, unknown>, params: Params): Record<string, unknown> {
  if (params !== undefined) message.params = params;
  return message;
}

/** An exposed method's throw as a JSON-RPC error: an RpcError keeps its code and data, anything else is -32000. */
function errorObject(e: unknown): { code: number; message: string; data?: unknown } {
  if (e instanceof RpcError) return e.data === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, data: e.data };
  return { code: ErrorCodes.APPLICATION_ERROR, message: e instanceof Error ? e.message : String(e) };
}

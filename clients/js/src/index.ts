export { Switchboard } from './switchboard.js';
export { RpcError, ConnectionError, ErrorCodes } from './errors.js';
export { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export type { Params, Handler, CallOptions } from './rpc.js';
export type { TransportName } from './transport.js';
export type * from './types.js';

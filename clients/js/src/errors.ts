/** An error answer of the other side (or a call's timeout): JSON-RPC's `{code, message, data}`. */
export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }
}

/** Why a call could not be made at all: not connected, closed, or not possible on this transport. */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/** JSON-RPC and Switchboard error codes (docs/protocol.md, "Error codes"). */
export const ErrorCodes = {
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  APPLICATION_ERROR: -32000,
  DEADLINE_EXCEEDED: -32002,
  NOT_AWAITING_ACK: -32011,
} as const;

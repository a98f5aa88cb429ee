import { Endpoint, Transport, TransportEvents, withQuery } from './transport.js';

type SocketClass = new (url: string) => WebSocket;

let socketClass: Promise<SocketClass> | undefined;

/** The global WebSocket (browsers, Node 22+), else the `ws` package's, imported only then. */
function webSocketClass(): Promise<SocketClass> {
  if (typeof globalThis.WebSocket === 'function') return Promise.resolve(globalThis.WebSocket);
  const name = 'ws'; // a variable, so that bundlers for browsers leave it alone
  socketClass ??= import(/* @vite-ignore */ name).then(
    (m) => (m.WebSocket ?? m.default) as SocketClass,
    () => {
      throw new Error('no WebSocket here: on Node before 22, install the ws package (npm install ws)');
    },
  );
  return socketClass;
}

/** Opens `/ws?protocol=jsonrpc&token=..&ack=1`: resolves once open, rejects when it fails before. */
export async function openWebSocket(endpoint: Endpoint, events: TransportEvents): Promise<Transport> {
  const Socket = await webSocketClass();
  const url = withQuery(endpoint.wsUrl, {
    protocol: 'jsonrpc',
    token: endpoint.token,
    ack: endpoint.ack ? '1' : undefined,
  });
  return new Promise((resolve, reject) => {
    const ws = new Socket(url);
    let open = false;
    ws.onopen = () => {
      open = true;
      resolve({
        name: 'websocket',
        send: (message) => ws.send(JSON.stringify(message)),
        close: (code, reason) => ws.close(code, reason),
      });
    };
    ws.onmessage = (e: MessageEvent) => {
      if (typeof e.data !== 'string') return; // binary frames are MessagePack, which this client never asks for
      let parsed: unknown;
      try {
        parsed = JSON.parse(e.data);
      } catch {
        return;
      }
      events.message(parsed);
    };
    ws.onerror = () => {
      /* onclose follows with the code */
    };
    ws.onclose = (e: CloseEvent) => {
      if (open) events.closed(e.code, e.reason);
      else reject(new Error(`WebSocket to ${endpoint.wsUrl} failed (${e.code}${e.reason ? ' ' + e.reason : ''})`));
    };
  });
}

import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request a recorder received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when its body had arrived. */
  receivedAt: number;
}

/** A local HTTP endpoint that keeps every request it gets (a webhook receiver, a heartbeat monitor). */
export interface HttpRecorder {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  readonly requests: RecordedRequest[];
  /** The status it answers with from now on, or `hang`: read the request, never answer. */
  answer(status: number | 'hang'): void;
  /** Connections still open (a client that gives up closes its own). */
  open(): number;
  close(): Promise<void>;
}

/** Starts a recorder on a free loopback port, answering 200 with an empty body (or as `answer` says). */
export async function httpRecorder(answer: number | 'hang' = 200): Promise<HttpRecorder> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let status = answer;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        receivedAt: Date.now(),
      });
      if (status !== 'hang') res.writeHead(status).end();
    });
  });
  // Node's own request timeout (300 s) would answer a held request one day: never within a test.
  server.requestTimeout = 0;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    answer: (next) => (status = next),
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

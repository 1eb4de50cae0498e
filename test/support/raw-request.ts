import { createConnection } from 'node:net';

export interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/**
 * Sends one request exactly as written (method, target, headers) on a fresh socket and reads
 * the whole answer: HTTP clients normalise targets, and the defects here live in the ones
 * they would not send (absolute-form, `TRACE`, `%ZZ`).
 */
export function rawRequest(url: string, method: string, target: string, headers: string[] = []): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection(Number(port), hostname);
    let reply = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const split = reply.indexOf('\r\n\r\n');
      const head = split < 0 ? reply : reply.slice(0, split);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: reply.slice(split + 4) });
    });
    socket.write(
      [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers, '', ''].join('\r\n'),
    );
  });
}

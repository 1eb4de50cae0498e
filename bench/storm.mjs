// 1,000 simultaneous requests: every connection is opened first, then the same request is
// written on all of them in one go, so they reach the app together (a load generator that
// connects as it sends spreads them over its connection set-up instead). Loopback only.
import { connect } from 'node:net';

/** Sends `GET path` on `count` connections at once; resolves to the status codes seen. */
export async function storm(port, path, count = 1000) {
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => resolve(socket));
          socket.once('error', reject);
        }),
    ),
  );
  const answers = sockets.map(
    (socket) =>
      new Promise((resolve) => {
        let head = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk) => (head += chunk));
        socket.once('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)));
        socket.once('error', () => resolve(0));
      }),
  );
  const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
  for (const socket of sockets) socket.write(request);
  return Promise.all(answers);
}

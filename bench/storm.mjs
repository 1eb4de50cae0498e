// 1,000 simultaneous requests: every connection is opened first and has answered one ping, then
// the same request is written on all of them in one go, so they reach the app together.
// The ping is what makes them simultaneous at the app: Node's default listen backlog is 511, and
// the handshakes beyond it are only completed by TCP's retransmissions 0.2–1 s later, which
// spreads a storm of new connections over a second whatever the app does (seen here: a storm's
// last accepts came 150–500 ms after the first requests). A load generator that connects as it
// sends spreads them over its own connection set-up as well. Loopback only.
import { connect } from 'node:net';

const PING = 'GET /watchman/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

/** Sends `GET path` on `count` connections at once; resolves to the status codes seen. */
export async function storm(port, path, count = 1000) {
  const sockets = await Promise.all(Array.from({ length: count }, () => openAnswered(port)));
  const answers = sockets.map(
    (socket) =>
      new Promise((resolve) => {
        let head = '';
        socket.on('data', (chunk) => (head += chunk));
        socket.once('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)));
        socket.once('error', () => resolve(0));
      }),
  );
  const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
  for (const socket of sockets) socket.write(request);
  return Promise.all(answers);
}

// A kept-alive connection the app has accepted and answered a ping on.
function openAnswered(port) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(PING));
    let seen = '';
    socket.setEncoding('latin1');
    const onData = (chunk) => {
      seen += chunk;
      if (!seen.endsWith('\r\n\r\npong')) return;
      socket.off('data', onData);
      socket.off('error', reject);
      resolve(socket);
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

import { createServer, type Server, type Socket, connect } from 'node:net';

// Stand-ins for services (a closed port, a hung server, a proxy). Whether a real service is
// there, and skipping or failing when it is not, is requirements.ts's job.

/** @deprecated import from requirements.js; kept one release so files written beside this change still import. */
export { describeWithService } from './requirements.js';

/** A port nothing listens on (taken and released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP server that accepts connections and never answers: a hung dependency. */
export async function hungServer(): Promise<{
  port: number;
  open(): number;
  accepted(): number;
  close(): Promise<void>;
}> {
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    /** Connections still open. */
    open: () => sockets.size,
    accepted: () => accepted,
    close: () => closeServer(server, sockets),
  };
}

/** A TCP forwarder to a real service, started and stopped by the test (a database coming up). */
export async function tcpProxy(targetPort: number, listenPort = 0): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, close: () => closeServer(server, sockets) };
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

import { createServer, type Server, type Socket, connect } from 'node:net';
import { describeIf, needsService } from './requirements.js';

export { portOpen, servicesRequired } from './requirements.js';

/** `describe` when the service answers on 127.0.0.1:port (see `describeIf`). */
export async function describeWithService(name: string, port: number): Promise<jest.Describe> {
  return describeIf(await needsService(name, port));
}

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

import { createServer, type Server, type Socket, connect } from 'node:net';

/** Whether tests must fail (not skip) when a service is missing. */
export const servicesRequired = process.env.CI === 'true' || process.env.WATCHMAN_REQUIRE_SERVICES === '1';

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * `describe` when the service answers; otherwise `describe.skip` with a visible message, or,
 * under CI=true / WATCHMAN_REQUIRE_SERVICES=1, a describe whose test fails saying why.
 */
export async function describeWithService(name: string, port: number): Promise<jest.Describe> {
  if (await portOpen(port)) return describe;
  const message = `${name} is not reachable on 127.0.0.1:${port}`;
  if (servicesRequired) {
    return ((title: string) =>
      describe(title, () =>
        it(`needs ${name}`, () => {
          throw new Error(`${message} (required under CI)`);
        }),
      )) as unknown as jest.Describe;
  }
  console.warn(`SKIPPED: ${message}; its tests are skipped (set CI=true to make this a failure)`);
  return describe.skip;
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
export async function hungServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
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

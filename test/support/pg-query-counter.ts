import { type Server, type Socket, connect, createServer } from 'node:net';

/** A TCP proxy in front of PostgreSQL that counts the queries going through it, by their text. */
export interface PgQueryCounter {
  readonly port: number;
  /** Queries with this text (trimmed) so far: simple (`Q`) and extended (`P`, parse) alike. */
  count(text: string): number;
  close(): Promise<void>;
}

// Request codes of the untyped messages a client may send before its startup message.
const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;

/**
 * Relays every byte unchanged; reads the client's side of the wire protocol on the way:
 * untyped messages (SSL / GSS requests, then the startup message) and then typed ones
 * (`type`, int32 length, payload), whose query text it counts. Nothing is parsed on the
 * server's side.
 */
export async function pgQueryCounter(targetPort = 5432, targetHost = '127.0.0.1'): Promise<PgQueryCounter> {
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host: targetHost, port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    let pending = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (!started) {
          if (pending.length < 8) break;
          const length = pending.readInt32BE(0);
          if (pending.length < length) break;
          const code = pending.readInt32BE(4);
          started = code !== SSL_REQUEST && code !== GSS_REQUEST;
          pending = pending.subarray(length);
          continue;
        }
        if (pending.length < 5) break;
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) break;
        const type = String.fromCharCode(pending[0]);
        const payload = pending.subarray(5, 1 + length);
        if (type === 'Q') record(payload.subarray(0, payload.indexOf(0)));
        if (type === 'P') {
          const afterName = payload.indexOf(0) + 1;
          record(payload.subarray(afterName, payload.indexOf(0, afterName)));
        }
        pending = pending.subarray(1 + length);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const record = (text: Buffer) => {
    const query = text.toString('utf8').trim();
    counts.set(query, (counts.get(query) ?? 0) + 1);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    count: (text) => counts.get(text) ?? 0,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

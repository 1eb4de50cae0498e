import { connect } from 'node:net';
import type { ClientProxyLike } from './client-proxy.like.js';

/** TCP transport (no ping in its protocol): the server accepts a connection, which is closed at once. */
export function probeTcpClient(client: ClientProxyLike, signal: AbortSignal): Promise<Record<string, unknown>> {
  // ClientTCP keeps its resolved address as `host` / `port` (Nest's defaults applied).
  const resolved = client as ClientProxyLike & { host?: string; port?: number };
  const host = resolved.host ?? (client.options?.host as string | undefined) ?? 'localhost';
  const port = resolved.port ?? (client.options?.port as number | undefined) ?? 3000;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ connection: 'probe' });
    });
    socket.once('error', (error) => reject(signal.aborted ? signal.reason : error));
  });
}

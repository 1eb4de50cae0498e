import type { Socket } from 'node:net';

interface RawConnection {
  /** pg's Client: its wire connection holds the socket. */
  connection?: { stream?: Socket };
  /** mysql2's (and mariadb's) Connection. */
  stream?: Socket;
  end?(): unknown;
  destroy?(): unknown;
}

/**
 * Closes a driver's connection at once, whatever it is doing: a graceful `end()` would queue
 * behind the hung query it is meant to cut. The client is first told it is ending (pg's `end()`,
 * mysql2's `destroy()`), so losing the socket is not reported as an unexpected error.
 */
export function destroyRawConnection(raw: unknown): void {
  const connection = raw as RawConnection | null;
  if (typeof connection !== 'object' || connection === null) return;
  try {
    const socket = connection.connection?.stream ?? connection.stream;
    if (typeof connection.destroy === 'function') connection.destroy();
    else if (typeof connection.end === 'function') void Promise.resolve(connection.end()).catch(() => undefined);
    socket?.destroy();
  } catch {
    // best effort: the check already reports why it gave up on this connection
  }
}

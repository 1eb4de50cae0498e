/** How to take a connection out of a client's pool and give it back. */
export interface ConnectionLease<C> {
  acquire(): Promise<C>;
  /** Back to the pool, for reuse. */
  release(connection: C): unknown;
  /** Closed and out of the pool: it may be mid-query, or broken. */
  destroy(connection: C): void;
}

/**
 * Runs `work` on a connection of its own from the pool. When `signal` fires the connection is
 * destroyed, not returned, so a hung query neither keeps running nor poisons the pool; one the
 * pool hands over only after the abort is destroyed the moment it arrives. A connection whose
 * work failed is destroyed too: the pool makes a fresh one rather than reuse a suspect one.
 */
export async function onOwnConnection<C, T>(
  lease: ConnectionLease<C>,
  signal: AbortSignal,
  work: (connection: C) => Promise<T>,
): Promise<T> {
  signal.throwIfAborted();
  const acquired = lease.acquire();
  let settled = false;
  const end = (how: 'release' | 'destroy') =>
    acquired.then(
      (connection) => {
        if (settled) return;
        settled = true;
        if (how === 'destroy') lease.destroy(connection);
        else return lease.release(connection);
      },
      () => undefined, // nothing was acquired: nothing to give back
    );
  const onAbort = () => void end('destroy');
  signal.addEventListener('abort', onAbort, { once: true });
  let ok = false;
  try {
    const connection = await acquired;
    signal.throwIfAborted();
    const result = await work(connection);
    ok = true;
    return result;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await end(ok && !signal.aborted ? 'release' : 'destroy');
  }
}

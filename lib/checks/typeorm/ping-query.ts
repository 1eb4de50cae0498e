import type { DataSourceLike, QueryRunnerLike } from './data-source.like.js';

// The cheapest real round trip per dialect.
const PING_QUERIES = new Map([
  ['oracle', 'SELECT 1 FROM DUAL'],
  ['sap', 'SELECT 1 FROM DUMMY'],
]);

/** The dialect's ping query (`SELECT 1` unless the dialect needs a table). */
export function pingQuery(type: string): string {
  return PING_QUERIES.get(type) ?? 'SELECT 1';
}

/**
 * One ping on its own pooled connection. On abort the connection is destroyed rather than
 * returned to the pool, so a hung query does not keep running or poison the pool; a
 * connection the pool hands over only after the abort is destroyed the moment it arrives.
 */
export async function pingDataSource(dataSource: DataSourceLike, signal: AbortSignal): Promise<void> {
  if (dataSource.options.type === 'mongodb')
    throw new Error('mongodb DataSources are not supported by the databases check');
  const runner = dataSource.createQueryRunner();
  // Acquiring is explicit, so there is always a promise to hang the clean-up on.
  const acquired = Promise.resolve(runner.connect?.());
  let destroyed = false;
  const destroyOnArrival = () => {
    acquired.then(
      () => {
        if (destroyed) return;
        destroyed = true;
        destroyConnection(runner);
      },
      () => undefined, // nothing was acquired: nothing to release
    );
  };
  signal.addEventListener('abort', destroyOnArrival, { once: true });
  try {
    await acquired;
    signal.throwIfAborted();
    await runner.query(pingQuery(dataSource.options.type));
  } finally {
    signal.removeEventListener('abort', destroyOnArrival);
    if (signal.aborted) destroyOnArrival();
    else await runner.release().catch(() => undefined);
  }
}

function destroyConnection(runner: QueryRunnerLike): void {
  const connection = runner.databaseConnection as { destroy?(): void } | undefined;
  const withRelease = runner as QueryRunnerLike & { releasePostgresConnection?(error: Error): Promise<void> };
  try {
    if (typeof withRelease.releasePostgresConnection === 'function') {
      // pg-pool ends a client released with an error instead of reusing it.
      void withRelease.releasePostgresConnection(new Error('watchman check timed out')).catch(() => undefined);
    } else if (typeof connection?.destroy === 'function') {
      connection.destroy(); // mysql2: closes the socket and drops it from the pool
      runner.isReleased = true;
    } else {
      void runner.release().catch(() => undefined);
    }
  } catch {
    // best effort: the check already reports the timeout
  }
}

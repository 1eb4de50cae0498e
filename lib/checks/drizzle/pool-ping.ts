// A ping on a connection checked out of the driver's own pool (node-postgres, mysql2), so a
// ping cut by the timeout destroys its connection instead of leaving it to hang in the pool —
// also one the pool hands over only after the timeout.
import { abortable } from '../../common/race.js';

/** node-postgres `Pool` (a single `Client` has no `totalCount`). */
interface PgPoolLike {
  connect(): Promise<PgPoolClientLike>;
  totalCount: number;
}
interface PgPoolClientLike extends Listening {
  query(sql: string): Promise<unknown>;
  /** With an error (or `true`) the pool ends the client instead of reusing it. */
  release(destroy?: Error | boolean): void;
}

/** mysql2's callback pool (a promise pool wraps one as `.pool`). */
interface MysqlPoolLike {
  getConnection(callback: (error: Error | null, connection: MysqlPoolConnectionLike) => void): void;
  config: { connectionConfig: object };
}
interface MysqlPoolConnectionLike extends Listening {
  query(sql: string, callback: (error: Error | null) => void): void;
  release(): void;
  destroy(): void;
}

/**
 * A checked-out connection emits `error` when its socket dies (the pool listens only while it is
 * idle): unheard, that would crash the app.
 */
interface Listening {
  on(event: 'error', listener: () => void): unknown;
  removeListener(event: 'error', listener: () => void): unknown;
}

export function isPgPool(client: unknown): client is PgPoolLike {
  const pool = client as Partial<PgPoolLike> | null | undefined;
  return typeof pool?.connect === 'function' && typeof pool.totalCount === 'number';
}

/** mysql2's pool behind a callback or a promise pool, if that is what `client` is. */
export function mysqlPoolOf(client: unknown): MysqlPoolLike | undefined {
  const isPool = (value: unknown): value is MysqlPoolLike =>
    typeof (value as MysqlPoolLike | null)?.getConnection === 'function' &&
    typeof (value as MysqlPoolLike).config?.connectionConfig === 'object';
  if (isPool(client)) return client;
  const inner = (client as { pool?: unknown } | null)?.pool;
  return isPool(inner) ? inner : undefined;
}

export function pingPgPool(pool: PgPoolLike, signal: AbortSignal): Promise<void> {
  return pingOnCheckout(pool.connect(), signal, {
    query: (client) => client.query('SELECT 1'),
    release: (client) => client.release(),
    destroy: (client) => client.release(new Error('watchman check timed out')),
  });
}

export function pingMysqlPool(pool: MysqlPoolLike, signal: AbortSignal): Promise<void> {
  const acquired = new Promise<MysqlPoolConnectionLike>((resolve, reject) =>
    pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))),
  );
  return pingOnCheckout(acquired, signal, {
    query: (connection) =>
      new Promise<void>((resolve, reject) =>
        connection.query('SELECT 1', (error) => (error ? reject(error) : resolve())),
      ),
    release: (connection) => connection.release(),
    destroy: (connection) => connection.destroy(), // closes the socket and drops it from the pool
  });
}

interface Checkout<C> {
  query(connection: C): Promise<unknown>;
  release(connection: C): void;
  destroy(connection: C): void;
}

const ignore = () => undefined;

async function pingOnCheckout<C extends Listening>(
  checkout: Promise<C>,
  signal: AbortSignal,
  use: Checkout<C>,
): Promise<void> {
  // Heard from the moment it arrives until it is back in the pool (a destroyed one stays heard).
  const acquired = checkout.then((connection) => (connection.on('error', ignore), connection));
  let done = false;
  const finish = (connection: C, healthy: boolean) => {
    if (done) return;
    done = true;
    settle(() => {
      if (!healthy) return use.destroy(connection);
      connection.removeListener('error', ignore);
      use.release(connection);
    });
  };
  const destroyOnArrival = () =>
    void acquired.then(
      (connection) => finish(connection, false),
      () => undefined, // nothing was acquired: nothing to release
    );
  signal.addEventListener('abort', destroyOnArrival, { once: true });
  let connection: C | undefined;
  let healthy = false;
  try {
    connection = await abortable(acquired, signal);
    await abortable(use.query(connection), signal);
    healthy = true;
  } finally {
    signal.removeEventListener('abort', destroyOnArrival);
    // Aborted or failed: the connection may be hung or broken, so it is not given back.
    if (healthy && !signal.aborted) finish(connection as C, true);
    else destroyOnArrival();
  }
}

function settle(step: () => void): void {
  try {
    step();
  } catch {
    // best effort: the check already reports the timeout
  }
}

import { PROBE_KEY_TTL_MS, cacheFailure, probeEntry } from './keyv-probe.js';

/** The node-redis client behind `@keyv/redis` (only what the probe uses). */
export interface RedisClientLike {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  options?: { socket?: Record<string, unknown> };
  duplicate(overrides?: Record<string, unknown>): RedisProbeClient;
  destroy(): void;
}

interface RedisCommands {
  set(key: string, value: string, options: { PX: number }): Promise<unknown>;
  get(key: string): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

interface RedisProbeClient extends RedisCommands {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  destroy(): void;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  withAbortSignal(signal: AbortSignal): RedisCommands;
}

/** The node-redis client of a `@keyv/redis` store, if that is what the tier is. */
export function redisClientOf(store: unknown): RedisClientLike | undefined {
  const client = (store as { client?: Partial<RedisClientLike> } | undefined)?.client;
  return typeof client?.duplicate === 'function' ? (client as RedisClientLike) : undefined;
}

/**
 * The round trip on a connection of its own, made with the app's client options (URL,
 * credentials, TLS, database) and destroyed when the probe ends, however it ends. The app's
 * client is never touched, so a probe of a dead Redis leaves nothing pending in it (its
 * `disconnect()` at shutdown would wait for that forever).
 */
export async function redisRoundTrip(client: RedisClientLike, signal: AbortSignal): Promise<void> {
  const probe = client.duplicate({
    disableOfflineQueue: true,
    socket: { ...client.options?.socket, reconnectStrategy: false },
  });
  let onError: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (onError = (error) => reject(cacheFailure('store', error))));
  failed.catch(() => undefined);
  probe.on('error', onError);
  const aborted = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
  );
  aborted.catch(() => undefined);
  const step = <T>(work: Promise<T>) => Promise.race([work, failed, aborted]);
  try {
    await step(probe.connect());
    const commands = probe.withAbortSignal(signal);
    const { key, value } = probeEntry();
    await step(commands.set(key, value, { PX: PROBE_KEY_TTL_MS }));
    const read = await step(commands.get(key));
    if (read !== value)
      throw cacheFailure('get', undefined, `read back ${JSON.stringify(read)} instead of the value written`);
    await step(commands.del(key));
  } finally {
    if (probe.isOpen) probe.destroy();
  }
}

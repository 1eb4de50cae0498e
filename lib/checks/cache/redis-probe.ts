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
  off(event: 'error', listener: (error: unknown) => void): unknown;
  withAbortSignal(signal: AbortSignal): RedisCommands;
}

/** The node-redis client of a `@keyv/redis` store, if that is what the tier is. */
export function redisClientOf(store: unknown): RedisClientLike | undefined {
  const client = (store as { client?: Partial<RedisClientLike> } | undefined)?.client;
  return typeof client?.duplicate === 'function' ? (client as RedisClientLike) : undefined;
}

/**
 * Probe connections of a cache check, one per app client, kept between runs (a round trip
 * then costs one round trip, not a connection). Each is made with the app's client options
 * (URL, credentials, TLS, database) but never reconnects or queues offline, and is destroyed
 * on any error, on a timeout, and when the check closes. The app's client is never touched,
 * so a probe of a dead Redis leaves nothing pending in it (its `disconnect()` at shutdown
 * would wait for that forever).
 */
export class RedisProbeConnections {
  private readonly open = new Map<RedisClientLike, { probe: RedisProbeClient; connected: Promise<unknown> }>();

  /** Set, read back and compare, delete, on the probe connection of `client`. */
  async roundTrip(client: RedisClientLike, signal: AbortSignal): Promise<void> {
    const { probe, connected } = this.connection(client);
    let onError: (error: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (onError = (error) => reject(cacheFailure('store', error))));
    failed.catch(() => undefined);
    probe.on('error', onError);
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => (onAbort = () => reject(signal.reason)));
    aborted.catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    const step = <T>(work: Promise<T>) => Promise.race([work, failed, aborted]);
    try {
      await step(connected);
      const commands = probe.withAbortSignal(signal);
      const { key, value } = probeEntry();
      await step(commands.set(key, value, { PX: PROBE_KEY_TTL_MS }));
      const read = await step(commands.get(key));
      if (read !== value)
        throw cacheFailure('get', undefined, `read back ${JSON.stringify(read)} instead of the value written`);
      await step(commands.del(key));
    } catch (error) {
      this.drop(client, probe); // nothing may stay pending on it
      throw error;
    } finally {
      probe.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Destroys every probe connection (the check is closing). */
  closeAll(): void {
    for (const [client, { probe }] of this.open) this.drop(client, probe);
  }

  private connection(client: RedisClientLike): { probe: RedisProbeClient; connected: Promise<unknown> } {
    const existing = this.open.get(client);
    if (existing && existing.probe.isOpen) return existing;
    const probe = client.duplicate({
      disableOfflineQueue: true,
      socket: { ...client.options?.socket, reconnectStrategy: false },
    });
    // A broken connection is dropped; the next run makes another.
    probe.on('error', () => this.drop(client, probe));
    const connected = probe.connect();
    connected.catch(() => undefined);
    const entry = { probe, connected };
    this.open.set(client, entry);
    return entry;
  }

  private drop(client: RedisClientLike, probe: RedisProbeClient): void {
    if (this.open.get(client)?.probe === probe) this.open.delete(client);
    if (probe.isOpen) probe.destroy();
  }
}

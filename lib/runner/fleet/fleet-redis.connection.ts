import type { WatchmanFleetRedisClient } from '../../options/option-schemas.js';

/** The commands of an ioredis connection the fleet store uses. */
export interface FleetRedis {
  readonly status: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, px: 'PX', ms: number): Promise<unknown>;
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<'OK' | null>;
  connect(): Promise<unknown>;
  disconnect(reconnect?: boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Where the fleet's Redis is, and how to say so in the log (never with a password). */
export type FleetRedisSource =
  | { url: string; described: string }
  | { client: WatchmanFleetRedisClient; described: string }
  | { options: Record<string, unknown>; described: string };

type IoRedisClass = new (...args: unknown[]) => FleetRedis;

/**
 * A connection of the fleet's own, never the app's: no offline queue (a command while Redis is
 * away fails at once), no retried commands, no handshake that could hang (no ready check, no
 * CLIENT SETINFO), connect, command and disconnect timeouts of `timeoutMs`; it reconnects by itself.
 */
export async function openFleetRedis(source: FleetRedisSource, timeoutMs: number): Promise<FleetRedis> {
  const options = {
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    disableClientInfo: true,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // How long a close waits for a socket that may never say it closed (ioredis's default 2 s would hold the exit).
    disconnectTimeout: timeoutMs,
    retryStrategy: (times: number) => Math.min(times * 250, 2000),
  };
  if ('client' in source) return source.client.duplicate(options) as FleetRedis;
  const module = (await import('ioredis' as string).catch(() => {
    throw new Error('fleet-scoped checks need the ioredis package: npm install ioredis');
  })) as { default?: IoRedisClass };
  const Redis = (module.default ?? module) as IoRedisClass;
  return 'url' in source ? new Redis(source.url, options) : new Redis({ ...source.options, ...options });
}

/** Whether an ioredis error is a command that got no answer in time (its reply may still come). */
export function isCommandTimeout(error: unknown): boolean {
  return error instanceof Error && /command timed out/i.test(error.message);
}

/** What an ioredis error says, in words for the log (its offline-queue refusal means: not connected). */
export function redisFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Stream isn't writeable|max retries per request|Connection is closed/i.test(message)) return 'not connected';
  return message;
}

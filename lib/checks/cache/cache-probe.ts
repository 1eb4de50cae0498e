import { randomUUID } from 'node:crypto';
import { isErrorLike } from '../../runner/check-result.js';

/** A Keyv instance, as cache-manager 6+ keeps one per tier in `cache.stores`. */
interface KeyvLike {
  set(key: string, value: unknown, ttl?: number): Promise<boolean>;
  get(key: string): Promise<unknown>;
  delete(key: string): Promise<boolean>;
  on?(event: 'error', listener: (error: unknown) => void): unknown;
  off?(event: 'error', listener: (error: unknown) => void): unknown;
  opts?: { store?: unknown };
  store?: unknown;
}

/** Any cache with get / set / del (cache-manager's facade, or an app's own). */
interface CacheLike {
  set(key: string, value: unknown, ttl?: number): Promise<unknown>;
  get(key: string): Promise<unknown>;
  del?(key: string): Promise<unknown>;
  delete?(key: string): Promise<unknown>;
  stores?: KeyvLike[];
}

// The key lives a minute at most, even if the delete never reaches the store.
const KEY_TTL_MS = 60_000;

/**
 * Runs the round trip on each tier of a multi-tier cache separately, so a dead Redis tier is
 * not hidden behind a live memory tier; a single-store cache is checked once.
 */
export async function probeCache(cache: unknown, signal: AbortSignal): Promise<Record<string, unknown> | void> {
  const candidate = cache as CacheLike;
  if (typeof candidate?.get !== 'function' || typeof candidate.set !== 'function') {
    throw new Error('not a cache: it has no get/set methods');
  }
  const tiers = Array.isArray(candidate.stores) ? candidate.stores : undefined;
  if (!tiers || tiers.length === 0) return roundTrip(asKeyv(candidate), signal);
  if (tiers.length === 1) return roundTrip(tiers[0], signal);
  const results = await Promise.all(tiers.map(async (tier, index) => {
    try {
      await roundTrip(tier, signal);
      return { tier: index, store: storeName(tier), ok: true };
    } catch (error) {
      return { tier: index, store: storeName(tier), ok: false, error: (error as Error).message };
    }
  }));
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) {
    const error = new Error(failed.map((result) => `tier ${result.tier} (${result.store}): ${result.error}`).join('; '));
    Object.assign(error, { tiers: results });
    throw error;
  }
  return { tiers: results };
}

async function roundTrip(store: KeyvLike, signal: AbortSignal): Promise<void> {
  const key = `watchman:${randomUUID()}`;
  const value = randomUUID();
  // Keyv turns store failures into `false` / `undefined` plus an 'error' event, and a client
  // that cannot connect may retry forever: fail on the first error event, with its message.
  let storeError: unknown;
  let onError: (error: unknown) => void = () => undefined;
  const errored = new Promise<never>((_, reject) => {
    onError = (error: unknown) => {
      storeError ??= error;
      reject(failure('store', error));
    };
  });
  errored.catch(() => undefined);
  const aborted = new Promise<false>((resolve) => signal.addEventListener('abort', () => resolve(false), { once: true }));
  const step = <T>(work: Promise<T>) => Promise.race([work, errored]);
  store.on?.('error', onError);
  try {
    const stored = await step(store.set(key, value, KEY_TTL_MS));
    signal.throwIfAborted();
    if (stored === false) throw failure('set', storeError);
    const read = await step(store.get(key));
    signal.throwIfAborted();
    if (read !== value) throw failure('get', storeError, `read back ${JSON.stringify(read)} instead of the value written`);
  } finally {
    // Not awaited past an error: a dead store would hang here; the key expires by itself.
    await Promise.race([store.delete(key).catch(() => false), errored.catch(() => false), aborted]);
    store.off?.('error', onError);
  }
}

function failure(step: string, cause: unknown, fallback = 'the store refused it'): Error {
  const message = isErrorLike(cause) ? cause.message : cause ? String(cause) : fallback;
  return new Error(`cache ${step} failed: ${message}`, { cause });
}

function asKeyv(cache: CacheLike): KeyvLike {
  return {
    set: async (key, value, ttl) => (await cache.set(key, value, ttl), true),
    get: (key) => cache.get(key),
    delete: async (key) => Boolean(await (cache.del ?? cache.delete)?.call(cache, key)),
  };
}

function storeName(tier: KeyvLike): string {
  const store = (tier.opts?.store ?? tier.store) as { constructor?: { name?: string } } | undefined;
  const name = store?.constructor?.name ?? 'store';
  return name === 'Map' ? 'memory' : name;
}

import { randomUUID } from 'node:crypto';
import { isErrorLike } from '../../common/error-like.js';

/** A Keyv instance, as cache-manager 6+ keeps one per tier in `cache.stores`. */
export interface KeyvLike {
  set(key: string, value: unknown, ttl?: number): Promise<boolean>;
  get(key: string): Promise<unknown>;
  delete(key: string): Promise<boolean>;
  on?(event: 'error', listener: (error: unknown) => void): unknown;
  off?(event: 'error', listener: (error: unknown) => void): unknown;
  opts?: { store?: unknown };
  store?: unknown;
}

/** The key lives a minute at most, even if the delete never reaches the store. */
export const PROBE_KEY_TTL_MS = 60_000;

/** A key no app uses, and a value to compare. */
export function probeEntry(): { key: string; value: string } {
  return { key: `watchman:${randomUUID()}`, value: randomUUID() };
}

/**
 * Set, read back and compare, delete, through Keyv. Keyv turns store failures into
 * `false` / `undefined` plus an 'error' event, and a client that cannot connect may retry
 * forever: fail on the first error event, with its message, and never wait past the signal.
 */
export async function keyvRoundTrip(store: KeyvLike, signal: AbortSignal): Promise<void> {
  const { key, value } = probeEntry();
  let storeError: unknown;
  let onError: (error: unknown) => void = () => undefined;
  const errored = new Promise<never>((_, reject) => {
    onError = (error: unknown) => {
      storeError ??= error;
      reject(cacheFailure('store', error));
    };
  });
  errored.catch(() => undefined);
  const aborted = new Promise<false>((resolve) =>
    signal.addEventListener('abort', () => resolve(false), { once: true }),
  );
  const step = <T>(work: Promise<T>) => Promise.race([work, errored]);
  store.on?.('error', onError);
  try {
    const stored = await step(store.set(key, value, PROBE_KEY_TTL_MS));
    signal.throwIfAborted();
    if (stored === false) throw cacheFailure('set', storeError);
    const read = await step(store.get(key));
    signal.throwIfAborted();
    if (read !== value)
      throw cacheFailure('get', storeError, `read back ${JSON.stringify(read)} instead of the value written`);
  } finally {
    // Not awaited past an error or the timeout: a dead store would hang here; the key expires by itself.
    await Promise.race([store.delete(key).catch(() => false), errored.catch(() => false), aborted]);
    store.off?.('error', onError);
  }
}

/** `cache <step> failed: <cause>`, keeping the cause. */
export function cacheFailure(step: string, cause: unknown, fallback = 'the store refused it'): Error {
  const message = isErrorLike(cause) ? cause.message : cause ? String(cause) : fallback;
  return new Error(`cache ${step} failed: ${message}`, { cause });
}

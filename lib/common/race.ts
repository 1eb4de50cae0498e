import { setTimeout as sleep } from 'node:timers/promises';

// The one place where work races a timer or a signal. None of these stops the work itself:
// a caller that must cancel passes an AbortSignal to the work as well.

/**
 * Settles like `work`, unless `ms` pass first: then like `onTimeout()` (its value, or what it
 * throws). The timer is cleared as soon as the race is decided.
 */
export async function within<T, U = never>(work: PromiseLike<T>, ms: number, onTimeout: () => U): Promise<T | U> {
  const timer = new AbortController();
  const expired = sleep(ms, undefined, { signal: timer.signal }).then(onTimeout, () => new Promise<never>(() => {}));
  try {
    return await Promise.race([work, expired]);
  } finally {
    timer.abort();
  }
}

/** Settles like `work`, but rejects with the signal's reason as soon as it aborts. */
export function abortable<T>(work: PromiseLike<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    Promise.resolve(work).catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(work)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * A signal that aborts with the parent, or by itself after `ms` with `reason`. A timer of our
 * own: on Node 20, `AbortSignal.any()` may lose an `AbortSignal.timeout()` to GC.
 */
export function deadline(parent: AbortSignal, ms: number, reason: () => Error): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(reason()), ms);
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}

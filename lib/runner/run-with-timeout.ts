import { type CheckOutcome, failureOutcome, successOutcome } from './check-result.js';

/** Raised into a check's AbortSignal when its time is up. */
export class WatchmanTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'WatchmanTimeoutError';
  }
}

/**
 * Runs one unit of check work under a timeout. The work gets an AbortSignal that fires at the
 * timeout; a late result or rejection is discarded (and never becomes an unhandled rejection).
 */
export async function runWithTimeout(work: (signal: AbortSignal) => unknown, timeoutMs: number): Promise<CheckOutcome> {
  const measuredAt = new Date();
  const startedAt = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      const error = new WatchmanTimeoutError(timeoutMs);
      controller.abort(error);
      const outcome = failureOutcome(error, startedAt, measuredAt);
      resolve({ ...outcome, stacktrace: undefined, timedOut: true });
    }, timeoutMs);
  });
  const attempt = (async () => work(controller.signal))().then(
    (value) => successOutcome(value, startedAt, measuredAt),
    (error: unknown) => failureOutcome(error, startedAt, measuredAt),
  );
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

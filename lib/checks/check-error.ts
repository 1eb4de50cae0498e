/**
 * A check failure that carries facts: `details` are merged into the check's result beside
 * `"ok": false` and the error (as a check's returned object is on success), and `cause` keeps
 * the driver's own error in the chain the message is built from.
 *
 * @example
 * if (free < min) throw new WatchmanCheckError(`only ${free} bytes free`, { details: { free_bytes: free } });
 */
export class WatchmanCheckError extends Error {
  /** Merged into the failed result. */
  readonly details: Record<string, unknown>;

  constructor(message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WatchmanCheckError';
    this.details = { ...options.details };
  }
}

/** Raised into a check's AbortSignal when its time is up. */
export class WatchmanTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'WatchmanTimeoutError';
  }
}

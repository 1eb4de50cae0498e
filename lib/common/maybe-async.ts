/** A value at once, or a promise of it: what a request path returns when it need not wait. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * `next(value)` in the same tick when the value is already there, else once it is. Reused
 * results, memoised answers and synchronous guards go through a route without a promise (each
 * one costs a microtask and an allocation on a path a probe takes thousands of times a second).
 */
export function thenOrNow<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

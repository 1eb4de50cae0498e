/**
 * What a check may return: nothing (`{"ok": true}`) or an object merged into its result.
 * Throwing (or rejecting) marks it failed with the error's message and stack.
 */
export type WatchmanCheckReturn = void | undefined | Record<string, unknown>;

/**
 * A check of one resource, e.g. `{"payments": {"ok": true}}`.
 *
 * @example
 * @WatchmanCheck('payments')
 * @Injectable()
 * export class PaymentsCheck implements WatchmanCheckable {
 *   async check(signal: AbortSignal) {
 *     await fetch('https://payments.internal/health', { signal });
 *   }
 * }
 */
export interface WatchmanCheckable {
  /** Runs the check; `signal` fires at the check's timeout, so the work can be cancelled. */
  check(signal: AbortSignal): WatchmanCheckReturn | Promise<WatchmanCheckReturn>;
}

/**
 * A check of several resources, reported in django's list shape
 * (`{"search": [{"orders": {"ok": true}}, {"products": {"ok": true}}]}`). Each alias runs
 * concurrently under its own timeout.
 *
 * @example
 * @WatchmanCheck('search')
 * @Injectable()
 * export class SearchCheck implements WatchmanMultiCheckable {
 *   aliases() {
 *     return ['orders', 'products'];
 *   }
 *   async checkAlias(alias: string, signal: AbortSignal) {
 *     await fetch(`http://search.internal/${alias}/_health`, { signal });
 *   }
 * }
 */
export interface WatchmanMultiCheckable {
  /** The resources to check (sorted in the output). */
  aliases(): readonly string[] | Promise<readonly string[]>;
  /** Checks one resource. */
  checkAlias(alias: string, signal: AbortSignal): WatchmanCheckReturn | Promise<WatchmanCheckReturn>;
}

/**
 * What `@WatchmanCheck()` may decorate: a class whose instances have `check()`, or
 * `aliases()` and `checkAlias()`. Looser than the interfaces on what a check returns (the
 * runner takes any value), so a check returning an interface type still compiles; a class
 * with neither method does not.
 */
export type WatchmanCheckClass = abstract new (...args: never[]) =>
  | { check(signal: AbortSignal): unknown }
  | {
      aliases(): readonly string[] | Promise<readonly string[]>;
      checkAlias(alias: string, signal: AbortSignal): unknown;
    };

/**
 * The decorator `@WatchmanCheck()` returns: a class decorator for check classes only. (It is
 * no plain `ClassDecorator`, which takes any class: to compose it with `applyDecorators()`,
 * write `WatchmanCheck('x') as ClassDecorator`.)
 */
export type WatchmanCheckDecorator = <T extends WatchmanCheckClass>(target: T) => void;

/** Either kind of check. */
export type WatchmanCheckInstance = WatchmanCheckable | WatchmanMultiCheckable;

/** Tells the two kinds apart. */
export function isMultiCheck(instance: WatchmanCheckInstance): instance is WatchmanMultiCheckable {
  const candidate = instance as Partial<WatchmanMultiCheckable>;
  return typeof candidate.aliases === 'function' && typeof candidate.checkAlias === 'function';
}

/** Whether an object can run as a check at all (`check()`, or `aliases()` + `checkAlias()`). */
export function isCheckInstance(instance: unknown): instance is WatchmanCheckInstance {
  if (typeof instance !== 'object' || instance === null) return false;
  return (
    typeof (instance as Partial<WatchmanCheckable>).check === 'function' ||
    isMultiCheck(instance as WatchmanCheckInstance)
  );
}

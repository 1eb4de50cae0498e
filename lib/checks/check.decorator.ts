import { SetMetadata } from '@nestjs/common';
import { WATCHMAN_CHECK_METADATA } from '../watchman.constants.js';
import type { WatchmanCheckSettings } from '../watchman-options.interface.js';
import { firstIssue } from '../options/option-issues.js';
import { MAX_TIMER_MS, checkSettings, milliseconds } from '../options/option-schemas.js';
import type { WatchmanCheckDecorator } from './check.interface.js';

/** Options of `@WatchmanCheck()`. */
export interface WatchmanCheckOptions extends WatchmanCheckSettings {
  /** The key the check's result goes under; also what `?check=` / `WATCHMAN_CHECKS` name. */
  name: string;
}

/**
 * Marks a provider as a watchman check. Watchman finds it through Nest's discovery, so the
 * class only has to be a provider of some module; DI works as usual. The class implements
 * `WatchmanCheckable` (one resource) or `WatchmanMultiCheckable` (the list shape): on a class
 * with neither `check()` nor `aliases()` + `checkAlias()` the decorator does not compile.
 *
 * @example
 * @WatchmanCheck('payments', { critical: false, timeout: 2000 })
 * @Injectable()
 * export class PaymentsCheck implements WatchmanCheckable {
 *   async check(signal: AbortSignal) {
 *     const res = await fetch('https://payments.internal/health', { signal });
 *     return { status: res.status };
 *   }
 * }
 */
export function WatchmanCheck(name: string, settings?: WatchmanCheckSettings): WatchmanCheckDecorator;
export function WatchmanCheck(options: WatchmanCheckOptions): WatchmanCheckDecorator;
export function WatchmanCheck(
  nameOrOptions: string | WatchmanCheckOptions,
  settings: WatchmanCheckSettings = {},
): WatchmanCheckDecorator {
  const options = typeof nameOrOptions === 'string' ? { ...settings, name: nameOrOptions } : nameOrOptions;
  if (typeof options?.name !== 'string' || !/^[^\s,.]+$/.test(options.name)) {
    throw new Error(
      `@WatchmanCheck: invalid name ${JSON.stringify(options?.name)} (a name has no spaces, commas or dots)`,
    );
  }
  if (!milliseconds.safeParse(options.timeout ?? 1).success) {
    throw new Error(
      `@WatchmanCheck('${options.name}'): timeout must be a positive integer (ms, at most ${MAX_TIMER_MS}), not ${JSON.stringify(options.timeout)}`,
    );
  }
  const { name, ...declared } = options;
  const parsed = checkSettings.safeParse(declared);
  if (!parsed.success) throw new Error(`@WatchmanCheck('${name}'): ${firstIssue(parsed.error)}`);
  const mark = SetMetadata(WATCHMAN_CHECK_METADATA, options);
  return (target) => {
    mark(target);
  };
}

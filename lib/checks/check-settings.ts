import type { WatchmanConfig } from '../options/watchman-config.js';
import type { WatchmanCheckSettings } from '../watchman-options.interface.js';

/** What the runner needs to know of one check, whoever declared it. */
export interface ResolvedCheckSettings {
  /** A non-critical failure shows, but leaves the status ok. */
  critical: boolean;
  /** Timeout of this check (and of each of its aliases), in ms. */
  timeout: number;
}

/**
 * A check's settings: `checkOptions.<name>` and WATCHMAN_NON_CRITICAL first, then what its
 * `@WatchmanCheck()` declares, then the module's defaults.
 */
export function resolveCheckSettings(
  name: string,
  config: Pick<WatchmanConfig, 'checkOptions' | 'nonCritical' | 'checkTimeout'>,
  declared: WatchmanCheckSettings = {},
): ResolvedCheckSettings {
  const configured = config.checkOptions.get(name) ?? {};
  const critical = config.nonCritical.includes(name) ? false : (configured.critical ?? declared.critical ?? true);
  return { critical, timeout: configured.timeout ?? declared.timeout ?? config.checkTimeout };
}

import type { WatchmanConfig } from '../options/watchman-config.js';
import type { WatchmanCheckSettings } from '../watchman-options.interface.js';

/** What the runner needs to know of one check, whoever declared it. */
export interface ResolvedCheckSettings {
  /** A non-critical failure shows, but leaves the status ok. */
  critical: boolean;
  /** Timeout of this check (and of each of its aliases), in ms. */
  timeout: number;
  /** Consecutive failed runs before it reports failed. */
  failAfter: number;
  /** Consecutive ok runs before it reports ok again. */
  recoverAfter: number;
  /** Its own background interval (ms), if any; else `refreshInterval` applies. */
  interval?: number;
  /** Delay (ms) before its first background run. */
  initialDelay: number;
  /** Fraction (0-1) each background interval varies by. */
  jitter: number;
  /** `fleet`: one run per interval across the fleet (see `fleet`); `instance`: each instance runs it. */
  scope: 'instance' | 'fleet';
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
  const pick = <K extends keyof WatchmanCheckSettings>(key: K) => configured[key] ?? declared[key];
  return {
    critical,
    timeout: pick('timeout') ?? config.checkTimeout,
    failAfter: pick('failAfter') ?? 1,
    recoverAfter: pick('recoverAfter') ?? 1,
    interval: pick('interval'),
    initialDelay: pick('initialDelay') ?? 0,
    jitter: pick('jitter') ?? 0,
    scope: pick('scope') ?? 'instance',
  };
}

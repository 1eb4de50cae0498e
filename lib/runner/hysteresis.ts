import type { WatchmanCheckOutcome, WatchmanCheckReport } from './check-result.js';
import { combined } from './check.executor.js';

/** How many runs in a row it takes to change a check's reported state. */
export interface Thresholds {
  /** Consecutive failed runs before an ok check reports failed (1: at once). */
  failAfter: number;
  /** Consecutive ok runs before a failed check reports ok again (1: at once). */
  recoverAfter: number;
}

/** What a threshold holds back, shown in the result as `pending`. */
export interface PendingState {
  /** The actual outcome of the latest run. */
  ok: boolean;
  /** Runs in a row with that outcome so far. */
  count: number;
  /** Runs in a row it takes. */
  of: number;
  /** The latest error, while the actual outcome is a failure. */
  error?: string;
}

/** The streak of one check or alias: how many runs in a row disagreed with what is reported. */
export type Streaks = Map<string, number>;

/**
 * The report to publish for a run, given the one published before: a change of ok-ness is
 * reported only once it has held for `failAfter` / `recoverAfter` runs in a row; meanwhile the
 * previous state stays, with `pending` in its details. The first run is reported as it is.
 * Each alias of a multi-resource check is held on its own, and the check is ok when they all are.
 */
export function applyThresholds(
  previous: WatchmanCheckReport | undefined,
  next: WatchmanCheckReport,
  thresholds: Thresholds,
  streaks: Streaks,
): WatchmanCheckReport {
  if (!previous || (thresholds.failAfter <= 1 && thresholds.recoverAfter <= 1)) return next;
  if (!next.aliases) return { ...next, outcome: hold(next.name, previous.outcome, next.outcome, thresholds, streaks) };
  const before = new Map((previous.aliases ?? []).map(({ alias, outcome }) => [alias, outcome]));
  const aliases = next.aliases.map(({ alias, outcome }) => {
    const was = before.get(alias);
    return { alias, outcome: was ? hold(`${next.name}/${alias}`, was, outcome, thresholds, streaks) : outcome };
  });
  return { ...next, aliases, outcome: combined(next.outcome, aliases) };
}

function hold(
  key: string,
  reported: WatchmanCheckOutcome,
  actual: WatchmanCheckOutcome,
  { failAfter, recoverAfter }: Thresholds,
  streaks: Streaks,
): WatchmanCheckOutcome {
  if (actual.ok === reported.ok) {
    streaks.delete(key);
    return actual;
  }
  const count = (streaks.get(key) ?? 0) + 1;
  const of = actual.ok ? recoverAfter : failAfter;
  if (count >= of) {
    streaks.delete(key);
    return actual;
  }
  streaks.set(key, count);
  const pending: PendingState = { ok: actual.ok, count, of, ...(actual.ok ? {} : { error: actual.error }) };
  // The reported state stays, measured now, with what is pending beside it.
  return {
    ...reported,
    details: { ...(reported.ok ? actual.details : reported.details), pending },
    durationMs: actual.durationMs,
    measuredAt: actual.measuredAt,
    timedOut: undefined,
  };
}

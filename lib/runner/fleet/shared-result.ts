import type { WatchmanCheckOutcome, WatchmanCheckReport } from '../check-result.js';

// A fleet's shared result in Redis: the report of one run as JSON, dates as ISO text.

/** The report as stored in Redis (what a value the JSON cannot hold, e.g. a bigint, becomes: its text). */
export function encodeShared(report: WatchmanCheckReport): string {
  return JSON.stringify({ v: 1, report }, (_, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
}

/**
 * A stored report as this instance reports it: under its own name and criticality (another
 * instance's settings may differ), `scope: 'fleet'`. Anything unreadable counts as no result.
 */
export function decodeShared(
  text: string | null,
  check: { name: string; critical: boolean },
): WatchmanCheckReport | undefined {
  if (!text) return undefined;
  try {
    const { report } = JSON.parse(text) as { report: WatchmanCheckReport };
    if (typeof report?.by !== 'string' || typeof report.outcome?.ok !== 'boolean') return undefined;
    return {
      name: check.name,
      critical: check.critical,
      outcome: revive(report.outcome),
      ...(report.aliases
        ? { aliases: report.aliases.map(({ alias, outcome }) => ({ alias, outcome: revive(outcome) })) }
        : {}),
      scope: 'fleet',
      by: report.by,
    };
  } catch {
    return undefined;
  }
}

/** Whether two reports are the same run (one instance at one moment). */
export function sameRun(a: WatchmanCheckReport | undefined, b: WatchmanCheckReport): boolean {
  return a !== undefined && a.by === b.by && a.outcome.measuredAt.getTime() === b.outcome.measuredAt.getTime();
}

function revive(outcome: WatchmanCheckOutcome): WatchmanCheckOutcome {
  return { ...outcome, details: outcome.details ?? {}, measuredAt: new Date(outcome.measuredAt) };
}

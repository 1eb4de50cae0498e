import type { WatchmanCheckRegistry } from '../checks/check.registry.js';
import { type WatchmanCheckReport, outcomeStatus } from '../runner/check-result.js';
import type { WatchmanRunner } from '../runner/check.runner.js';

/** One series of a run: a single check's, or one alias's of a multi-resource check. */
export interface CheckSeries {
  check: string;
  /** `""` for a single check. */
  alias: string;
  critical: boolean;
  ok: boolean;
  durationMs: number;
}

/** The series one finished run updates (Prometheus and OpenTelemetry record the same ones). */
export function seriesOf(report: WatchmanCheckReport): CheckSeries[] {
  const entries = report.aliases?.map(({ alias, outcome }) => ({ alias, outcome })) ?? [
    { alias: '', outcome: report.outcome },
  ];
  return entries.map(({ alias, outcome }) => ({
    check: report.name,
    alias,
    critical: report.critical,
    ok: outcome.ok,
    durationMs: outcome.durationMs,
  }));
}

/**
 * `watchman_up`: 1 unless a critical configured check's latest run failed, or has not finished
 * yet (no 1 before a first result; a paid check counts once it has run).
 */
export function overallUp(registry: WatchmanCheckRegistry, runner: WatchmanRunner): number {
  for (const name of registry.configuredChecks()) {
    const last = runner.lastReport(name);
    if (!last && registry.get(name)?.critical && !registry.get(name)?.paid) return 0;
    if (last && outcomeStatus(last.outcome, last.critical) === 'fail') return 0;
  }
  return 1;
}

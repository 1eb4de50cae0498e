import { Inject, Injectable } from '@nestjs/common';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import type { WatchmanCheckOutcome, WatchmanCheckReport } from './check-result.js';

/** A finished run as kept: the report and when it was stored. */
export interface StoredResult {
  report: WatchmanCheckReport;
  storedAt: number;
}

/**
 * The latest result of every check, and the rules read over it: how long one may be reused
 * (`cacheTtl`), and when one kept by the background refresh is too old to trust (stale).
 */
@Injectable()
export class WatchmanResultsStore {
  private readonly latest = new Map<string, StoredResult>();

  constructor(
    private readonly registry: WatchmanCheckRegistry,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  /** Keeps a finished run; returns the one it replaces. */
  record(report: WatchmanCheckReport): WatchmanCheckReport | undefined {
    const previous = this.latest.get(report.name)?.report;
    this.latest.set(report.name, { report, storedAt: Date.now() });
    return previous;
  }

  /** A run kept already was seen again (a fleet's shared result read anew): reusable from now on, as if stored now. */
  seen(name: string): void {
    const stored = this.latest.get(name);
    if (stored) stored.storedAt = Date.now();
  }

  /** The last run of a check, whatever its age. */
  last(name: string): WatchmanCheckReport | undefined {
    return this.latest.get(name)?.report;
  }

  /** The last run if it is younger than `maxAgeMs` (0: never reused). */
  reusable(name: string, maxAgeMs: number): WatchmanCheckReport | undefined {
    const stored = this.latest.get(name);
    if (!stored || maxAgeMs <= 0 || Date.now() - stored.storedAt >= maxAgeMs) return undefined;
    return stored.report;
  }

  /**
   * The last run as the background refresh (or a fleet's shared result) answers with it: failed
   * with `stale result` once it is older than 2 × (interval + timeout), i.e. two runs in a row
   * were missed. The interval is the check's background one, else `cacheTtl`.
   */
  current(name: string): WatchmanCheckReport | undefined {
    const report = this.last(name);
    if (!report) return undefined;
    const timeout = this.registry.get(name)?.timeout ?? this.config.checkTimeout;
    const maxAge = 2 * (this.registry.intervalOf(name) + timeout);
    if (Date.now() - report.outcome.measuredAt.getTime() <= maxAge) return report;
    const stale = (outcome: WatchmanCheckOutcome): WatchmanCheckOutcome => ({
      ...outcome,
      ok: false,
      error: 'stale result',
      stacktrace: undefined,
    });
    return {
      ...report,
      outcome: stale(report.outcome),
      aliases: report.aliases?.map(({ alias, outcome }) => ({ alias, outcome: stale(outcome) })),
    };
  }
}

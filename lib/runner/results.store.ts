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
  private changes = 0;

  constructor(
    private readonly registry: WatchmanCheckRegistry,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  /** Goes up with every result kept or stamped anew: a report built from the store is good while it does not move. */
  get version(): number {
    return this.changes;
  }

  /** Keeps a finished run; returns the one it replaces. */
  record(report: WatchmanCheckReport): WatchmanCheckReport | undefined {
    this.changes += 1;
    const previous = this.latest.get(report.name)?.report;
    this.latest.set(report.name, { report, storedAt: Date.now() });
    return previous;
  }

  /** A run kept already was seen again (a fleet's shared result read anew): reusable from now on, as if stored now. */
  seen(name: string): void {
    const stored = this.latest.get(name);
    if (stored) stored.storedAt = Date.now();
    this.changes += 1;
  }

  /**
   * The runs a report started, stamped with one time once all of them are in, so that they
   * are reused for as long as each other and expire together. (Stamped one by one, a few µs
   * apart, the first to expire would be run alone while the others are still reused, then the
   * others right after it: the checks of a report drift apart, and every drift is one more
   * wait for the requests of that moment.) A result kept since by something else is left alone.
   */
  stampTogether(reports: readonly WatchmanCheckReport[], at: number): void {
    for (const report of reports) {
      const stored = this.latest.get(report.name);
      if (stored?.report === report) stored.storedAt = at;
    }
    this.changes += 1;
  }

  /** When the last run of a check was stored (or stamped), if there is one. */
  storedAt(name: string): number | undefined {
    return this.latest.get(name)?.storedAt;
  }

  /** The last run of a check, whatever its age. */
  last(name: string): WatchmanCheckReport | undefined {
    return this.latest.get(name)?.report;
  }

  /** The last run if it is younger than `maxAgeMs` at `now` (0: never reused). */
  reusable(name: string, maxAgeMs: number, now = Date.now()): WatchmanCheckReport | undefined {
    return this.reusableEntry(name, maxAgeMs, now)?.report;
  }

  /** `reusable`, with the time it was stored. */
  reusableEntry(name: string, maxAgeMs: number, now: number): StoredResult | undefined {
    const stored = this.latest.get(name);
    if (!stored || maxAgeMs <= 0 || now - stored.storedAt >= maxAgeMs) return undefined;
    return stored;
  }

  /**
   * The last run as the background refresh (or a fleet's shared result) answers with it: failed
   * with `stale result` once it is older than 2 × (interval + timeout), i.e. two runs in a row
   * were missed. The interval is the check's background one, else `cacheTtl`.
   */
  current(name: string, now = Date.now()): WatchmanCheckReport | undefined {
    const report = this.last(name);
    if (!report) return undefined;
    if (now <= this.staleAfter(name, report)) return report;
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

  /** Until when `current` answers a check's last run as it is (stale after; `Infinity` without one). */
  freshUntil(name: string): number {
    const report = this.last(name);
    return report ? this.staleAfter(name, report) : Infinity;
  }

  private staleAfter(name: string, report: WatchmanCheckReport): number {
    const timeout = this.registry.get(name)?.timeout ?? this.config.checkTimeout;
    return report.outcome.measuredAt.getTime() + 2 * (this.registry.intervalOf(name) + timeout);
  }
}

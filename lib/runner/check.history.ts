import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import type { WatchmanCheckOutcome, WatchmanCheckReport } from './check-result.js';
import { WatchmanRunner } from './check.runner.js';

/** One remembered result. */
export interface WatchmanHistoryEntry {
  ok: boolean;
  durationMs: number;
  measuredAt: Date;
  error?: string;
}

/** What the dashboard shows of a check's or alias's past. */
export interface WatchmanHistoryView {
  entries: WatchmanHistoryEntry[];
  /** When the status last flipped (ok ↔ failed), or undefined if it never did. */
  changedAt?: Date;
}

/** The last `historySize` results per check and per alias, in memory, fed by the runner's results. */
@Injectable()
export class WatchmanHistory implements OnModuleInit, OnModuleDestroy {
  private readonly rows = new Map<string, { entries: WatchmanHistoryEntry[]; changedAt?: Date }>();
  private readonly size: number;
  private subscription?: Subscription;

  constructor(
    @Inject(WATCHMAN_CONFIG) config: Pick<WatchmanConfig, 'historySize'>,
    @Optional() private readonly runner?: WatchmanRunner,
  ) {
    this.size = config.historySize;
  }

  onModuleInit(): void {
    this.subscription = this.runner?.results$.subscribe((report) => this.record(report));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Key of a check (`storage`) or of one alias (`databases:default`). */
  static key(check: string, alias?: string): string {
    return alias === undefined ? check : `${check}:${alias}`;
  }

  /** @internal Remembers one run of a check (and of each of its aliases). */
  record(check: WatchmanCheckReport): void {
    if (this.size === 0) return;
    this.push(WatchmanHistory.key(check.name), check.outcome);
    for (const { alias, outcome } of check.aliases ?? []) this.push(WatchmanHistory.key(check.name, alias), outcome);
  }

  /** Oldest first. */
  get(key: string): WatchmanHistoryView {
    const row = this.rows.get(key);
    return { entries: row ? [...row.entries] : [], changedAt: row?.changedAt };
  }

  private push(key: string, outcome: WatchmanCheckOutcome): void {
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { entries: [] }));
    const last = row.entries.at(-1);
    if (last && last.ok !== outcome.ok) row.changedAt = outcome.measuredAt;
    row.entries.push({
      ok: outcome.ok,
      durationMs: outcome.durationMs,
      measuredAt: outcome.measuredAt,
      error: outcome.error,
    });
    if (row.entries.length > this.size) row.entries.splice(0, row.entries.length - this.size);
  }
}

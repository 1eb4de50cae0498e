import { Inject, Injectable } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { WatchmanCheckRegistry, type WatchmanRegisteredCheck } from '../checks/check.registry.js';
import type { MaybePromise } from '../common/maybe-async.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import { type WatchmanCheckReport, type WatchmanReport, elapsed, failureOutcome, statusOf } from './check-result.js';
import { executeCheck, missingCheck } from './check.executor.js';
import { WatchmanFleetStore } from './fleet.store.js';
import { sameRun } from './fleet/shared-result.js';
import { type Streaks, applyThresholds } from './hysteresis.js';
import { ReadyReportMemo } from './ready-report.memo.js';
import { WatchmanResultsStore } from './results.store.js';
import { type WatchmanCheckSelection, selectChecks } from './selection.js';
import { type WatchmanStatusChange, statusChanges } from './status-change.js';

/** How a caller wants its report. */
export interface WatchmanRunOptions {
  /** Run now even when a background refresh keeps results (a shared in-flight run is still joined). */
  fresh?: boolean;
  /** Reuse a result up to this old (ms), or `cacheTtl` when that is longer. */
  maxAge?: number;
}

/**
 * Serves every front end alike (routes, CLI, metrics, terminus, the refresh): joins the
 * executor, which runs one check, and the results store, which keeps the latest. A check
 * already running is joined, never started twice; concurrent callers asking for the same set
 * share one report; with `cacheTtl` a recent result is reused; with `refreshInterval`
 * reports are cut from the latest background results. Every finished run goes out on
 * `results$` (history, logging and metrics subscribe), every flip on `statusChanges$`.
 */
@Injectable()
export class WatchmanRunner {
  /** Every flip of a check's (or alias's) ok-ness, once per flip. */
  readonly statusChanges$: Observable<WatchmanStatusChange>;
  /** Every finished run of a check. */
  readonly results$: Observable<WatchmanCheckReport>;

  private readonly changes = new Subject<WatchmanStatusChange>();
  private readonly results = new Subject<WatchmanCheckReport>();
  private readonly inFlight = new Map<string, Promise<WatchmanCheckReport>>();
  private readonly sets = new Map<string, Promise<WatchmanReport>>();
  private readonly streaks: Streaks = new Map();
  private readonly readyMemo = new ReadyReportMemo();
  private stopped = false;

  constructor(
    private readonly registry: WatchmanCheckRegistry,
    private readonly store: WatchmanResultsStore,
    private readonly fleet: WatchmanFleetStore,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {
    this.statusChanges$ = this.changes.asObservable();
    this.results$ = this.results.asObservable();
  }

  /** The checks run when nothing narrower is asked for. */
  configuredChecks(): readonly string[] {
    return this.registry.configuredChecks();
  }

  /** The configured checks a `?check=` / `?skip=` selection keeps. */
  select(selection: WatchmanCheckSelection = {}): string[] {
    return selectChecks(this.configuredChecks(), selection);
  }

  /** Runs the selected checks (all configured ones by default). */
  run(selection: WatchmanCheckSelection = {}, options: WatchmanRunOptions = {}): Promise<WatchmanReport> {
    return this.runNames(this.select(selection), options);
  }

  /**
   * A report of exactly these registered checks, sorted by name. Concurrent callers asking
   * for the same set share one report; a check already running for another set is joined.
   */
  runNames(names: readonly string[], options: WatchmanRunOptions = {}): Promise<WatchmanReport> {
    return Promise.resolve(this.reportOf(names, options));
  }

  /** @internal `runNames`, with a report that needs no run (reused or refreshed results) returned at once. */
  reportOf(names: readonly string[], options: WatchmanRunOptions = {}): MaybePromise<WatchmanReport> {
    const unique = sortedUnique(names);
    // Checks the background refresh keeps are answered from their latest results (or "no
    // result yet"), and checks whose last result may be reused (cacheTtl): built at once, no
    // run to share or wait for.
    const now = Date.now(); // one time for the whole set: its checks expire together
    const maxAge = this.maxAge(options);
    const fresh = options.fresh === true;
    const version = this.store.version;
    const known = this.readyMemo.get(unique, maxAge, fresh, version, now);
    if (known) return known;
    const ready = this.readyReports(unique, options, now);
    if (ready) {
      // Given to every caller asking the same until it no longer holds: frozen, so none can change it for the others.
      const report = Object.freeze(
        reportOf(Object.freeze(ready.reports) as WatchmanCheckReport[], new Date(now), performance.now()),
      );
      // A renewal just started moves the store: the report is built again once its runs are in.
      // (A copy of the names: a caller's own array may change after.)
      this.readyMemo.set({ names: [...unique], maxAge, fresh, version, until: ready.until, report });
      return report;
    }
    const key = unique.join('\u0000');
    const shared = this.sets.get(key);
    if (shared) return shared;
    const run = this.assemble(unique, options, now).finally(() => this.sets.delete(key));
    this.sets.set(key, run);
    return run;
  }

  /** The last finished run of a check, if any. */
  lastReport(name: string): WatchmanCheckReport | undefined {
    return this.store.last(name);
  }

  /** @internal Starts a run of each named check that is not already running (the background refresh). */
  refresh(names: readonly string[]): Promise<unknown> {
    return Promise.all(names.map((name) => this.inFlight.get(name) ?? this.start(name)));
  }

  /** @internal From now on no check starts (shutdown); runs already under way finish. */
  stop(): void {
    this.stopped = true;
  }

  /** @internal Waits for every run under way (each is bounded by its timeout). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  // Every check's report when none needs a run to answer (a reusable result is used even while
  // the next run is under way); else undefined.
  private readyReports(
    names: readonly string[],
    options: WatchmanRunOptions,
    now: number,
  ): { reports: WatchmanCheckReport[]; until: number } | undefined {
    const reports: WatchmanCheckReport[] = [];
    const maxAge = this.maxAge(options);
    let oldest = Infinity; // of the reused results (none when every check is refreshed)
    let slowest = 0;
    let until = Infinity; // when one of these reports would read differently
    for (const name of names) {
      if (this.refreshing(name, options)) {
        reports.push(this.latest(name, now));
        until = Math.min(until, this.store.freshUntil(name));
        continue;
      }
      const stored = this.store.reusableEntry(name, maxAge, now);
      if (!stored) return undefined;
      reports.push(stored.report);
      oldest = Math.min(oldest, stored.storedAt);
      slowest = Math.max(slowest, stored.report.outcome.durationMs);
    }
    // Renewal: the results' last stretch, as long as their slowest run took (at most half the
    // TTL). The first request in it is answered from them and starts the next run, which is in
    // by the time they expire: steady traffic never waits for a run, no result is older than
    // the TTL, and each run still starts at least a TTL after the one before it.
    const renewFrom = maxAge - Math.min(slowest, maxAge / 2);
    if (now - oldest >= renewFrom) this.renew(names, options, now - renewFrom);
    return { reports, until: Math.min(until, oldest + renewFrom) };
  }

  // The next run of each reused check stored before `before` and not under way yet (one renewed
  // already is not run again while a slower one of its set still runs), stamped together once
  // all are in.
  private renew(names: readonly string[], options: WatchmanRunOptions, before: number): void {
    const due = names.filter(
      (name) =>
        !this.refreshing(name, options) &&
        !this.inFlight.has(name) &&
        this.registry.get(name)?.scope !== 'fleet' &&
        (this.store.storedAt(name) ?? Infinity) <= before,
    );
    if (due.length === 0 || this.stopped) return;
    void Promise.all(due.map((name) => this.start(name))).then(
      (reports) => this.store.stampTogether(reports, Date.now()),
      () => undefined, // a run never rejects (its failure is its result); nothing to add here
    );
  }

  private maxAge(options: WatchmanRunOptions): number {
    return Math.max(options.maxAge ?? 0, this.config.cacheTtl);
  }

  private refreshing(name: string, options: WatchmanRunOptions): boolean {
    return !options.fresh && this.registry.refreshEvery(name) > 0;
  }

  // Under the refresh a check is only ever run by it: before its first result it reads so.
  private latest(name: string, now?: number): WatchmanCheckReport {
    return this.store.current(name, now) ?? this.unavailable(name, 'no result yet');
  }

  private async assemble(names: readonly string[], options: WatchmanRunOptions, now: number): Promise<WatchmanReport> {
    const measuredAt = new Date(now);
    const startedAt = performance.now();
    const parts = names.map((name) => this.checkReport(name, options, now));
    const checks = await Promise.all(parts.map(({ report }) => report));
    // The runs this report started are reused from now on, all of them for as long.
    this.store.stampTogether(
      checks.filter((_, i) => parts[i]?.started),
      Date.now(),
    );
    return reportOf(checks, measuredAt, startedAt);
  }

  private checkReport(
    name: string,
    options: WatchmanRunOptions,
    now: number,
  ): { report: Promise<WatchmanCheckReport>; started?: true } {
    // With the background refresh, the latest result answers at once, even while the next run
    // is under way: a probe never waits on a backend.
    if (this.refreshing(name, options)) return { report: Promise.resolve(this.latest(name)) };
    const cached = this.store.reusable(name, this.maxAge(options), now);
    if (cached) return { report: Promise.resolve(cached) };
    const running = this.inFlight.get(name);
    if (running) return { report: running };
    return { report: this.start(name), started: true };
  }

  private start(name: string): Promise<WatchmanCheckReport> {
    if (this.stopped) return Promise.resolve(this.unavailable(name, 'shutting down: no check starts any more'));
    const check = this.registry.get(name);
    const run = (
      check?.scope === 'fleet'
        ? this.shared(check)
        : (check ? executeCheck(check) : Promise.resolve(missingCheck(name))).then((report) => this.finish(report))
    ).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, run);
    return run;
  }

  // A fleet-scoped check: the fleet's run of this interval, taken in once (a shared result read
  // again is the same run: thresholds, history and events see each run once), then answered
  // as stored, so a shared result too old is a stale one.
  private async shared(check: WatchmanRegisteredCheck): Promise<WatchmanCheckReport> {
    const report = await this.fleet.run(check, () => executeCheck(check));
    if (report && sameRun(this.store.last(check.name), report)) this.store.seen(check.name);
    else if (report) this.finish(report);
    return this.store.current(check.name) ?? this.unavailable(check.name, 'no result yet');
  }

  // Once per run of a check, however many requests shared it. What is published (stored,
  // answered, counted by metrics, sent as events) is the state the thresholds let through.
  private finish(actual: WatchmanCheckReport): WatchmanCheckReport {
    const check = this.registry.get(actual.name);
    const report = check ? applyThresholds(this.store.last(actual.name), actual, check, this.streaks) : actual;
    const previous = this.store.record(report);
    this.results.next(report);
    for (const change of statusChanges(previous, report)) this.changes.next(change);
    return report;
  }

  private unavailable(name: string, why: string): WatchmanCheckReport {
    const outcome = failureOutcome(new Error(why), performance.now(), new Date());
    return {
      name,
      critical: this.registry.get(name)?.critical ?? true,
      outcome: { ...outcome, stacktrace: undefined },
    };
  }
}

// Names as they usually come (the configured list: sorted, no repeats) are taken as they are.
function sortedUnique(names: readonly string[]): readonly string[] {
  for (let i = 1; i < names.length; i++)
    if ((names[i - 1] as string) >= (names[i] as string)) return [...new Set(names)].sort();
  return names;
}

function reportOf(checks: WatchmanCheckReport[], measuredAt: Date, startedAt: number): WatchmanReport {
  const status = statusOf(checks);
  return { ok: status !== 'fail', status, checks, measuredAt, durationMs: elapsed(startedAt) };
}

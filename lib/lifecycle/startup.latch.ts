import { Injectable } from '@nestjs/common';
import { WatchmanCheckRegistry } from '../checks/check.registry.js';
import type { WatchmanReport } from '../runner/check-result.js';
import { WatchmanRunner, type WatchmanRunOptions } from '../runner/check.runner.js';

/**
 * The startup probe's memory: each startup check that has passed once (or failed only as a
 * warning) never runs for it again, and once all have, startup is over for the rest of the
 * process (`/watchman/startup` 200 running nothing; `ready` may pass). Paid checks are left
 * out: an anonymous kubelet never runs them, so they could never latch.
 */
@Injectable()
export class WatchmanStartupLatch {
  private readonly passed = new Set<string>();

  constructor(
    private readonly registry: WatchmanCheckRegistry,
    private readonly runner: WatchmanRunner,
  ) {}

  /** Whether every startup check has passed once. */
  get latched(): boolean {
    return this.pending().length === 0;
  }

  /** The startup checks that have not passed yet. */
  pending(): string[] {
    return this.required().filter((name) => !this.passed.has(name));
  }

  /**
   * Runs `names` in one run, except startup checks that have already passed; latches the
   * startup checks that pass. The report, or undefined when nothing was left to run.
   */
  async evaluate(names: readonly string[], options: WatchmanRunOptions = {}): Promise<WatchmanReport | undefined> {
    const startup = new Set(this.required());
    const left = names.filter((name) => !(startup.has(name) && this.passed.has(name)));
    if (left.length === 0) return undefined;
    return this.observe(await this.runner.runNames(left, options));
  }

  /** Latches the startup checks that passed in a report (ready's runs count too). */
  observe(report: WatchmanReport): WatchmanReport {
    const startup = new Set(this.required());
    for (const check of report.checks)
      if (startup.has(check.name) && (check.outcome.ok || !check.critical)) this.passed.add(check.name);
    return report;
  }

  private required(): string[] {
    return this.registry.startupChecks().filter((name) => !this.registry.get(name)?.paid);
  }
}

import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import type { WatchmanCheckReport } from './check-result.js';
import { WatchmanRunner } from './check.runner.js';
import { type FailureLogLine, type FailureLogState, nextFailureLog } from './failure-log.js';

/**
 * Logs the failures of checks through Nest's Logger (context `watchman`): when a check starts
 * failing (ERROR, or WARN for a non-critical one), at most once a minute while it stays
 * failed, and once when it recovers. Nothing per run or per probe.
 */
@Injectable()
export class WatchmanCheckLogger implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private readonly failing = new Map<string, FailureLogState>();
  private subscription?: Subscription;

  constructor(private readonly runner: WatchmanRunner) {}

  onModuleInit(): void {
    this.subscription = this.runner.results$.subscribe((report) => this.log(report));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private log(report: WatchmanCheckReport): void {
    const { line, state } = nextFailureLog(this.failing.get(report.name), report.outcome.ok, performance.now());
    if (state) this.failing.set(report.name, state);
    else this.failing.delete(report.name);
    if (line) this.write(report, line);
  }

  private write({ name, critical, outcome }: WatchmanCheckReport, line: FailureLogLine): void {
    if (line.kind === 'recovered') {
      this.logger.log(`check ${name} recovered after ${failedRuns(line.failedRuns)}`);
      return;
    }
    const note = critical ? '' : ' (non-critical)';
    const what = line.kind === 'failed' ? `failed${note}` : `still failing${note} after ${failedRuns(line.failedRuns)}`;
    this.logger[critical ? 'error' : 'warn'](`check ${name} ${what}: ${outcome.error}`);
  }
}

function failedRuns(count: number): string {
  return count === 1 ? '1 failed run' : `${count} failed runs`;
}

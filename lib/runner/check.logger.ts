import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import type { WatchmanCheckReport } from './check-result.js';
import { WatchmanRunner } from './check.runner.js';

/** Logs the runs of checks through Nest's Logger (context `watchman`), once per run. */
@Injectable()
export class WatchmanCheckLogger implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private subscription?: Subscription;

  constructor(private readonly runner: WatchmanRunner) {}

  onModuleInit(): void {
    this.subscription = this.runner.results$.subscribe((report) => this.log(report));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private log(report: WatchmanCheckReport): void {
    if (!report.outcome.ok) {
      const kind = report.critical ? 'failed' : 'failed (non-critical)';
      this.logger[report.critical ? 'error' : 'warn'](`check ${report.name} ${kind}: ${report.outcome.error}`);
    }
    this.logger.debug(
      `check ${report.name}: ${report.outcome.ok ? 'ok' : 'failed'} in ${report.outcome.durationMs} ms`,
    );
  }
}

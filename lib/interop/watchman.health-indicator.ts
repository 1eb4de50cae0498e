import { Injectable } from '@nestjs/common';
import { NONE_CONFIGURED, outcomeToJson } from '../formats/json.format.js';
import { type WatchmanCheckReport, outcomeStatus } from '../runner/check-result.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import type { WatchmanCheckSelection } from '../runner/selection.js';

/** A terminus indicator result: one entry per key, each with `status` `up` or `down`. */
export type WatchmanIndicatorResult = Record<string, { status: 'up' | 'down' } & Record<string, unknown>>;

/**
 * Watchman's checks inside a `@nestjs/terminus` health check: one entry per check, keyed
 * `<key>:<check>`, `down` when a critical check failed (so terminus answers 503 naming it).
 * A failing non-critical check stays `up`, with `ok: false` in its details.
 *
 * @example
 * @Get('health')
 * @HealthCheck()
 * check() {
 *   return this.health.check([() => this.watchman.isHealthy('watchman', { skip: ['email'] })]);
 * }
 */
@Injectable()
export class WatchmanHealthIndicator {
  constructor(private readonly runner: WatchmanRunner) {}

  async isHealthy(key = 'watchman', selection: WatchmanCheckSelection = {}): Promise<WatchmanIndicatorResult> {
    const report = await this.runner.run(selection);
    return Object.fromEntries(report.checks.map((check) => [`${key}:${check.name}`, entry(check)]));
  }
}

function entry(check: WatchmanCheckReport): WatchmanIndicatorResult[string] {
  const status = outcomeStatus(check.outcome, check.critical) === 'fail' ? 'down' : 'up';
  if (!check.aliases) return { status, ...outcomeToJson(check.outcome, false, check.critical) };
  if (check.aliases.length === 0) return { status, ok: check.outcome.ok, note: NONE_CONFIGURED };
  const aliases = Object.fromEntries(
    check.aliases.map(({ alias, outcome }) => [alias, outcomeToJson(outcome, false, check.critical)]),
  );
  return { status, ok: check.outcome.ok, ...(check.outcome.ok ? {} : { error: check.outcome.error }), ...aliases };
}

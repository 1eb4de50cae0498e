import { isErrorLike } from '../common/error-like.js';
import { WatchmanCheckError } from '../checks/check-error.js';

/** A terminus indicator's result: entries with `status` `up`, `degraded` or `down`. */
type IndicatorResult = Record<string, { status?: string } & Record<string, unknown>>;

/**
 * Runs a `@nestjs/terminus` indicator as (part of) a watchman check: its details become the
 * check's result, a `down` entry (or a thrown `HealthCheckError`) fails it with terminus's
 * message. The check then gains watchman's timeout, sharing, dashboard, history and metrics.
 *
 * @example
 * @WatchmanCheck('disk')
 * @Injectable()
 * export class DiskSpaceCheck implements WatchmanCheckable {
 *   constructor(private readonly disk: DiskHealthIndicator) {}
 *   check() {
 *     return terminusCheck(() => this.disk.checkStorage('disk', { path: '/', thresholdPercent: 0.9 }));
 *   }
 * }
 */
export async function terminusCheck(indicator: () => PromiseLike<unknown> | unknown): Promise<Record<string, unknown>> {
  let result: IndicatorResult;
  try {
    result = (await indicator()) as IndicatorResult;
  } catch (error) {
    // Terminus before v10 threw a HealthCheckError whose `causes` hold the result.
    const causes = (error as { causes?: IndicatorResult }).causes;
    if (causes && typeof causes === 'object') result = causes;
    else throw error;
  }
  if (typeof result !== 'object' || result === null) throw new Error('the terminus indicator returned no result');
  const entries = Object.entries(result);
  const details =
    entries.length === 1
      ? withoutStatus(entries[0][1])
      : Object.fromEntries(entries.map(([key, value]) => [key, withoutStatus(value)]));
  const down = entries.filter(([, value]) => value?.status === 'down');
  if (down.length > 0) {
    const message = down.map(([key, value]) => `${key}: ${messageOf(value)}`).join('; ');
    throw new WatchmanCheckError(message, { details });
  }
  return details;
}

function withoutStatus(value: Record<string, unknown>): Record<string, unknown> {
  const { status: _status, ...rest } = value ?? {};
  return rest;
}

function messageOf(value: Record<string, unknown>): string {
  const message = value.message ?? value.error;
  if (typeof message === 'string' && message) return message;
  if (isErrorLike(message)) return message.message;
  return 'down';
}

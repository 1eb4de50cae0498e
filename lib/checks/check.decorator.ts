import { SetMetadata } from '@nestjs/common';
import { WATCHMAN_CHECK_METADATA } from '../watchman.constants.js';

/** Options of `@WatchmanCheck()`. */
export interface WatchmanCheckOptions {
  /** The key the check's result goes under; also what `?check=` / `WATCHMAN_CHECKS` name. */
  name: string;
}

/**
 * Marks a provider as a watchman check. Watchman finds it through Nest's discovery, so the
 * class only has to be a provider of some module; DI works as usual. The class implements
 * `WatchmanCheckable` (one resource) or `WatchmanMultiCheckable` (the list shape).
 *
 * @example
 * @WatchmanCheck('payments')
 * @Injectable()
 * export class PaymentsCheck {
 *   constructor(private readonly http: HttpService) {}
 *   async check() { await firstValueFrom(this.http.get('https://payments/health')); }
 * }
 */
export function WatchmanCheck(nameOrOptions: string | WatchmanCheckOptions): ClassDecorator {
  const options = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : nameOrOptions;
  if (!options?.name || /[\s,]/.test(options.name) || options.name.includes('.')) {
    throw new Error(`@WatchmanCheck: invalid name ${JSON.stringify(options?.name)} (no spaces, commas or dots)`);
  }
  return SetMetadata(WATCHMAN_CHECK_METADATA, options);
}

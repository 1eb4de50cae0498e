import {
  type CanActivate,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
  type Type,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG, WATCHMAN_EXTRAS, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import type { WatchmanModuleExtras } from '../watchman-options.interface.js';
import { WatchmanTokenGuard } from './token.guard.js';

/** What is wrong with a registration's protection, as a boot warning, if anything. */
export function protectionWarnings(
  config: Pick<WatchmanConfig, 'tokens' | 'path'>,
  authGuard: WatchmanModuleExtras['authGuard'],
  nodeEnv: string | undefined,
): string[] {
  const routes = `the JSON, dashboard and metrics routes under /${config.path}`;
  const warnings: string[] = [];
  if (!authGuard && config.tokens.length === 0 && nodeEnv === 'production') {
    warnings.push(
      `${routes} are open to anyone (NODE_ENV=production, no tokens, no authGuard): ` +
        'set tokens (WATCHMAN_TOKENS) or an authGuard',
    );
  }
  // An app's subclass of WatchmanTokenGuard keeps the token rules: there the tokens count.
  if (authGuard && config.tokens.length > 0 && !keepsTokenRules(authGuard)) {
    warnings.push(`tokens are ignored: the authGuard protects ${routes} (give one or the other)`);
  }
  return warnings;
}

function keepsTokenRules(guard: Type<CanActivate> | CanActivate): boolean {
  return typeof guard === 'function'
    ? guard === WatchmanTokenGuard || guard.prototype instanceof WatchmanTokenGuard
    : guard instanceof WatchmanTokenGuard;
}

/**
 * Says once, at boot and through the `watchman` logger, what leaves the protected routes
 * other than their owner thinks: open to anyone in production, or tokens an authGuard
 * ignores. Only where there are routes (an HTTP app; not the CLI's application context).
 */
@Injectable()
export class WatchmanBootWarnings implements OnApplicationBootstrap {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);

  constructor(
    @Optional() @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost | undefined,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
    @Inject(WATCHMAN_EXTRAS) private readonly extras: WatchmanModuleExtras,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.adapterHost?.httpAdapter) return;
    for (const warning of protectionWarnings(this.config, this.extras.authGuard, process.env.NODE_ENV)) {
      this.logger.warn(warning);
    }
  }
}

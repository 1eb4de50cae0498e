import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { queryParam } from '../http/request-url.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import type { WatchmanConfig } from '../watchman.options.js';
import { tokenFromAuthorizationHeader } from './authorization-header.js';
import { TokenMatcher } from './token-matcher.js';

type HttpRequest = { headers: Record<string, string | string[] | undefined>; originalUrl?: string; url?: string };

/**
 * django-watchman's `token_required`: when tokens are configured, a request must carry one,
 * in the `Authorization: WATCHMAN-TOKEN Token="…"` header (which wins) or the `tokenName`
 * query parameter. Open when no token is configured. Extend it and override the protected
 * hooks to change where the token comes from.
 */
@Injectable()
export class WatchmanTokenGuard implements CanActivate {
  protected readonly matcher: TokenMatcher;
  protected readonly tokenName: string;

  constructor(@Inject(WATCHMAN_CONFIG) config: WatchmanConfig) {
    this.matcher = new TokenMatcher(config.tokens);
    this.tokenName = config.tokenName;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.matcher.enabled) return true;
    return this.matcher.matches(this.extractToken(context.switchToHttp().getRequest<HttpRequest>()));
  }

  /** The token a request presents: the header's `Token=` part, else the query parameter. */
  protected extractToken(request: HttpRequest): string | undefined {
    return tokenFromAuthorizationHeader(request.headers.authorization) ?? queryParam(request, this.tokenName);
  }
}

import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { type WatchmanRequest, requestQuery } from '../common/http-request.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import { tokenFromAuthorizationHeader } from './authorization-header.js';
import { TokenMatcher } from './token-matcher.js';

/**
 * django-watchman's `token_required`: when tokens are configured, a request must carry one,
 * in the `Authorization: WATCHMAN-TOKEN Token="…"` header (which wins) or the `tokenName`
 * query parameter. Open when no token is configured. Options are read once; extend it and
 * override the protected hooks to change where the token comes from.
 *
 * @example
 * @Injectable()
 * export class CookieTokenGuard extends WatchmanTokenGuard {
 *   protected override extractToken(request: WatchmanRequest) {
 *     return super.extractToken(request) ?? parseCookie(request.headers.cookie)['watchman'];
 *   }
 * }
 */
@Injectable()
export class WatchmanTokenGuard implements CanActivate {
  protected readonly matcher: TokenMatcher;
  protected readonly tokenName: string;

  constructor(@Inject(WATCHMAN_CONFIG) config: WatchmanConfig) {
    this.matcher = new TokenMatcher(config.tokens);
    this.tokenName = config.tokenName;
  }

  /** Whether any token is configured (none means the protected routes are open). */
  get enabled(): boolean {
    return this.matcher.enabled;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.matcher.enabled) return true;
    return this.hasValidToken(context.switchToHttp().getRequest<WatchmanRequest>());
  }

  /** Whether tokens are configured and the request carries one of them. */
  hasValidToken(request: WatchmanRequest): boolean {
    return this.matcher.enabled && this.matcher.matches(this.extractToken(request));
  }

  /** The token a request presents: the header's `Token=` part, else the query parameter. */
  protected extractToken(request: WatchmanRequest): string | undefined {
    return (
      tokenFromAuthorizationHeader(request.headers.authorization) ??
      requestQuery(request).get(this.tokenName) ??
      undefined
    );
  }
}

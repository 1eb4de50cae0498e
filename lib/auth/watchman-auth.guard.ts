import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { type Observable, lastValueFrom } from 'rxjs';
import type { WatchmanRequest } from '../common/http-request.js';
import { WatchmanTokenGuard } from './token.guard.js';
import { WatchmanGuardResolver } from './auth-guard.resolver.js';

// Set on the request by the guards, read by the route handlers.
const CALLER_AUTHENTICATED = Symbol('watchman:authenticated');

/** Whether the request proved who it is (a valid token, or the app's `authGuard` let it in). */
export function isAuthenticated(request: object): boolean {
  return (request as { [CALLER_AUTHENTICATED]?: boolean })[CALLER_AUTHENTICATED] === true;
}

async function allows(guard: CanActivate, context: ExecutionContext): Promise<boolean> {
  const verdict = guard.canActivate(context) as boolean | Promise<boolean> | Observable<boolean>;
  if (typeof (verdict as Observable<boolean>)?.subscribe === 'function')
    return lastValueFrom(verdict as Observable<boolean>);
  return verdict as boolean | Promise<boolean>;
}

/** Guards the JSON, dashboard and metrics routes with the guard in force. */
@Injectable()
export class WatchmanAuthGuard implements CanActivate {
  constructor(
    private readonly resolver: WatchmanGuardResolver,
    private readonly tokens: WatchmanTokenGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WatchmanRequest>();
    const allowed = await allows(this.resolver.guard(), context);
    // The token guard lets everyone in when no token is configured: that proves nothing.
    const proved = allowed && (this.resolver.custom || this.tokens.enabled);
    Object.assign(request, { [CALLER_AUTHENTICATED]: proved });
    return allowed;
  }
}

/**
 * On the open routes (`ping`, `bare`, `live`, `ready`): never refuses, only notes whether the
 * caller is authenticated, which decides whether paid checks may run and whether failure
 * reasons are shown.
 */
@Injectable()
export class WatchmanCallerGuard implements CanActivate {
  constructor(
    private readonly resolver: WatchmanGuardResolver,
    private readonly tokens: WatchmanTokenGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WatchmanRequest>();
    const proved = this.resolver.custom
      ? await allows(this.resolver.guard(), context).catch(() => false)
      : this.tokens.hasValidToken(request);
    Object.assign(request, { [CALLER_AUTHENTICATED]: proved });
    return true;
  }
}

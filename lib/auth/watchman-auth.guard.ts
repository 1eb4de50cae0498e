import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { WatchmanRequest } from '../common/http-request.js';
import { thenOrNow } from '../common/maybe-async.js';
import { type Verdict, WatchmanGuardResolver } from './auth-guard.resolver.js';

// Set on the request by the guards, read by the route handlers.
const CALLER_AUTHENTICATED = Symbol('watchman:authenticated');

/** Whether the request proved who it is (a valid token, or the app's `authGuard` let it in). */
export function isAuthenticated(request: object): boolean {
  return (request as { [CALLER_AUTHENTICATED]?: boolean })[CALLER_AUTHENTICATED] === true;
}

function note(context: ExecutionContext, proved: boolean): void {
  context.switchToHttp().getRequest<WatchmanRequest & { [CALLER_AUTHENTICATED]?: boolean }>()[CALLER_AUTHENTICATED] =
    proved;
}

/** Guards the JSON, dashboard and metrics routes with the guard in force. */
@Injectable()
export class WatchmanAuthGuard implements CanActivate {
  constructor(private readonly resolver: WatchmanGuardResolver) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const admit = ({ allowed, proved }: Verdict) => {
      note(context, proved);
      return allowed;
    };
    return thenOrNow(this.resolver.verdict(context), admit);
  }
}

/**
 * On the open routes (`bare`, `live`, `ready`): never refuses, only notes whether the caller
 * is authenticated, which decides whether paid checks may run and whether failure reasons are
 * shown.
 */
@Injectable()
export class WatchmanCallerGuard implements CanActivate {
  constructor(private readonly resolver: WatchmanGuardResolver) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const admit = ({ proved }: { proved: boolean }) => {
      note(context, proved);
      return true;
    };
    let verdict: Verdict | Promise<Verdict>;
    try {
      verdict = this.resolver.verdict(context);
    } catch {
      return admit({ proved: false });
    }
    return verdict instanceof Promise ? verdict.catch(() => ({ proved: false })).then(admit) : admit(verdict);
  }
}

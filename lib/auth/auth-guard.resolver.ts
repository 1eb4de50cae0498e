import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { ModuleRef, ModulesContainer } from '@nestjs/core';
import { type Observable, isObservable, lastValueFrom } from 'rxjs';
import { WATCHMAN_EXTRAS } from '../watchman.constants.js';
import type { WatchmanModuleExtras } from '../watchman-options.interface.js';
import { WatchmanTokenGuard } from './token.guard.js';

/** A guard's answer: may the caller in, and did it prove who it is. */
export interface Verdict {
  allowed: boolean;
  proved: boolean;
}

// The three answers there are, made once (one is given on every protected request).
const DENIED: Verdict = Object.freeze({ allowed: false, proved: false });
const LET_IN: Verdict = Object.freeze({ allowed: true, proved: false });
const PROVED: Verdict = Object.freeze({ allowed: true, proved: true });

/**
 * The guard that protects the JSON, dashboard and metrics routes: the token guard, or the
 * app's `authGuard`. A guard class is taken from the app if it provides one, else created in
 * the app's root module, so it injects what the app has (JwtService, ConfigService, …), as
 * `@UseGuards()` on one of the app's own controllers would.
 */
@Injectable()
export class WatchmanGuardResolver implements OnModuleInit {
  private resolved?: CanActivate;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly modules: ModulesContainer,
    private readonly tokenGuard: WatchmanTokenGuard,
    @Inject(WATCHMAN_EXTRAS) private readonly extras: WatchmanModuleExtras,
  ) {}

  async onModuleInit(): Promise<void> {
    const guard = this.extras.authGuard;
    if (!guard) return;
    this.resolved = typeof guard === 'function' ? await this.instantiate(guard) : guard;
  }

  /** The guard in force. */
  guard(): CanActivate {
    if (this.extras.authGuard && !this.resolved) throw new Error('nestjs-watchman: the authGuard is not resolved yet');
    return this.resolved ?? this.tokenGuard;
  }

  /**
   * Whether the guard in force lets the request in, and whether that proves who the caller is:
   * at once when the guard answers at once (the token guard does), so a probe waits on nothing.
   */
  verdict(context: ExecutionContext): Verdict | Promise<Verdict> {
    const guard = this.guard();
    // The token guard (or an app's subclass of it) lets everyone in when no token is
    // configured: that proves nothing. Any other guard that lets a caller in vouches for it.
    const decide = (allowed: boolean): Verdict =>
      !allowed ? DENIED : !(guard instanceof WatchmanTokenGuard) || guard.enabled ? PROVED : LET_IN;
    const result = guard.canActivate(context) as boolean | Promise<boolean> | Observable<boolean>;
    if (typeof result === 'boolean') return decide(result);
    return (isObservable(result) ? lastValueFrom(result) : Promise.resolve(result)).then(decide);
  }

  private async instantiate(type: Type<CanActivate>): Promise<CanActivate> {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      // Not a provider anywhere: build it where the app's own controllers live.
    }
    const root = [...this.modules.values()]
      .filter((module) => !module.isGlobal)
      .sort((a, b) => a.distance - b.distance)[0];
    const rootRef = root?.getProviderByKey(ModuleRef)?.instance as ModuleRef | undefined;
    return (rootRef ?? this.moduleRef).create(type);
  }
}

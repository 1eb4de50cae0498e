// Compiled, never run: `npm run typecheck` and test/types/check-decorator.spec.ts prove that
// `@WatchmanCheck()` takes every real check class and refuses a class that is none. Each
// `@ts-expect-error` line marks a decorator that must not compile.
import { Injectable } from '@nestjs/common';
import { WatchmanCheck, type WatchmanCheckable, type WatchmanMultiCheckable } from 'nestjs-watchman';

interface PaymentsHealth {
  region: string;
}

class PaymentsClient {
  health(): Promise<PaymentsHealth> {
    return Promise.resolve({ region: 'eu' });
  }
}

// ---- compile ----

@WatchmanCheck('single')
@Injectable()
export class SingleCheck implements WatchmanCheckable {
  async check(signal: AbortSignal) {
    signal.throwIfAborted();
  }
}

@WatchmanCheck('no-signal')
export class NoSignalCheck {
  check() {
    return { ok: true };
  }
}

// An interface-typed result and a constructor with dependencies (DI).
@WatchmanCheck({ name: 'payments', critical: false })
@Injectable()
export class InterfaceResultCheck {
  constructor(private readonly client: PaymentsClient) {}
  check(): Promise<PaymentsHealth> {
    return this.client.health();
  }
}

@WatchmanCheck('queues', { timeout: 500 })
@Injectable()
export class MultiCheck implements WatchmanMultiCheckable {
  aliases() {
    return ['emails', 'jobs'];
  }
  async checkAlias(alias: string) {
    return { alias };
  }
}

@WatchmanCheck('arrow')
export class ArrowCheck {
  check = async () => undefined;
}

@WatchmanCheck('abstract')
export abstract class AbstractCheck {
  abstract check(): Promise<void>;
}

// ---- do not compile ----

// @ts-expect-error no check() at all
@WatchmanCheck('nothing')
@Injectable()
export class NoMethods {
  run() {
    return 'forgot to call it check()';
  }
}

// @ts-expect-error aliases() without checkAlias()
@WatchmanCheck('aliases-only')
export class AliasesOnly {
  aliases() {
    return ['a'];
  }
}

// @ts-expect-error checkAlias() without aliases()
@WatchmanCheck('check-alias-only')
export class CheckAliasOnly {
  checkAlias(alias: string) {
    return { alias };
  }
}

// @ts-expect-error check is not a method
@WatchmanCheck('not-a-method')
export class CheckNotAMethod {
  check = 'ok';
}

// @ts-expect-error check() that wants something else than the signal
@WatchmanCheck('wrong-parameter')
export class WrongParameter {
  check(name: string) {
    return { name };
  }
}

import { Injectable } from '@nestjs/common';
import type { WatchmanCheckInstance } from './check.interface.js';

/** A check known to watchman: built-in or found by discovery, all the same. */
export interface RegisteredCheck {
  name: string;
  instance: WatchmanCheckInstance;
  /** Built-in checks are not run by default unless listed (e.g. `email`). */
  builtIn: boolean;
}

/** Every check by name. */
@Injectable()
export class WatchmanCheckRegistry {
  private readonly checks = new Map<string, RegisteredCheck>();

  /** Adds a check; a second check with the same name is a start-up error. */
  register(check: RegisteredCheck): void {
    if (this.checks.has(check.name)) {
      throw new Error(`nestjs-watchman: two checks are named ${JSON.stringify(check.name)}`);
    }
    this.checks.set(check.name, check);
  }

  /** The check of that name, if any. */
  get(name: string): RegisteredCheck | undefined {
    return this.checks.get(name);
  }

  /** Every registered check, in registration order. */
  getAll(): RegisteredCheck[] {
    return [...this.checks.values()];
  }
}

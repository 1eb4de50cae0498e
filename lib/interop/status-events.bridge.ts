import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type Subscription, merge } from 'rxjs';
import { WatchmanAvailability } from '../lifecycle/watchman.availability.js';
import { WatchmanRunner } from '../runner/check.runner.js';
import { STATUS_CHANGED_EVENT } from '../runner/status-change.js';

type EmitterLike = { emit(event: string, payload: unknown): unknown };

/**
 * Sends every status change as `watchman.status-changed` through `@nestjs/event-emitter` when
 * the app has it (`WatchmanRunner.statusChanges$` carries them always), and each flip of the
 * app's own availability (`WatchmanAvailability.changes$`) as one of the check `availability`.
 */
@Injectable()
export class WatchmanStatusEventsBridge implements OnModuleInit, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly runner: WatchmanRunner,
    private readonly availability: WatchmanAvailability,
  ) {}

  async onModuleInit(): Promise<void> {
    const emitter = await this.appEmitter();
    if (emitter)
      this.subscription = merge(this.runner.statusChanges$, this.availability.changes$).subscribe((change) =>
        emitter.emit(STATUS_CHANGED_EVENT, change),
      );
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private async appEmitter(): Promise<EmitterLike | undefined> {
    const module = await import('@nestjs/event-emitter' as string).catch(() => undefined);
    if (!module?.EventEmitter2) return undefined;
    try {
      return this.moduleRef.get(module.EventEmitter2, { strict: false }) as EmitterLike;
    } catch {
      return undefined; // the package is installed, but the app did not import EventEmitterModule
    }
  }
}

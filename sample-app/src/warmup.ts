import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { WatchmanAvailability } from 'nestjs-watchman';

/**
 * What a real app does at boot before it should take traffic (fill caches, load a model):
 * here a wait of SAMPLE_WARMUP_MS, during which readiness is held (ready answers 503,
 * `?verbose` with a token says `warmup: pending`).
 */
@Injectable()
export class Warmup implements OnApplicationBootstrap {
  constructor(private readonly availability: WatchmanAvailability) {}

  onApplicationBootstrap(): void {
    const ms = Number(process.env.SAMPLE_WARMUP_MS ?? 0);
    if (!(ms > 0)) return;
    void this.availability.holdReadiness(
      'warmup',
      new Promise<void>((resolve) => setTimeout(resolve, ms).unref()).then(() =>
        new Logger('SampleApp').log(`warm after ${ms} ms`),
      ),
    );
  }
}

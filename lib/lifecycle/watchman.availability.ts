import { Injectable } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import type { WatchmanCheckReport } from '../runner/check-result.js';
import type { WatchmanStatusChange } from '../runner/status-change.js';

/** The name availability goes by in the JSON, the dashboard, metrics and events. */
export const AVAILABILITY = 'availability';

/** Why the app is not available, as the probes and the JSON tell it. */
export interface WatchmanAvailabilityState {
  /** False while marked not ready or a readiness hold is pending or failed. */
  ready: boolean;
  /** False once marked broken (the app asks to be restarted). */
  live: boolean;
  /** One line per reason, e.g. `not ready: maintenance`, `warmup: pending`, `broken: out of memory`. */
  reasons: string[];
}

type Hold = { state: 'pending' } | { state: 'failed'; error: string };

/**
 * What the app itself says about its availability, besides its checks (Spring's
 * `AvailabilityChangeEvent`, lightship's `signalNotReady` and `queueBlockingTask`): take this
 * instance out of rotation (`markNotReady`), ask to be restarted (`markBroken`), or hold
 * readiness until some work has settled (`holdReadiness`). `ready` and `bare` answer 503
 * while not ready, `live` while broken; the JSON and dashboard show an `availability` entry
 * then, metrics its gauge, and each flip is a status-change event.
 */
@Injectable()
export class WatchmanAvailability {
  /** Every flip of availability, as a status change of the pseudo-check `availability`. */
  readonly changes$: Observable<WatchmanStatusChange>;

  private readonly changes = new Subject<WatchmanStatusChange>();
  private notReady?: string;
  private broken?: string;
  private readonly holds = new Map<string, Hold>();

  constructor() {
    this.changes$ = this.changes.asObservable();
  }

  /** Takes the instance out of rotation: `ready` and `bare` answer 503 until `markReady()`. */
  markNotReady(reason = 'marked not ready'): void {
    this.update(() => (this.notReady = reason));
  }

  /** Undoes `markNotReady()` (holds and `markBroken()` stay). */
  markReady(): void {
    this.update(() => (this.notReady = undefined));
  }

  /** Asks to be restarted: `live` answers 503 for the rest of the process. */
  markBroken(reason = 'marked broken'): void {
    this.update(() => (this.broken = reason));
  }

  /**
   * Holds readiness under `name` until `work` settles (a promise, or a function run now):
   * `ready` answers 503 meanwhile, and for good if it rejects (reported under `name`).
   * Resolves with whether it succeeded; never rejects.
   */
  async holdReadiness(name: string, work: Promise<unknown> | (() => unknown)): Promise<boolean> {
    this.update(() => this.holds.set(name, { state: 'pending' }));
    try {
      await (typeof work === 'function' ? work() : work);
      this.update(() => this.holds.delete(name));
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.update(() => this.holds.set(name, { state: 'failed', error: message || 'failed' }));
      return false;
    }
  }

  /** The current state. */
  get state(): WatchmanAvailabilityState {
    const reasons: string[] = [];
    if (this.broken !== undefined) reasons.push(`broken: ${this.broken}`);
    if (this.notReady !== undefined) reasons.push(`not ready: ${this.notReady}`);
    for (const [name, hold] of this.holds)
      reasons.push(hold.state === 'pending' ? `${name}: pending` : `${name} failed: ${hold.error}`);
    return { ready: this.notReady === undefined && this.holds.size === 0, live: this.broken === undefined, reasons };
  }

  /** @internal The `availability` entry of a report, only while not available. */
  report(): WatchmanCheckReport | undefined {
    const { ready, live, reasons } = this.state;
    if (ready && live) return undefined;
    return {
      name: AVAILABILITY,
      critical: true,
      outcome: {
        ok: false,
        error: reasons.join('; '),
        details: { ready, live },
        durationMs: 0,
        measuredAt: new Date(),
      },
    };
  }

  private update(change: () => unknown): void {
    const before = this.state;
    change();
    const after = this.state;
    const wasOk = before.ready && before.live;
    const isOk = after.ready && after.live;
    if (wasOk === isOk) return;
    this.changes.next({
      check: AVAILABILITY,
      ok: isOk,
      previous: wasOk,
      ...(isOk ? {} : { error: after.reasons.join('; ') }),
      at: new Date(),
    });
  }
}

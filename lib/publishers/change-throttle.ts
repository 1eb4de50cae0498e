import type { WatchmanStatusChange } from '../runner/status-change.js';

/** What to do with one status change under `minInterval`. */
export type ThrottleDecision =
  | { send: WatchmanStatusChange }
  /** Held: call `release(key)` after `waitMs` (a change already held for that key waits with it). */
  | { hold: string; waitMs: number }
  | { held: true };

/**
 * At most one message per check (and alias) per `minInterval`. A change inside the interval
 * is held, not dropped: when the interval ends, the latest one is sent if the state still
 * differs from what was last sent (a flap that came back sends nothing), so a receiver always
 * ends with the true state. Times are any monotonic ms (a pure class, tested with numbers).
 */
export class ChangeThrottle {
  private readonly sent = new Map<string, { ok: boolean; at: number }>();
  private readonly holding = new Map<string, WatchmanStatusChange>();

  constructor(private readonly minInterval: number) {}

  offer(change: WatchmanStatusChange, now: number): ThrottleDecision {
    if (this.minInterval <= 0) return { send: change };
    const key = keyOf(change);
    const last = this.sent.get(key);
    if (!last || now - last.at >= this.minInterval) {
      this.sent.set(key, { ok: change.ok, at: now });
      return { send: change };
    }
    const waiting = this.holding.has(key);
    this.holding.set(key, change);
    return waiting ? { held: true } : { hold: key, waitMs: last.at + this.minInterval - now };
  }

  /** At the end of a hold: the change to send, if the state still differs from the last sent. */
  release(key: string, now: number): WatchmanStatusChange | undefined {
    const change = this.holding.get(key);
    this.holding.delete(key);
    const last = this.sent.get(key);
    if (!change || last?.ok === change.ok) return undefined;
    this.sent.set(key, { ok: change.ok, at: now });
    return { ...change, previous: last?.ok ?? change.previous };
  }
}

function keyOf(change: WatchmanStatusChange): string {
  return change.alias === undefined ? change.check : `${change.check}\u0000${change.alias}`;
}

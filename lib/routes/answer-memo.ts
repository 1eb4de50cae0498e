import type { WatchmanResponse } from '../formats/watchman-response.js';
import type { WatchmanCheckReport } from '../runner/check-result.js';

const SIZE = 32;

interface Entry {
  variant: string;
  checks: readonly WatchmanCheckReport[];
  answer: WatchmanResponse;
}

/**
 * The last answers rendered, each keyed by the very result objects it was rendered from.
 * With `cacheTtl` or the background refresh, most requests are answered from the same stored
 * results: the body is rendered once per new result instead of once per request. A result
 * that is new (a run, a stale or unavailable stand-in) is a new object, so it never matches.
 */
export class AnswerMemo {
  private entries: Entry[] = [];

  /** The answer rendered before from exactly these results in this variant, or a new one. */
  answer(variant: string, checks: readonly WatchmanCheckReport[], render: () => WatchmanResponse): WatchmanResponse {
    const known = this.entries.find((entry) => entry.variant === variant && sameResults(entry.checks, checks));
    if (known) return known.answer;
    const answer = Object.freeze(render());
    this.entries = [{ variant, checks, answer }, ...this.entries.slice(0, SIZE - 1)];
    return answer;
  }
}

function sameResults(a: readonly WatchmanCheckReport[], b: readonly WatchmanCheckReport[]): boolean {
  return a.length === b.length && a.every((report, index) => report === b[index]);
}

import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a candidate with the configured tokens in constant time: every token is compared
 * (no early exit) and digests make the lengths equal.
 */
export class TokenMatcher {
  private readonly digests: Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens
      .map((token) => token.trim())
      .filter(Boolean)
      .map(digest);
  }

  /** Whether any token is configured (none means the routes are open). */
  get enabled(): boolean {
    return this.digests.length > 0;
  }

  matches(candidate: string | undefined): boolean {
    if (candidate === undefined) return false;
    const given = digest(candidate.trim());
    let found = false;
    for (const expected of this.digests) found = timingSafeEqual(given, expected) || found;
    return found;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

import * as crypto from 'node:crypto';

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
    for (const expected of this.digests) found = crypto.timingSafeEqual(given, expected) || found;
    return found;
  }
}

// crypto.hash (Node ≥ 20.12) is the one-shot form, cheaper per request than createHash().
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;

function digest(value: string): Buffer {
  return oneShot ? oneShot('sha256', value, 'buffer') : crypto.createHash('sha256').update(value, 'utf8').digest();
}

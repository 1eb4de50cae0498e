import { WatchmanConfigError, redactUrl, redactUrls } from 'nestjs-watchman';
import { resolveWatchmanConfig } from '../../lib/options/watchman-config.js';
import { failureOutcome } from '../../lib/runner/check-result.js';

describe('redactUrl', () => {
  it.each([
    ['http://host/health?api_key=QuerySecret123&v=2', 'http://host/health?api_key=***&v=***'],
    ['https://user:pw@host:8443/p', 'https://user:***@host:8443/p'],
    ['redis://:pw@127.0.0.1:6379/0', 'redis://:***@127.0.0.1:6379/0'],
    ['redis://token@127.0.0.1', 'redis://***@127.0.0.1'],
    // The last @ ends the userinfo: a password with an unescaped @ is hidden whole.
    ['http://u:p@ss@host/x', 'http://u:***@host/x'],
    ['http://u:pw@host?k=v#access_token=abc&state=1', 'http://u:***@host?k=***#access_token=***&state=***'],
    // Empty values and bare names say nothing secret; they stay.
    ['http://host/?a=&flag&b=1', 'http://host/?a=&flag&b=***'],
    ['http://host/#section', 'http://host/#section'],
    ['http://host/plain/path', 'http://host/plain/path'],
    // Not a valid URL: still redacted, nothing normalised.
    ['http://[bad host/x?token=abc', 'http://[bad host/x?token=***'],
    ['/relative?token=abc', '/relative?token=***'],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});

describe('redactUrls', () => {
  it('redacts every URL in a text and keeps the punctuation after one', () => {
    expect(
      redactUrls('GET http://u:pw@a.test/h?api_key=QuerySecret123: connect ECONNREFUSED (from "https://b.test/?t=9").'),
    ).toBe('GET http://u:***@a.test/h?api_key=***: connect ECONNREFUSED (from "https://b.test/?t=***").');
    expect(redactUrls('no url here, only ?a=1')).toBe('no url here, only ?a=1');
  });

  it('is what a configuration error shows: no query value of a URL', () => {
    const attempt = () =>
      resolveWatchmanConfig(
        {},
        (name) =>
          ({ WATCHMAN_HTTP_CHECKS: '{"dep":{"url":"http://a.test/h?api_key=QuerySecret123","timeout":-1}}' })[name],
      );
    expect(attempt).toThrow(WatchmanConfigError);
    expect(attempt).toThrow(/api_key=\*\*\*/);
    expect(attempt).not.toThrow(/QuerySecret123/);
  });
});

describe('a failed check', () => {
  it('never carries a URL secret in its error or stack, whatever check threw it', () => {
    const thrown = new Error('connect failed: redis://:Pw0rd@cache.internal:6379/0?token=QuerySecret123');
    const outcome = failureOutcome(thrown, performance.now(), new Date());
    expect(outcome.error).toBe('connect failed: redis://:***@cache.internal:6379/0?token=***');
    expect(outcome.stacktrace).toMatch(/^Error: connect failed: redis:\/\/:\*\*\*@cache/);
    expect(`${outcome.error} ${outcome.stacktrace}`).not.toMatch(/Pw0rd|QuerySecret123/);
  });
});

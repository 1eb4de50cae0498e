import { tokenFromAuthorizationHeader } from '../../lib/auth/authorization-header.js';
import { TokenMatcher } from '../../lib/auth/token-matcher.js';

describe('Authorization header parsing', () => {
  it.each([
    ['WATCHMAN-TOKEN Token="abc"', 'abc'],
    ['WATCHMAN-TOKEN Token=abc', 'abc'],
    ['WATCHMAN-TOKEN Token="with-dashes-1"', 'with-dashes-1'],
    ['watchman-token token="abc"', 'abc'],
    ['Anything Token="abc"', 'abc'],
    ['WATCHMAN-TOKEN Token = " padded "', 'padded'],
    ['WATCHMAN-TOKEN Token=""', ''],
    ['WATCHMAN-TOKEN realm=x, Token="abc"', 'abc'],
  ])('%s → %s', (header, token) => {
    expect(tokenFromAuthorizationHeader(header)).toBe(token);
  });

  it.each([undefined, '', 'Bearer abc', 'WATCHMAN-TOKEN', 'WATCHMAN-TOKEN MyToken=abc'])(
    'finds no token in %j',
    (header) => {
      expect(tokenFromAuthorizationHeader(header)).toBeUndefined();
    },
  );
});

describe('TokenMatcher', () => {
  const matcher = new TokenMatcher([' one ', 'two', '']);
  it('matches trimmed tokens only', () => {
    expect(matcher.enabled).toBe(true);
    expect(matcher.matches('one')).toBe(true);
    expect(matcher.matches(' two ')).toBe(true);
    expect(matcher.matches('on')).toBe(false);
    expect(matcher.matches('')).toBe(false);
    expect(matcher.matches(undefined)).toBe(false);
  });
  it('is disabled with no tokens', () => {
    expect(new TokenMatcher(['', ' ']).enabled).toBe(false);
  });
});

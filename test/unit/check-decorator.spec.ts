import { WatchmanCheck } from 'nestjs-watchman';

describe('@WatchmanCheck settings', () => {
  it.each([0, -1, 1.5, 2_147_483_648, Number.NaN])('refuses timeout %s when the class is declared', (timeout) => {
    expect(() => WatchmanCheck('payments', { timeout })).toThrow(
      /@WatchmanCheck\('payments'\): timeout must be a positive integer \(ms, at most 2147483647\)/,
    );
  });

  it.each([1, 2_147_483_647])('takes timeout %s', (timeout) => {
    expect(() => WatchmanCheck('payments', { timeout })).not.toThrow();
  });
});

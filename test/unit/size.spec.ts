import { describeSize, parseSize, sizeInBytes } from '../../lib/options/size.js';

// Size limits (disk.minFree, memory limits): bytes, SI and IEC units, or a percentage.
describe('parseSize', () => {
  it.each([
    [1048576, { bytes: 1048576 }],
    [0, { bytes: 0 }],
    [1.9, { bytes: 1 }],
    ['512', { bytes: 512 }],
    ['512b', { bytes: 512 }],
    ['2kb', { bytes: 2000 }],
    ['2KiB', { bytes: 2048 }],
    ['512MiB', { bytes: 512 * 2 ** 20 }],
    ['2GB', { bytes: 2e9 }],
    [' 1.5 GiB ', { bytes: Math.floor(1.5 * 2 ** 30) }],
    ['3tb', { bytes: 3e12 }],
    ['1TiB', { bytes: 2 ** 40 }],
    ['10%', { percent: 10 }],
    ['0.5%', { percent: 0.5 }],
    ['100%', { percent: 100 }],
  ])('reads %j as %j', (value, expected) => {
    expect(parseSize(value)).toEqual(expected);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '', 'lots', '-5MB', '5 parsecs', '101%', '1e6', '10 %%', 'MB'])(
    'refuses %j',
    (value) => {
      expect(parseSize(value)).toBeUndefined();
    },
  );
});

describe('sizeInBytes', () => {
  it('keeps bytes as they are, whatever the total', () => {
    expect(sizeInBytes({ bytes: 4096 }, 10)).toBe(4096);
  });
  it('takes a percentage of the total, rounded down', () => {
    expect(sizeInBytes({ percent: 10 }, 1000)).toBe(100);
    expect(sizeInBytes({ percent: 33 }, 10)).toBe(3);
    expect(sizeInBytes({ percent: 0.5 }, 999)).toBe(4);
  });
});

describe('describeSize', () => {
  it('says bytes or percent', () => {
    expect(describeSize({ bytes: 2048 })).toBe('2048 bytes');
    expect(describeSize({ percent: 12.5 })).toBe('12.5%');
  });
});

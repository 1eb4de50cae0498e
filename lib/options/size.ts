/** A resolved size limit: a number of bytes, or a share of some total. */
export type SizeLimit = { bytes: number } | { percent: number };

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** `1048576`, `'512MiB'`, `'2GB'` → bytes; `'10%'` → percent; anything else → undefined. */
export function parseSize(value: number | string): SizeLimit | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? { bytes: Math.floor(value) } : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%|[a-z]*)\s*$/i.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  if (match[2] === '%') return amount <= 100 ? { percent: amount } : undefined;
  const unit = UNITS[match[2].toLowerCase()];
  return unit === undefined ? undefined : { bytes: Math.floor(amount * unit) };
}

/** The limit in bytes against a total (for percentages). */
export function sizeInBytes(limit: SizeLimit, total: number): number {
  return 'bytes' in limit ? limit.bytes : Math.floor((total * limit.percent) / 100);
}

/** How a limit reads in a message. */
export function describeSize(limit: SizeLimit): string {
  return 'bytes' in limit ? `${limit.bytes} bytes` : `${limit.percent}%`;
}

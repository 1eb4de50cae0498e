import { toList } from '../common/check-names.js';

/** Turns an environment variable's text into the value the option's schema then validates. */
export type EnvParser = (raw: string) => unknown;

/** A variable that could not be read; the caller adds the option, variable and value. */
export class EnvParseError extends Error {}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);

export const text: EnvParser = (raw) => raw.trim();

/** For options without an environment form (never called: they have no variable). */
export const none: EnvParser = () => undefined;

export const list: EnvParser = (raw) => toList(raw);

export const boolean: EnvParser = (raw) => {
  const value = raw.trim().toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new EnvParseError('expected true/false (1/0, yes/no, on/off)');
};

export const integer: EnvParser = (raw) => {
  if (!/^\s*-?\d+\s*$/.test(raw)) throw new EnvParseError('expected an integer');
  return Number(raw);
};

export const json: EnvParser = (raw) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new EnvParseError(`not valid JSON (${(error as Error).message})`);
  }
  const key = forbiddenKey(parsed);
  if (key !== undefined) throw new EnvParseError(forbiddenKeyMessage(key));
  return parsed;
};

// Keys an object's own prototype machinery answers to: the schemas' records drop `__proto__`
// without a word, and either would be a trap for any code that copies the object. Refused.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor']);

/**
 * The first `__proto__` / `constructor` key found in a JSON-like value (plain
 * objects and arrays only: a client or a class given in code is not walked), as a path.
 */
export function forbiddenKey(value: unknown, path: string[] = []): string | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = forbiddenKey(item, [...path, String(index)]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return [...path, key].join('.');
    const found = forbiddenKey((value as Record<string, unknown>)[key], [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Why a value with such a key is refused. */
export function forbiddenKeyMessage(key: string): string {
  return `the key ${JSON.stringify(key)} is not allowed (__proto__ and constructor cannot be names)`;
}

/** Bytes as digits become a number; `10%` or `512MiB` stay text for the size schema. */
export const size: EnvParser = (raw) => (/^\s*\d+\s*$/.test(raw) ? Number(raw) : raw.trim());

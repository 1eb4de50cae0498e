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
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new EnvParseError(`not valid JSON (${(error as Error).message})`);
  }
};

/** Bytes as digits become a number; `10%` or `512MiB` stay text for the size schema. */
export const size: EnvParser = (raw) => (/^\s*\d+\s*$/.test(raw) ? Number(raw) : raw.trim());

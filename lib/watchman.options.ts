import { isAbsolute, relative, resolve } from 'node:path';
import type { InjectionToken } from '@nestjs/common';
import type { WatchmanModuleOptions } from './watchman-options.interface.js';
import { normalizeCheckName } from './runner/selection.js';

/** Reads one configuration variable (ConfigService when the app has one, else process.env). */
export type EnvReader = (name: string) => string | undefined;

/** Configuration after defaults, environment fallback and validation. */
export interface WatchmanConfig {
  tokens: string[];
  tokenName: string;
  /** The explicit check list, or undefined for the default (built-ins + discovered). */
  checks: string[] | undefined;
  enablePaidChecks: boolean;
  databases: string[] | undefined;
  caches: string[] | undefined;
  cacheTokens: Record<string, InjectionToken>;
  errorCode: number;
  exposeVersion: boolean;
  mediaRoot: string;
  /** Absolute folder the storage check writes in. */
  storageDir: string;
  email: { sender: string; recipients: string[]; headers: Record<string, string>; transport: unknown };
  disableApm: boolean;
  checkTimeout: number;
  cacheTtl: number;
  stacktraces: boolean;
  historySize: number;
}

/** Start-up failure caused by a bad option; the message names the option and the value. */
export class WatchmanConfigError extends Error {
  constructor(option: string, value: unknown, why: string) {
    super(`nestjs-watchman: invalid ${option} ${JSON.stringify(value)}: ${why}`);
    this.name = 'WatchmanConfigError';
  }
}

/** Options that turn into the configuration, plus a callback for the deprecated single token. */
export function resolveWatchmanConfig(
  options: WatchmanModuleOptions,
  env: EnvReader,
  warn: (message: string) => void = () => undefined,
): WatchmanConfig {
  const read = <T>(option: string, given: T | undefined, variable: string, parse: (raw: string, name: string) => T): T | undefined => {
    if (given !== undefined) return given;
    const raw = env(variable);
    return raw === undefined ? undefined : parse(raw, `${option} (${variable})`);
  };

  let tokens = toList(read('tokens', options.tokens, 'WATCHMAN_TOKENS', (raw) => raw));
  if (tokens.length === 0) {
    const legacy = env('WATCHMAN_TOKEN');
    if (legacy !== undefined && legacy.trim() !== '') {
      warn('WATCHMAN_TOKEN is deprecated: use WATCHMAN_TOKENS (a comma-separated list) instead.');
      tokens = toList(legacy);
    }
  }

  // `caches` as a name → token map names the caches instead of narrowing them.
  const cacheMap = options.caches !== undefined && !Array.isArray(options.caches) ? options.caches : undefined;
  const cacheNames = cacheMap ? undefined : (options.caches as string[] | undefined);
  const checks = read('checks', options.checks, 'WATCHMAN_CHECKS', (raw) => toList(raw));
  const mediaRoot = resolve(read('mediaRoot', options.mediaRoot, 'MEDIA_ROOT', (raw) => raw) || process.cwd());
  const storagePath = read('storagePath', options.storagePath, 'WATCHMAN_STORAGE_PATH', (raw) => raw);
  const email = options.email ?? {};

  return {
    tokens,
    tokenName: nonEmpty('tokenName', read('tokenName', options.tokenName, 'WATCHMAN_TOKEN_NAME', (raw) => raw.trim()) ?? 'watchman-token'),
    checks: checks === undefined ? undefined : toList(checks).map(normalizeCheckName),
    enablePaidChecks: read('enablePaidChecks', options.enablePaidChecks, 'WATCHMAN_ENABLE_PAID_CHECKS', parseBoolean) ?? false,
    databases: optionalList(read('databases', options.databases, 'WATCHMAN_DATABASES', (raw) => toList(raw))),
    caches: optionalList(read('caches', cacheNames, 'WATCHMAN_CACHES', (raw) => toList(raw))),
    cacheTokens: { ...cacheMap, ...options.cacheTokens },
    errorCode: httpStatus('errorCode', read('errorCode', options.errorCode, 'WATCHMAN_ERROR_CODE', parseInteger) ?? 500),
    exposeVersion: read('exposeVersion', options.exposeVersion, 'EXPOSE_WATCHMAN_VERSION', parseBoolean) ?? false,
    mediaRoot,
    storageDir: storageDir(mediaRoot, storagePath),
    email: {
      sender: read('email.sender', email.sender, 'WATCHMAN_EMAIL_SENDER', (raw) => raw.trim()) || 'watchman@example.com',
      recipients: nonEmptyList(read('email.recipients', email.recipients, 'WATCHMAN_EMAIL_RECIPIENTS', (raw) => toList(raw)), ['to@example.com']),
      headers: read('email.headers', email.headers, 'WATCHMAN_EMAIL_HEADERS', parseHeaders) ?? {},
      transport: email.transport ?? env('SMTP_URL'),
    },
    disableApm: read('disableApm', options.disableApm, 'WATCHMAN_DISABLE_APM', parseBoolean) ?? false,
    checkTimeout: positive('checkTimeout', read('checkTimeout', options.checkTimeout, 'WATCHMAN_CHECK_TIMEOUT_MS', parseInteger) ?? 5000),
    cacheTtl: notNegative('cacheTtl', read('cacheTtl', options.cacheTtl, 'WATCHMAN_CACHE_TTL_MS', parseInteger) ?? 0),
    stacktraces: read('stacktraces', options.stacktraces, 'WATCHMAN_STACKTRACES', parseBoolean) ?? true,
    historySize: notNegative('historySize', read('historySize', options.historySize, 'WATCHMAN_HISTORY_SIZE', parseInteger) ?? 20),
  };
}

/** Splits a comma list (or trims an array), dropping empty entries. */
export function toList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = typeof value === 'string' ? value.split(',') : value;
  return parts.map((part) => String(part).trim()).filter((part) => part !== '');
}

function optionalList(value: string[] | undefined): string[] | undefined {
  return value === undefined ? undefined : toList(value);
}

function nonEmptyList(value: string[] | undefined, fallback: string[]): string[] {
  const list = toList(value);
  return list.length > 0 ? list : fallback;
}

function nonEmpty(option: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new WatchmanConfigError(option, value, 'must be a non-empty string');
  return value;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);

function parseBoolean(raw: string, name: string): boolean {
  const value = raw.trim().toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new WatchmanConfigError(name, raw, 'expected true/false (1/0, yes/no, on/off)');
}

function parseInteger(raw: string, name: string): number {
  if (!/^\s*-?\d+\s*$/.test(raw)) throw new WatchmanConfigError(name, raw, 'expected an integer');
  return Number(raw);
}

function parseHeaders(raw: string, name: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new WatchmanConfigError(name, raw, `not valid JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new WatchmanConfigError(name, raw, 'expected a JSON object of header names to values');
  }
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
}

function checkInteger(option: string, value: number, min: number, why: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new WatchmanConfigError(option, value, why);
  return value;
}

function positive(option: string, value: number): number {
  return checkInteger(option, value, 1, 'expected a positive integer (milliseconds)');
}

function notNegative(option: string, value: number): number {
  return checkInteger(option, value, 0, 'expected an integer of 0 or more');
}

function httpStatus(option: string, value: number): number {
  checkInteger(option, value, 100, 'expected an HTTP status code (100-599)');
  if (value > 599) throw new WatchmanConfigError(option, value, 'expected an HTTP status code (100-599)');
  return value;
}

/** Resolves the storage folder, which must lie inside the media root (as django requires). */
function storageDir(mediaRoot: string, storagePath: string | undefined): string {
  if (storagePath === undefined || storagePath.trim() === '') return mediaRoot;
  const dir = resolve(mediaRoot, storagePath);
  const inside = relative(mediaRoot, dir);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new WatchmanConfigError('storagePath', storagePath, `must resolve inside mediaRoot ${JSON.stringify(mediaRoot)}`);
  }
  return dir;
}

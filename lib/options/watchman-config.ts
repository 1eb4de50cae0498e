import { isAbsolute, relative, resolve } from 'node:path';
import type { InjectionToken } from '@nestjs/common';
import type { WatchmanCheckSettings, WatchmanModuleOptions } from '../watchman-options.interface.js';
import { WatchmanConfigError } from './config-error.js';
import { EnvParseError } from './option-parsers.js';
import { firstIssue } from './option-schemas.js';
import { OPTION_TABLE, type OptionRow } from './option-table.js';
import type { SizeLimit } from './size.js';

/** Reads one configuration variable (ConfigService when the app has one, else process.env). */
export type EnvReader = (name: string) => string | undefined;

/** One resolved `http` target. */
export interface HttpTargetConfig {
  url: string;
  method: string;
  /** Accepted statuses; empty means any 2xx. */
  expectStatus: number[];
  headers: Record<string, string>;
  timeout?: number;
}

/** One resolved `tls` target. */
export interface TlsTargetConfig {
  host: string;
  port: number;
  servername?: string;
  ca?: string[];
  minDaysLeft: number;
}

/** Configuration after defaults, environment fallback and validation. */
export interface WatchmanConfig {
  /** Route prefix without leading or trailing slashes. */
  path: string;
  tokens: string[];
  tokenName: string;
  /** The explicit check list, or undefined for the default (built-ins + discovered). */
  checks: string[] | undefined;
  enablePaidChecks: boolean;
  databases: string[] | undefined;
  caches: string[] | undefined;
  cacheTokens: ReadonlyMap<string, InjectionToken>;
  microservices: string[] | undefined;
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
  liveChecks: string[];
  /** undefined: the configured checks. */
  readyChecks: string[] | undefined;
  shutdownDelay: number;
  /** Settings per check name (from `checkOptions` and WATCHMAN_NON_CRITICAL). */
  checkOptions: ReadonlyMap<string, WatchmanCheckSettings>;
  refreshInterval: number;
  http: ReadonlyMap<string, HttpTargetConfig>;
  /** undefined when the disk check is not configured. */
  disk: { path: string; minFree?: SizeLimit } | undefined;
  /** undefined when the memory check is not configured. */
  memory: { maxHeapUsed?: SizeLimit; maxRss?: SizeLimit } | undefined;
  tls: ReadonlyMap<string, TlsTargetConfig>;
  minDaysLeft: number;
}

/** Options (code first, then the environment, then defaults) turned into the configuration. */
export function resolveWatchmanConfig(
  options: WatchmanModuleOptions,
  env: EnvReader,
  warn: (message: string) => void = () => undefined,
): WatchmanConfig {
  const values = new Map<string, unknown>();
  for (const row of OPTION_TABLE) values.set(row.option, readOption(row, options, env));
  const value = <T>(option: string) => values.get(option) as T;

  let tokens = value<string[] | undefined>('tokens') ?? [];
  if (tokens.length === 0) {
    const legacy = env('WATCHMAN_TOKEN');
    if (legacy !== undefined && legacy.trim() !== '') {
      warn('WATCHMAN_TOKEN is deprecated: use WATCHMAN_TOKENS (a comma-separated list) instead.');
      tokens = [legacy.trim()];
    }
  }
  const mediaRoot = resolve(value<string>('mediaRoot') || process.cwd());
  const recipients = value<string[]>('email.recipients');
  const minDaysLeft = value<number>('minDaysLeft');
  const diskPath = value<string | undefined>('disk.path');
  const minFree = value<SizeLimit | undefined>('disk.minFree');
  const maxHeapUsed = value<SizeLimit | undefined>('memory.maxHeapUsed');
  const maxRss = value<SizeLimit | undefined>('memory.maxRss');
  if (minFree && !diskPath)
    throw new WatchmanConfigError('disk.path (WATCHMAN_DISK_PATH)', diskPath, 'required with disk.minFree');

  return {
    path: value<string>('path').replace(/^\/+|\/+$/g, ''),
    tokens,
    tokenName: value('tokenName'),
    checks: value('checks'),
    enablePaidChecks: value('enablePaidChecks'),
    databases: value('databases'),
    caches: value('caches'),
    cacheTokens: new Map(Object.entries(options.cacheTokens ?? {})),
    microservices: value('microservices'),
    errorCode: value('errorCode'),
    exposeVersion: value('exposeVersion'),
    mediaRoot,
    storageDir: storageDir(mediaRoot, value('storagePath')),
    email: {
      sender: value('email.sender'),
      recipients: recipients.length > 0 ? recipients : ['to@example.com'],
      headers: Object.fromEntries(
        Object.entries(value<Record<string, unknown>>('email.headers')).map(([k, v]) => [k, String(v)]),
      ),
      transport: value('email.transport'),
    },
    disableApm: value('disableApm'),
    checkTimeout: value('checkTimeout'),
    cacheTtl: value('cacheTtl'),
    stacktraces: value('stacktraces'),
    historySize: value('historySize'),
    liveChecks: value('liveChecks'),
    readyChecks: value('readyChecks'),
    shutdownDelay: value('shutdownDelay'),
    checkOptions: checkSettings(value('checkOptions'), value('nonCritical')),
    refreshInterval: value('refreshInterval'),
    http: httpTargets(value('http')),
    disk: diskPath ? { path: resolve(diskPath), minFree } : undefined,
    memory: maxHeapUsed || maxRss ? { maxHeapUsed, maxRss } : undefined,
    tls: tlsTargets(value('tls'), minDaysLeft),
    minDaysLeft,
  };
}

function readOption(row: OptionRow, options: WatchmanModuleOptions, env: EnvReader): unknown {
  const given = row.option
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], options);
  if (given !== undefined) return check(row, row.option, given, given);
  const raw = row.env === undefined ? undefined : env(row.env);
  if (raw === undefined)
    return row.fallback === undefined ? undefined : check(row, row.option, row.fallback, row.fallback);
  const name = `${row.option} (${row.env})`;
  let parsed: unknown;
  try {
    parsed = row.fromEnv(raw);
  } catch (error) {
    if (error instanceof EnvParseError) throw new WatchmanConfigError(name, raw, error.message);
    throw error;
  }
  return check(row, name, parsed, raw);
}

function check(row: OptionRow, name: string, value: unknown, shown: unknown): unknown {
  const result = row.schema.safeParse(value);
  if (!result.success) throw new WatchmanConfigError(name, shown, firstIssue(result.error));
  return result.data;
}

/** Resolves the storage folder, which must lie inside the media root (as django requires). */
function storageDir(mediaRoot: string, storagePath: string): string {
  if (storagePath.trim() === '') return mediaRoot;
  const dir = resolve(mediaRoot, storagePath);
  const inside = relative(mediaRoot, dir);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new WatchmanConfigError(
      'storagePath',
      storagePath,
      `must resolve inside mediaRoot ${JSON.stringify(mediaRoot)}`,
    );
  }
  return dir;
}

function checkSettings(
  given: Record<string, WatchmanCheckSettings>,
  nonCritical: string[],
): Map<string, WatchmanCheckSettings> {
  const settings = new Map(Object.entries(given).map(([name, value]) => [name, { ...value }]));
  for (const name of nonCritical) settings.set(name, { ...settings.get(name), critical: false });
  return settings;
}

type HttpGiven =
  | string
  | {
      url: string;
      method?: string;
      expectStatus?: number | number[];
      headers?: Record<string, string>;
      timeout?: number;
    };

function httpTargets(given: Record<string, HttpGiven>): Map<string, HttpTargetConfig> {
  return new Map(
    Object.entries(given).map(([name, target]) => {
      const spec = typeof target === 'string' ? { url: target } : target;
      const expect = spec.expectStatus === undefined ? [] : [spec.expectStatus].flat();
      return [
        name,
        {
          url: spec.url,
          method: (spec.method ?? 'GET').toUpperCase(),
          expectStatus: expect,
          headers: spec.headers ?? {},
          timeout: spec.timeout,
        },
      ];
    }),
  );
}

type TlsGiven =
  string | { host: string; port?: number; servername?: string; ca?: string | string[]; minDaysLeft?: number };

function tlsTargets(given: Record<string, TlsGiven>, minDaysLeft: number): Map<string, TlsTargetConfig> {
  return new Map(
    Object.entries(given).map(([name, target]) => {
      if (typeof target !== 'string') {
        const ca = target.ca === undefined ? undefined : [target.ca].flat();
        return [
          name,
          {
            host: target.host,
            port: target.port ?? 443,
            servername: target.servername,
            ca,
            minDaysLeft: target.minDaysLeft ?? minDaysLeft,
          },
        ];
      }
      const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(target) as RegExpExecArray;
      return [name, { host: match[1], port: match[2] ? Number(match[2]) : 443, minDaysLeft }];
    }),
  );
}

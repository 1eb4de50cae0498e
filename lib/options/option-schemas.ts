import { resolve } from 'node:path';
import type { InjectionToken } from '@nestjs/common';
import { z } from 'zod';
import { normalizeCheckName, toList } from '../common/check-names.js';
import { parseSize } from './size.js';

// What every option must be, whether it came from code or from the environment, and what it
// becomes: the resolved configuration is exactly what these schemas produce. One schema per
// row of the option table, so it grows with the option list; the shared pieces (milliseconds,
// names, sizes) are read beside the schemas built from them.

/** Node's timers fire at once past this (2^31 - 1 ms), so no millisecond option may exceed it. */
export const MAX_TIMER_MS = 2_147_483_647;

const integer = (min: number, max: number, why: string) =>
  z.number({ error: why }).int({ error: why }).min(min, { error: why }).max(max, { error: why });

export const milliseconds = integer(
  1,
  MAX_TIMER_MS,
  `expected a positive integer of milliseconds (at most ${MAX_TIMER_MS})`,
);
export const optionalMilliseconds = integer(
  0,
  MAX_TIMER_MS,
  `expected an integer of milliseconds, 0 or more (at most ${MAX_TIMER_MS})`,
);
export const notNegative = integer(0, Number.MAX_SAFE_INTEGER, 'expected an integer of 0 or more');
export const httpStatus = integer(100, 599, 'expected an HTTP status code (100-599)');
/** A TCP port to listen on (0: any free one). */
export const listenPort = integer(0, 65535, 'expected a TCP port (0-65535)');
export const flag = z.boolean({ error: 'expected true or false' });
export const nonEmptyText = z
  .string({ error: 'must be a non-empty string' })
  .trim()
  .min(1, { error: 'must be a non-empty string' });
export const optionalText = z.string({ error: 'expected a string' });

/** A route prefix, kept without leading or trailing slashes. */
export const routePath = optionalText.transform((path) => path.replace(/^\/+|\/+$/g, ''));

/** A folder, made absolute against the working directory at start-up (empty: the working directory). */
export const folder = optionalText.transform((path) => resolve(path || process.cwd()));

/** A list of names, given as an array or a comma list. */
export const nameList = z
  .union([z.array(z.string()), z.string()], { error: 'expected a list of names' })
  .transform((value) => toList(value));

/** Check names (dotted django names accepted), de-duplicated in order. */
export const checkList = nameList.transform((names) => [...new Set(names.map(normalizeCheckName))]);

export const tokens = z
  .union([z.array(z.string()), z.string()], { error: 'expected a list of tokens' })
  .transform((value) => toList(value));

/** Recipients; none given means django's `to@example.com`. */
export const recipients = nameList.transform((list) => (list.length > 0 ? list : ['to@example.com']));

export const headers = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {
    error: 'expected a JSON object of header names to values',
  })
  .transform((given) => Object.fromEntries(Object.entries(given).map(([name, value]) => [name, String(value)])));

export const size = z
  .union([z.number(), z.string()], { error: 'expected bytes or a percentage' })
  .transform((value, context) => {
    const parsed = parseSize(value);
    if (!parsed)
      context.addIssue({ code: 'custom', message: "expected bytes (e.g. 1048576, '512MiB') or a percentage ('10%')" });
    return parsed ?? { bytes: 0 };
  });

/** Names that are safe as JSON keys, metric labels and URL parameters. */
export const checkName = z.string().regex(/^[^\s,.]+$/, { error: 'a name has no spaces, commas or dots' });

/** Database alias → the injection token of a database provider found by itself (to name it). */
export const databaseTokens = z
  .record(
    checkName,
    z.custom<InjectionToken>((token) => token !== undefined && token !== null, {
      error: 'expected an injection token',
    }),
  )
  .transform((given) => new Map(Object.entries(given)) as ReadonlyMap<string, InjectionToken>);

/** Database alias → a Drizzle database (the `databases` check tells a Drizzle database from anything else). */
export const drizzleDatabases = z
  .record(
    checkName,
    z.custom<object>((db) => typeof db === 'object' && db !== null, { error: 'expected a Drizzle database' }),
  )
  .transform((given) => new Map(Object.entries(given)) as ReadonlyMap<string, object>);

/** Cache name → the injection token of that cache. */
export const cacheTokens = z
  .record(
    z.string(),
    z.custom<InjectionToken>((token) => token !== undefined && token !== null),
  )
  .transform((given) => new Map(Object.entries(given)) as ReadonlyMap<string, InjectionToken>);

const statusList = z.union([httpStatus, z.array(httpStatus).min(1)]);
/** An http(s) URL (a check's target, a publisher's endpoint). */
export const httpUrl = z.url({ error: 'expected an http(s) URL', protocol: /^https?$/ });

/** One resolved `http` target. */
export interface HttpTargetConfig {
  url: string;
  method: string;
  /** Accepted statuses; empty means any 2xx. */
  expectStatus: number[];
  headers: Record<string, string>;
  timeout?: number;
}

const httpTarget = z
  .union([
    httpUrl,
    z
      .object({
        url: httpUrl,
        method: z
          .string()
          .regex(/^[A-Za-z]+$/, { error: 'expected an HTTP method' })
          .optional(),
        expectStatus: statusList.optional(),
        headers: z.record(z.string(), z.string()).optional(),
        timeout: milliseconds.optional(),
      })
      .strict(),
  ])
  .transform((given): HttpTargetConfig => {
    const spec = typeof given === 'string' ? { url: given } : given;
    return {
      url: spec.url,
      method: (spec.method ?? 'GET').toUpperCase(),
      expectStatus: spec.expectStatus === undefined ? [] : [spec.expectStatus].flat(),
      headers: spec.headers ?? {},
      timeout: spec.timeout,
    };
  });

export const httpTargets = z
  .record(checkName, httpTarget)
  .transform((given) => new Map(Object.entries(given)) as ReadonlyMap<string, HttpTargetConfig>);

/** One resolved `tls` target; without its own `minDaysLeft` the option's applies. */
export interface TlsTargetConfig {
  host: string;
  port: number;
  servername?: string;
  ca?: string[];
  minDaysLeft?: number;
}

const hostPort = z
  .string()
  .regex(/^[^:\s]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/i, { error: "expected 'host:port'" });

const tlsTarget = z
  .union([
    hostPort,
    z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535).optional(),
        servername: z.string().optional(),
        ca: z.union([z.string(), z.array(z.string())]).optional(),
        minDaysLeft: notNegative.optional(),
      })
      .strict(),
  ])
  .transform((given): TlsTargetConfig => {
    if (typeof given !== 'string') {
      const { ca, port, ...rest } = given;
      return { ...rest, port: port ?? 443, ...(ca === undefined ? {} : { ca: [ca].flat() }) };
    }
    const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(given) as RegExpExecArray;
    return { host: match[1], port: match[2] ? Number(match[2]) : 443 };
  });

export const tlsTargets = z
  .record(checkName, tlsTarget)
  .transform((given) => new Map(Object.entries(given)) as ReadonlyMap<string, TlsTargetConfig>);

/** Settings of one check (`checkOptions.<name>`, or `@WatchmanCheck(name, settings)`). */
export const checkSettings = z
  .object({
    critical: flag.optional(),
    timeout: milliseconds.optional(),
    /** Consecutive failed runs before the check reports failed (default 1). */
    failAfter: integer(1, 1000, 'expected a whole number of runs, 1 to 1000').optional(),
    /** Consecutive ok runs before a failed check reports ok again (default 1). */
    recoverAfter: integer(1, 1000, 'expected a whole number of runs, 1 to 1000').optional(),
    /** The background refresh runs this check on its own interval (ms), instead of `refreshInterval`. */
    interval: milliseconds.optional(),
    /** Wait this long (ms) after boot before the first background run. */
    initialDelay: optionalMilliseconds.optional(),
    /** Vary each interval by up to this fraction of it (0-1), so instances started together drift apart. */
    jitter: z
      .number({ error: 'expected a fraction from 0 to 1' })
      .min(0, { error: 'expected a fraction from 0 to 1' })
      .max(1, { error: 'expected a fraction from 0 to 1' })
      .optional(),
    /**
     * `fleet`: one run per interval across every instance sharing the `fleet` Redis, its result
     * read by all; `instance` (default): each instance runs it.
     */
    scope: z.enum(['instance', 'fleet'], { error: "expected 'instance' or 'fleet'" }).optional(),
  })
  .strict();

export const checkSettingsByName = z
  .record(z.string(), checkSettings)
  .transform((given) => new Map(Object.entries(given)) as ReadonlyMap<string, z.output<typeof checkSettings>>);

/** Named groups of checks (`/watchman/groups/<name>`, `/watchman/bare/<name>`), each a non-empty list. */
export const checkGroups = z
  .record(
    checkName,
    checkList.refine((names) => names.length > 0, { error: 'a group lists at least one check' }),
    {
      error: 'expected an object of group names to lists of checks',
    },
  )
  .transform((given) => new Map(Object.entries(given)) as ReadonlyMap<string, string[]>);

/** An ioredis client, as `fleet.redis` may be (only what watchman uses: it makes a connection of its own from it). */
export interface WatchmanFleetRedisClient {
  readonly status: string;
  readonly options: object;
  duplicate(options?: Record<string, unknown>): unknown;
}

/** Whether a value is an ioredis client (not a Cluster, whose `duplicate` takes other arguments). */
export function isIoRedisClient(value: unknown): value is WatchmanFleetRedisClient {
  const client = value as Partial<WatchmanFleetRedisClient> & { isCluster?: boolean };
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof client.duplicate === 'function' &&
    typeof client.status === 'string' &&
    typeof client.options === 'object' &&
    client.isCluster !== true
  );
}

/** A `redis://` / `rediss://` URL, or the app's ioredis client. */
export const fleetRedis = z
  .custom<string | WatchmanFleetRedisClient>(
    (value) => (typeof value === 'string' && /^rediss?:\/\/\S+$/i.test(value.trim())) || isIoRedisClient(value),
    { error: 'expected a redis:// or rediss:// URL, or an ioredis client' },
  )
  .transform((value) => (typeof value === 'string' ? value.trim() : value));

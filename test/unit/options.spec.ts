import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { WatchmanConfigError } from 'nestjs-watchman';
import { toList } from '../../lib/common/check-names.js';
import { type OptionRow, type OptionTree, isOptionRow } from '../../lib/options/option-row.js';
import { OPTION_TABLE } from '../../lib/options/option-table.js';
import { resolveWatchmanConfig, storageDir } from '../../lib/options/watchman-config.js';
import { ROOT } from '../support/spawn-node.js';

const env = (vars: Record<string, string>) => (name: string) => vars[name];

/** One option's test data: a value from code, a variable's text, each with what it resolves to, and bad ones. */
interface Sample {
  code: unknown;
  codeGives?: unknown;
  env?: string;
  envGives?: unknown;
  fallback: unknown;
  /** A value from code the schema refuses (none for options that take anything). */
  bad?: unknown;
  /** A variable's text that is refused. */
  badEnv?: string;
  /** Other options (and variables) the sample needs, e.g. disk.minFree needs disk.path. */
  with?: { options?: Record<string, unknown>; vars?: Record<string, string> };
}

/** Stands in for `drizzle(pool)`: the option takes any object, the databases check tells a Drizzle database apart. */
const DRIZZLE_LIKE = { select: () => undefined, execute: async () => undefined };
const map = (entries: Record<string, unknown>) => new Map(Object.entries(entries));
const flagSample = (fallback: boolean): Sample => ({
  code: !fallback,
  env: fallback ? 'off' : 'True',
  envGives: !fallback,
  fallback,
  bad: 'yes',
  badEnv: 'maybe',
});
const namesSample: Sample = {
  code: ['a', ' b'],
  codeGives: ['a', 'b'],
  env: 'a, b,,',
  envGives: ['a', 'b'],
  fallback: undefined,
  bad: 3,
};

// Every row of the option table needs a sample: a new option without one fails the first test.
const SAMPLES: Record<string, Sample> = {
  path: { code: '/health/', codeGives: 'health', env: 'status', fallback: 'watchman', bad: 42 },
  tokens: { code: ['a', ' b '], codeGives: ['a', 'b'], env: 'a, b,,', envGives: ['a', 'b'], fallback: [], bad: 42 },
  tokenName: { code: 'tk', env: 'tk2', fallback: 'watchman-token', bad: ' ', badEnv: ' ' },
  checks: {
    code: ['watchman.checks.databases', 'custom'],
    codeGives: ['databases', 'custom'],
    env: 'watchman.checks.databases,custom,custom',
    envGives: ['databases', 'custom'],
    fallback: undefined,
    bad: 42,
  },
  enablePaidChecks: flagSample(false),
  databases: namesSample,
  caches: namesSample,
  cacheTokens: {
    code: { redis: 'REDIS_CACHE' },
    codeGives: map({ redis: 'REDIS_CACHE' }),
    fallback: new Map(),
    bad: { x: null },
  },
  databaseTokens: {
    code: { reports: 'REPORTS_DB' },
    codeGives: map({ reports: 'REPORTS_DB' }),
    fallback: new Map(),
    bad: { 'two words': 'X' },
  },
  drizzle: {
    code: { main: DRIZZLE_LIKE },
    codeGives: map({ main: DRIZZLE_LIKE }),
    fallback: new Map(),
    bad: { main: null },
  },
  microservices: namesSample,
  'queues.names': namesSample,
  'queues.maxWaiting': { code: 100, env: '0', envGives: 0, fallback: undefined, bad: -1, badEnv: '1e3' },
  'queues.maxFailed': { code: 0, env: '25', envGives: 25, fallback: undefined, bad: 2.5, badEnv: 'none' },
  errorCode: { code: 418, env: '503', envGives: 503, fallback: 500, bad: 5000, badEnv: 'x' },
  exposeVersion: flagSample(false),
  mediaRoot: { code: 'rel', codeGives: resolve('rel'), env: '/srv/media', fallback: process.cwd(), bad: 1 },
  storagePath: { code: 'x', env: 'y', fallback: '', bad: 1 },
  'email.sender': { code: 'me@x.test', env: 'env@x.test', fallback: 'watchman@example.com', bad: '', badEnv: ' ' },
  'email.recipients': {
    code: ['a@x.test'],
    env: 'a@x.test, b@x.test',
    envGives: ['a@x.test', 'b@x.test'],
    fallback: ['to@example.com'],
    bad: 5,
  },
  'email.headers': {
    code: { 'X-A': 1 },
    codeGives: { 'X-A': '1' },
    env: '{"X-Env":"prod"}',
    envGives: { 'X-Env': 'prod' },
    fallback: {},
    bad: ['x'],
    badEnv: '{bad json',
  },
  'email.transport': { code: { host: 'smtp.test' }, env: 'smtp://localhost:25', fallback: undefined },
  dashboardTitle: {
    code: 'Payments',
    env: ' Orders ',
    envGives: 'Orders',
    fallback: 'Watchman status',
    bad: '',
    badEnv: ' ',
  },
  disableApm: flagSample(false),
  openRouteTtl: { code: 0, env: '1000', envGives: 1000, fallback: 250, bad: -1, badEnv: 'soon' },
  verboseNames: { code: 'token', env: 'token', fallback: 'everyone', bad: 'nobody', badEnv: 'nobody' },
  checkTimeout: { code: 250, env: '250', envGives: 250, fallback: 5000, bad: 1.5, badEnv: '0' },
  cacheTtl: { code: 1000, env: '1000', envGives: 1000, fallback: 0, bad: -1, badEnv: 'soon' },
  stacktraces: flagSample(true),
  historySize: { code: 5, env: '5', envGives: 5, fallback: 20, bad: -1, badEnv: 'x' },
  liveChecks: { code: ['event_loop'], env: 'event_loop', envGives: ['event_loop'], fallback: [], bad: 1 },
  readyChecks: {
    code: ['databases'],
    env: 'databases,watchman.checks.caches',
    envGives: ['databases', 'caches'],
    fallback: undefined,
    bad: 1,
  },
  probePort: { code: 3001, env: '3001', envGives: 3001, fallback: undefined, bad: 70000, badEnv: 'http' },
  probeHost: { code: '127.0.0.1', env: '::1', fallback: '0.0.0.0', bad: ' ', badEnv: ' ' },
  'grpc.port': { code: 50051, env: '50051', envGives: 50051, fallback: undefined, bad: -1, badEnv: 'grpc' },
  'grpc.host': { code: '127.0.0.1', env: '::', fallback: '0.0.0.0', bad: '', badEnv: ' ' },
  startupChecks: {
    code: ['databases', 'migrations'],
    env: 'watchman.checks.databases,migrations',
    envGives: ['databases', 'migrations'],
    fallback: undefined,
    bad: 1,
  },
  groups: {
    code: { payments: ['databases', 'http'] },
    codeGives: map({ payments: ['databases', 'http'] }),
    env: '{"edge":"caches,storage"}',
    envGives: map({ edge: ['caches', 'storage'] }),
    fallback: new Map(),
    bad: { empty: [] },
    badEnv: '{"bad name":["databases"]}',
  },
  warnStatus: { code: 429, env: '429', envGives: 429, fallback: 200, bad: 99, badEnv: 'warn' },
  shutdownDelay: { code: 3000, env: '3000', envGives: 3000, fallback: 0, bad: -5, badEnv: 'soon' },
  checkOptions: {
    code: { databases: { timeout: 700 } },
    codeGives: map({ databases: { timeout: 700 } }),
    env: '{"payments":{"failAfter":3,"recoverAfter":2,"interval":10000,"initialDelay":500,"jitter":0.2,"scope":"fleet"}}',
    envGives: map({
      payments: { failAfter: 3, recoverAfter: 2, interval: 10000, initialDelay: 500, jitter: 0.2, scope: 'fleet' },
    }),
    fallback: new Map(),
    bad: { x: { critical: 'no' } },
    badEnv: '{"x":{"jitter":2}}',
  },
  'fleet.redis': {
    code: 'redis://:pw@127.0.0.1:6379/2',
    env: ' rediss://cache.test:6380 ',
    envGives: 'rediss://cache.test:6380',
    fallback: undefined,
    bad: 'http://cache.test',
    badEnv: 'localhost:6379',
  },
  'fleet.key': { code: 'orders', env: ' payments ', envGives: 'payments', fallback: undefined, bad: ' ', badEnv: ' ' },
  nonCritical: { code: ['caches'], env: 'caches, databases', envGives: ['caches', 'databases'], fallback: [], bad: 1 },
  refreshInterval: { code: 2000, env: '2000', envGives: 2000, fallback: 0, bad: -1, badEnv: 'x' },
  http: {
    code: { pay: 'https://pay.test/health' },
    codeGives: map({ pay: { url: 'https://pay.test/health', method: 'GET', expectStatus: [], headers: {} } }),
    env: '{"auth":{"url":"http://auth.test/","method":"head","expectStatus":[200,204],"timeout":300}}',
    envGives: map({
      auth: { url: 'http://auth.test/', method: 'HEAD', expectStatus: [200, 204], headers: {}, timeout: 300 },
    }),
    fallback: new Map(),
    bad: { x: 'ftp://nope' },
    badEnv: '{"x":',
  },
  'disk.path': { code: '/var', env: 'rel', envGives: resolve('rel'), fallback: undefined, bad: '', badEnv: ' ' },
  'disk.minFree': {
    code: 1048576,
    codeGives: { bytes: 1048576 },
    env: '10%',
    envGives: { percent: 10 },
    fallback: undefined,
    bad: 'lots',
    badEnv: 'lots',
    with: { options: { disk: { path: '/' } }, vars: { WATCHMAN_DISK_PATH: '/' } },
  },
  'memory.maxHeapUsed': {
    code: '512MiB',
    codeGives: { bytes: 512 * 2 ** 20 },
    env: '90%',
    envGives: { percent: 90 },
    fallback: undefined,
    bad: 'lots',
    badEnv: '120%',
  },
  'memory.maxRss': {
    code: '2GB',
    codeGives: { bytes: 2e9 },
    env: '1024',
    envGives: { bytes: 1024 },
    fallback: undefined,
    bad: -1,
    badEnv: 'x',
  },
  tls: {
    code: { site: 'example.test:8443', v6: '[::1]:9443' },
    codeGives: map({ site: { host: 'example.test', port: 8443 }, v6: { host: '::1', port: 9443 } }),
    env: '{"api":{"host":"api.test","ca":"PEM","minDaysLeft":3}}',
    envGives: map({ api: { host: 'api.test', port: 443, ca: ['PEM'], minDaysLeft: 3 } }),
    fallback: new Map(),
    bad: { a: 'host:port:x' },
    badEnv: '{"a":"host:port:x"}',
  },
  minDaysLeft: { code: 30, env: '30', envGives: 30, fallback: 14, bad: -1, badEnv: 'x' },
  instance: { code: 'pod-7', env: ' web-1 ', envGives: 'web-1', fallback: `${hostname()}-${process.pid}`, bad: '' },
  'publish.webhook.url': {
    code: 'https://hooks.test/watchman',
    env: 'http://127.0.0.1:9/hook',
    fallback: undefined,
    bad: 'ftp://hooks.test',
    badEnv: 'hooks.test',
  },
  'publish.webhook.minInterval': { code: 60000, env: '5000', envGives: 5000, fallback: 0, bad: -1, badEnv: 'soon' },
  'publish.pushgateway.url': {
    code: 'http://pushgateway.test:9091',
    env: 'https://push.test/',
    fallback: undefined,
    bad: 42,
    badEnv: 'push.test:9091',
  },
  'publish.pushgateway.job': { code: 'api', env: ' batch ', envGives: 'batch', fallback: 'watchman', bad: ' ' },
  'publish.pushgateway.interval': { code: 1000, env: '30000', envGives: 30000, fallback: 15000, bad: 0, badEnv: 'x' },
  'publish.heartbeat.url': {
    code: 'https://hc-ping.test/uuid',
    env: 'http://kuma.test/api/push/t',
    fallback: undefined,
    bad: 'mailto:x@y.test',
    badEnv: '/relative',
  },
  'publish.heartbeat.interval': { code: 5000, env: '5000', envGives: 5000, fallback: 60000, bad: 1.5, badEnv: '0' },
  'publish.timeout': { code: 2000, env: '2000', envGives: 2000, fallback: 5000, bad: 0, badEnv: 'later' },
};

function rows(tree: OptionTree, base: string[] = []): Array<[string, OptionRow]> {
  return Object.entries(tree).flatMap(([key, entry]) =>
    isOptionRow(entry) ? [[[...base, key].join('.'), entry] as [string, OptionRow]] : rows(entry, [...base, key]),
  );
}

function nested(path: string, value: unknown, into: Record<string, unknown> = {}): Record<string, unknown> {
  const keys = path.split('.');
  let node = into;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1) as string] = value;
  return into;
}

function valueAt(config: unknown, path: string): unknown {
  return path.split('.').reduce((node, key) => (node as Record<string, unknown>)[key], config);
}

const ROWS = rows(OPTION_TABLE);

describe('the option table', () => {
  it('has a test sample for every option, and no sample for an option it lacks', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(ROWS.map(([path]) => path).sort());
  });

  it("has one line in the README's option table for every option, with its variable", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Options'), readme.indexOf('## Routes and formats'));
    const lines = table.split('\n').filter((line) => line.startsWith('| `'));
    for (const [path, row] of ROWS) {
      const line = lines.find((candidate) => candidate.split('|')[1].includes(`\`${path}\``));
      expect([path, line !== undefined]).toEqual([path, true]);
      if (row.env) expect([path, line?.includes(row.env)]).toEqual([path, true]);
    }
  });

  describe.each(ROWS)('%s', (path, row) => {
    const sample = SAMPLES[path];
    // The sample's other options, with this option set in its place.
    const given = (value: unknown) => nested(path, value, structuredClone(sample.with?.options ?? {}));
    const resolveWith = (options: Record<string, unknown>, vars: Record<string, string> = {}) =>
      valueAt(resolveWatchmanConfig(options as never, env({ ...sample.with?.vars, ...vars })), path);

    it('takes a value from code, which wins over the environment', () => {
      const vars = row.env && sample.env !== undefined ? { [row.env]: sample.env } : {};
      expect(resolveWith(given(sample.code), vars)).toEqual(sample.codeGives ?? sample.code);
    });

    it('falls back to its environment variable', () => {
      if (!row.env) return expect(sample.env).toBeUndefined(); // code-only: nothing to read
      expect(resolveWith(given(undefined), { [row.env]: sample.env as string })).toEqual(sample.envGives ?? sample.env);
    });

    it('has its default', () => {
      expect(resolveWith(given(undefined))).toEqual(sample.fallback);
    });

    it('refuses a bad value, naming the option and the value', () => {
      if (sample.bad === undefined) return expect(row.schema.safeParse(Symbol('any')).success).toBe(true);
      const attempt = () => resolveWith(given(sample.bad));
      expect(attempt).toThrow(WatchmanConfigError);
      expect(attempt).toThrow(`invalid ${path} ${JSON.stringify(sample.bad)}`);
      if (row.env && sample.badEnv !== undefined) {
        const fromEnv = () => resolveWith(given(undefined), { [row.env as string]: sample.badEnv as string });
        expect(fromEnv).toThrow(`invalid ${path} (${row.env}) ${JSON.stringify(sample.badEnv)}`);
      }
    });
  });
});

describe('millisecond options', () => {
  // Node fires a timer past 2^31 - 1 ms after 1 ms: WATCHMAN_REFRESH_INTERVAL_MS=2592000000 once
  // sent 178 mails in 3.5 s. Every millisecond option stops there, naming itself.
  const MS_ROWS = ROWS.filter(([, row]) => row.env?.endsWith('_MS'));

  it('are found by their variables', () => {
    expect(MS_ROWS.map(([path]) => path)).toEqual(
      expect.arrayContaining(['refreshInterval', 'checkTimeout', 'cacheTtl', 'shutdownDelay', 'openRouteTtl']),
    );
  });

  it.each(MS_ROWS)(
    '%s takes 2147483647 and refuses 2147483648 from code and 2592000000 from its variable',
    (path, row) => {
      const sample = SAMPLES[path];
      const resolveWith = (options: Record<string, unknown>, vars: Record<string, string> = {}) =>
        valueAt(
          resolveWatchmanConfig(
            nested(path, options.value, structuredClone(sample.with?.options ?? {})) as never,
            env({ ...sample.with?.vars, ...vars }),
          ),
          path,
        );
      expect(resolveWith({ value: 2_147_483_647 })).toBe(2_147_483_647);
      expect(() => resolveWith({ value: 2_147_483_648 })).toThrow(`invalid ${path} 2147483648`);
      expect(() => resolveWith({ value: undefined }, { [row.env as string]: '2592000000' })).toThrow(
        `invalid ${path} (${row.env}) "2592000000": expected`,
      );
    },
  );
});

describe('resolveWatchmanConfig', () => {
  it('honours the deprecated WATCHMAN_TOKEN and warns', () => {
    const warnings: string[] = [];
    const config = resolveWatchmanConfig({}, env({ WATCHMAN_TOKEN: 'old' }), (message: string) =>
      warnings.push(message),
    );
    expect(config.tokens).toEqual(['old']);
    expect(warnings.join()).toMatch(/WATCHMAN_TOKEN is deprecated: use WATCHMAN_TOKENS/);
    expect(resolveWatchmanConfig({}, env({ WATCHMAN_TOKEN: 'old', WATCHMAN_TOKENS: 'new' })).tokens).toEqual(['new']);
  });

  it.each([
    [{ mediaRoot: '/srv/media', storagePath: '../etc' }, {}, /storagePath "..\/etc": must resolve inside mediaRoot/],
    [{ mediaRoot: '/srv/media', storagePath: '/tmp/elsewhere' }, {}, /storagePath "\/tmp\/elsewhere"/],
    [{}, { WATCHMAN_DISK_MIN_FREE: '10%' }, /disk.path \(WATCHMAN_DISK_PATH\) undefined: required with disk.minFree/],
    [{}, { WATCHMAN_HTTP_CHECKS: '{"x":{"url":"http://a","expectStatus":99}}' }, /WATCHMAN_HTTP_CHECKS/],
    [{}, { WATCHMAN_HTTP_CHECKS: '{"bad.name":"http://a"}' }, /key: a name has no spaces, commas or dots/],
    [{}, { WATCHMAN_HTTP_CHECKS: '{"x":"ftp://nope"}' }, /http \(WATCHMAN_HTTP_CHECKS\).*expected an http\(s\) URL/],
  ])('checks what one row cannot: %j %j', (options, vars, message) => {
    expect(() => resolveWatchmanConfig(options as never, env(vars as Record<string, string>))).toThrow(message);
  });

  it('puts the storage folder inside the media root, absolute or relative', () => {
    expect(storageDir(resolveWatchmanConfig({ mediaRoot: '/srv/media', storagePath: '/srv/media/a/b' }, env({})))).toBe(
      '/srv/media/a/b',
    );
    expect(storageDir(resolveWatchmanConfig({ mediaRoot: 'rel', storagePath: 'x' }, env({})))).toBe(resolve('rel/x'));
    expect(storageDir(resolveWatchmanConfig({}, env({ MEDIA_ROOT: '/srv/media', WATCHMAN_STORAGE_PATH: 'h' })))).toBe(
      '/srv/media/h',
    );
  });

  it('never shows a password from a URL in its error', () => {
    const attempt = () =>
      resolveWatchmanConfig({}, env({ WATCHMAN_HTTP_CHECKS: '{"x":"http://user:hunter2@a.test/"' }));
    expect(attempt).toThrow(/not valid JSON/);
    expect(attempt).toThrow(/user:\*\*\*@a.test/);
    expect(attempt).not.toThrow(/hunter2/);
  });

  it('splits comma lists and arrays alike', () => {
    expect(toList(' a, ,b ,')).toEqual(['a', 'b']);
    expect(toList(['a ', '', ' b'])).toEqual(['a', 'b']);
    expect(toList(undefined)).toEqual([]);
  });
});

// The one source of every option: its name and place, environment variable, parser, schema
// (which also shapes the resolved value), default, and its documentation, which the option
// types `WatchmanModuleOptions` and `WatchmanConfig` inherit. One row per option is the point
// of this file, so it is as long as the option list.
import { resolve } from 'node:path';
import { defaultInstance } from '../common/instance-id.js';
import { z } from 'zod';
import { boolean, integer, json, list, size as sizeText, text } from './option-parsers.js';
import { type ConfigOf, type OptionsOf, codeOnly, option, renamed } from './option-row.js';
import * as s from './option-schemas.js';

export const OPTION_TABLE = {
  /** Route prefix [WATCHMAN_PATH], default `watchman`. (Also an extra, for `forRootAsync`.) */
  path: option('WATCHMAN_PATH', text, s.routePath, 'watchman'),
  /** Accepted tokens [WATCHMAN_TOKENS, comma list; WATCHMAN_TOKEN is the deprecated single one]. None = open. */
  tokens: renamed(option('WATCHMAN_TOKENS', list, s.tokens, []), 'WATCHMAN_TOKEN'),
  /** Query parameter carrying the token [WATCHMAN_TOKEN_NAME], default `watchman-token`. */
  tokenName: option('WATCHMAN_TOKEN_NAME', text, s.nonEmptyText, 'watchman-token'),
  /**
   * The exact list of checks to run [WATCHMAN_CHECKS]. Default: `databases`, `caches`,
   * `storage`, every configured `http` / `disk` / `memory` / `tls`, `microservices` when the app
   * has clients, `queues` when it has BullMQ queues, and every `@WatchmanCheck` provider.
   */
  checks: option('WATCHMAN_CHECKS', list, s.checkList),
  /** Add the paid checks (`email`) to the default list [WATCHMAN_ENABLE_PAID_CHECKS]. */
  enablePaidChecks: option('WATCHMAN_ENABLE_PAID_CHECKS', boolean, s.flag, false),
  /**
   * Aliases `databases` covers (DataSources, PrismaClients, MikroORM contexts, Sequelize
   * connections, Drizzle databases) [WATCHMAN_DATABASES]; default all.
   */
  databases: option('WATCHMAN_DATABASES', list, s.nameList),
  /**
   * Names for database providers the `databases` check finds by itself (DataSources,
   * PrismaClients): alias → injection token. Without one, a PrismaClient provider goes by its
   * name in lower case minus `service`/`client` (`PrismaService` → `prisma`).
   * @example databaseTokens: { reports: ReportingPrismaService }
   */
  databaseTokens: codeOnly(s.databaseTokens, {}),
  /**
   * Drizzle databases for the `databases` check, by alias (Drizzle has no Nest module to find
   * them by): node-postgres, mysql2 and SQLite drivers.
   * @example drizzle: { main: drizzle(pool) }
   */
  drizzle: codeOnly(s.drizzleDatabases, {}),
  /** Cache names the `caches` check covers [WATCHMAN_CACHES]; default all. */
  caches: option('WATCHMAN_CACHES', list, s.nameList),
  /**
   * Caches beyond `CACHE_MANAGER` (which is `default`): name → injection token.
   * @example cacheTokens: { redis: 'REDIS_CACHE' }
   */
  cacheTokens: codeOnly(s.cacheTokens, {}),
  /** `@nestjs/microservices` client names the `microservices` check covers [WATCHMAN_MICROSERVICES]; default all. */
  microservices: option('WATCHMAN_MICROSERVICES', list, s.nameList),
  /** `queues` check: the BullMQ queues it covers, and the counts that fail it. */
  queues: {
    /** Queue names the `queues` check covers [WATCHMAN_QUEUES, comma list]; default every queue found. */
    names: option('WATCHMAN_QUEUES', list, s.nameList),
    /** Fail a queue with more jobs than this waiting [WATCHMAN_QUEUES_MAX_WAITING]; unset: no limit. */
    maxWaiting: option('WATCHMAN_QUEUES_MAX_WAITING', integer, s.notNegative),
    /** Fail a queue with more failed jobs than this [WATCHMAN_QUEUES_MAX_FAILED]; unset: no limit. */
    maxFailed: option('WATCHMAN_QUEUES_MAX_FAILED', integer, s.notNegative),
  },
  /** HTTP status when a check fails [WATCHMAN_ERROR_CODE], default 500. */
  errorCode: option('WATCHMAN_ERROR_CODE', integer, s.httpStatus, 500),
  /** Send `X-Watchman-Version` and show the version on the dashboard [EXPOSE_WATCHMAN_VERSION]. */
  exposeVersion: option('EXPOSE_WATCHMAN_VERSION', boolean, s.flag, false),
  /** Root the storage path must lie in [MEDIA_ROOT], default the working directory. */
  mediaRoot: option('MEDIA_ROOT', text, s.folder, ''),
  /** Folder the storage check writes in [WATCHMAN_STORAGE_PATH]: relative to, or inside, `mediaRoot`. */
  storagePath: option('WATCHMAN_STORAGE_PATH', text, s.optionalText, ''),
  /** Email check settings. */
  email: {
    /** From address [WATCHMAN_EMAIL_SENDER], default `watchman@example.com`. */
    sender: option('WATCHMAN_EMAIL_SENDER', text, s.nonEmptyText, 'watchman@example.com'),
    /** To addresses [WATCHMAN_EMAIL_RECIPIENTS, comma list], default `['to@example.com']`. */
    recipients: option('WATCHMAN_EMAIL_RECIPIENTS', list, s.recipients, []),
    /** Extra headers [WATCHMAN_EMAIL_HEADERS, JSON object]; they may override `X-Watchman`. */
    headers: option('WATCHMAN_EMAIL_HEADERS', json, s.headers, {}),
    /**
     * The transport to send through: a nodemailer `Transporter`, an SMTP URL, or nodemailer
     * transport options [SMTP_URL]. Anything given in code is the email check's to judge.
     */
    transport: option('SMTP_URL', text, z.unknown()),
  },
  /** The dashboard's heading and page title [WATCHMAN_DASHBOARD_TITLE], e.g. the service's name. */
  dashboardTitle: option('WATCHMAN_DASHBOARD_TITLE', text, s.nonEmptyText, 'Watchman status'),
  /** Keep watchman requests out of Datadog / New Relic [WATCHMAN_DISABLE_APM]. */
  disableApm: option('WATCHMAN_DISABLE_APM', boolean, s.flag, false),
  /** Per check (and per alias) timeout in ms [WATCHMAN_CHECK_TIMEOUT_MS], default 5000. */
  checkTimeout: option('WATCHMAN_CHECK_TIMEOUT_MS', integer, s.milliseconds, 5000),
  /** Reuse a check's last result for this many ms [WATCHMAN_CACHE_TTL_MS], default 0 (off). */
  cacheTtl: option('WATCHMAN_CACHE_TTL_MS', integer, s.optionalMilliseconds, 0),
  /** Include stack traces of failures in responses [WATCHMAN_STACKTRACES], default true. */
  stacktraces: option('WATCHMAN_STACKTRACES', boolean, s.flag, true),
  /** Results kept per check and alias for the dashboard's history [WATCHMAN_HISTORY_SIZE], default 20. */
  historySize: option('WATCHMAN_HISTORY_SIZE', integer, s.notNegative, 20),
  /**
   * How long anonymous requests on the open routes (`bare`, `live`, `ready`, `startup`) share
   * results [WATCHMAN_OPEN_ROUTE_TTL_MS], default 250: an unauthenticated caller cannot drive a
   * check more often. 0: a run per request, as django.
   */
  openRouteTtl: option('WATCHMAN_OPEN_ROUTE_TTL_MS', integer, s.optionalMilliseconds, 250),
  /**
   * Who sees the check names in `?verbose` probe answers [WATCHMAN_VERBOSE_NAMES]: `everyone`
   * (default, as kube-apiserver) or `token` (only callers with a valid token).
   */
  verboseNames: option(
    'WATCHMAN_VERBOSE_NAMES',
    text,
    z.enum(['everyone', 'token'], { error: "expected 'everyone' or 'token'" }),
    'everyone',
  ),
  /**
   * Watchman's own `node:http` server for the probes (`ping`, `bare`, `live`, `ready`,
   * `startup`, their drill-downs, and the token-protected `metrics`) [WATCHMAN_PROBE_PORT]:
   * for apps without an HTTP adapter (microservices, application contexts), or to keep probes
   * off the public port. Unset: none.
   */
  probePort: option('WATCHMAN_PROBE_PORT', integer, s.listenPort),
  /** The address the probe port listens on [WATCHMAN_PROBE_HOST], default `0.0.0.0`. */
  probeHost: option('WATCHMAN_PROBE_HOST', text, s.nonEmptyText, '0.0.0.0'),
  /** gRPC health (`grpc.health.v1.Health`: Check, Watch, List), with `@grpc/grpc-js` and `@grpc/proto-loader`. */
  grpc: {
    /** Port of watchman's gRPC health server [WATCHMAN_GRPC_PORT]; unset: none. */
    port: option('WATCHMAN_GRPC_PORT', integer, s.listenPort),
    /** The address it listens on [WATCHMAN_GRPC_HOST], default `0.0.0.0`. */
    host: option('WATCHMAN_GRPC_HOST', text, s.nonEmptyText, '0.0.0.0'),
  },
  /** Checks `GET /watchman/live` runs [WATCHMAN_LIVE_CHECKS]; default none. */
  liveChecks: option('WATCHMAN_LIVE_CHECKS', list, s.checkList, []),
  /** Checks `GET /watchman/ready` runs [WATCHMAN_READY_CHECKS]; default the configured checks. */
  readyChecks: option('WATCHMAN_READY_CHECKS', list, s.checkList),
  /**
   * Checks `GET /watchman/startup` runs until each has passed once, then never again
   * [WATCHMAN_STARTUP_CHECKS]; default the ready checks. `ready` is 503 until then.
   */
  startupChecks: option('WATCHMAN_STARTUP_CHECKS', list, s.checkList),
  /**
   * Named groups of checks, at `/watchman/groups/<name>` (protected, JSON) and
   * `/watchman/bare/<name>` (open) [WATCHMAN_GROUPS, JSON object].
   * @example groups: { payments: ['databases', 'http'] }
   */
  groups: option('WATCHMAN_GROUPS', json, s.checkGroups, {}),
  /**
   * HTTP status of the JSON, group and bare routes when only non-critical checks failed
   * [WATCHMAN_WARN_STATUS], default 200 (e.g. 429, Consul's "warning"). Probes keep 200.
   */
  warnStatus: option('WATCHMAN_WARN_STATUS', integer, s.httpStatus, 200),
  /**
   * How long shutdown waits, answering 503 on `ready` and `bare`, before the server closes
   * [WATCHMAN_SHUTDOWN_DELAY_MS], default 0.
   */
  shutdownDelay: option('WATCHMAN_SHUTDOWN_DELAY_MS', integer, s.optionalMilliseconds, 0),
  /**
   * Settings per check name [WATCHMAN_CHECK_OPTIONS, JSON object]: `critical`, `timeout`,
   * `failAfter`, `recoverAfter`, `interval`, `initialDelay`, `jitter`, `scope`; for built-ins and your
   * checks alike (which may also declare them in `@WatchmanCheck(name, settings)`).
   * @example checkOptions: { caches: { critical: false }, databases: { timeout: 1000, failAfter: 3 } }
   */
  checkOptions: option('WATCHMAN_CHECK_OPTIONS', json, s.checkSettingsByName, {}),
  /**
   * Where fleet-scoped checks (`checkOptions.<name>.scope: 'fleet'`) share their runs: one run
   * per check and interval across every instance with the same Redis and key.
   */
  fleet: {
    /**
     * The Redis [WATCHMAN_FLEET_REDIS_URL]: a `redis://` / `rediss://` URL, or the app's ioredis
     * client (watchman opens a connection of its own from it). Default: the app's own Redis,
     * found like the caches check finds it (an ioredis provider, else a Redis cache tier).
     */
    redis: option('WATCHMAN_FLEET_REDIS_URL', text, s.fleetRedis),
    /**
     * What the instances of one fleet share [WATCHMAN_FLEET_KEY]; default the app's name
     * (`name` in the working directory's package.json).
     */
    key: option('WATCHMAN_FLEET_KEY', text, s.nonEmptyText),
  },
  /** Checks whose failure is a warning, not a failure [WATCHMAN_NON_CRITICAL, comma list]. */
  nonCritical: option('WATCHMAN_NON_CRITICAL', list, s.checkList, []),
  /**
   * Run the checks on this interval (ms) from boot and answer every route from the latest
   * results [WATCHMAN_REFRESH_INTERVAL_MS]; default 0 (off: checks run per request).
   */
  refreshInterval: option('WATCHMAN_REFRESH_INTERVAL_MS', integer, s.optionalMilliseconds, 0),
  /**
   * `http` check: one alias per name [WATCHMAN_HTTP_CHECKS, JSON object].
   * @example http: { payments: 'https://payments.internal/health', auth: { url: 'http://auth/ping', expectStatus: 204 } }
   */
  http: option('WATCHMAN_HTTP_CHECKS', json, s.httpTargets, {}),
  /** `disk` check: free space at `path` at least `minFree`. */
  disk: {
    /** The folder whose file system is checked [WATCHMAN_DISK_PATH]; setting it turns the check on. */
    path: option(
      'WATCHMAN_DISK_PATH',
      text,
      s.nonEmptyText.transform((path) => resolve(path)),
    ),
    /** Bytes (`1048576`, `'512MiB'`) or a percentage (`'10%'`) [WATCHMAN_DISK_MIN_FREE]. */
    minFree: option('WATCHMAN_DISK_MIN_FREE', sizeText, s.size),
  },
  /** `memory` check; setting a limit turns it on. */
  memory: {
    /** Heap used at most this [WATCHMAN_MEMORY_MAX_HEAP_USED]; a % is of V8's heap limit. */
    maxHeapUsed: option('WATCHMAN_MEMORY_MAX_HEAP_USED', sizeText, s.size),
    /** RSS at most this [WATCHMAN_MEMORY_MAX_RSS]; a % is of the cgroup (else machine) memory. */
    maxRss: option('WATCHMAN_MEMORY_MAX_RSS', sizeText, s.size),
  },
  /** `tls` check: certificate expiry per name [WATCHMAN_TLS_CHECKS, JSON object of `'host:port'` or targets]. */
  tls: option('WATCHMAN_TLS_CHECKS', json, s.tlsTargets, {}),
  /** Days a certificate must still be valid [WATCHMAN_TLS_MIN_DAYS_LEFT], default 14. */
  minDaysLeft: option('WATCHMAN_TLS_MIN_DAYS_LEFT', integer, s.notNegative, 14),
  /**
   * This instance's name in what it publishes (the webhook's `instance`, the Pushgateway's
   * grouping key) [WATCHMAN_INSTANCE], default `<host name>-<process id>`; e.g. the pod's name.
   */
  instance: option('WATCHMAN_INSTANCE', text, s.nonEmptyText, defaultInstance()),
  /** Publishers: where watchman tells the outside world, each off until its URL is set. */
  publish: {
    webhook: {
      /** POST a JSON message on every status change [WATCHMAN_WEBHOOK_URL]; unset: none. */
      url: option('WATCHMAN_WEBHOOK_URL', text, s.httpUrl),
      /** At most one message per check (and alias) this often, in ms [WATCHMAN_WEBHOOK_MIN_INTERVAL_MS], default 0. */
      minInterval: option('WATCHMAN_WEBHOOK_MIN_INTERVAL_MS', integer, s.optionalMilliseconds, 0),
    },
    pushgateway: {
      /** Push the metrics to this Prometheus Pushgateway [WATCHMAN_PUSHGATEWAY_URL]; unset: none. */
      url: option('WATCHMAN_PUSHGATEWAY_URL', text, s.httpUrl),
      /** The `job` of the pushed group [WATCHMAN_PUSHGATEWAY_JOB], default `watchman`. */
      job: option('WATCHMAN_PUSHGATEWAY_JOB', text, s.nonEmptyText, 'watchman'),
      /** How often to push, in ms [WATCHMAN_PUSHGATEWAY_INTERVAL_MS], default 15000. */
      interval: option('WATCHMAN_PUSHGATEWAY_INTERVAL_MS', integer, s.milliseconds, 15_000),
    },
    heartbeat: {
      /** GET this URL while passing, and `<url>/fail` while failing [WATCHMAN_HEARTBEAT_URL]; unset: none. */
      url: option('WATCHMAN_HEARTBEAT_URL', text, s.httpUrl),
      /** How often, in ms [WATCHMAN_HEARTBEAT_INTERVAL_MS], default 60000. */
      interval: option('WATCHMAN_HEARTBEAT_INTERVAL_MS', integer, s.milliseconds, 60_000),
    },
    /** How long one publisher request may take, in ms [WATCHMAN_PUBLISH_TIMEOUT_MS], default 5000. */
    timeout: option('WATCHMAN_PUBLISH_TIMEOUT_MS', integer, s.milliseconds, 5000),
  },
} as const;

/**
 * Everything `WatchmanModule.forRoot()` accepts. Every option left out falls back to the
 * environment variable named in brackets (through `ConfigService` when the app has one, else
 * `process.env`), so `WatchmanModule.forRoot()` alone works like django settings.
 *
 * @example
 * WatchmanModule.forRoot({ tokens: ['s3cret'], checkTimeout: 2000 })
 */
export type WatchmanModuleOptions = OptionsOf<typeof OPTION_TABLE>;

/** @internal The configuration after defaults, environment fallback and validation. */
export type WatchmanConfig = ConfigOf<typeof OPTION_TABLE>;

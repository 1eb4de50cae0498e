import type { CanActivate, InjectionToken, Type } from '@nestjs/common';

/** Email check settings (`email` option). */
export interface WatchmanEmailOptions {
  /** From address [WATCHMAN_EMAIL_SENDER], default `watchman@example.com`. */
  sender?: string;
  /** To addresses [WATCHMAN_EMAIL_RECIPIENTS, comma list], default `['to@example.com']`. */
  recipients?: string[];
  /** Extra headers [WATCHMAN_EMAIL_HEADERS, JSON object]; they may override `X-Watchman`. */
  headers?: Record<string, string>;
  /**
   * The transport to send through: a nodemailer `Transporter`, an SMTP URL, or nodemailer
   * transport options. Default: the `SMTP_URL` environment variable.
   */
  transport?: unknown;
}

/** Per-check settings, for built-ins through `checkOptions` and for your checks in `@WatchmanCheck()`. */
export interface WatchmanCheckSettings {
  /**
   * `false`: a failure is shown (`"ok": false, "critical": false`, a warning on the dashboard)
   * but the status stays 200 on the JSON, bare and ready routes. Default `true`.
   */
  critical?: boolean;
  /** Timeout in ms for this check (each alias of it), instead of `checkTimeout`. */
  timeout?: number;
}

/** A size limit: bytes (`1048576`, `'512MiB'`, `'2GB'`) or a percentage (`'10%'`). */
export type WatchmanSize = number | string;

/** One `http` check target: a URL, or the request to make and what to expect. */
export type WatchmanHttpTarget =
  | string
  | {
      url: string;
      /** Default `GET`. */
      method?: string;
      /** Accepted status codes; default any 2xx. */
      expectStatus?: number | number[];
      headers?: Record<string, string>;
      /** Timeout in ms for this target, instead of the check's. */
      timeout?: number;
    };

/** One `tls` check target: `'host:port'`, or the connection to make. */
export type WatchmanTlsTarget =
  | string
  | {
      host: string;
      /** Default 443. */
      port?: number;
      /** SNI name, default the host. */
      servername?: string;
      /** Extra trusted CA certificates (PEM text). */
      ca?: string | string[];
      /** Fail when the certificate expires in fewer days than this (default `minDaysLeft`). */
      minDaysLeft?: number;
    };

/**
 * Everything `WatchmanModule.forRoot()` accepts. Every option left out falls back to the
 * environment variable named in brackets (through `ConfigService` when the app has one, else
 * `process.env`), so `WatchmanModule.forRoot()` alone works like django settings.
 *
 * @example
 * WatchmanModule.forRoot({ tokens: ['s3cret'], checkTimeout: 2000 })
 */
export interface WatchmanModuleOptions {
  /** Route prefix [WATCHMAN_PATH], default `watchman`. (Also an extra, for `forRootAsync`.) */
  path?: string;
  /** Accepted tokens [WATCHMAN_TOKENS, comma list; WATCHMAN_TOKEN is the deprecated single one]. None = open. */
  tokens?: string[] | string;
  /** Query parameter carrying the token [WATCHMAN_TOKEN_NAME], default `watchman-token`. */
  tokenName?: string;
  /**
   * The exact list of checks to run [WATCHMAN_CHECKS]. Default: `databases`, `caches`,
   * `storage`, every configured `http` / `disk` / `memory` / `tls`, `microservices` when the app
   * has clients, and every `@WatchmanCheck` provider.
   */
  checks?: string[];
  /** Add the paid checks (`email`) to the default list [WATCHMAN_ENABLE_PAID_CHECKS]. */
  enablePaidChecks?: boolean;
  /** DataSource names the `databases` check covers [WATCHMAN_DATABASES]; default all. */
  databases?: string[];
  /** Cache names the `caches` check covers [WATCHMAN_CACHES]; default all. */
  caches?: string[];
  /**
   * Caches beyond `CACHE_MANAGER` (which is `default`): name → injection token.
   * @example cacheTokens: { redis: 'REDIS_CACHE' }
   */
  cacheTokens?: Record<string, InjectionToken>;
  /** `@nestjs/microservices` client names the `microservices` check covers [WATCHMAN_MICROSERVICES]; default all. */
  microservices?: string[];
  /** HTTP status when a check fails [WATCHMAN_ERROR_CODE], default 500. */
  errorCode?: number;
  /** Send `X-Watchman-Version` and show the version on the dashboard [EXPOSE_WATCHMAN_VERSION]. */
  exposeVersion?: boolean;
  /** Root the storage path must lie in [MEDIA_ROOT], default the working directory. */
  mediaRoot?: string;
  /** Folder the storage check writes in [WATCHMAN_STORAGE_PATH]: relative to, or inside, `mediaRoot`. */
  storagePath?: string;
  /** Email check settings. */
  email?: WatchmanEmailOptions;
  /** Keep watchman requests out of Datadog / New Relic [WATCHMAN_DISABLE_APM]. */
  disableApm?: boolean;
  /** Per check (and per alias) timeout in ms [WATCHMAN_CHECK_TIMEOUT_MS], default 5000. */
  checkTimeout?: number;
  /** Reuse a check's last result for this many ms [WATCHMAN_CACHE_TTL_MS], default 0 (off). */
  cacheTtl?: number;
  /** Include stack traces of failures in responses [WATCHMAN_STACKTRACES], default true. */
  stacktraces?: boolean;
  /** Results kept per check and alias for the dashboard's history [WATCHMAN_HISTORY_SIZE], default 20. */
  historySize?: number;
  /** Checks `GET /watchman/live` runs [WATCHMAN_LIVE_CHECKS]; default none. */
  liveChecks?: string[];
  /** Checks `GET /watchman/ready` runs [WATCHMAN_READY_CHECKS]; default the configured checks. */
  readyChecks?: string[];
  /**
   * How long shutdown waits, answering 503 on `ready` and `bare`, before the server closes
   * [WATCHMAN_SHUTDOWN_DELAY_MS], default 0.
   */
  shutdownDelay?: number;
  /**
   * Settings per check name, for built-ins (for your checks, `@WatchmanCheck(name, settings)`
   * does the same). `WATCHMAN_NON_CRITICAL` (comma list) marks checks `critical: false`.
   * @example checkOptions: { caches: { critical: false }, databases: { timeout: 1000 } }
   */
  checkOptions?: Record<string, WatchmanCheckSettings>;
  /**
   * Run the checks on this interval (ms) from boot and answer every route from the latest
   * results [WATCHMAN_REFRESH_INTERVAL_MS]; default 0 (off: checks run per request).
   */
  refreshInterval?: number;
  /**
   * `http` check: one alias per name [WATCHMAN_HTTP_CHECKS, JSON object].
   * @example http: { payments: 'https://payments.internal/health', auth: { url: 'http://auth/ping', expectStatus: 204 } }
   */
  http?: Record<string, WatchmanHttpTarget>;
  /** `disk` check: free space at `path` [WATCHMAN_DISK_PATH] at least `minFree` [WATCHMAN_DISK_MIN_FREE]. */
  disk?: { path?: string; minFree?: WatchmanSize };
  /**
   * `memory` check: heap used at most `maxHeapUsed` [WATCHMAN_MEMORY_MAX_HEAP_USED] (a % is of
   * the heap limit), RSS at most `maxRss` [WATCHMAN_MEMORY_MAX_RSS] (a % is of the cgroup or
   * machine memory).
   */
  memory?: { maxHeapUsed?: WatchmanSize; maxRss?: WatchmanSize };
  /** `tls` check: certificate expiry per name [WATCHMAN_TLS_CHECKS, JSON object]. */
  tls?: Record<string, WatchmanTlsTarget>;
  /** Days a certificate must still be valid [WATCHMAN_TLS_MIN_DAYS_LEFT], default 14. */
  minDaysLeft?: number;
}

/** Decorators put on watchman's route handlers, e.g. an app's `@Public()` for its global guard. */
export interface WatchmanRouteDecorators {
  /** On `ping`, `bare`, `live`, `ready` (the routes that are open in watchman's own auth). */
  open?: Array<MethodDecorator>;
  /** On the JSON, dashboard and metrics routes (protected by the token guard or `authGuard`). */
  protected?: Array<MethodDecorator>;
}

/** What shapes the module itself, so it must be known synchronously (also in `forRootAsync`). */
export interface WatchmanModuleExtras {
  /** Route prefix; wins over the `path` option and WATCHMAN_PATH. */
  path?: string;
  /**
   * A guard that replaces the token guard on the JSON, dashboard and metrics routes. A class
   * is resolved in the app's root module, so it can inject what the app provides (JwtService,
   * ConfigService, …), as a guard on one of the app's own controllers would.
   */
  authGuard?: Type<CanActivate> | CanActivate;
  /** Register the module globally. */
  isGlobal?: boolean;
  /**
   * Your own decorators on watchman's routes.
   * @example routeDecorators: { open: [Public()], protected: [Public()] }
   */
  routeDecorators?: WatchmanRouteDecorators;
}

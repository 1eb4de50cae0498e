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

/**
 * Everything `WatchmanModule.forRoot()` accepts. Every option left out falls back to the
 * environment variable named in brackets (through `ConfigService` when the app has one).
 *
 * @example
 * WatchmanModule.forRoot({ tokens: ['s3cret'], checkTimeout: 2000 })
 */
export interface WatchmanModuleOptions {
  /** Accepted tokens [WATCHMAN_TOKENS, comma list; WATCHMAN_TOKEN is the deprecated single one]. None = open. */
  tokens?: string[] | string;
  /** Query parameter carrying the token [WATCHMAN_TOKEN_NAME], default `watchman-token`. */
  tokenName?: string;
  /** The exact list of checks to run [WATCHMAN_CHECKS]; default: built-ins + every `@WatchmanCheck`. */
  checks?: string[];
  /** Add the paid checks (`email`) to the default list [WATCHMAN_ENABLE_PAID_CHECKS]. */
  enablePaidChecks?: boolean;
  /** DataSource names the `databases` check covers [WATCHMAN_DATABASES]; default all. */
  databases?: string[];
  /**
   * Cache names the `caches` check covers [WATCHMAN_CACHES]; default all. May also be given as
   * a name → injection token map, which names the caches (like `cacheTokens`) and checks them all.
   */
  caches?: string[] | Record<string, InjectionToken>;
  /**
   * Caches beyond `CACHE_MANAGER` (which is `default`): name → injection token.
   * @example cacheTokens: { redis: 'REDIS_CACHE' }
   */
  cacheTokens?: Record<string, InjectionToken>;
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
  /** Reuse the last result for this many ms [WATCHMAN_CACHE_TTL_MS], default 0 (off). */
  cacheTtl?: number;
  /** Include stack traces of failures in responses [WATCHMAN_STACKTRACES], default true. */
  stacktraces?: boolean;
  /** Results kept per check and alias for the dashboard's history [WATCHMAN_HISTORY_SIZE], default 20. */
  historySize?: number;
}

/** Options that shape the module itself, so they must be known synchronously (also in `forRootAsync`). */
export interface WatchmanModuleExtras {
  /** Route prefix [WATCHMAN_PATH], default `watchman`. */
  path?: string;
  /** A guard (class or instance) that replaces the token guard on the JSON and dashboard routes. */
  authGuard?: Type<CanActivate> | CanActivate;
  /** Register the module globally. */
  isGlobal?: boolean;
}

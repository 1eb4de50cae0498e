import type { CanActivate, Type } from '@nestjs/common';

import type { WatchmanModuleOptions } from './options/option-table.js';

export type { WatchmanModuleOptions } from './options/option-table.js';

/** Email check settings (`email` option). */
export type WatchmanEmailOptions = NonNullable<WatchmanModuleOptions['email']>;

/**
 * Per-check settings, for built-ins through `checkOptions` and for your checks in
 * `@WatchmanCheck()`: `critical: false` makes a failure a warning (shown, status stays 200);
 * `timeout` (ms) replaces `checkTimeout` for this check and each of its aliases.
 */
export type WatchmanCheckSettings = NonNullable<WatchmanModuleOptions['checkOptions']>[string];

/** A size limit: bytes (`1048576`, `'512MiB'`, `'2GB'`) or a percentage (`'10%'`). */
export type WatchmanSize = NonNullable<NonNullable<WatchmanModuleOptions['disk']>['minFree']>;

/** One `http` check target: a URL, or `{ url, method, expectStatus, headers, timeout }`. */
export type WatchmanHttpTarget = NonNullable<WatchmanModuleOptions['http']>[string];

/** One `tls` check target: `'host:port'`, or `{ host, port, servername, ca, minDaysLeft }`. */
export type WatchmanTlsTarget = NonNullable<WatchmanModuleOptions['tls']>[string];

/** The publishers (`publish` option): `webhook`, `pushgateway`, `heartbeat`, and their `timeout`. */
export type WatchmanPublishOptions = NonNullable<WatchmanModuleOptions['publish']>;

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

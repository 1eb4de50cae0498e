import { createRequire } from 'node:module';

/** Logger context of every watchman log line. */
export const WATCHMAN_LOG_CONTEXT = 'watchman';

/** Metadata key set by `@WatchmanCheck()`. */
export const WATCHMAN_CHECK_METADATA = 'watchman:check';

/** Injection token of the options given to `forRoot()` / returned by `forRootAsync()`'s factory. */
export const WATCHMAN_MODULE_OPTIONS = Symbol('WATCHMAN_MODULE_OPTIONS');

/** @internal Injection token of the registration's extras (path, guard, route decorators). */
export const WATCHMAN_EXTRAS = Symbol('WATCHMAN_EXTRAS');

/** @internal Injection token of the resolved (defaults + environment + validated) configuration. */
export const WATCHMAN_CONFIG = Symbol('WATCHMAN_CONFIG');

/** Response header carrying the package version when `exposeVersion` is on. */
export const VERSION_HEADER = 'X-Watchman-Version';

// By the package's own name (its exports list package.json), not a relative path: the module runs from dist/
// (published), lib/ (tests) and from the sample's `nest start --watch` build, which compiles lib/ in.
const pkg = createRequire(import.meta.url)('nestjs-watchman/package.json') as { version: string };

/** The version of nestjs-watchman that is running. */
export const WATCHMAN_VERSION: string = pkg.version;

import type { ApplicationConfig } from '@nestjs/core';
import { WATCHMAN_ROUTES, basePath } from '../routes/route-table.js';

interface ExcludedRoute {
  pathRegex?: RegExp;
}

/**
 * Where watchman's routes are mounted: below the app's global prefix, and also at the bare
 * path when the app excludes some of them from the prefix (`setGlobalPrefix('api', { exclude:
 * ['watchman/ready', …] })`, so probes keep a path that does not move). Nest's own exclusion
 * matchers decide, so whatever the app wrote there is read as Nest reads it.
 */
export function mountedBases(appConfig: ApplicationConfig, path: string): string[] {
  const prefix = appConfig.getGlobalPrefix();
  const prefixed = basePath(prefix, path);
  if (prefixed === basePath('', path)) return [prefixed];
  const excluded = (appConfig.getGlobalPrefixOptions().exclude ?? []) as ExcludedRoute[];
  const bare = basePath('', path);
  const anyExcluded = WATCHMAN_ROUTES.some((route) => {
    const full = basePath('', `${path}/${route.path}`);
    return excluded.some(({ pathRegex }) => pathRegex?.test(full) === true);
  });
  return anyExcluded ? [prefixed, bare] : [prefixed];
}

/** The names of watchman's routes. */
export type WatchmanRouteName = 'status' | 'dashboard' | 'metrics' | 'ping' | 'bare' | 'live' | 'ready';

/** One route of watchman: the single table the controller, the Fastify fix-up and the renderers read. */
export interface WatchmanRoute {
  name: WatchmanRouteName;
  /** Below the watchman path; '' is the path itself. */
  path: string;
  /** `protected`: the token guard (or `authGuard`); `open`: anyone, as django's ping and bare. */
  access: 'protected' | 'open';
  /** Whether the route runs checks (and so needs to know if the caller is authenticated). */
  runsChecks: boolean;
  /** Whether `exposeVersion` adds the version header (the routes that passed auth). */
  versioned: boolean;
}

export const WATCHMAN_ROUTES: readonly WatchmanRoute[] = [
  { name: 'status', path: '', access: 'protected', runsChecks: true, versioned: true },
  { name: 'dashboard', path: 'dashboard', access: 'protected', runsChecks: true, versioned: true },
  { name: 'metrics', path: 'metrics', access: 'protected', runsChecks: true, versioned: true },
  { name: 'ping', path: 'ping', access: 'open', runsChecks: false, versioned: false },
  { name: 'bare', path: 'bare', access: 'open', runsChecks: true, versioned: false },
  { name: 'live', path: 'live', access: 'open', runsChecks: true, versioned: false },
  { name: 'ready', path: 'ready', access: 'open', runsChecks: true, versioned: false },
];

/**
 * The path of route `to`, from the path a request reached route `from` on: the route table's
 * segments are counted off the end, so neither the URL's case, a trailing slash, a global
 * prefix nor a proxy's mount point matters.
 */
export function siblingPath(requestPath: string, from: WatchmanRouteName, to: WatchmanRouteName): string {
  const segments = (name: WatchmanRouteName) =>
    (WATCHMAN_ROUTES.find((route) => route.name === name)?.path ?? '').split('/').filter(Boolean);
  const base = requestPath.split('/').filter(Boolean);
  base.splice(base.length - segments(from).length);
  return `/${[...base, ...segments(to)].join('/')}`;
}

/** The full paths of every route of one registration (`/prefix/watchman/ping`). */
export function routePaths(globalPrefix: string, path: string): string[] {
  return WATCHMAN_ROUTES.map(
    (route) => `/${[globalPrefix, path, route.path].map(trimSlashes).filter(Boolean).join('/')}`,
  );
}

/** The full path of the watchman prefix itself (`/prefix/watchman`). */
export function basePath(globalPrefix: string, path: string): string {
  return `/${[globalPrefix, path].map(trimSlashes).filter(Boolean).join('/')}`;
}

function trimSlashes(part: string): string {
  return part.replace(/^\/+|\/+$/g, '');
}

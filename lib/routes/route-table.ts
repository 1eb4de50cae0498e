/** The names of watchman's routes. */
export type WatchmanRouteName =
  | 'status'
  | 'dashboard'
  | 'metrics'
  | 'ping'
  | 'bare'
  | 'live'
  | 'ready'
  | 'startup'
  | 'group'
  | 'bareGroup'
  | 'liveCheck'
  | 'readyCheck'
  | 'startupCheck'
  | 'check';

/** One route of watchman: the single table every door (Nest controller, probe port) and fix-up reads. */
export interface WatchmanRoute {
  name: WatchmanRouteName;
  /** Below the watchman path; '' is the path itself; `:name` segments are parameters. */
  path: string;
  /** `protected`: the token guard (or `authGuard`); `open`: anyone, as django's ping and bare. */
  access: 'protected' | 'open';
  /** Whether the route runs checks (and so needs to know if the caller is authenticated). */
  runsChecks: boolean;
  /** Whether `exposeVersion` adds the version header (the routes that passed auth). */
  versioned: boolean;
}

// Static paths before parametric ones: Express matches in this order.
export const WATCHMAN_ROUTES: readonly WatchmanRoute[] = [
  { name: 'status', path: '', access: 'protected', runsChecks: true, versioned: true },
  { name: 'dashboard', path: 'dashboard', access: 'protected', runsChecks: true, versioned: true },
  { name: 'metrics', path: 'metrics', access: 'protected', runsChecks: true, versioned: true },
  { name: 'ping', path: 'ping', access: 'open', runsChecks: false, versioned: false },
  { name: 'bare', path: 'bare', access: 'open', runsChecks: true, versioned: false },
  { name: 'live', path: 'live', access: 'open', runsChecks: true, versioned: false },
  { name: 'ready', path: 'ready', access: 'open', runsChecks: true, versioned: false },
  { name: 'startup', path: 'startup', access: 'open', runsChecks: true, versioned: false },
  // Groups: the JSON (protected) and bare (open) answer for a named list of checks.
  { name: 'group', path: 'groups/:group', access: 'protected', runsChecks: true, versioned: true },
  { name: 'bareGroup', path: 'bare/:group', access: 'open', runsChecks: true, versioned: false },
  // Drill-down, as kube-apiserver's /readyz/<name>: one check of that probe.
  { name: 'liveCheck', path: 'live/:check', access: 'open', runsChecks: true, versioned: false },
  { name: 'readyCheck', path: 'ready/:check', access: 'open', runsChecks: true, versioned: false },
  { name: 'startupCheck', path: 'startup/:check', access: 'open', runsChecks: true, versioned: false },
  // `GET /watchman/<check>`: the JSON of one check, as `?check=<check>`.
  { name: 'check', path: ':check', access: 'protected', runsChecks: true, versioned: true },
];

const BY_NAME = new Map(WATCHMAN_ROUTES.map((route) => [route.name, route]));
// Each route's segments, split once: matching runs on every request below watchman's path.
const SEGMENTS = new Map(WATCHMAN_ROUTES.map((route) => [route, segmentsOf(route.path)]));

function segmentsOf(path: string): string[] {
  return path.split('/').filter(Boolean);
}

/** The route of that name. */
export function routeNamed(name: WatchmanRouteName): WatchmanRoute {
  return BY_NAME.get(name) as WatchmanRoute;
}

/**
 * The route a path below the watchman prefix reaches (`ready/databases` → ready's drill-down
 * with `{ check: 'databases' }`), trailing slashes ignored; undefined when none does.
 */
export function matchRoute(
  subPath: string,
  routes: readonly WatchmanRoute[] = WATCHMAN_ROUTES,
): { route: WatchmanRoute; params: Record<string, string> } | undefined {
  const given = segmentsOf(subPath);
  for (const route of routes) {
    const wanted = SEGMENTS.get(route) ?? segmentsOf(route.path);
    if (wanted.length === given.length && wanted.every((part, index) => matchesSegment(part, given[index]))) {
      const params: Record<string, string> = {};
      wanted.forEach((part, index) => {
        if (part.startsWith(':')) params[part.slice(1)] = given[index] as string;
      });
      return { route, params };
    }
  }
  return undefined;
}

// A `:name` segment matches any non-empty one (empty ones are filtered out already).
const matchesSegment = (wanted: string, given: string | undefined) =>
  given !== undefined && (wanted === given || wanted.startsWith(':'));

/**
 * The path of route `to`, from the path a request reached route `from` on: the route table's
 * segments are counted off the end, so neither the URL's case, a trailing slash, a global
 * prefix nor a proxy's mount point matters.
 */
export function siblingPath(requestPath: string, from: WatchmanRouteName, to: WatchmanRouteName): string {
  const base = segmentsOf(requestPath);
  base.splice(base.length - segmentsOf(routeNamed(from).path).length);
  return `/${[...base, ...segmentsOf(routeNamed(to).path)].join('/')}`;
}

/** The full path of the watchman prefix itself (`/prefix/watchman`). */
export function basePath(globalPrefix: string, path: string): string {
  return `/${[globalPrefix, path].flatMap(segmentsOf).join('/')}`;
}

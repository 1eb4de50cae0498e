import { targetPath } from '../common/http-request.js';
import { matchRoute } from '../routes/route-table.js';

/**
 * What `isWatchmanRequest` reads of a request: Node's `IncomingMessage` (what OpenTelemetry's
 * http instrumentation hands its `ignoreIncomingRequestHook`), an Express request, or a
 * Fastify one (`raw`).
 */
export interface WatchmanIncomingRequest {
  url?: string;
  originalUrl?: string;
  socket?: { localPort?: number } | null;
  raw?: { url?: string; socket?: { localPort?: number } | null };
}

// Where each running registration is mounted (lower-cased bases) and the probe port it listens
// on, by owner: set at boot, removed at shutdown.
const mounted = new Map<object, readonly string[]>();
const probePorts = new Map<object, number>();

/**
 * The path below watchman's mount (`bases` lower-cased), or undefined when the request is not
 * watchman's. With watchman at the root, only its own routes are (the rest of the app is the
 * app's); `named` leaves out the one route that is all parameter (`/:check`), which at the root
 * would claim every one-segment path of the app. This runs on every request of the app, so it
 * allocates nothing for the app's own.
 */
export function pathBelow(path: string, bases: readonly string[], named = false): string | undefined {
  for (const base of bases) {
    if (base === '/') {
      const match = matchRoute(path.toLowerCase());
      if (match && !(named && match.route.path.startsWith(':'))) return path;
      continue;
    }
    const length = base.length;
    if (path.length < length || (path.length > length && path.charCodeAt(length) !== 47)) continue;
    if (!path.startsWith(base) && path.slice(0, length).toLowerCase() !== base) continue;
    return path.slice(length);
  }
  return undefined;
}

/** @internal A registration's routes answer below these bases (lower-cased; until `unmount`). */
export function mountWatchman(owner: object, bases: readonly string[]): void {
  mounted.set(owner, bases);
}

/** @internal Every request on this port is watchman's (the probe port). */
export function markProbePort(owner: object, port: number): void {
  probePorts.set(owner, port);
}

/** @internal Forgets what a registration registered (shutdown). */
export function unmountWatchman(owner: object): void {
  mounted.delete(owner);
  probePorts.delete(owner);
}

/**
 * Whether a request is for one of watchman's routes (any path below its mount, on the app's
 * server) or arrived on its probe port — for the APM and tracing hooks that should leave probes
 * out, e.g. OpenTelemetry's http instrumentation:
 *
 * @example
 * new HttpInstrumentation({ ignoreIncomingRequestHook: isWatchmanRequest })
 *
 * Answers from what the running app registered: false before watchman has booted.
 */
export function isWatchmanRequest(request: WatchmanIncomingRequest): boolean {
  const port = (request.socket ?? request.raw?.socket)?.localPort;
  if (port !== undefined && [...probePorts.values()].includes(port)) return true;
  if (mounted.size === 0) return false;
  const path = targetPath(request.originalUrl ?? request.url ?? request.raw?.url ?? '/');
  for (const bases of mounted.values()) if (pathBelow(path, bases, true) !== undefined) return true;
  return false;
}

/** The part of prom-client that watchman uses (prom-client stays an optional peer). */
export interface PromClientLike {
  register: RegistryLike;
  Registry: new () => RegistryLike;
  Gauge: new (config: Record<string, unknown>) => GaugeLike;
  Counter: new (config: Record<string, unknown>) => CounterLike;
}

interface RegistryLike {
  contentType: string;
  metrics(): Promise<string>;
  getSingleMetric(name: string): unknown;
  registerMetric(metric: unknown): void;
}

interface GaugeLike {
  set(labels: Record<string, string>, value: number): void;
  set(value: number): void;
  reset(): void;
}

interface CounterLike {
  inc(labels: Record<string, string>): void;
  reset(): void;
}

/** What one watchman registration adds to the metrics it shares with the others. */
export interface WatchmanMetricsSource {
  /** 1 unless a critical check failed (or has no result yet). */
  up(): number;
  /** Brings the series up to date before a scrape of the app's registry (runs the checks, shared and cached). */
  collect(): Promise<void>;
}

/** Watchman's four metrics and the registry its route renders. */
export interface WatchmanPromMetrics {
  registry: RegistryLike;
  up: GaugeLike;
  checkUp: GaugeLike;
  duration: GaugeLike;
  runs: CounterLike;
  /** `watchman_available{probe}`: the app's own word (WatchmanAvailability), apart from its checks. */
  available: GaugeLike;
  /** The text exposition of watchman's own registry (the route has already run its checks). */
  render(): Promise<string>;
  /** Stops counting this registration; the last one to go clears the series. */
  release(): void;
}

// Every registration sharing prom-client's default registry, keyed by that registry.
const sourcesOf = new WeakMap<object, Set<WatchmanMetricsSource>>();
// Renders of watchman's route under way: their run is done, so a collect hook meanwhile (theirs,
// or a scrape of the app's registry, which then reads those fresh results) starts no other.
// A counter, not an AsyncLocalStorage: on Node 20 its first run() turns on async hooks for the
// whole process, and every promise of the app pays for them from the first scrape on.
let routeRenders = 0;

/** prom-client, if the app has it. */
export async function loadPromClient(): Promise<PromClientLike | undefined> {
  try {
    const module = (await import('prom-client' as string)) as PromClientLike & { default?: PromClientLike };
    return module.Registry ? module : module.default;
  } catch {
    return undefined;
  }
}

/**
 * The metrics in a registry of watchman's own (for its route) and in prom-client's default
 * registry (for the app's). A metric a second registration finds already in the default
 * registry is reused, never registered twice (prom-client would throw). Each metric collects
 * at scrape time, so a scrape of the app's registry runs the checks like the route does.
 */
export function createPromMetrics(client: PromClientLike, source: WatchmanMetricsSource): WatchmanPromMetrics {
  const registry = new client.Registry();
  const sources = sourcesOf.get(client.register) ?? new Set<WatchmanMetricsSource>();
  sourcesOf.set(client.register, sources);
  sources.add(source);
  const collect = () => (routeRenders > 0 ? Promise.resolve() : collectAll(sources));
  const shared = <T>(name: string, create: () => T): T => {
    const existing = client.register.getSingleMetric(name) as T | undefined;
    const metric = existing ?? create();
    registry.registerMetric(metric);
    return metric;
  };
  const gauge = (config: Record<string, unknown>) =>
    shared(config.name as string, () => new client.Gauge({ registers: [client.register], collect, ...config }));
  const up = gauge({
    name: 'watchman_up',
    help: '1 when no critical watchman check is failing, else 0 (0 before a first result)',
    async collect(this: GaugeLike) {
      await collect();
      // No registration left, or none with a result yet: never a 1 nobody measured.
      this.set(sources.size === 0 ? 0 : Math.min(...[...sources].map((each) => each.up())));
    },
  });
  const checkUp = gauge({
    name: 'watchman_check_up',
    help: '1 when the check (or alias) passed its last run, else 0',
    labelNames: ['check', 'alias', 'critical'],
  });
  const duration = gauge({
    name: 'watchman_check_duration_seconds',
    help: 'How long the last run of the check (or alias) took',
    labelNames: ['check', 'alias'],
  });
  const available = gauge({
    name: 'watchman_available',
    help: '1 unless the app itself said it is not ready (probe=ready) or broken (probe=live)',
    labelNames: ['probe'],
  });
  const runs = shared(
    'watchman_check_runs_total',
    () =>
      new client.Counter({
        name: 'watchman_check_runs_total',
        help: 'Runs of the check (or alias), by result',
        labelNames: ['check', 'alias', 'critical', 'result'],
        registers: [client.register],
        collect,
      }),
  );
  return {
    registry,
    up,
    checkUp,
    duration,
    runs,
    available,
    render: async () => {
      routeRenders += 1;
      try {
        return await registry.metrics();
      } finally {
        routeRenders -= 1;
      }
    },
    release: () => {
      sources.delete(source);
      if (sources.size > 0) return;
      // The app's registry outlives the module: no series of a registration that is gone.
      for (const metric of [up, checkUp, duration, runs, available]) metric.reset();
    },
  };
}

/** Seconds, rounded to the microsecond (no float noise like 0.0012340000000001). */
export function roundedSeconds(durationMs: number): number {
  return Math.round(durationMs * 1000) / 1_000_000;
}

// One collect per scrape, whichever of the four metrics asks first (they are read concurrently).
const pending = new WeakMap<Set<WatchmanMetricsSource>, Promise<void>>();
function collectAll(sources: Set<WatchmanMetricsSource>): Promise<void> {
  const running = pending.get(sources);
  if (running) return running;
  const done = () => void pending.delete(sources);
  const run = Promise.all([...sources].map((source) => source.collect())).then(done, done);
  pending.set(sources, run);
  return run;
}

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
}

interface CounterLike {
  inc(labels: Record<string, string>): void;
}

/** Watchman's four metrics and the registry its route renders. */
export interface WatchmanPromMetrics {
  registry: RegistryLike;
  up: GaugeLike;
  checkUp: GaugeLike;
  duration: GaugeLike;
  runs: CounterLike;
  /** Stops counting this registration in `watchman_up`. */
  release(): void;
}

// `watchman_up` is shared by every registration: 1 only when none of them has a critical failure.
const upSources = new WeakMap<object, Set<() => number>>();

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
 * registry is reused, never registered twice (prom-client would throw).
 */
export function createPromMetrics(client: PromClientLike, overallUp: () => number): WatchmanPromMetrics {
  const registry = new client.Registry();
  const labelNames = ['check', 'alias'];
  const shared = <T>(name: string, create: () => T): T => {
    const existing = client.register.getSingleMetric(name) as T | undefined;
    const metric = existing ?? create();
    registry.registerMetric(metric);
    return metric;
  };
  const up = shared('watchman_up', () => {
    const gauge: GaugeLike = new client.Gauge({
      name: 'watchman_up',
      help: '1 when no critical watchman check is failing, else 0',
      registers: [client.register],
      collect(this: GaugeLike) {
        this.set(Math.min(1, ...[...(upSources.get(gauge) ?? [])].map((source) => source())));
      },
    });
    return gauge;
  });
  if (!upSources.has(up)) upSources.set(up, new Set());
  upSources.get(up)?.add(overallUp);
  return {
    registry,
    up,
    release: () => upSources.get(up)?.delete(overallUp),
    checkUp: shared(
      'watchman_check_up',
      () =>
        new client.Gauge({
          name: 'watchman_check_up',
          help: '1 when the check (or alias) passed its last run, else 0',
          labelNames,
          registers: [client.register],
        }),
    ),
    duration: shared(
      'watchman_check_duration_seconds',
      () =>
        new client.Gauge({
          name: 'watchman_check_duration_seconds',
          help: 'How long the last run of the check (or alias) took',
          labelNames,
          registers: [client.register],
        }),
    ),
    runs: shared(
      'watchman_check_runs_total',
      () =>
        new client.Counter({
          name: 'watchman_check_runs_total',
          help: 'Runs of the check (or alias), by result',
          labelNames: [...labelNames, 'result'],
          registers: [client.register],
        }),
    ),
  };
}

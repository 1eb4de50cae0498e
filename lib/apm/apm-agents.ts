import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let newRelicPath: string | null | undefined;

/** Just enough of dd-trace's tracer to drop the current trace. */
export interface DatadogTracerLike {
  scope(): { active(): { setTag(key: string, value: unknown): unknown } | null };
}

/** Just enough of New Relic's API to ignore the current transaction. */
export interface NewRelicLike {
  getTransaction(): { ignore?(): void } | undefined;
}

/** dd-trace's tracer, only if the app loaded it (dd-trace publishes itself on globalThis). */
export function loadedDatadogTracer(): DatadogTracerLike | undefined {
  const tracer = (globalThis as { _ddtrace?: DatadogTracerLike })._ddtrace;
  return typeof tracer?.scope === 'function' ? tracer : undefined;
}

/**
 * New Relic's API, only if the app already loaded it: requiring `newrelic` starts the agent,
 * so it is taken from the module cache, never loaded here.
 */
export function loadedNewRelic(): NewRelicLike | undefined {
  // Resolved once: this runs on every watchman request when disableApm is on.
  if (newRelicPath === undefined) {
    try {
      newRelicPath = require.resolve('newrelic');
    } catch {
      newRelicPath = null;
    }
  }
  if (newRelicPath === null) return undefined;
  const api = require.cache[newRelicPath]?.exports as NewRelicLike | undefined;
  return typeof api?.getTransaction === 'function' ? api : undefined;
}

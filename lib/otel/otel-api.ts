import type * as OtelApi from '@opentelemetry/api';

/** `@opentelemetry/api`, as the app resolves it (an optional peer: only its types are imported statically). */
export type OtelApiModule = typeof OtelApi;

// The key @opentelemetry/core's suppressTracing() sets: createContextKey() is Symbol.for(description),
// so the same key is made here without depending on core. Every SDK tracer returns a
// non-recording span under it, and instrumentations start nothing.
const SUPPRESS_TRACING = 'OpenTelemetry SDK Context Key SUPPRESS_TRACING';

let loading: Promise<OtelApiModule | undefined> | undefined;
let loaded: OtelApiModule | undefined;

/** `@opentelemetry/api` if the app has it, imported once (at boot, never at the top of a module). */
export function loadOtelApi(): Promise<OtelApiModule | undefined> {
  loading ??= import('@opentelemetry/api').then(
    (module: unknown) => {
      // Named exports as Node lists them for this CommonJS package; `default` where a loader does not.
      const named = module as OtelApiModule & { default?: OtelApiModule };
      loaded = typeof named.createContextKey === 'function' ? named : named.default;
      return loaded;
    },
    () => undefined,
  );
  return loading;
}

/** The api once `loadOtelApi()` has settled (for code on a request's hot path). */
export function loadedOtelApi(): OtelApiModule | undefined {
  return loaded;
}

/** The active context with tracing suppressed (what `suppressTracing(context.active())` gives). */
export function suppressedContext(api: OtelApiModule): OtelApi.Context {
  return api.context.active().setValue(api.createContextKey(SUPPRESS_TRACING), true);
}

/**
 * Whether the app registered a tracer provider of its own (an SDK): without one the api's
 * tracer records nothing anyway, and the global provider's delegate is the api's no-op one.
 */
export function tracerRegistered(api: OtelApiModule): boolean {
  const provider = api.trace.getTracerProvider() as Partial<OtelApi.ProxyTracerProvider>;
  const delegate = provider.getDelegate?.() ?? provider;
  return delegate.constructor.name !== 'NoopTracerProvider';
}

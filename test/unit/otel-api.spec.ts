import { using } from '../support/http-app.js';
import { context, trace } from '@opentelemetry/api';
import { isTracingSuppressed, suppressTracing } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { loadOtelApi, suppressedContext, tracerRegistered } from '../../lib/otel/otel-api.js';

// Watchman suppresses tracing without depending on @opentelemetry/core: its context key must be
// the one core (and so every SDK tracer and instrumentation) reads.

describe('the OpenTelemetry api as watchman loads it', () => {
  it('suppresses tracing with the very key of @opentelemetry/core', async () => {
    const api = await loadOtelApi();
    expect(api).toBeDefined();
    if (!api) return;
    expect(isTracingSuppressed(context.active())).toBe(false);
    const suppressed = suppressedContext(api);
    expect(isTracingSuppressed(suppressed)).toBe(true);
    // And the other way round: what core sets is what watchman would set.
    expect(
      suppressTracing(context.active()).getValue(
        api.createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING'),
      ),
    ).toBe(true);
  });

  it('makes an SDK tracer record nothing under that context', async () => {
    const api = (await loadOtelApi())!;
    const tracer = new BasicTracerProvider().getTracer('test');
    expect(tracer.startSpan('traced').isRecording()).toBe(true);
    expect(tracer.startSpan('untraced', {}, suppressedContext(api)).isRecording()).toBe(false);
  });

  it('tells a registered tracer provider from none', async () => {
    const api = (await loadOtelApi())!;
    expect(tracerRegistered(api)).toBe(false);
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    await using({ close: async () => trace.disable() }, async () => expect(tracerRegistered(api)).toBe(true));
    expect(tracerRegistered(api)).toBe(false);
  });
});

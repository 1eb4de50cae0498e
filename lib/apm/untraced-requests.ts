import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { loadedOtelApi, suppressedContext, tracerRegistered } from '../otel/otel-api.js';

type Emit = (event: string | symbol, ...args: unknown[]) => boolean;

/**
 * Keeps a server's watchman requests out of OpenTelemetry traces. Instrumentations start a
 * request's server span in their wrapper of `Server.prototype.emit('request')`, from a fresh
 * context, before any listener runs, so nothing done while handling the request can drop it.
 * This gives the server an `emit` of its own that hands such a request to the listeners the
 * way the http instrumentation hands those its `ignoreIncomingRequestHook` ignores: past the
 * wrappers, under a context with tracing suppressed (so the checks it runs record nothing
 * either). Only while the app has registered an OpenTelemetry tracer; otherwise (Datadog, New
 * Relic alone) requests go through the wrappers as before. Returns how to undo it.
 */
export function untraceRequests(server: EventEmitter, isOurs: (request: IncomingMessage) => boolean): () => void {
  const emit: Emit = function (this: EventEmitter, event, ...args) {
    const api = loadedOtelApi();
    if (event === 'request' && api && tracerRegistered(api) && isOurs(args[0] as IncomingMessage)) {
      const untraced = suppressedContext(api);
      // Listeners added later (body, close) run in it too, as the instrumentation does.
      api.context.bind(untraced, args[0] as EventEmitter);
      api.context.bind(untraced, args[1] as EventEmitter);
      return api.context.with(untraced, () => EventEmitter.prototype.emit.call(this, event, ...args));
    }
    // The prototype's emit of the moment: an instrumentation enabled later still sees the rest.
    return (Object.getPrototypeOf(this) as { emit: Emit }).emit.call(this, event, ...args);
  };
  server.emit = emit;
  return () => {
    if (server.emit === emit) delete (server as { emit?: Emit }).emit;
  };
}

import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { WatchmanApmService } from './apm/apm.service.js';
import { WatchmanGuardResolver } from './auth/auth-guard.resolver.js';
import { WatchmanAuthGuard, WatchmanCallerGuard } from './auth/watchman-auth.guard.js';
import { WatchmanBootWarnings } from './auth/boot-warnings.js';
import { WatchmanTokenGuard } from './auth/token.guard.js';
import { WatchmanCheckExplorer } from './checks/check.explorer.js';
import { WatchmanCheckRegistry } from './checks/check.registry.js';
import { WatchmanHttpService } from './http/watchman-http.service.js';
import { WatchmanProbePort } from './http/probe-port.server.js';
import { WatchmanGrpcHealth } from './grpc/grpc-health.server.js';
import { WatchmanHealthStatus } from './grpc/health-status.service.js';
import { WatchmanRoutes } from './routes/watchman-routes.js';
import { WatchmanStatusEventsBridge } from './interop/status-events.bridge.js';
import { WatchmanHealthIndicator } from './interop/watchman.health-indicator.js';
import { WatchmanRefreshScheduler } from './lifecycle/refresh.scheduler.js';
import { WatchmanLifecycle } from './lifecycle/watchman.lifecycle.js';
import { WatchmanStartupLatch } from './lifecycle/startup.latch.js';
import { WatchmanAvailability } from './lifecycle/watchman.availability.js';
import { WatchmanMetrics } from './metrics/watchman.metrics.js';
import { WatchmanOtelMetrics } from './otel/otel.metrics.js';
import { WatchmanTracing } from './otel/watchman.tracing.js';
import { watchmanConfigProvider } from './options/watchman-config.provider.js';
import { WatchmanHeartbeatPublisher } from './publishers/heartbeat.publisher.js';
import { WatchmanPushgatewayPublisher } from './publishers/pushgateway.publisher.js';
import { WatchmanWebhookPublisher } from './publishers/webhook.publisher.js';
import { WatchmanHistory } from './runner/check.history.js';
import { WatchmanCheckLogger } from './runner/check.logger.js';
import { WatchmanRunner } from './runner/check.runner.js';
import { WatchmanFleetStore } from './runner/fleet.store.js';
import { WatchmanResultsStore } from './runner/results.store.js';
import { WATCHMAN_CONFIG } from './watchman.constants.js';
import { WATCHMAN_OPTIONS_TYPE, WatchmanConfigurableModule } from './watchman.module-definition.js';

/**
 * Health checks for the app's backing services, as django-watchman gives Django: JSON
 * status, dashboard, ping, bare, live and ready probes, Prometheus metrics, token auth.
 *
 * @example
 * @Module({ imports: [WatchmanModule.forRoot({ tokens: ['s3cret'] })] })
 * export class AppModule {}
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    watchmanConfigProvider,
    WatchmanCheckExplorer,
    WatchmanCheckRegistry,
    WatchmanResultsStore,
    WatchmanFleetStore,
    WatchmanRunner,
    WatchmanHistory,
    WatchmanCheckLogger,
    WatchmanLifecycle,
    WatchmanStartupLatch,
    WatchmanAvailability,
    WatchmanRefreshScheduler,
    WatchmanMetrics,
    WatchmanOtelMetrics,
    WatchmanTracing,
    WatchmanStatusEventsBridge,
    WatchmanHealthIndicator,
    WatchmanRoutes,
    WatchmanHttpService,
    WatchmanTokenGuard,
    WatchmanGuardResolver,
    WatchmanAuthGuard,
    WatchmanCallerGuard,
    WatchmanBootWarnings,
    WatchmanApmService,
    WatchmanProbePort,
    WatchmanHealthStatus,
    WatchmanGrpcHealth,
    WatchmanWebhookPublisher,
    WatchmanPushgatewayPublisher,
    WatchmanHeartbeatPublisher,
  ],
  // WATCHMAN_CONFIG is exported for guards built in the app's module (an app's subclass of
  // WatchmanTokenGuard injects it); its token stays out of the public API.
  exports: [
    WATCHMAN_CONFIG,
    WatchmanRunner,
    WatchmanCheckRegistry,
    WatchmanHistory,
    WatchmanTokenGuard,
    WatchmanHealthIndicator,
    WatchmanLifecycle,
    WatchmanAvailability,
    WatchmanHealthStatus,
  ],
})
export class WatchmanModule extends WatchmanConfigurableModule {
  /** Registers watchman; every option left out falls back to its environment variable, so `forRoot()` alone works. */
  static forRoot(options: typeof WATCHMAN_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }
}

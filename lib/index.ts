// The public API of nestjs-watchman; everything else is internal.
export { WatchmanModule } from './watchman.module.js';
export type {
  WatchmanModuleOptions,
  WatchmanModuleExtras,
  WatchmanEmailOptions,
  WatchmanCheckSettings,
  WatchmanRouteDecorators,
  WatchmanHttpTarget,
  WatchmanTlsTarget,
  WatchmanSize,
  WatchmanPublishOptions,
} from './watchman-options.interface.js';
export { WatchmanConfigError } from './options/config-error.js';
export type { WatchmanFleetRedisClient } from './options/option-schemas.js';
export { WATCHMAN_MODULE_OPTIONS, WATCHMAN_VERSION } from './watchman.constants.js';
export { WatchmanCheck, type WatchmanCheckOptions } from './checks/check.decorator.js';
export type {
  WatchmanCheckable,
  WatchmanCheckClass,
  WatchmanCheckDecorator,
  WatchmanMultiCheckable,
  WatchmanCheckReturn,
} from './checks/check.interface.js';
export { WatchmanCheckRegistry, type WatchmanRegisteredCheck } from './checks/check.registry.js';
export { WatchmanRunner, type WatchmanRunOptions } from './runner/check.runner.js';
export type { WatchmanCheckSelection } from './runner/selection.js';
export type {
  WatchmanReport,
  WatchmanCheckReport,
  WatchmanAliasReport,
  WatchmanCheckOutcome,
  WatchmanStatus,
} from './runner/check-result.js';
export { type WatchmanStatusChange, STATUS_CHANGED_EVENT } from './runner/status-change.js';
export type { WatchmanWebhookMessage, WatchmanWebhookChange } from './publishers/webhook-message.js';
export { reportToJson } from './formats/json.format.js';
export {
  reportToHealthJson,
  type WatchmanHealthDocument,
  type WatchmanHealthCheckEntry,
} from './formats/health-json.format.js';
export { WatchmanHistory, type WatchmanHistoryEntry, type WatchmanHistoryView } from './runner/check.history.js';
export { WatchmanCheckError, WatchmanTimeoutError } from './checks/check-error.js';
export { WatchmanLifecycle } from './lifecycle/watchman.lifecycle.js';
export { WatchmanAvailability, type WatchmanAvailabilityState } from './lifecycle/watchman.availability.js';
export { WatchmanTokenGuard } from './auth/token.guard.js';
export { redactUrl, redactUrls } from './common/redact.js';
export type { WatchmanRequest } from './common/http-request.js';
export { isWatchmanRequest, type WatchmanIncomingRequest } from './http/watchman-requests.js';
export { EMAIL_SUBJECT, EMAIL_BODY } from './checks/email.check.js';
export {
  tolerantDataSourceFactory,
  type TolerantDataSourceOptions,
} from './checks/typeorm/tolerant-data-source.factory.js';
export { WatchmanHealthIndicator, type WatchmanIndicatorResult } from './interop/watchman.health-indicator.js';
export { terminusCheck } from './interop/terminus-check.js';
export { runWatchmanCli, type WatchmanCliIo } from './cli/watchman.cli.js';
export { WATCHMAN_HEALTH_PROTO_PATH } from './grpc/health-proto.js';
export { WatchmanHealthStatus, type WatchmanServingStatus } from './grpc/health-status.service.js';

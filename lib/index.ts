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
} from './watchman-options.interface.js';
export { WatchmanConfigError } from './options/config-error.js';
export type { WatchmanConfig } from './options/watchman-config.js';
export {
  WATCHMAN_CONFIG,
  WATCHMAN_MODULE_OPTIONS,
  DEFAULT_CHECKS,
  PAID_CHECKS,
  WATCHMAN_VERSION,
} from './watchman.constants.js';
export { WatchmanCheck, type WatchmanCheckOptions } from './checks/check.decorator.js';
export type { WatchmanCheckable, WatchmanMultiCheckable, WatchmanCheckReturn } from './checks/check.interface.js';
export { WatchmanCheckRegistry, type RegisteredCheck } from './checks/check.registry.js';
export { WatchmanRunner, type RunOptions } from './runner/check.runner.js';
export type { CheckSelection } from './runner/selection.js';
export type { WatchmanReport, CheckReport, AliasReport, CheckOutcome, WatchmanStatus } from './runner/check-result.js';
export { type WatchmanStatusChange, STATUS_CHANGED_EVENT } from './runner/status-change.js';
export { reportToJson } from './formats/json.format.js';
export { reportToHealthJson, type HealthDocument, type HealthCheckEntry } from './formats/health-json.format.js';
export { WatchmanHistory, type HistoryEntry, type HistoryView } from './runner/check.history.js';
export { WatchmanCheckError, WatchmanTimeoutError } from './checks/check-error.js';
export { WatchmanLifecycle } from './lifecycle/watchman.lifecycle.js';
export { WatchmanTokenGuard } from './auth/token.guard.js';
export { redactUrls } from './common/redact.js';
export type { WatchmanRequest } from './common/http-request.js';
export { EMAIL_SUBJECT, EMAIL_BODY } from './checks/email.check.js';
export {
  tolerantDataSourceFactory,
  type TolerantDataSourceOptions,
} from './checks/typeorm/tolerant-data-source.factory.js';
export { WatchmanHealthIndicator, type WatchmanIndicatorResult } from './interop/watchman.health-indicator.js';
export { terminusCheck } from './interop/terminus-check.js';
export { runWatchmanCli, type WatchmanCliIo } from './cli/watchman.cli.js';

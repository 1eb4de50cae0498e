// `nestjs-watchman/otel`: what an OpenTelemetry setup file needs, without loading Nest (it runs
// before the app's modules, so that the instrumentations see them load).
export { isWatchmanRequest, type WatchmanIncomingRequest } from '../http/watchman-requests.js';

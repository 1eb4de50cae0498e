// `nestjs-watchman/grpc`: what needs @nestjs/microservices, kept out of the main entry so
// that apps without it never load it.
export { WatchmanGrpcHealthController } from './grpc-health.controller.js';
export { WATCHMAN_HEALTH_PROTO_PATH } from './health-proto.js';

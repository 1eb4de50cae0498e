import { fileURLToPath } from 'node:url';

/**
 * The `grpc.health.v1` proto watchman serves (Check, Watch, List), for an app that adds the
 * health service to its own Nest gRPC microservice (`protoPath: [..., WATCHMAN_HEALTH_PROTO_PATH]`).
 */
export const WATCHMAN_HEALTH_PROTO_PATH: string = fileURLToPath(new URL('../../proto/health.proto', import.meta.url));

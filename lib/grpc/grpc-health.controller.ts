import { Controller } from '@nestjs/common';
import { GrpcMethod, RpcException } from '@nestjs/microservices';
import { type Observable, map } from 'rxjs';
import { WatchmanHealthStatus } from './health-status.service.js';

type HealthRequest = { service?: string };
/** gRPC's NOT_FOUND, what `Check` answers for a service it does not know. */
const NOT_FOUND = 5;

/**
 * The same `grpc.health.v1.Health` as `grpc.port`, for an app's own Nest gRPC microservice:
 * add `WATCHMAN_HEALTH_PROTO_PATH` to its `protoPath` and `grpc.health.v1` to its `package`,
 * and this controller to a module that imports `WatchmanModule`. One port then serves the
 * app and its health.
 */
@Controller()
export class WatchmanGrpcHealthController {
  constructor(private readonly health: WatchmanHealthStatus) {}

  @GrpcMethod('Health', 'Check')
  async check({ service = '' }: HealthRequest): Promise<{ status: string }> {
    const status = await this.health.check(service);
    if (status === 'SERVICE_UNKNOWN')
      throw new RpcException({ code: NOT_FOUND, message: `unknown service ${JSON.stringify(service)}` });
    return { status };
  }

  @GrpcMethod('Health', 'Watch')
  watch({ service = '' }: HealthRequest): Observable<{ status: string }> {
    return this.health.watch(service).pipe(map((status) => ({ status })));
  }

  @GrpcMethod('Health', 'List')
  async list(): Promise<{ statuses: Record<string, { status: string }> }> {
    const services = this.health.services();
    const statuses = await Promise.all(
      services.map(async (service) => [service, { status: await this.health.check(service) }]),
    );
    return { statuses: Object.fromEntries(statuses) };
  }
}

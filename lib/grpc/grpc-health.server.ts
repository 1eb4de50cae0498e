import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type * as Grpc from '@grpc/grpc-js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from '../watchman.constants.js';
import { WATCHMAN_HEALTH_PROTO_PATH } from './health-proto.js';
import { WatchmanHealthStatus } from './health-status.service.js';

type GrpcModule = typeof Grpc;
type HealthRequest = { service?: string };

/** @grpc/grpc-js and @grpc/proto-loader, optional peers: a clear start-up error when missing. */
async function loadGrpc(): Promise<{ grpc: GrpcModule; loadSync: (path: string, options: object) => object }> {
  try {
    const grpc = (await import('@grpc/grpc-js' as string)) as GrpcModule;
    const loader = (await import('@grpc/proto-loader' as string)) as { loadSync: (path: string, o: object) => object };
    return { grpc, loadSync: loader.loadSync };
  } catch (error) {
    throw new Error(
      'nestjs-watchman: grpc.port (WATCHMAN_GRPC_PORT) needs @grpc/grpc-js and @grpc/proto-loader: ' +
        `npm install @grpc/grpc-js @grpc/proto-loader (${(error as Error).message})`,
      { cause: error },
    );
  }
}

/**
 * `grpc.port`: watchman's gRPC health server, the standard `grpc.health.v1.Health` (Check,
 * streaming Watch, List) for kubelet gRPC probes, load balancers and blackbox_exporter. It
 * closes after the shutdown delay (Watch streams are ended, not waited for).
 */
@Injectable()
export class WatchmanGrpcHealth implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WATCHMAN_LOG_CONTEXT);
  private server?: Grpc.Server;
  private boundPort?: number;

  constructor(
    private readonly health: WatchmanHealthStatus,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  /** @internal The port it listens on, once it does. */
  get port(): number | undefined {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config.grpc;
    if (port === undefined) return;
    const { grpc, loadSync } = await loadGrpc();
    const definition = loadSync(WATCHMAN_HEALTH_PROTO_PATH, { keepCase: true, enums: String, defaults: true });
    const loaded = grpc.loadPackageDefinition(definition as never) as unknown as {
      grpc: { health: { v1: { Health: { service: Grpc.ServiceDefinition } } } };
    };
    const server = new grpc.Server();
    server.addService(loaded.grpc.health.v1.Health.service, this.implementation(grpc));
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    this.server = server;
    this.logger.log(`gRPC health (grpc.health.v1.Health) on ${host}:${this.boundPort}`);
  }

  // After every destroy hook, so after the shutdown delay; a Watch stream would hold a
  // graceful shutdown forever.
  beforeApplicationShutdown(): void {
    this.server?.forceShutdown();
    this.server = undefined;
  }

  private implementation(grpc: GrpcModule): Grpc.UntypedServiceImplementation {
    const health = this.health;
    return {
      Check(call: Grpc.ServerUnaryCall<HealthRequest, unknown>, callback: Grpc.sendUnaryData<unknown>) {
        const service = call.request.service ?? '';
        health.check(service).then(
          (status) =>
            status === 'SERVICE_UNKNOWN'
              ? callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${JSON.stringify(service)}` })
              : callback(null, { status }),
          (error: Error) => callback({ code: grpc.status.INTERNAL, details: error.message }),
        );
      },
      Watch(call: Grpc.ServerWritableStream<HealthRequest, unknown>) {
        const subscription = health.watch(call.request.service ?? '').subscribe({
          next: (status) => call.write({ status }),
          error: () => call.end(),
        });
        const stop = () => subscription.unsubscribe();
        call.on('cancelled', stop);
        call.on('close', stop);
        call.on('error', stop);
      },
      List(_call: unknown, callback: Grpc.sendUnaryData<unknown>) {
        Promise.all(health.services().map(async (service) => [service, { status: await health.check(service) }]))
          .then((entries) => callback(null, { statuses: Object.fromEntries(entries) }))
          .catch((error: Error) => callback({ code: grpc.status.INTERNAL, details: error.message }));
      },
    };
  }
}

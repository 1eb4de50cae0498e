import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions, Transport } from '@nestjs/microservices';
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { WatchmanCheck, WatchmanModule, WatchmanRunner } from 'nestjs-watchman';
import { WATCHMAN_HEALTH_PROTO_PATH, WatchmanGrpcHealthController } from 'nestjs-watchman/grpc';
import { PassingCheck } from '../fixtures/checks.js';
import { using } from '../support/http-app.js';
import { closedPort } from '../support/services.js';
import { tempDir } from '../support/temp-dir.js';
import { until } from '../support/until.js';

// The documented way to serve watchman's health from the app's own Nest gRPC microservice:
// the exported proto path beside the app's, and the exported controller.

@WatchmanCheck('switch')
@Injectable()
class SwitchCheck {
  static down = false;
  check() {
    if (SwitchCheck.down) throw new Error('switched off');
  }
}

type HealthClient = grpc.Client & {
  Check(r: { service: string }, cb: (e: grpc.ServiceError | null, r?: { status: string }) => void): void;
  Watch(r: { service: string }): grpc.ClientReadableStream<{ status: string }>;
};
const Client = grpc.makeGenericClientConstructor(healthService as never, 'Health') as unknown as new (
  address: string,
  credentials: grpc.ChannelCredentials,
) => HealthClient;

describe('watchman’s health in a real Nest gRPC microservice', () => {
  it('answers Check and Watch on the app’s own gRPC port', async () => {
    @Module({
      imports: [WatchmanModule.forRoot({ mediaRoot: tempDir(), checks: ['passing', 'switch'], openRouteTtl: 0 })],
      controllers: [WatchmanGrpcHealthController],
      providers: [PassingCheck, SwitchCheck],
    })
    class GrpcAppModule {}
    const port = await closedPort();
    const microservice = NestFactory.createMicroservice<MicroserviceOptions>(GrpcAppModule, {
      transport: Transport.GRPC,
      options: {
        package: 'grpc.health.v1',
        protoPath: WATCHMAN_HEALTH_PROTO_PATH,
        url: `127.0.0.1:${port}`,
        loader: { keepCase: true, enums: String },
      },
      logger: false,
    });
    await using(microservice, async (app) => {
      await app.listen();
      const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      const check = (service: string) =>
        new Promise<string>((resolve) =>
          client.Check({ service }, (error, response) =>
            resolve(error ? `error ${error.code}` : String(response?.status)),
          ),
        );
      const seen: string[] = [];
      const stream = client.Watch({ service: 'readiness' });
      stream.on('data', ({ status }) => seen.push(status));
      stream.on('error', () => undefined);
      // The stream and the client end before the app closes.
      const grpcClient = {
        close: async () => {
          stream.cancel();
          client.close();
        },
      };
      await using(grpcClient, async () => {
        expect(await check('')).toBe('SERVING');
        expect(await check('switch')).toBe('SERVING');
        expect(await check('nope')).toBe(`error ${grpc.status.NOT_FOUND}`);
        await until(
          () => seen.length,
          (n) => n >= 1,
        );
        SwitchCheck.down = true;
        await app.get(WatchmanRunner).run();
        await until(
          () => seen.length,
          (n) => n >= 2,
        );
        expect(seen).toEqual(['SERVING', 'NOT_SERVING']);
        expect(await check('readiness')).toBe('NOT_SERVING');
      });
    });
  });
});

import { ClientsModule, type ClientsModuleOptions, Transport } from '@nestjs/microservices';
import { envUrl } from './env-url.js';

/**
 * `@nestjs/microservices` clients from the environment, named as watchman reports them:
 * REDIS_URL → `redis`, NATS_URL → `nats`, AMQP_URL → `rabbitmq`, MQTT_URL → `mqtt`.
 */
export function microserviceClients(env: NodeJS.ProcessEnv = process.env): ReturnType<typeof ClientsModule.register>[] {
  const clients: ClientsModuleOptions = [];
  const redis = envUrl('REDIS_URL', env);
  if (redis) {
    clients.push({
      name: 'redis',
      transport: Transport.REDIS,
      options: {
        host: redis.hostname,
        port: Number(redis.port || 6379),
        password: redis.password ? decodeURIComponent(redis.password) : undefined,
        db: redis.pathname.length > 1 ? Number(redis.pathname.slice(1)) : undefined,
      },
    });
  }
  const nats = envUrl('NATS_URL', env);
  if (nats) clients.push({ name: 'nats', transport: Transport.NATS, options: { servers: [nats.href] } });
  const amqp = envUrl('AMQP_URL', env);
  if (amqp)
    clients.push({ name: 'rabbitmq', transport: Transport.RMQ, options: { urls: [amqp.href], queue: 'sample_app' } });
  const mqtt = envUrl('MQTT_URL', env);
  if (mqtt) clients.push({ name: 'mqtt', transport: Transport.MQTT, options: { url: mqtt.href } });
  return clients.length > 0 ? [ClientsModule.register(clients)] : [];
}

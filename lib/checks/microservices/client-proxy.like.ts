/** The part of a `@nestjs/microservices` ClientProxy the check reads (the package stays optional). */
export interface ClientProxyLike {
  connect(): Promise<unknown>;
  close(): unknown;
  send(pattern: unknown, data: unknown): unknown;
  emit(pattern: unknown, data: unknown): unknown;
  /** The transport's options, as given to `ClientsModule.register()`. */
  options?: Record<string, unknown>;
}

/** The transports the check knows a round trip for. */
export type TransportName = 'redis' | 'nats' | 'rmq' | 'mqtt' | 'tcp' | 'other';

const TRANSPORTS = new Map<string, TransportName>([
  ['ClientRedis', 'redis'],
  ['ClientNats', 'nats'],
  ['ClientRMQ', 'rmq'],
  ['ClientMqtt', 'mqtt'],
  ['ClientTCP', 'tcp'],
]);

/** Duck-typed, so a client from any copy of @nestjs/microservices is recognised. */
export function isClientProxy(value: unknown): value is ClientProxyLike {
  const candidate = value as Partial<ClientProxyLike> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    ['connect', 'close', 'send', 'emit'].every(
      (method) => typeof (candidate as Record<string, unknown>)[method] === 'function',
    ) &&
    transportClasses(candidate).some((name) => name === 'ClientProxy' || TRANSPORTS.has(name))
  );
}

/** Which built-in transport a client is (walking up its classes, so subclasses count). */
export function transportOf(client: ClientProxyLike): TransportName {
  for (const name of transportClasses(client)) {
    const transport = TRANSPORTS.get(name);
    if (transport) return transport;
  }
  return 'other';
}

function transportClasses(value: object): string[] {
  const names: string[] = [];
  for (
    let proto = Object.getPrototypeOf(value);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    names.push(proto.constructor?.name ?? '');
  }
  return names;
}

/** A client's name: its injection token, as the app registered it. */
export function clientName(token: unknown): string {
  if (typeof token === 'string') return token;
  if (typeof token === 'symbol') return token.description ?? token.toString();
  if (typeof token === 'function') return token.name;
  return String(token);
}

/** Loads an optional broker package, failing the check with what to install. */
export async function loadOptional<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch {
    throw new Error(`the microservices check needs the ${name} package for this client: npm install ${name}`);
  }
}

/** When a late result arrives after the check gave up, release it. */
export function releaseLate<T>(work: Promise<T>, release: (value: T) => unknown): void {
  work.then(
    (value) => {
      try {
        void Promise.resolve(release(value)).catch(() => undefined);
      } catch {
        // best effort
      }
    },
    () => undefined,
  );
}

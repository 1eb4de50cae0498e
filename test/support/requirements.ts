import { existsSync } from 'node:fs';
import { connect } from 'node:net';

/** Whether tests must fail (not skip) when something they need is missing. */
export const servicesRequired = process.env.CI === 'true' || process.env.WATCHMAN_REQUIRE_SERVICES === '1';

/**
 * `describe` when nothing is missing; otherwise a visible skip, or, under CI=true /
 * WATCHMAN_REQUIRE_SERVICES=1, a describe whose one test fails saying what is missing.
 */
export function describeIf(missing: string | undefined): jest.Describe {
  if (missing === undefined) return describe;
  if (servicesRequired) {
    return ((title: string) =>
      describe(title, () =>
        it(`needs what is missing`, () => {
          throw new Error(`${missing} (required under CI)`);
        }),
      )) as unknown as jest.Describe;
  }
  console.warn(`SKIPPED: ${missing}; its tests are skipped (set CI=true to make this a failure)`);
  return describe.skip;
}

/** `it` when nothing is missing; as `describeIf` otherwise. */
export function itIf(missing: string | undefined): jest.It {
  if (missing === undefined || servicesRequired) return it;
  console.warn(`SKIPPED: ${missing}; its tests are skipped (set CI=true to make this a failure)`);
  return it.skip;
}

/** Why a program from Debian is missing, if it is. */
export function needsProgram(path: string, debianPackage: string): string | undefined {
  return existsSync(path) ? undefined : `${path} is not installed (apt-get install ${debianPackage})`;
}

/** Why a local service is missing, if it is. */
export async function needsService(name: string, port: number): Promise<string | undefined> {
  return (await portOpen(port)) ? undefined : `${name} is not reachable on 127.0.0.1:${port}`;
}

/** Why any of these local services (name → port) is missing, if one is: all missing ones in one message. */
export async function needsServices(services: Record<string, number>): Promise<string | undefined> {
  const missing = await Promise.all(Object.entries(services).map(([name, port]) => needsService(name, port)));
  const reasons = missing.filter((reason) => reason !== undefined);
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/** `describe` when every service answers on its 127.0.0.1 port (see `describeIf`). */
export async function describeWithServices(services: Record<string, number>): Promise<jest.Describe> {
  return describeIf(await needsServices(services));
}

/** `describe` when the service answers on 127.0.0.1:port (see `describeIf`). */
export function describeWithService(name: string, port: number): Promise<jest.Describe> {
  return describeWithServices({ [name]: port });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

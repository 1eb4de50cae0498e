import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaPg } from '@prisma/adapter-pg';

/** The Prisma clients test/global-setup.mjs generates from test/fixtures/prisma/<flavour>.prisma. */
export type PrismaFlavour = 'pg' | 'mariadb';

/** What the tests use of a generated PrismaClient. */
export interface TestPrismaClient {
  $queryRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<unknown>;
  $connect(): Promise<void>;
  $disconnect(): Promise<void>;
}

/** A generated PrismaClient class, to extend as apps do (`class PrismaService extends PrismaClient`). */
export type PrismaClientClass = new (options: { adapter: unknown }) => TestPrismaClient;

/**
 * The generated client of that flavour. Imported by a computed path: the client exists only
 * once global-setup has generated it, and type-checking must not need it.
 */
export async function prismaClientClass(flavour: PrismaFlavour): Promise<PrismaClientClass> {
  const loaded = (await import(`../fixtures/prisma/generated/${flavour}/client.js`)) as {
    PrismaClient: PrismaClientClass;
  };
  return loaded.PrismaClient;
}

/** The driver adapter for a server on 127.0.0.1:port (PostgreSQL db `test`, MariaDB db `test` as root). */
export function prismaAdapter(flavour: PrismaFlavour, port: number, driver: Record<string, unknown> = {}): unknown {
  if (flavour === 'pg')
    return new PrismaPg({ connectionString: `postgres://postgres@127.0.0.1:${port}/test`, ...driver });
  return new PrismaMariaDb({ host: '127.0.0.1', port, user: 'root', database: 'test', ...driver });
}

/** The real servers, by flavour. */
export const PRISMA_PORTS: Record<PrismaFlavour, number> = { pg: 5432, mariadb: 3306 };

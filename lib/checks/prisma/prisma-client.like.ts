import { tokenName } from '../databases/token-name.js';

/** The part of a PrismaClient the databases check uses (@prisma/client stays an optional peer). */
export interface PrismaClientLike {
  $queryRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<unknown>;
  $connect(): Promise<void>;
  $disconnect(): Promise<void>;
}

/** Duck-typed, so a client generated anywhere (`prisma-client` or `prisma-client-js`) is recognised. */
export function isPrismaClient(value: unknown): value is PrismaClientLike {
  const candidate = value as Record<string, unknown> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.$queryRaw === 'function' &&
    typeof candidate.$queryRawUnsafe === 'function' &&
    typeof candidate.$connect === 'function' &&
    typeof candidate.$disconnect === 'function' &&
    typeof candidate.$transaction === 'function'
  );
}

/**
 * The alias of a PrismaClient provider: its name in lower case minus a `service` or `client`
 * suffix (`PrismaService` → `prisma`, `ReportingClient` → `reporting`, token `'AUDIT_DB'` →
 * `audit_db`). The generated `PrismaClient` class itself (whose own name is minified) is `prisma`.
 */
export function prismaAlias(token: unknown): string {
  if (typeof token === 'function' && Object.hasOwn(token.prototype ?? {}, '$queryRaw')) return 'prisma';
  const name = tokenName(token).toLowerCase();
  const stem = name.replace(/(service|client)$/, '');
  return stem === '' ? name : stem;
}

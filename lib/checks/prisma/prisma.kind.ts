import { abortable } from '../../common/race.js';
import type { DatabaseKind } from '../databases/database-kind.js';
import { type PrismaClientLike, isPrismaClient, prismaAlias } from './prisma-client.like.js';

/**
 * Every PrismaClient provider (typically `class PrismaService extends PrismaClient`):
 * `SELECT 1` through `$queryRaw`. Prisma has no way to cancel a query, so on timeout the ping
 * is abandoned, not stopped: the pool's connection comes back when the query ends, or when the
 * driver's own timeouts end it (set them: pg `connectionTimeoutMillis` / `query_timeout`,
 * mariadb `connectTimeout` / `queryTimeout`).
 */
export const prismaKind: DatabaseKind<PrismaClientLike> = {
  label: 'PrismaClient',
  recognise: isPrismaClient,
  alias: (token) => prismaAlias(token),
  async ping(client, signal) {
    signal.throwIfAborted();
    try {
      // A PrismaPromise runs only once awaited: abortable() awaits it.
      await abortable(client.$queryRaw`SELECT 1`, signal);
    } catch (error) {
      throw signal.aborted ? error : plainPrismaError(error);
    }
  },
};

/**
 * Prisma's messages start with a blank line and "Invalid `prisma.$queryRaw()` invocation:";
 * keep the driver's words (`Can't reach database server at 127.0.0.1:5432`) and the code.
 */
function plainPrismaError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const text = error.message.replace(/^\s*Invalid `[^`]*` invocation:\s*/, '').trim();
  const raw = /^Raw query failed\. Code: `([^`]*)`\. Message: `([\s\S]*)`$/.exec(text);
  const message = raw ? (raw[1] === 'N/A' ? raw[2] : `${raw[2]} (code ${raw[1]})`) : text;
  if (message === error.message) return error;
  const plain = new Error(message);
  plain.name = error.name;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  plain.stack = [`${error.name}: ${message}`, ...frames].join('\n');
  return Object.assign(plain, { code: (error as { code?: unknown }).code });
}

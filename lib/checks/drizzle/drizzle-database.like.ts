/** The part of a Drizzle database the databases check uses (drizzle-orm stays an optional peer). */
export interface DrizzleDatabaseLike {
  /** PostgreSQL and MySQL databases. */
  execute?(query: string): PromiseLike<unknown>;
  /** SQLite databases (sync drivers answer at once). */
  get?(query: string): unknown;
  /** The driver's client or pool the database was made with. */
  $client?: unknown;
}

/** A Drizzle database of any dialect: `select()` plus `execute()` (pg, mysql) or `get()` (sqlite). */
export function isDrizzleDatabase(value: unknown): value is DrizzleDatabaseLike {
  const candidate = value as Record<string, unknown> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.select === 'function' &&
    (typeof candidate.execute === 'function' || typeof candidate.get === 'function')
  );
}

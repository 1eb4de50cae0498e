import type { InjectionToken } from '@nestjs/common';

/** The `databases` check's own settings, which every kind may read. */
export interface DatabasesCheckSettings {
  /** The subset to check (WATCHMAN_DATABASES); all found by default. */
  names?: readonly string[];
  /** Aliases given in the options to providers found by themselves: alias → injection token. */
  tokens?: ReadonlyMap<string, InjectionToken>;
  /** Drizzle databases by alias (the `drizzle` option). */
  drizzle?: ReadonlyMap<string, object>;
}

/**
 * One kind of database the `databases` check knows (TypeORM, Prisma, Drizzle, …): how its
 * instances are found — recognised among the app's providers by their shape, so the peer is
 * never imported, or named in the options — and how one is pinged. Aliases of every kind share
 * one namespace.
 */
export interface DatabaseKind<T = unknown> {
  /** What an instance is called in messages: `TypeORM DataSource`, `PrismaClient`. */
  readonly label: string;
  /** Whether a provider instance is of this kind (duck typing). Kinds found only in the options have none. */
  recognise?(instance: unknown): instance is T;
  /** The alias of a recognised provider, from its injection token and instance. */
  alias?(token: unknown, instance: T): string;
  /** Instances the options name, by alias, for kinds without a provider to find (Drizzle). */
  configured?(settings: DatabasesCheckSettings): Iterable<readonly [string, T]>;
  /**
   * One real round trip; throws on failure. When `signal` fires (the check's timeout) whatever
   * the ping holds — a pooled connection — is released or destroyed, not left to hang.
   */
  ping(instance: T, signal: AbortSignal): Promise<void>;
}

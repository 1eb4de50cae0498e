/**
 * One kind of database client the `databases` check finds among the app's providers (a
 * TypeORM DataSource, a MikroORM instance, a Sequelize instance…). Recognised by its shape,
 * so the kind's package is never imported: an app without it still boots.
 */
export interface DatabaseKind<T = unknown> {
  /** What the kind is called in messages and, on an alias clash, in the alias (`mikro-orm`). */
  readonly name?: string;
  /** Whether a provider instance is one of these (duck typing, never `instanceof`). */
  recognises(instance: unknown): boolean;
  /** Its alias in the `databases` list, from the instance and the token it was provided under. */
  alias(instance: T, token: unknown): string;
  /** One real round trip; honours `signal` and leaves no connection behind when it fires. */
  ping(instance: T, signal: AbortSignal): Promise<void>;
}

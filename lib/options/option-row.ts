import type { z } from 'zod';
import { type EnvParser, none } from './option-parsers.js';

/**
 * One option: the environment variable it falls back to, how that variable's text is read,
 * what a value must be (and what it becomes: shaping lives in the schema's transforms), and
 * its default. `Defaulted` says at the type level whether the resolved value can be missing.
 */
export interface OptionRow<S extends z.ZodType = z.ZodType, Defaulted extends boolean = boolean> {
  readonly env?: string;
  /** Read when `env` is not set, with a deprecation warning. */
  readonly deprecatedEnv?: string;
  readonly fromEnv: EnvParser;
  readonly schema: S;
  /** Used when neither code nor environment gives a value; run through the schema like any value. */
  readonly fallback?: unknown;
  /** Type-level only: whether there is a fallback. */
  readonly defaulted?: Defaulted;
}

/** Options nest (`email.sender`): a group is an object of rows and groups. */
export interface OptionTree {
  readonly [key: string]: OptionRow | OptionTree;
}

/** An option read from code or `env`, with no default. */
export function option<S extends z.ZodType>(
  env: string | undefined,
  fromEnv: EnvParser,
  schema: S,
): OptionRow<S, false>;
/** An option read from code or `env`, else `fallback`. */
export function option<S extends z.ZodType>(
  env: string | undefined,
  fromEnv: EnvParser,
  schema: S,
  fallback: z.input<S>,
): OptionRow<S, true>;
export function option(env: string | undefined, fromEnv: EnvParser, schema: z.ZodType, fallback?: unknown): OptionRow {
  return { env, fromEnv, schema, fallback };
}

/** An option only code can give (an object, a class, a client: no environment form). */
export function codeOnly<S extends z.ZodType>(schema: S): OptionRow<S, false>;
export function codeOnly<S extends z.ZodType>(schema: S, fallback: z.input<S>): OptionRow<S, true>;
export function codeOnly(schema: z.ZodType, fallback?: unknown): OptionRow {
  return { fromEnv: none, schema, fallback };
}

/** `option()` that also honours an older variable, with a warning naming the new one. */
export function renamed<S extends z.ZodType, D extends boolean>(
  row: OptionRow<S, D>,
  deprecatedEnv: string,
): OptionRow<S, D> {
  return { ...row, deprecatedEnv };
}

/** Whether a table entry is a row (else a group). */
export function isOptionRow(entry: OptionRow | OptionTree): entry is OptionRow {
  return typeof (entry as OptionRow).fromEnv === 'function' && typeof (entry as OptionRow).schema === 'object';
}

/** What code may pass: every option optional, in the shape the schemas accept. */
export type OptionsOf<T> = {
  -readonly [K in keyof T]?: T[K] extends OptionRow<infer S, boolean> ? z.input<S> : OptionsOf<T[K]>;
};

/** What the module resolves: every defaulted option present, in the shape the schemas produce. */
export type ConfigOf<T> = {
  -readonly [K in keyof T]: T[K] extends OptionRow<infer S, infer D>
    ? D extends true
      ? z.output<S>
      : z.output<S> | undefined
    : ConfigOf<T[K]>;
};

import { Logger } from '@nestjs/common';
import { errorMessage } from '../../common/error-like.js';
import { within } from '../../common/race.js';
import { redactUrls } from '../../common/redact.js';
import { WATCHMAN_LOG_CONTEXT } from '../../watchman.constants.js';
import type { DataSourceLike } from './data-source.like.js';

/** Initializations still running after start-up gave up waiting; the databases check joins them. */
export const pendingInitializations = new WeakMap<object, Promise<unknown>>();

/** Options of `tolerantDataSourceFactory()`. */
export interface TolerantDataSourceOptions {
  /** How long start-up waits for the first connection, in ms (default 5000). */
  connectTimeout?: number;
}

/**
 * A `dataSourceFactory` for `TypeOrmModule.forRootAsync()` that lets the app boot when a
 * database is down: the DataSource is returned uninitialized, watchman reports it failing,
 * and the `databases` check initializes it once the database answers (no restart). Pair it
 * with `manualInitialization: true`, or @nestjs/typeorm retries and then stops start-up.
 *
 * @example
 * TypeOrmModule.forRootAsync({
 *   useFactory: () => ({ type: 'postgres', url: process.env.DATABASE_URL, manualInitialization: true }),
 *   dataSourceFactory: tolerantDataSourceFactory(),
 * })
 */
export function tolerantDataSourceFactory(options: TolerantDataSourceOptions = {}) {
  const logger = new Logger(WATCHMAN_LOG_CONTEXT);
  const connectTimeout = options.connectTimeout ?? 5000;
  // Promise<any>: a typeorm DataSource, without typeorm's types in watchman's public declarations.
  return async (dataSourceOptions?: object): Promise<any> => {
    const { DataSource } = await import('typeorm');
    const dataSource = new DataSource(dataSourceOptions as never) as unknown as DataSourceLike;
    const name = (dataSourceOptions as { name?: string } | undefined)?.name ?? 'default';
    const initializing = dataSource.initialize();
    pendingInitializations.set(dataSource, initializing);
    initializing.then(
      () => pendingInitializations.delete(dataSource),
      (error: unknown) => {
        pendingInitializations.delete(dataSource);
        logger.warn(
          `DataSource ${name} could not connect at start-up (${redactUrls(errorMessage(error))}); watchman reports it until it can`,
        );
      },
    );
    await within(
      initializing.catch(() => undefined),
      connectTimeout,
      () => undefined,
    );
    return dataSource;
  };
}

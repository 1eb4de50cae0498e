import type { WatchmanModuleOptions } from 'nestjs-watchman';
import { type NodeRun, runNode } from './spawn-node.js';

/** How bootContextInChild boots: Nest's logger option, and `--import` hooks loaded before the script. */
export interface ChildContextOptions {
  logger?: false | string[];
  imports?: string[];
}

/**
 * Boots `WatchmanModule.forRoot(options)` as a Nest application context in a fresh `node`
 * (the built package, as an app would import it) and never closes it, so the run shows whether
 * the process ends by itself. It prints `booted` once the context is up; a start-up error is
 * printed to stderr and exits 3. `options` must be plain data (it is written into the script).
 */
export function bootContextInChild(
  options: WatchmanModuleOptions,
  { logger = false, imports = [] }: ChildContextOptions = {},
): Promise<NodeRun> {
  const script = [
    "import 'reflect-metadata';",
    "import { Module } from '@nestjs/common';",
    "import { NestFactory } from '@nestjs/core';",
    "import { WatchmanModule } from 'nestjs-watchman';",
    'class Worker {}',
    `Module({ imports: [WatchmanModule.forRoot(${JSON.stringify(options)})] })(Worker);`,
    'try {',
    `  await NestFactory.createApplicationContext(Worker, { logger: ${JSON.stringify(logger)} });`,
    "  console.log('booted');",
    '} catch (error) {',
    '  console.error(error.message);',
    '  process.exit(3);',
    '}',
  ].join('\n');
  return runNode([...imports.flatMap((hook) => ['--import', hook]), '--input-type=module', '-e', script]);
}

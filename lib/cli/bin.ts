#!/usr/bin/env node
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI_USAGE, CliUsageError, parseCliArgs } from './cli-args.js';
import { runProbe } from './probe.client.js';

// `npx nestjs-watchman`: finds the app's compiled module, then runs the same CLI as runWatchmanCli.
// Where `nest build` puts AppModule: dist/ (rootDir src) or dist/src/ (rootDir at the project root).
const DEFAULT_MODULES = ['dist/app.module.js#AppModule', 'dist/src/app.module.js#AppModule'];

async function main(argv: string[]): Promise<number> {
  // `nestjs-watchman probe`: asks the running app; nothing of it is booted.
  if (argv[0] === 'probe') return runProbe(argv.slice(1), process.env, process);
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`nestjs-watchman: ${(error as Error).message}\n\n${CLI_USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(CLI_USAGE);
    return 0;
  }
  let appModule;
  try {
    const spec =
      args.module ??
      process.env.WATCHMAN_CLI_MODULE ??
      DEFAULT_MODULES.find((candidate) => existsSync(resolve(candidate.split('#')[0]))) ??
      DEFAULT_MODULES[0];
    appModule = await loadModule(spec);
  } catch (error) {
    process.stderr.write(`nestjs-watchman: ${(error as Error).message}\n\n${CLI_USAGE}`);
    return 2;
  }
  // Loaded only here: `probe` must start fast and never load Nest.
  const { runChecks } = await import('./watchman.cli.js');
  return runChecks(appModule, args, process);
}

async function loadModule(spec: string) {
  const hash = spec.lastIndexOf('#');
  const file = hash > 0 ? spec.slice(0, hash) : spec;
  const exportName = hash > 0 ? spec.slice(hash + 1) : 'AppModule';
  const path = resolve(file);
  if (!existsSync(path))
    throw new CliUsageError(`cannot find the app module ${file} (use --module path/to/app.module.js#AppModule)`);
  const loaded = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const found = loaded[exportName] ?? (hash > 0 ? undefined : loaded.default);
  if (!found) throw new CliUsageError(`${file} has no export named ${exportName}`);
  return found as never;
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Anything the app left open (a socket to a hung server) must not keep a health probe hanging.
setTimeout(() => process.exit(code), 1000).unref();

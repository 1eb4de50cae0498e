import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as mikroOrmCore from '@mikro-orm/core';
import * as nestCommon from '@nestjs/common';
import * as nestCore from '@nestjs/core';

// @mikro-orm/nestjs 6 is CommonJS and require()s the ESM-only Nest 12. Node ≥ 20.19 does that
// by itself (the sample app and the packed-tarball app use the package as is), but jest's module
// system cannot before Node 24.9. jest maps '@mikro-orm/nestjs' here: the package's own files run
// unchanged, and their require() of Nest and MikroORM gets the copies the test itself imports.

const shared: Record<string, unknown> = {
  '@nestjs/common': nestCommon,
  '@nestjs/core': nestCore,
  '@mikro-orm/core': mikroOrmCore,
};
// (Its package.json: the bare name would resolve to this very file through jest's mapping.)
const entry = join(dirname(createRequire(import.meta.url).resolve('@mikro-orm/nestjs/package.json')), 'index.js');
const loaded = new Map<string, { exports: unknown }>();

function load(file: string): unknown {
  const cached = loaded.get(file);
  if (cached) return cached.exports;
  const module = { exports: {} as unknown };
  loaded.set(file, module);
  const requireFrom = (id: string): unknown => {
    if (id in shared) return shared[id];
    if (id.startsWith('.')) return load(join(dirname(file), id.endsWith('.js') ? id : `${id}.js`));
    throw new Error(`@mikro-orm/nestjs loader: unexpected require(${JSON.stringify(id)})`);
  };
  new Function('exports', 'require', 'module', '__filename', '__dirname', readFileSync(file, 'utf8'))(
    module.exports,
    requireFrom,
    module,
    file,
    dirname(file),
  );
  return module.exports;
}

const real = load(entry) as typeof import('@mikro-orm/nestjs');
export const { MikroOrmModule, InjectEntityManager, InjectMikroORM, InjectMikroORMs, InjectRepository } = real;

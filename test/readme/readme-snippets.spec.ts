import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/spawn-node.js';

// Every TypeScript block of the README is a whole file a user can paste: it must type-check
// (strict) against the package, as the user's compiler would see it.

const SNIPPETS = join(ROOT, 'test/readme/.snippets');

/** The README's ```ts blocks, with the line each starts on. */
export function readmeBlocks(language = 'ts'): Array<{ line: number; code: string }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks: Array<{ line: number; code: string }> = [];
  // Blocks may be indented (inside a list item): the closing fence has the same indent.
  const pattern = new RegExp('^( *)```' + language + '\\n([\\s\\S]*?)^\\1```$', 'gm');
  for (const match of readme.matchAll(pattern)) {
    const indent = match[1].length;
    const code = match[2].split('\n').map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length))).join('\n');
    blocks.push({ line: readme.slice(0, match.index).split('\n').length, code });
  }
  return blocks;
}

describe('README', () => {
  it('has TypeScript examples, and every one of them compiles', () => {
    const blocks = readmeBlocks();
    expect(blocks.length).toBeGreaterThan(8);
    rmSync(SNIPPETS, { recursive: true, force: true });
    mkdirSync(SNIPPETS, { recursive: true });
    for (const [index, block] of blocks.entries()) {
      writeFileSync(join(SNIPPETS, `readme-line-${block.line}.ts`), `${block.code}\nexport {};\n`);
      void index;
    }
    writeFileSync(
      join(SNIPPETS, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../../tsconfig.json',
        compilerOptions: { noEmit: true, types: ['node'], noUnusedLocals: false },
        include: ['*.ts'],
      }),
    );
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(SNIPPETS, 'tsconfig.json')], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const output = String((error as { stdout?: Buffer }).stdout ?? error);
      throw new Error(`README examples do not compile (file names give the README line of the block):\n${output}`);
    }
  }, 60_000);
});

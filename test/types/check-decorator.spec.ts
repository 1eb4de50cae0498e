import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../support/spawn-node.js';

// A type-level test: test/types/check-decorator.types.ts compiled with the project's
// tsconfig, as it is (every `@ts-expect-error` is used, every good class compiles) and with
// the `@ts-expect-error` lines taken out (then each marked decorator is an error).

const FILE = join(ROOT, 'test/types/check-decorator.types.ts');
const EXPECT_ERROR = /^\s*\/\/ @ts-expect-error/;

// The second compile reuses what the first one read (the library, @nestjs, node's types).
let previous: ts.Program | undefined;

function diagnostics(rewrite: (text: string) => string = (text) => text) {
  const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) =>
    fileName === FILE
      ? ts.createSourceFile(fileName, rewrite(readFileSync(FILE, 'utf8')), language)
      : getSourceFile(fileName, language, ...rest);
  const program = ts.createProgram([FILE], { ...options, noEmit: true }, host, previous);
  previous = program;
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file?.fileName === FILE)
    .map((diagnostic) => ({
      line: (diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line ?? 0) + 1,
      code: diagnostic.code,
      text: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    }));
}

describe('@WatchmanCheck() types', () => {
  const lines = readFileSync(FILE, 'utf8').split('\n');
  // Line numbers (1-based) of the decorators marked as errors, once their marks are blanked out.
  const marked = lines.flatMap((line, index) => (EXPECT_ERROR.test(line) ? [index + 2] : []));

  it('compiles every real check class, and each marked decorator is an error (no unused @ts-expect-error)', () => {
    expect(marked).toHaveLength(5);
    expect(diagnostics()).toEqual([]);
  }, 60_000);

  it('refuses a class with neither check() nor aliases() + checkAlias(), at the decorator', () => {
    // Blank the marks (keeping the line numbers), so the errors they expected show.
    const found = diagnostics((text) =>
      text
        .split('\n')
        .map((line) => (EXPECT_ERROR.test(line) ? '' : line))
        .join('\n'),
    );
    expect(found.map((diagnostic) => diagnostic.line)).toEqual(marked);
    for (const diagnostic of found) {
      expect(diagnostic.code).toBe(1238); // Unable to resolve signature of class decorator
      expect(diagnostic.text).toContain('WatchmanCheckClass');
    }
  }, 60_000);
});

#!/usr/bin/env node
// The public API report: every export of lib/index.ts with its signature, types expanded to
// their members (so the option types inferred from the option table show every option, which
// api-extractor would print as the unexpanded alias), @internal members left out as they are
// from the .d.ts. `--check` fails when lib/ and api/nestjs-watchman.api.md disagree: a change
// to the public surface must come with the report's diff.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reportFile = join(root, 'api/nestjs-watchman.api.md');
const entry = join(root, 'lib/index.ts');

const { config } = ts.readConfigFile(join(root, 'tsconfig.build.json'), ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
const program = ts.createProgram([entry], { ...options, noEmit: true });
const checker = program.getTypeChecker();
const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType;

const internal = (symbol) =>
  (symbol.declarations ?? []).some((declaration) =>
    ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'internal'),
  );
const hidden = (symbol) => {
  const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
  const modifiers = declaration ? ts.getCombinedModifierFlags(declaration) : 0;
  return internal(symbol) || Boolean(modifiers & ts.ModifierFlags.Private) || symbol.name.startsWith('#');
};
const typeText = (type, at) => checker.typeToString(type, at, flags);
const libDir = join(root, 'lib');
const ours = (symbol) =>
  (symbol?.declarations ?? []).some((declaration) => declaration.getSourceFile().fileName.startsWith(libDir));
let exportedNames = new Set();

/** An object type's members, one per line, nested groups expanded; other types as TypeScript prints them. */
function expand(type, at, indent, depth = 0) {
  const named = type.aliasSymbol ?? type.getSymbol();
  // Another export is shown by name (it has its own entry); the platform's types too.
  if (depth > 0 && named && exportedNames.has(named.name)) return typeText(type, at);
  const plainObject =
    ours(named) &&
    type.flags & ts.TypeFlags.Object &&
    !checker.isArrayType(type) &&
    type.getCallSignatures().length === 0 &&
    type.getProperties().length > 0 &&
    !/^(Readonly)?(Map|Set|Date|Promise|RegExp)</.test(typeText(type, at));
  if (!plainObject || depth > 3)
    return depth === 0 ? checker.typeToString(type, at, flags | ts.TypeFormatFlags.InTypeAlias) : typeText(type, at);
  const lines = type
    .getProperties()
    .filter((property) => !hidden(property))
    .map((property) => {
      const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
      const declared = checker.getTypeOfSymbolAtLocation(property, at);
      const propertyType = declared.flags & ts.TypeFlags.Unknown ? declared : checker.getNonNullableType(declared);
      return `${indent}  ${property.name}${optional}: ${expand(propertyType, at, `${indent}  `, depth + 1)};`;
    });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function describeClass(symbol, at) {
  const lines = [];
  const statics = checker.getTypeOfSymbolAtLocation(symbol, at);
  for (const signature of statics.getConstructSignatures())
    lines.push(`  constructor${checker.signatureToString(signature, at, flags).replace(/:[^:]*$/, '')};`);
  for (const property of statics.getProperties()) {
    if (property.name === 'prototype' || hidden(property) || !ours(property)) continue;
    lines.push(`  static ${property.name}: ${typeText(checker.getTypeOfSymbolAtLocation(property, at), at)};`);
  }
  for (const property of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) {
    if (hidden(property) || !ours(property)) continue;
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    const modifiers = declaration ? ts.getCombinedModifierFlags(declaration) : 0;
    const prefix = modifiers & ts.ModifierFlags.Protected ? 'protected ' : '';
    lines.push(`  ${prefix}${property.name}: ${typeText(checker.getTypeOfSymbolAtLocation(property, at), at)};`);
  }
  return `class {\n${lines.join('\n')}\n}`;
}

function describe(exported) {
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const at = symbol.declarations?.[0] ?? entry;
  if (symbol.flags & ts.SymbolFlags.Class) return describeClass(symbol, at);
  if (symbol.flags & ts.SymbolFlags.Function) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, at);
    return type
      .getCallSignatures()
      .map((signature) => `function${checker.signatureToString(signature, at, flags)}`)
      .join('\n');
  }
  if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))
    return `type = ${expand(checker.getDeclaredTypeOfSymbol(symbol), at, '')}`;
  return `const: ${typeText(checker.getTypeOfSymbolAtLocation(symbol, at), at)}`;
}

const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
const exports = checker.getExportsOfModule(moduleSymbol).sort((a, b) => a.name.localeCompare(b.name));
exportedNames = new Set(exports.map((exported) => exported.name));
const report = [
  '# nestjs-watchman public API',
  '',
  'Generated by `npm run api` from `lib/index.ts`; CI fails when it is out of date (`npm run api:check`).',
  '',
  ...exports.flatMap((exported) => [`## ${exported.name}`, '', '```ts', describe(exported), '```', '']),
].join('\n');

if (process.argv.includes('--check')) {
  const current = (() => {
    try {
      return readFileSync(reportFile, 'utf8');
    } catch {
      return '';
    }
  })();
  if (current !== report) {
    writeFileSync(`${reportFile}.new`, report);
    console.error(
      `The public API changed: api/nestjs-watchman.api.md is out of date (see ${reportFile}.new: diff it, ` +
        'then run `npm run api` and commit the report with the change).',
    );
    process.exit(1);
  }
  console.log(`API report up to date (${exports.length} exports).`);
} else {
  writeFileSync(reportFile, report);
  console.log(`API report written: ${exports.length} exports.`);
}

import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * The first problem zod found, as a short sentence: the deepest one, inside unions and record
 * keys. (`z.prettifyError` stops at "Invalid input" for a union and "Invalid key in record"
 * for a key, which is where the useful message is.)
 */
export function firstIssue(error: z.ZodError): string {
  return describeIssue(error.issues[0], []);
}

function describeIssue(issue: Issue | undefined, base: PropertyKey[]): string {
  if (!issue) return 'invalid value';
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_key' && issue.issues.length)
    return describeIssue({ ...issue.issues[0], path: [] }, path).replace(/^(at [^:]+: )?/, (at) => `${at}key: `);
  if (issue.code === 'invalid_union' && issue.errors.length) {
    // The branch that got furthest into the value says the most.
    const deepest = issue.errors
      .map((branch) => branch[0])
      .filter(Boolean)
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (deepest && deepest.path.length > 0) return describeIssue(deepest, path);
  }
  const where = path.length ? `at ${path.map(String).join('.')}: ` : '';
  return `${where}${issue.message}`;
}

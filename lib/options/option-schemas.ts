import { z } from 'zod';
import { normalizeCheckName, toList } from '../common/check-names.js';
import { parseSize } from './size.js';

// Shapes every option must have, whether it came from code or from the environment.

const integer = (min: number, why: string) => z.number({ error: why }).int({ error: why }).min(min, { error: why });

export const milliseconds = integer(1, 'expected a positive integer (milliseconds)');
export const notNegative = integer(0, 'expected an integer of 0 or more');
export const httpStatus = integer(100, 'expected an HTTP status code (100-599)').max(599, {
  error: 'expected an HTTP status code (100-599)',
});
export const flag = z.boolean({ error: 'expected true or false' });
export const nonEmptyText = z
  .string({ error: 'must be a non-empty string' })
  .trim()
  .min(1, { error: 'must be a non-empty string' });
export const optionalText = z.string({ error: 'expected a string' });

/** A list of names, given as an array or a comma list. */
export const nameList = z
  .union([z.array(z.string()), z.string()], { error: 'expected a list of names' })
  .transform((value) => toList(value));

/** Check names (dotted django names accepted), de-duplicated in order. */
export const checkList = nameList.transform((names) => [...new Set(names.map(normalizeCheckName))]);

export const tokens = z
  .union([z.array(z.string()), z.string()], { error: 'expected a list of tokens' })
  .transform((value) => toList(value));

export const headers = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]), {
  error: 'expected a JSON object of header names to values',
});

export const size = z
  .union([z.number(), z.string()], { error: 'expected bytes or a percentage' })
  .transform((value, context) => {
    const parsed = parseSize(value);
    if (!parsed)
      context.addIssue({ code: 'custom', message: "expected bytes (e.g. 1048576, '512MiB') or a percentage ('10%')" });
    return parsed ?? { bytes: 0 };
  });

/** Names that are safe as JSON keys, metric labels and URL parameters. */
export const checkName = z.string().regex(/^[^\s,.]+$/, { error: 'a name has no spaces, commas or dots' });

const statusList = z.union([httpStatus, z.array(httpStatus).min(1)]);

export const httpTargets = z.record(
  checkName,
  z.union([
    z.url({ error: 'expected an http(s) URL', protocol: /^https?$/ }),
    z
      .object({
        url: z.url({ error: 'expected an http(s) URL', protocol: /^https?$/ }),
        method: z
          .string()
          .regex(/^[A-Za-z]+$/, { error: 'expected an HTTP method' })
          .optional(),
        expectStatus: statusList.optional(),
        headers: z.record(z.string(), z.string()).optional(),
        timeout: milliseconds.optional(),
      })
      .strict(),
  ]),
);

const hostPort = z
  .string()
  .regex(/^[^:\s]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/i, { error: "expected 'host:port'" });

export const tlsTargets = z.record(
  checkName,
  z.union([
    hostPort,
    z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535).optional(),
        servername: z.string().optional(),
        ca: z.union([z.string(), z.array(z.string())]).optional(),
        minDaysLeft: notNegative.optional(),
      })
      .strict(),
  ]),
);

export const checkSettings = z.record(
  z.string(),
  z.object({ critical: flag.optional(), timeout: milliseconds.optional() }).strict(),
);

type Issue = z.core.$ZodIssue;

/** The first problem zod found, as a short sentence (the deepest one, inside unions and keys). */
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

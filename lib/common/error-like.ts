/** Errors from another realm (vm contexts, workers) fail `instanceof Error`; their shape does not. */
export function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as Error).message === 'string' &&
      typeof (value as Error).name === 'string')
  );
}

/** A message and a stack for any thrown value; never empty. */
export function describeError(thrown: unknown): { error: string; stacktrace: string } {
  if (isErrorLike(thrown)) {
    const error = errorChain(thrown).join(': ') || thrown.name || 'Error';
    return { error, stacktrace: thrown.stack ?? `${thrown.name}: ${error}` };
  }
  let error: string;
  if (typeof thrown === 'string') error = thrown || 'check threw an empty string';
  else if (thrown === undefined || thrown === null) error = `check threw ${String(thrown)}`;
  else {
    try {
      error = JSON.stringify(thrown) ?? String(thrown);
    } catch {
      error = String(thrown);
    }
  }
  return { error, stacktrace: `(a non-Error value was thrown, so there is no stack) ${error}` };
}

/** The message of anything thrown, for short log lines. */
export function errorMessage(thrown: unknown): string {
  return describeError(thrown).error;
}

// Errors from drivers often wrap the useful part (AggregateError, cause); keep it.
function errorChain(error: Error): string[] {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (isErrorLike(current) && !seen.has(current) && parts.length < 4) {
    seen.add(current);
    const message = current.message || aggregateMessage(current) || (current as { code?: string }).code || '';
    if (message && !parts.some((part) => part.includes(message))) parts.push(message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts;
}

function aggregateMessage(error: Error): string {
  if (!(error instanceof AggregateError)) return '';
  return error.errors
    .map((inner: unknown) => (isErrorLike(inner) ? inner.message : String(inner)))
    .filter(Boolean)
    .join('; ');
}

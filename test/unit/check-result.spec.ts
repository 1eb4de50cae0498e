import { describeError } from '../../lib/common/error-like.js';
import { outcomeToJson } from '../../lib/formats/json.format.js';
import { WatchmanCheckError } from '../../lib/checks/check-error.js';
import { failureOutcome, outcomeStatus, statusOf, successOutcome } from '../../lib/runner/check-result.js';
import { runWithTimeout } from '../../lib/runner/check.executor.js';

describe('result shaping', () => {
  const at = new Date();
  it('merges returned objects after ok', () => {
    expect(outcomeToJson(successOutcome({ x: 1 }, performance.now(), at), true)).toEqual({ ok: true, x: 1 });
    expect(outcomeToJson(successOutcome(undefined, performance.now(), at), true)).toEqual({ ok: true });
  });
  it('treats a returned ok:false as a failure', () => {
    expect(outcomeToJson(successOutcome({ ok: false, error: 'nope', n: 2 }, performance.now(), at), true)).toEqual({
      ok: false,
      n: 2,
      error: 'nope',
    });
  });
  it('omits stack traces when they are turned off', () => {
    const outcome = { ok: false, error: 'e', stacktrace: 's', details: {}, durationMs: 1, measuredAt: at };
    expect(outcomeToJson(outcome, false)).toEqual({ ok: false, error: 'e' });
    expect(outcomeToJson(outcome, true)).toEqual({ ok: false, error: 'e', stacktrace: 's' });
  });
  it('marks a failure of a non-critical check, and keeps the details of a WatchmanCheckError', () => {
    const outcome = failureOutcome(
      new WatchmanCheckError('low', { details: { free_bytes: 3 } }),
      performance.now(),
      at,
    );
    expect(outcomeToJson(outcome, false, false)).toEqual({ ok: false, free_bytes: 3, error: 'low', critical: false });
    expect(outcomeToJson(successOutcome({ x: 1 }, performance.now(), at), false, false)).toEqual({ ok: true, x: 1 });
  });
  it('reads details only from a WatchmanCheckError, and keeps its cause in the message', () => {
    const duck = failureOutcome(Object.assign(new Error('low'), { details: { x: 1 } }), performance.now(), at);
    expect(duck.details).toEqual({});
    const typed = new WatchmanCheckError('query failed', { cause: new Error('ECONNREFUSED'), details: { host: 'db' } });
    expect(failureOutcome(typed, performance.now(), at)).toMatchObject({
      error: 'query failed: ECONNREFUSED',
      details: { host: 'db' },
    });
  });
  it('has one status rule: ok passes, a non-critical failure warns, any other fails', () => {
    expect(outcomeStatus({ ok: true }, true)).toBe('pass');
    expect(outcomeStatus({ ok: true }, false)).toBe('pass');
    expect(outcomeStatus({ ok: false }, false)).toBe('warn');
    expect(outcomeStatus({ ok: false }, true)).toBe('fail');
    const check = (ok: boolean, critical: boolean) => ({ name: 'x', critical, outcome: { ok } }) as never;
    expect(statusOf([])).toBe('pass');
    expect(statusOf([check(true, true), check(false, false)])).toBe('warn');
    expect(statusOf([check(false, false), check(false, true)])).toBe('fail');
  });
  it('keeps the message of wrapped and aggregate errors', () => {
    expect(describeError(new Error('outer', { cause: new Error('inner') })).error).toBe('outer: inner');
    expect(
      describeError(
        new AggregateError([new Error('connect ECONNREFUSED ::1'), new Error('connect ECONNREFUSED 127.0.0.1')]),
      ).error,
    ).toBe('connect ECONNREFUSED ::1; connect ECONNREFUSED 127.0.0.1');
    const coded = Object.assign(new Error(''), { code: 'ECONNRESET' });
    expect(describeError(coded).error).toBe('ECONNRESET');
  });
  it('describes values that are not errors', () => {
    expect(describeError('s').error).toBe('s');
    expect(describeError(null).error).toBe('check threw null');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeError(circular).error).toBe('[object Object]');
  });
});

describe('runWithTimeout', () => {
  it('reports a synchronous throw', async () => {
    const outcome = await runWithTimeout(() => {
      throw new Error('sync');
    }, 100);
    expect(outcome).toMatchObject({ ok: false, error: 'sync' });
  });
  it('aborts the signal at the timeout and reports it', async () => {
    let signal: AbortSignal | undefined;
    const outcome = await runWithTimeout((s) => {
      signal = s;
      return new Promise(() => undefined);
    }, 20);
    expect(outcome).toMatchObject({ ok: false, error: 'timed out after 20 ms', timedOut: true });
    expect(signal?.aborted).toBe(true);
  });
});

import { FAILURE_LOG_REPEAT_MS, type FailureLogState, nextFailureLog } from '../../lib/runner/failure-log.js';

/** Feeds a series of (ok, at) runs through the rule and keeps the lines it asks for. */
function lines(runs: Array<[ok: boolean, at: number]>, repeatMs?: number) {
  let state: FailureLogState | undefined;
  const written: string[] = [];
  for (const [ok, at] of runs) {
    const next = nextFailureLog(state, ok, at, repeatMs);
    state = next.state;
    if (next.line)
      written.push(`${at}:${next.line.kind}${'failedRuns' in next.line ? `/${next.line.failedRuns}` : ''}`);
  }
  return written;
}

describe('the failure log rule (nextFailureLog)', () => {
  it('writes nothing while a check passes', () => {
    expect(
      lines([
        [true, 0],
        [true, 1_000],
        [true, 2_000],
      ]),
    ).toEqual([]);
  });

  it('writes a line when a check starts failing and one when it recovers, none between within a minute', () => {
    const runs: Array<[boolean, number]> = Array.from({ length: 59 }, (_, i) => [false, i * 1_000]);
    expect(lines([[true, -1_000], ...runs, [true, 59_000]])).toEqual(['0:failed', '59000:recovered/59']);
  });

  it('repeats at most once a minute while the check stays failed, counting the failed runs', () => {
    const runs: Array<[boolean, number]> = Array.from({ length: 181 }, (_, i) => [false, i * 1_000]);
    expect(lines(runs)).toEqual([
      '0:failed',
      '60000:still-failing/61',
      '120000:still-failing/121',
      '180000:still-failing/181',
    ]);
  });

  it('starts over after a recovery: the next failure is logged at once', () => {
    expect(
      lines([
        [false, 0],
        [true, 10],
        [false, 20],
        [false, 30],
      ]),
    ).toEqual(['0:failed', '10:recovered/1', '20:failed']);
  });

  it('repeats once a minute by default', () => {
    expect(FAILURE_LOG_REPEAT_MS).toBe(60_000);
    expect(
      lines(
        [
          [false, 0],
          [false, 59_999],
          [false, 60_000],
        ],
        undefined,
      ),
    ).toEqual(['0:failed', '60000:still-failing/3']);
  });
});

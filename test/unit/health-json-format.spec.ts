import type { ComponentType } from '../../lib/checks/built-in-checks.js';
import {
  HEALTH_JSON,
  renderHealthJson,
  reportToHealthJson,
  wantsHealthJson,
} from '../../lib/formats/health-json.format.js';
import type { WatchmanCheckOutcome, WatchmanReport } from '../../lib/runner/check-result.js';

const at = new Date('2025-01-02T03:04:05.000Z');
const ok = (durationMs: number): WatchmanCheckOutcome => ({ ok: true, details: { x: 1 }, durationMs, measuredAt: at });
const failed = (error: string): WatchmanCheckOutcome => ({
  ok: false,
  error,
  details: {},
  durationMs: 9,
  measuredAt: at,
});
const types = (check: string) => (check === 'storage' ? 'system' : 'datastore') as ComponentType;

const report: WatchmanReport = {
  ok: false,
  status: 'fail',
  measuredAt: at,
  durationMs: 12,
  checks: [
    {
      name: 'databases',
      critical: true,
      outcome: failed('replica down'),
      aliases: [
        { alias: 'main', outcome: ok(2) },
        { alias: 'replica', outcome: failed('replica down') },
      ],
    },
    { name: 'optional', critical: false, outcome: failed('optional is down') },
    { name: 'storage', critical: true, outcome: ok(4) },
  ],
};

describe('reportToHealthJson', () => {
  it('makes one entry per check or name:alias, with latency, time, component type and status', () => {
    expect(reportToHealthJson(report, types)).toEqual({
      status: 'fail',
      checks: {
        'databases:main': [
          { componentType: 'datastore', status: 'pass', observedValue: 2, observedUnit: 'ms', time: at.toISOString() },
        ],
        'databases:replica': [
          {
            componentType: 'datastore',
            status: 'fail',
            observedValue: 9,
            observedUnit: 'ms',
            time: at.toISOString(),
            output: 'replica down',
          },
        ],
        optional: [
          {
            componentType: 'datastore',
            status: 'warn',
            observedValue: 9,
            observedUnit: 'ms',
            time: at.toISOString(),
            output: 'optional is down',
          },
        ],
        storage: [
          { componentType: 'system', status: 'pass', observedValue: 4, observedUnit: 'ms', time: at.toISOString() },
        ],
      },
    });
  });

  it('adds the version only when given', () => {
    expect(reportToHealthJson(report, types, '1.2.3').version).toBe('1.2.3');
    expect('version' in reportToHealthJson(report, types)).toBe(false);
  });
});

describe('renderHealthJson', () => {
  it('answers errorCode on fail, warnStatus on warn and 200 on pass, as application/health+json', () => {
    const failing = renderHealthJson(report, types, { errorCode: 503, warnStatus: 200 });
    expect(failing.status).toBe(503);
    expect(failing.headers).toEqual({ 'Content-Type': 'application/health+json; charset=utf-8' });
    expect(JSON.parse(failing.body).status).toBe('fail');
    const codes = { errorCode: 503, warnStatus: 429 };
    expect(renderHealthJson({ ...report, ok: true, status: 'warn' }, types, codes).status).toBe(429);
    expect(renderHealthJson({ ...report, ok: true, status: 'pass' }, types, codes).status).toBe(200);
  });
});

describe('wantsHealthJson', () => {
  it.each([
    [undefined, null, false],
    ['', null, false],
    ['application/json', null, false],
    ['*/*', null, false],
    ['text/html', null, false],
    [HEALTH_JSON, null, true],
    ['Application/Health+JSON', null, true],
    ['application/health+json, application/json;q=0.5', null, true],
    ['application/json, application/health+json;q=0.9', null, false],
    ['application/health+json;q=0.5, application/json;q=0.5', null, true],
    ['application/health+json;q=0', null, false],
    ['application/health+json;q=abc', null, false],
    // ?format= wins over Accept, in either spelling (a + in a query reads as a space)
    ['application/json', 'health+json', true],
    ['application/json', 'health json', true],
    ['application/json', ' application/health+json ', true],
    [HEALTH_JSON, 'json', false],
    [HEALTH_JSON, '', false],
  ])('Accept %j, format %j → %s', (accept, format, expected) => {
    expect(wantsHealthJson(accept, format)).toBe(expected);
  });
});

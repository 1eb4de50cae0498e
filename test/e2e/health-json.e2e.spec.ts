import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import request from 'supertest';
import { WatchmanCheck } from 'nestjs-watchman';
import { FailingCheck, PassingCheck, ShardsCheck } from '../fixtures/checks.js';
import { ADAPTERS, using } from '../support/http-app.js';
import { ROOT } from '../support/spawn-node.js';
import { watchmanApp } from '../support/watchman-app.js';

// The IETF health check draft's format, validated against a JSON Schema written from the draft.

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
// strictRequired is off: the schema's if/then says "output" must be absent for a pass.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
(addFormats as unknown as (ajv: Ajv) => void)(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'test/schemas/health-check.schema.json'), 'utf8')));
const expectValid = (document: unknown) => {
  const ok = validate(document);
  expect(ok ? [] : validate.errors).toEqual([]);
};

@WatchmanCheck('optional', { critical: false })
@Injectable()
class OptionalFailingCheck {
  check(): never {
    throw new Error('optional is down');
  }
}

@WatchmanCheck('stuck')
@Injectable()
class StuckCheck {
  check() {
    return new Promise(() => undefined);
  }
}

describe.each(ADAPTERS)('application/health+json on %s', (adapter) => {
  it('passes: every check and alias is an entry, with latency, time and component type; version when exposed', async () => {
    const options = { checks: ['passing', 'storage', 'databases'], exposeVersion: true };
    await using(watchmanApp(options, PassingCheck).start(adapter), async (app) => {
      const res = await request(app.url).get('/watchman').set('Accept', 'application/health+json').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/health\+json/);
      expectValid(res.body);
      expect(res.body.status).toBe('pass');
      expect(res.body.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(Object.keys(res.body.checks)).toEqual(['passing', 'storage']); // no DataSource: no alias
      expect(res.body.checks.storage[0]).toEqual({
        componentType: 'system',
        status: 'pass',
        observedValue: expect.any(Number),
        observedUnit: 'ms',
        time: expect.any(String),
      });
      expect(res.body.checks.passing[0].componentType).toBe('component');
    });
  });

  it('fails with errorCode, each failure with its output, aliases as name:alias; timeouts too', async () => {
    const options = { checks: ['failing', 'shards', 'stuck', 'passing'], checkTimeout: 100, errorCode: 503 };
    const failing = watchmanApp(options, FailingCheck, ShardsCheck, StuckCheck, PassingCheck);
    await using(failing.start(adapter), async (app) => {
      const res = await request(app.url).get('/watchman?format=health+json').expect(503);
      expectValid(res.body);
      expect(res.body.status).toBe('fail');
      expect(Object.keys(res.body.checks)).toEqual([
        'failing',
        'passing',
        'shards:alpha',
        'shards:mid',
        'shards:zeta',
        'stuck',
      ]);
      expect(res.body.checks.failing[0]).toMatchObject({
        status: 'fail',
        output: 'boom <script>window.__pwned = true</script>',
      });
      expect(res.body.checks['shards:mid'][0]).toMatchObject({ status: 'fail', output: 'mid shard is down' });
      expect(res.body.checks['shards:alpha'][0]).toMatchObject({ status: 'pass' });
      expect(res.body.checks.stuck[0]).toMatchObject({ status: 'fail', output: 'timed out after 100 ms' });
    });
  });

  it('warns with 200 when only non-critical checks fail', async () => {
    const options = { checks: ['optional', 'passing'] };
    await using(watchmanApp(options, OptionalFailingCheck, PassingCheck).start(adapter), async (app) => {
      const res = await request(app.url)
        .get('/watchman')
        .set('Accept', 'application/health+json, application/json;q=0.5')
        .expect(200);
      expectValid(res.body);
      expect(res.body.status).toBe('warn');
      expect(res.body.checks.optional[0]).toMatchObject({ status: 'warn', output: 'optional is down' });
    });
  });

  it.each([
    ['text/html', 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    ['application/json, application/health+json;q=0.9', 'application/json'],
    ['application/health+json;q=0', 'application/json'],
    ['application/health+json', 'application/health+json'],
  ])('Accept %s answers %s', async (accept, type) => {
    await using(watchmanApp({ checks: ['passing'] }, PassingCheck).start(adapter), async (app) => {
      const res = await request(app.url).get('/watchman').set('Accept', accept).expect(200);
      expect(res.headers['content-type']?.split(';')[0]).toBe(type);
      if (type === 'application/json') expect(res.body).toEqual({ passing: { ok: true, answer: 42 } });
    });
  });
});

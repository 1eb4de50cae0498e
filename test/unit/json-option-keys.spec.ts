import { WatchmanConfigError } from 'nestjs-watchman';
import { json } from '../../lib/options/option-parsers.js';
import { type OptionRow, type OptionTree, isOptionRow } from '../../lib/options/option-row.js';
import { OPTION_TABLE } from '../../lib/options/option-table.js';
import { resolveWatchmanConfig } from '../../lib/options/watchman-config.js';

// A `__proto__` key in a JSON option was silently dropped by the schemas' records (and a
// `constructor` key is a trap for any code that copies the object): both stop start-up, naming
// the option, from the environment and from code alike.

function rows(tree: OptionTree, base: string[] = []): Array<[string, OptionRow]> {
  return Object.entries(tree).flatMap(([key, entry]) =>
    isOptionRow(entry) ? [[[...base, key].join('.'), entry] as [string, OptionRow]] : rows(entry, [...base, key]),
  );
}

const JSON_ROWS = rows(OPTION_TABLE).filter(([, row]) => row.fromEnv === json);
const env = (vars: Record<string, string>) => (name: string) => vars[name];

function nested(path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  const root: Record<string, unknown> = {};
  let node = root;
  for (const key of keys.slice(0, -1)) node = node[key] = {};
  node[keys.at(-1) as string] = value;
  return root;
}

describe('JSON options', () => {
  it('are the ones read from JSON variables', () => {
    expect(JSON_ROWS.map(([path]) => path)).toEqual(expect.arrayContaining(['http', 'tls', 'email.headers']));
  });

  describe.each(JSON_ROWS)('%s', (path, row) => {
    it.each([
      ['__proto__', '{"__proto__":{"x":"1"}}'],
      ['constructor', '{"constructor":"http://a.test/"}'],
      ['a.__proto__', '{"a":{"__proto__":{"polluted":true}}}'],
    ])('refuses a %s key from its variable, naming the option and the key', (key, text) => {
      const attempt = () => resolveWatchmanConfig({}, env({ [row.env as string]: text }));
      expect(attempt).toThrow(WatchmanConfigError);
      expect(attempt).toThrow(`invalid ${path} (${row.env}) `);
      expect(attempt).toThrow(`the key ${JSON.stringify(key)} is not allowed`);
    });

    it('refuses the same keys given in code (a JSON.parse result), naming the option', () => {
      const given = JSON.parse('{"__proto__":{"x":"1"}}') as unknown;
      const attempt = () => resolveWatchmanConfig(nested(path, given) as never, env({}));
      expect(attempt).toThrow(WatchmanConfigError);
      expect(attempt).toThrow(`invalid ${path} `);
      expect(attempt).toThrow('the key "__proto__" is not allowed');
    });
  });

  it('still takes names that merely contain those words', () => {
    const config = resolveWatchmanConfig(
      {},
      env({ WATCHMAN_HTTP_CHECKS: '{"proto":"http://a.test/","my_constructor":"http://b.test/"}' }),
    );
    expect([...config.http.keys()]).toEqual(['proto', 'my_constructor']);
  });
});

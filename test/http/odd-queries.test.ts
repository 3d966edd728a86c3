/**
 * What visitors and scripts really type, against every public page and API that takes words:
 * operators alone, unbalanced quotes and parentheses, truncation, scripts, other alphabets,
 * control characters, very long input. Each is answered — 200 with a result, or a 400 naming the
 * parameter — never a 5xx and never anything internal. Runs on the engine the HTTP suites run on.
 */
import request from 'supertest';
import { useSampleApp } from '../support/test-app';
import { expectNoInternals } from '../support/no-internals';

const web = useSampleApp();

const ODD = [
  'AND', 'OR OR', 'NOT', 'AND OR NOT', '(', ')', '(((((', ')))))', '()', '"', '""', '"unbalanced', '-', '--', '- - -', '*', '**', '^', ':',
  'title:nepal', '{title}: nepal', 'NEAR(a b)', 'nepal^2', 'nepal~2', '[nepal]', '+nepal', '\\', "'", '%', '%00', '&amp;',
  'x OR', 'OR x', 'nepal NOT', 'NOT NOT nepal', '-(nepal)', '(nepal OR qatar) AND NOT (india', '"a" "b" "',
  'remit*', 'migra* -remit*', 'mi*', '*migra*', 'mig*ra', '"migra*"', 'remit* OR traffick*',
  '<script>alert(1)</script>', '移民', 'трудовые мигранты', 'العمال المهاجرين', '🙂', 'a\u200bb', 'e\u0301', '\u0000', '\u0007bell',
  '__proto__', 'constructor', 'NaN', 'undefined', '.', ';;;',
  Array.from({ length: 60 }, (_, i) => `w${i}`).join(' '),
  Array.from({ length: 40 }, () => '(').join('') + 'nepal',
  'x'.repeat(499),
];

const PATHS = ['/?q=', '/api/search?q=', '/api/suggest?q=', '/feed?q=', '/export.ris?q=', '/api/facets/country?q='];

describe('odd and hostile queries', () => {
  it.each(PATHS)('are answered on %s without a 5xx or anything internal', async (path) => {
    for (const q of ODD) {
      const res = await request(web.app).get(path + encodeURIComponent(q));
      expect({ q, status: res.status < 500 }).toEqual({ q, status: true });
      expectNoInternals(res.text);
    }
  });

  it('read operators alone and malformed input as a search, never as an error', async () => {
    for (const q of ['AND', '(((((', '"unbalanced', 'x OR', '(nepal OR qatar) AND NOT (india', '*', 'mig*ra']) {
      const res = await request(web.app).get(`/api/search?q=${encodeURIComponent(q)}`);
      expect({ q, status: res.status }).toEqual({ q, status: 200 });
    }
  });

  it('name the parameter of a query past the length limit', async () => {
    const res = await request(web.app).get(`/api/search?q=${'x'.repeat(3000)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.params[0].param).toBe('q');
  });
});

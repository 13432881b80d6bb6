import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { Gap, Measurement, validate } from '../../../schemas/index.js';
import { PARSERS, type ParserName } from './index.js';
import type { ParserOptions } from './registry.js';

/**
 * Golden cases, Telegraf style: testcases/<case>/ holds input.txt (real output, its origin in
 * SOURCE.md), case.json (which parser, the command and time it ran with, options) and
 * expected.json (the parser's result). `UPDATE_GOLDEN=1 npx vitest run …` rewrites expected.json
 * — review the diff before committing it.
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, 'testcases');
const cases = readdirSync(root).filter((d) => existsSync(join(root, d, 'case.json'))).sort();

interface CaseFile {
  parser: ParserName;
  command: string;
  at: string;
  options?: ParserOptions;
}

describe('parsers: golden cases', () => {
  test('every case folder is complete and every parser has a case', () => {
    expect(cases.length).toBeGreaterThan(20);
    const used = new Set<string>();
    for (const c of cases) {
      for (const f of ['input.txt', 'case.json', 'SOURCE.md']) expect(existsSync(join(root, c, f)), `${c}/${f}`).toBe(true);
      used.add((JSON.parse(readFileSync(join(root, c, 'case.json'), 'utf8')) as CaseFile).parser);
    }
    expect([...used].sort()).toEqual(Object.keys(PARSERS).sort());
  });

  test.each(cases)('%s', (name) => {
    const dir = join(root, name);
    const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseFile;
    const input = readFileSync(join(dir, 'input.txt'), 'utf8');
    const parse = PARSERS[spec.parser] as (t: string, c: { command: string; at: string }, o: ParserOptions) => object;
    const result = parse(input, { command: spec.command, at: spec.at }, spec.options ?? {}) as {
      measurements: unknown[];
      gaps: unknown[];
    };
    result.measurements.forEach((m, i) => validate(Measurement, m, `${name} measurement ${i}`));
    result.gaps.forEach((g, i) => validate(Gap, g, `${name} gap ${i}`));
    const expectedFile = join(dir, 'expected.json');
    if (process.env.UPDATE_GOLDEN === '1') {
      writeFileSync(expectedFile, `${JSON.stringify(result, null, 2)}\n`);
    }
    expect(JSON.parse(JSON.stringify(result))).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
  });
});

/**
 * Golden cases: real AIX and Windows command output published by IBM, Microsoft and
 * administrators (see testcases/SOURCE.md), parsed into measurements. Each folder holds
 * input.txt and expected.json: the parser, the command it came from, and the expected rows
 * [component, metric, value, status-or-severity?, at?]. Regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run checks/sources/ssh/testcases.test.ts` and review the diff.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParseContext, ParseResult } from '../parsers/types.js';
import { parseAixDf, parseAixVmstat, parseErrpt, parseLsdev, parseLsps, parseLspv, parseLsvg, parseSvmonG } from './aix.js';
import { PARSERS as WINDOWS_PARSERS } from './windows.js';

const PARSERS: Record<string, (text: string, ctx: ParseContext) => ParseResult> = {
  errpt: (t, c) => parseErrpt(t, c),
  vmstat: parseAixVmstat,
  svmon: parseSvmonG,
  'lsdev-adapter': (t, c) => parseLsdev(t, c, 'adapter'),
  'lsdev-disk': (t, c) => parseLsdev(t, c, 'disk'),
  lsvg: parseLsvg,
  'aix-df': parseAixDf,
  lsps: parseLsps,
  lspv: parseLspv,
  ...WINDOWS_PARSERS,
};

const dir = join(import.meta.dirname, 'testcases');
const cases = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

type Row = [string, string, string | number, string?, string?];

describe('AIX and Windows parsers on real published output', () => {
  it('has a source for every case', () => {
    const sources = readFileSync(join(dir, 'SOURCE.md'), 'utf8');
    for (const c of cases) expect(sources, c).toContain(`\`${c}\``);
  });

  it.each(cases)('%s', (name) => {
    const input = readFileSync(join(dir, name, 'input.txt'), 'utf8');
    const expected = JSON.parse(readFileSync(join(dir, name, 'expected.json'), 'utf8')) as { parser: string; command: string; rows: Row[] };
    const parse = PARSERS[expected.parser];
    expect(parse, `parser ${expected.parser}`).toBeDefined();
    const result = parse!(input, { command: expected.command, at: '2026-11-28T12:00:00.000Z' });
    expect(result.gaps).toEqual([]);
    const rows = result.measurements.map((m) => {
      const row: Row = [m.component, m.metric, m.value as string | number];
      const tag = m.status ?? m.severity;
      if (tag) row.push(tag);
      if (m.metric === 'log.entry') row.push(m.at);
      return row;
    });
    if (process.env.UPDATE_GOLDEN) {
      const body = rows.map((r) => `  ${JSON.stringify(r).replace(/,/g, ', ')}`).join(',\n');
      writeFileSync(join(dir, name, 'expected.json'), `{ "parser": ${JSON.stringify(expected.parser)}, "command": ${JSON.stringify(expected.command)}, "rows": [\n${body} ] }\n`);
    }
    expect(rows).toEqual(expected.rows);
    for (const m of result.measurements) expect(m.command).toBe(expected.command);
  });
});

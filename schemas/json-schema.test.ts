import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_DIALECT, jsonSchemaOf, jsonSchemas, schemaIssues, schemaRegistry } from './index.js';
import { measure, reportOf } from '../checks/testing.js';
import { evaluateReport } from '../checks/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * "Every schema exported as a TypeScript type and a JSON Schema": the type is checked in the
 * sources, the JSON Schema by a validator that has never heard of TypeBox (Ajv, strict mode).
 */
describe('JSON Schema documents', () => {
  const documents = jsonSchemas();
  const strictValidator = () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    return ajv;
  };
  const ajv = strictValidator();

  it('covers the wire formats the issue names', () => {
    for (const name of ['Measurement', 'Gap', 'DeviceIdentity', 'Report', 'CheckResult', 'InspectionForm', 'ThresholdOverrides'])
      expect(Object.keys(documents)).toContain(name);
  });

  it.each(Object.keys(documents))('%s is plain JSON, standard, and compiles in a strict validator', (name) => {
    const doc = documents[name]!;
    expect(doc.$schema).toBe(JSON_SCHEMA_DIALECT);
    expect(doc.title).toBe(name);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(() => ajv.compile(doc)).not.toThrow();
  });

  it('an independent validator agrees with ours on a real form and on spoiled copies', () => {
    const report = reportOf([
      measure('SXKR-001', 'CPU', 'cpu.avg', 12, { unit: '%' }),
      measure('SXKR-001', 'CPU', 'cpu.max', 30, { unit: '%' }),
    ]);
    const form = { report, results: evaluateReport(report) };
    const check = strictValidator().compile(jsonSchemaOf('InspectionForm')!);
    const ours = schemaRegistry().get('InspectionForm')!;
    const spoiled: [string, unknown][] = [
      ['good', form],
      ['unknown verdict', { ...form, results: [{ ...form.results[0], verdict: 'fine' }] }],
      ['bad time', { ...form, report: { ...report, window: { ...report.window, end: 'yesterday' } } }],
      ['extra field', { ...form, colour: 'red' }],
      ['missing identity', { ...form, report: { ...report, identity: undefined } }],
    ];
    for (const [what, value] of spoiled) {
      const plain = JSON.parse(JSON.stringify(value)) as unknown;
      expect(check(plain), what).toBe(schemaIssues(ours, plain).length === 0);
    }
    expect(check(JSON.parse(JSON.stringify(form)))).toBe(true);
  });

  it('an unknown name has no document', () => {
    expect(jsonSchemaOf('NoSuchSchema')).toBeUndefined();
  });
});

describe('TypeScript types', () => {
  const sources = readdirSync(here)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => readFileSync(join(here, f), 'utf8'))
    .join('\n');

  it.each([...schemaRegistry().keys()])('%s has a type of the same name', (name) => {
    expect(sources).toMatch(new RegExp(`export type ${name}\\b`));
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan, parseJsonBody } from './json-body.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const codeOf = (body: Buffer): string | undefined => {
  try {
    parseJsonBody(body);
    return undefined;
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('nestsDeeperThan', () => {
  it.each<[string, number, boolean]>([
    ['[[1]]', 2, false],
    ['[[[1]]]', 2, true],
    ['{"a": {"b": [1]}}', 3, false],
    ['{"a": {"b": [[1]]}}', 3, true],
    // Brackets inside strings are not nesting.
    ['["[[[[", "{{{{"]', 1, false],
    // Siblings do not add up; the deepest branch counts wherever it is.
    ['[[1], [2], [3], {"a": 1}]', 2, false],
    ['[[1], [2], {"a": [{"b": 1}]}]', 3, true],
    ['42', 0, false],
  ])('%s deeper than %i: %s', (text, max, deeper) => {
    expect(nestsDeeperThan(JSON.parse(text), max)).toBe(deeper);
  });

  it('walks a million levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`);
    expect(nestsDeeperThan(deep, MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('parseJsonBody', () => {
  it('parses a UTF-8 body with Chinese text', () => {
    expect(parseJsonBody(bytes('{"notes": "机房温度正常"}'))).toEqual({ notes: '机房温度正常' });
  });

  it.each<[string, Buffer, string]>([
    ['empty', Buffer.alloc(0), 'empty_body'],
    ['a lone continuation byte', Buffer.from([0x22, 0x80, 0x22]), 'invalid_utf8'],
    ['an overlong encoding of "/"', Buffer.from([0x22, 0xc0, 0xaf, 0x22]), 'invalid_utf8'],
    ['UTF-16 with a BOM', Buffer.from('\ufeff{}', 'utf16le'), 'invalid_utf8'],
    ['deeper than the limit', bytes(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`), 'too_deep'],
    ['truncated', bytes('{"a": [1, 2'), 'invalid_json'],
    ['a __proto__ key', bytes('{"a": 1, "__proto__": {"x": 1}}'), 'invalid_json'],
    ['an escaped __proto__ key', bytes('{"\\u005f_proto__": {"x": 1}}'), 'invalid_json'],
  ])('refuses %s as %s', (_name, body, code) => {
    expect(codeOf(body)).toBe(code);
  });

  it('accepts nesting at the limit and "__proto__" as a value', () => {
    const atLimit = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(codeOf(bytes(atLimit))).toBeUndefined();
    expect(parseJsonBody(bytes('{"key": "__proto__"}'))).toEqual({ key: '__proto__' });
  });
});

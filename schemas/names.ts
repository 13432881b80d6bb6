import { Type, type TString } from '@sinclair/typebox';

/*
 * One rule for every name that becomes a key or a URL segment (site, hostname), one for labels
 * shown beside them (component names: `Gi1/0/48` and `/var` hold slashes, they never are a path
 * segment), and one for free text (notes, symptoms, reasons). The rules are patterns rather than
 * custom formats so the exported JSON Schema says the same to any other validator (Ajv compiles
 * them with its `u` flag, TypeBox without: the classes below mean the same in both modes).
 */

/** C0 and C1 controls and DEL. */
const CONTROL = '\\u0000-\\u001f\\u007f-\\u009f';
/** Bidirectional overrides, embeddings, isolates and marks (U+202E shows `exe.txt` as `txt.exe`). */
const BIDI = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
/** Invisible characters that make two different names look the same, and line/paragraph separators. */
const INVISIBLE = '\\u200b-\\u200d\\u2028\\u2029\\u2060\\ufeff';
/** A surrogate pair is one (astral) character; a lone half is no character at all. */
const PAIR = '[\\ud800-\\udbff][\\udc00-\\udfff]';
/** What no text may carry except free text's tab and line breaks. */
const UNSAFE = `${CONTROL}${BIDI}${INVISIBLE}`;

/** The rule of a name, in the words every refusal quotes. */
export const NAME_RULE =
  'a name of printable characters (any script, e.g. 华东数据中心, core-sw1.bank.local, db_01), without control, bidi or invisible characters, ' +
  'without / \\ ? #, not "." or "..", not starting with = + @ (a spreadsheet reads a formula), without spaces at either end';
export const LABEL_RULE = 'printable characters without control, bidi or invisible characters';
export const TEXT_RULE = 'printable characters, tabs and line breaks, without other control characters or bidi/invisible characters';

const NAME_CHAR = `(?:[^${UNSAFE}\\ud800-\\udfff/\\\\?#]|${PAIR})`;
const NAME_PATTERN = `^(?!\\.{1,2}$)(?![\\s=+@])(?!.*[\\s]$)${NAME_CHAR}+$`;
const LABEL_PATTERN = `^(?:[^${UNSAFE}\\ud800-\\udfff]|${PAIR})*$`;
const TEXT_PATTERN = `^(?:[^${CONTROL.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f')}${BIDI}${INVISIBLE.replace('\\u2028\\u2029', '')}\\ud800-\\udfff]|${PAIR})*$`;

/** Pattern → the rule a refusal states (schemas/validate.ts reads it: a regex is no message). */
export const PATTERN_RULES: ReadonlyMap<string, string> = new Map([
  [NAME_PATTERN, `expected ${NAME_RULE}`],
  [LABEL_PATTERN, `expected ${LABEL_RULE}`],
  [TEXT_PATTERN, `expected ${TEXT_RULE}`],
]);

/** A site or hostname: a key within the collector and a segment of its URLs. */
export const Name = (maxLength: number, description?: string): TString =>
  Type.String({ minLength: 1, maxLength, pattern: NAME_PATTERN, ...(description ? { description } : {}) });
export const SiteName = () => Name(100, 'site name');
/** hostname for servers, sysName for network gear: the device's key within its site. */
export const HostName = () => Name(255, 'hostname: the device key within its site');
/** A name shown but never used as a path segment: a component, a person's or part's name. */
export const SafeLabel = (maxLength = 200, minLength = 1): TString => Type.String({ minLength, maxLength, pattern: LABEL_PATTERN });
/** Free text a person or client writes: notes, symptoms, reasons. */
export const FreeText = (maxLength: number, minLength = 0): TString =>
  Type.String({ ...(minLength ? { minLength } : {}), maxLength, pattern: TEXT_PATTERN });

const NAME_RE = new RegExp(NAME_PATTERN);
export const isName = (s: string, maxLength = 255): boolean => s.length > 0 && s.length <= maxLength && NAME_RE.test(s);

const STRIPPED = new RegExp(`[${UNSAFE}]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`, 'g');
const STRIPPED_TEXT = new RegExp(`[${CONTROL.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f')}${BIDI}${INVISIBLE}]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`, 'g');

/**
 * What a device's own output may not carry into a record: control, bidi and invisible characters
 * and lone surrogate halves are removed (multi-line text keeps its tabs and line breaks). Returns
 * the text unchanged (same string) when there was nothing to remove, so callers can tell.
 */
export function stripUnsafe(s: string, multiline = false): string {
  const re = multiline ? STRIPPED_TEXT : STRIPPED;
  re.lastIndex = 0;
  if (!re.test(s)) return s;
  re.lastIndex = 0;
  return s.replace(re, '');
}

import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { ValidationError, type FieldIssue } from './errors.js';
import { PATTERN_RULES } from './names.js';

// TypeBox knows no string formats by itself; these are the ones our schemas use.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/**
 * The last time string that passed: a report's sixty measurements nearly always carry one and the
 * same time, and the regex and Date.parse (~250 ns) would otherwise run for each of them.
 */
let lastValidTime: string | undefined;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (v) => {
    if (v === lastValidTime) return true;
    if (!ISO_DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) return false;
    lastValidTime = v;
    return true;
  });
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();
function compile<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check as TypeCheck<T>;
}

const MAX_LISTED_CHOICES = 12;
const FORMAT_HINTS: Record<string, string> = {
  'date-time': 'expected an ISO-8601 time with its zone, e.g. 2026-11-28T10:00:00Z',
};

/**
 * TypeBox's messages in words an operator can act on: a union of literals lists its choices
 * ("Expected union value" names none), a missing field says so. Values are never echoed: a
 * refused body may carry a password.
 */
function readable(e: ValueError): string {
  const choices = (e.schema.anyOf as TSchema[] | undefined)?.map((s) => s.const);
  if (e.type === ValueErrorType.Union && choices?.length && choices.every((c) => typeof c === 'string' || typeof c === 'number')) {
    const shown = choices.slice(0, MAX_LISTED_CHOICES).join(', ');
    return `expected one of: ${shown}${choices.length > MAX_LISTED_CHOICES ? ', …' : ''}`;
  }
  // `notes: text | null` given a string that breaks the text rule: say the rule, not "expected union value".
  const patterned = (e.schema.anyOf as TSchema[] | undefined)?.map((s) => PATTERN_RULES.get(s.pattern as string)).find(Boolean);
  if (e.type === ValueErrorType.Union && patterned && typeof e.value === 'string') return patterned;
  if (e.type === ValueErrorType.ObjectRequiredProperty) return 'required field is missing';
  if (e.type === ValueErrorType.ObjectAdditionalProperties) return 'unknown field (not allowed here)';
  if (e.type === ValueErrorType.StringPattern) return PATTERN_RULES.get(e.schema.pattern as string) ?? e.message;
  if (e.type === ValueErrorType.StringFormat) return FORMAT_HINTS[e.schema.format as string] ?? e.message;
  return e.message;
}

/**
 * Every mismatch of `value` against `schema`, each naming its field path. One issue per path:
 * a missing field is not also reported as "expected string".
 */
export function schemaIssues(schema: TSchema, value: unknown, limit = 20): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const e of compile(schema).Errors(value)) {
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    issues.push({ path: e.path, message: readable(e) });
    if (issues.length >= limit) break;
  }
  return issues;
}

/** Returns `value` typed when it matches `schema`; throws a ValidationError naming the fields. */
export function validate<T extends TSchema>(schema: T, value: unknown, what: string): Static<T> {
  if (compile(schema).Check(value)) return value as Static<T>;
  throw new ValidationError(what, schemaIssues(schema, value));
}

/** Fills schema defaults into a copy of `value`, then validates it. For config and site files. */
export function parseWithDefaults<T extends TSchema>(schema: T, value: unknown, what: string): Static<T> {
  const copy = Value.Default(schema, Value.Clone(value ?? {}));
  return validate(schema, copy, what);
}

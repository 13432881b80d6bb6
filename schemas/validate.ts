import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValidationError, type FieldIssue } from './errors.js';

// TypeBox knows no string formats by itself; these are the ones our schemas use.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (v) => ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)));
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

/** Every mismatch of `value` against `schema`, each naming its field path. */
export function schemaIssues(schema: TSchema, value: unknown, limit = 20): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const e of compile(schema).Errors(value)) {
    issues.push({ path: e.path, message: e.message });
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

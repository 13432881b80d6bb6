import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyTypeProvider } from 'fastify';
import { ValidationError, schemaIssues, validate } from '../schemas/index.js';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * The TypeBox type provider for our schemas. @fastify/type-provider-typebox 6 targets the new
 * `typebox` 1.x package, while schemas/ is written in @sinclair/typebox 0.34; this is the same
 * four-line provider over the latter, so a route's schema is also its TypeScript type.
 */
export interface TypeBoxProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
}

/**
 * Validates with schemas/validate.ts (compiled TypeBox), so the API's 400s name fields exactly
 * like the CLI's messages. Schema defaults (e.g. `gaps: []`) are filled only when the plain
 * check fails, keeping the common path to one compiled check.
 */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const what = httpPart ?? 'request';
  // Query strings and path parameters arrive as text: convert "20" to 20 where the schema says integer.
  const convert = httpPart === 'querystring' || httpPart === 'params' || httpPart === 'headers';
  return (raw: unknown) => {
    const data = convert ? Value.Convert(schema, Value.Clone(raw)) : raw;
    try {
      return { value: validate(schema, data, what) };
    } catch {
      // fall through: fill defaults, then name every offending field
    }
    const filled = Value.Default(schema, Value.Clone(data));
    const issues = schemaIssues(schema, filled);
    if (issues.length === 0) return { value: filled };
    return { error: new ValidationError(what, issues.map((i) => ({ ...i, path: `/${what}${i.path}` }))) };
  };
};

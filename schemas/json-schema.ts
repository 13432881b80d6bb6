import { Kind, type TSchema } from '@sinclair/typebox';
import * as everything from './index.js';

/*
 * The wire formats as plain JSON Schema documents, for tools outside TypeScript (a Python report
 * consumer, an editor validating a site file, another vendor's agent). TypeBox declarations already
 * are JSON Schema at run time; this strips TypeBox's symbol keys and adds `$schema`, `$id` and
 * `title`. The documents are derived from the declarations, never written by hand, so they cannot
 * drift from what the code validates.
 */

export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';
const ID_BASE = 'https://xunjian.invalid/schemas/';

function isSchema(value: unknown): value is TSchema {
  return typeof value === 'object' && value !== null && Kind in value;
}

/** Every schema `schemas/index.ts` exports, by its export name (`Report`, `CheckResult`, …). */
export function schemaRegistry(): Map<string, TSchema> {
  // Read at call time: this module is itself part of the index it enumerates.
  const registry = new Map<string, TSchema>();
  for (const [name, value] of Object.entries(everything)) if (isSchema(value)) registry.set(name, value);
  return new Map([...registry].sort(([a], [b]) => a.localeCompare(b)));
}

/** One exported schema as a standalone JSON Schema document; undefined for an unknown name. */
export function jsonSchemaOf(name: string): Record<string, unknown> | undefined {
  const schema = schemaRegistry().get(name);
  if (!schema) return undefined;
  // JSON.stringify drops TypeBox's symbol-keyed metadata and keeps the standard keywords.
  const plain = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  return { $schema: JSON_SCHEMA_DIALECT, $id: `${ID_BASE}${name}.json`, title: name, ...plain };
}

/** All exported schemas as JSON Schema documents, by name. */
export function jsonSchemas(): Record<string, Record<string, unknown>> {
  return Object.fromEntries([...schemaRegistry().keys()].map((name) => [name, jsonSchemaOf(name)!]));
}

import { Type, type TSchema } from '@sinclair/typebox';

/**
 * A reason kept as what was said rather than in one language's words: a catalogue key
 * (checks/reasons.ts) and its arguments. Values, component names and a source's or device's own
 * words are arguments, kept as they came; a reader's page or report words the key in the reader's
 * language (`sayIn`). Stored inside a result's JSON beside the text of the language it was judged in.
 */
export type Said = {
  key: string;
  args: (string | number | boolean | null | Said | Said[])[];
};

/** The deepest nesting the catalogue says: a check's reasons joined, of a component, a list, a finding. */
const DEPTH = 5;

/*
 * Written out to a fixed depth rather than as a recursive schema: a recursive one carries an $id,
 * and the JSON Schema documents (json-schema.ts) embed it once per place it is used, which strict
 * validators refuse as one id for several schemas.
 */
function saidSchema(depth: number): TSchema {
  const leaf = [Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean(), Type.Null()];
  const inner = depth > 1 ? [saidSchema(depth - 1), Type.Array(saidSchema(depth - 1), { maxItems: 50 })] : [];
  return Type.Object(
    { key: Type.String({ pattern: '^[a-zA-Z]{1,40}$' }), args: Type.Array(Type.Union([...leaf, ...inner]), { maxItems: 10 }) },
    { additionalProperties: false },
  );
}

export const Said = saidSchema(DEPTH) as TSchema & { static: Said };

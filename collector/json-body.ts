import { isUtf8 } from 'node:buffer';
import { badRequest } from './errors.js';

/**
 * Deeper than any body of the API (a report nests 4 levels, threshold overrides 6). A body nested
 * thousands deep would overflow the stack of the schema validator's clone — a 5xx — so it is
 * refused right after parsing.
 */
export const MAX_JSON_DEPTH = 64;

/** A key `__proto__` would become an object's prototype through Object.assign: refused as fastify's own parser does. */
const PROTO_KEY = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;

/**
 * Whether containers nest deeper than `max` in a parsed value (an explicit stack: no recursion to
 * overflow). JSON.parse itself copes with any depth; what comes after it (the validator's clone)
 * does not. Walking the parsed value costs a third of scanning the bytes.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: { node: object; depth: number }[] = [{ node: value, depth: 1 }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    if (top.depth > max) return true;
    const children = Array.isArray(top.node) ? (top.node as unknown[]) : Object.values(top.node);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push({ node: child, depth: top.depth + 1 });
  }
  return false;
}

/**
 * The API's JSON body parser: strict UTF-8 (JSON's only encoding; a lenient decoder would store
 * U+FFFD where the client sent something else), bounded nesting, no `__proto__` keys. Every
 * refusal is a 400 whose code says which: empty_body, invalid_utf8, too_deep, invalid_json.
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw badRequest('empty_body', "Body cannot be empty when content-type is set to 'application/json'");
  if (!isUtf8(body)) throw badRequest('invalid_utf8', 'body is not valid UTF-8 (JSON must be sent as UTF-8)');
  const text = body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest('invalid_json', `body is not valid JSON: ${(err as Error).message}`);
  }
  if (PROTO_KEY.test(text)) throw badRequest('invalid_json', 'body has a key named __proto__, which is not allowed');
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) throw badRequest('too_deep', `body nests deeper than ${MAX_JSON_DEPTH} levels`);
  return value;
}

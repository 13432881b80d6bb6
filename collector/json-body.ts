import { isUtf8 } from 'node:buffer';
import { badRequest } from './errors.js';

/**
 * Deeper than any body of the API (a report nests 4 levels, threshold overrides 6). A body nested
 * thousands deep would overflow the stack of the schema validator's clone — a 5xx — so it is
 * refused before parsing.
 */
export const MAX_JSON_DEPTH = 64;

/** A key `__proto__` would become an object's prototype through Object.assign: refused as fastify's own parser does. */
const PROTO_KEY = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/** Whether brackets outside strings nest deeper than `max` (one pass over the bytes, no parse). */
export function nestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (OPENERS.has(c)) {
      if (++depth > max) return true;
    } else if (CLOSERS.has(c)) {
      depth--;
    }
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
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) throw badRequest('too_deep', `body nests deeper than ${MAX_JSON_DEPTH} levels`);
  const text = body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest('invalid_json', `body is not valid JSON: ${(err as Error).message}`);
  }
  if (PROTO_KEY.test(text)) throw badRequest('invalid_json', 'body has a key named __proto__, which is not allowed');
  return value;
}

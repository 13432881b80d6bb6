/**
 * Loads the Redfish vendor profiles (profiles/*.yaml), validates each against RedfishProfile, and
 * picks the profile for a controller from its service root and first system.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { RedfishProfile, ValidationError, parseWithDefaults } from '../../../schemas/index.js';
import { RedfishProfileError } from './errors.js';

export const REDFISH_PROFILE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'profiles');

export function parseRedfishProfile(text: string, file: string): RedfishProfile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new RedfishProfileError(`Redfish profile ${file} is not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  let p: RedfishProfile;
  try {
    p = parseWithDefaults(RedfishProfile, raw, `Redfish profile ${file}`);
  } catch (e) {
    if (e instanceof ValidationError) throw new RedfishProfileError(e.message, { cause: e });
    throw e;
  }
  for (const [field, re] of [
    ['detect.vendor', p.detect.vendor],
    ['detect.manufacturer', p.detect.manufacturer],
    ['logs.include', p.logs.include],
    ['logs.exclude', p.logs.exclude],
  ] as const) {
    if (re === undefined) continue;
    try {
      new RegExp(re, 'i');
    } catch (e) {
      throw new RedfishProfileError(`Redfish profile ${file}: ${field} is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  return p;
}

let builtin: RedfishProfile[] | undefined;
/** Every profile of profiles/, generic last (it matches nothing by itself and is the fallback). */
export function builtinRedfishProfiles(): RedfishProfile[] {
  builtin ??= readdirSync(REDFISH_PROFILE_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parseRedfishProfile(readFileSync(join(REDFISH_PROFILE_DIR, f), 'utf8'), f))
    .sort((a, b) => Number(a.name === 'generic') - Number(b.name === 'generic'));
  return builtin;
}

export interface RedfishIdentityHints {
  rootOem: string[];
  vendor?: string;
  manufacturer?: string;
}

export function detectRedfishProfile(hints: RedfishIdentityHints, profiles = builtinRedfishProfiles()): RedfishProfile {
  const match = (re: string | undefined, s: string | undefined) => re !== undefined && s !== undefined && new RegExp(re, 'i').test(s);
  for (const p of profiles) {
    const d = p.detect;
    if (d.rootOem?.some((k) => hints.rootOem.includes(k)) || match(d.vendor, hints.vendor) || match(d.manufacturer, hints.manufacturer)) return p;
  }
  const generic = profiles.find((p) => p.name === 'generic');
  if (!generic) throw new RedfishProfileError('no generic Redfish profile');
  return generic;
}

/**
 * Loads the vendor profiles (profiles/*.yaml), validates each against the SnmpProfile schema,
 * resolves `include`, and picks the profile for a device from its sysObjectID and sysDescr.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { SnmpProfile, ValidationError, validate } from '../../../schemas/index.js';
import { ProfileError } from './errors.js';
import { templatePlaceholders } from './template.js';
import { profileColumns } from './walked.js';

export const PROFILE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'profiles');

/** A profile with its includes' sources appended (own sources first). */
export type ResolvedProfile = SnmpProfile & { file: string };

/** Parses and validates one profile file's text. */
export function parseProfile(text: string, file: string): SnmpProfile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new ProfileError(`profile ${file} is not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  let profile: SnmpProfile;
  try {
    profile = validate(SnmpProfile, raw, `SNMP profile ${file}`);
  } catch (e) {
    if (e instanceof ValidationError) throw new ProfileError(e.message, { cause: e });
    throw e;
  }
  checkSemantics(profile, file);
  return profile;
}

/** What the schema cannot say: regexes compile, templates are well formed, names are unique. */
function checkSemantics(p: SnmpProfile, file: string): void {
  const fail = (what: string) => {
    throw new ProfileError(`profile ${file}: ${what}`);
  };
  for (const [field, re] of [
    ['detect.sysDescr', p.detect.sysDescr],
    ['detect.sysDescrNot', p.detect.sysDescrNot],
    ['inventory.modelFromDescr', p.inventory?.modelFromDescr],
    ['inventory.versionFromDescr', p.inventory?.versionFromDescr],
  ] as const) {
    if (re === undefined) continue;
    try {
      new RegExp(re);
    } catch (e) {
      fail(`${field} is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  const sections = { cpu: p.cpu, memory: p.memory, filesystems: p.filesystems, states: p.states, temperature: p.temperature, log: p.log };
  for (const [section, sources] of Object.entries(sections)) {
    const names = new Set<string>();
    for (const [i, s] of (sources ?? []).entries()) {
      if (names.has(s.name)) fail(`${section}[${i}] repeats the source name ${s.name}`);
      names.add(s.name);
      const labels = 'label' in s ? s.label : s.text;
      for (const t of labels) {
        try {
          templatePlaceholders(t);
        } catch (e) {
          fail(`${section}[${i}] label "${t}": ${(e as Error).message}`);
        }
      }
      if (section === 'temperature' && 'kinds' in s)
        for (const [re] of s.kinds ?? []) {
          try {
            new RegExp(re, 'i');
          } catch (e) {
            fail(`${section}[${i}] kind pattern "${re}": ${(e as Error).message}`);
          }
        }
    }
  }
  for (const [i, s] of (p.cpu ?? []).entries()) if (!s.average && !s.sample) fail(`cpu[${i}] (${s.name}) declares neither average nor sample`);
  for (const [i, s] of [...(p.memory ?? []), ...(p.filesystems ?? [])].entries())
    if (!s.percent && !(s.used && (s.free || s.total))) fail(`usage source ${i} (${s.name}) needs percent, or used with free or total`);
}

/** Every profile in `dir`, validated, includes resolved. Throws ProfileError naming the file. */
export function loadProfiles(dir = PROFILE_DIR): ResolvedProfile[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const byName = new Map<string, SnmpProfile & { file: string }>();
  for (const file of files) {
    const p = parseProfile(readFileSync(join(dir, file), 'utf8'), file);
    if (`${p.name}.yaml` !== file) throw new ProfileError(`profile ${file} is named ${p.name}: the file name must be ${p.name}.yaml`);
    byName.set(p.name, { ...p, file });
  }
  const resolve = (p: SnmpProfile & { file: string }, seen: string[]): ResolvedProfile => {
    let out: ResolvedProfile = { ...p };
    for (const inc of p.include ?? []) {
      if (seen.includes(inc)) throw new ProfileError(`profile ${p.file}: include cycle ${[...seen, inc].join(' → ')}`);
      const base = byName.get(inc);
      if (!base) throw new ProfileError(`profile ${p.file} includes unknown profile ${inc}`);
      const r = resolve(base, [...seen, inc]);
      out = {
        ...out,
        cpu: [...(out.cpu ?? []), ...(r.cpu ?? [])],
        memory: [...(out.memory ?? []), ...(r.memory ?? [])],
        filesystems: [...(out.filesystems ?? []), ...(r.filesystems ?? [])],
        states: [...(out.states ?? []), ...(r.states ?? [])],
        temperature: [...(out.temperature ?? []), ...(r.temperature ?? [])],
        log: [...(out.log ?? []), ...(r.log ?? [])],
        unsupported: out.unsupported ?? r.unsupported,
        inventory: out.inventory ?? r.inventory,
      };
    }
    return out;
  };
  return [...byName.values()].map((p) => resolve(p, [p.name]));
}

let cached: ResolvedProfile[] | undefined;
/** The shipped profiles, loaded once. */
export function builtinProfiles(): ResolvedProfile[] {
  cached ??= loadProfiles();
  return cached;
}

export interface SystemInfo {
  sysDescr: string;
  sysObjectID: string;
  /** Probe OIDs that answered. */
  answered: Set<string>;
}

/** Probe OIDs the profiles want answered before detection. */
export function detectionProbes(profiles: ResolvedProfile[]): string[] {
  return [...new Set(profiles.flatMap((p) => (p.detect.probe ? [p.detect.probe] : [])))];
}

export function matches(p: SnmpProfile, sys: SystemInfo): boolean {
  const oid = sys.sysObjectID.replace(/^\./, '');
  const d = p.detect;
  if (d.sysObjectID && !d.sysObjectID.some((prefix) => oid === prefix || oid.startsWith(`${prefix}.`))) return false;
  if (d.sysDescr && !new RegExp(d.sysDescr).test(sys.sysDescr)) return false;
  if (d.sysDescrNot && new RegExp(d.sysDescrNot).test(sys.sysDescr)) return false;
  if (d.probe && !sys.answered.has(d.probe)) return false;
  return true;
}

/**
 * How a profile was chosen: an OS profile matched, the vendor's broadest one, or the catch-all —
 * `unanswered` when the vendor's broadest profile was tried and the device answered none of its
 * hardware tables (collect.ts decides that after the walk).
 */
export type DetectedBy = 'match' | 'vendor' | 'unanswered' | 'default';

export interface Detection {
  profile: ResolvedProfile;
  by: DetectedBy;
  /** For the form: which facts chose the profile. */
  why: string;
  /** For `by: 'vendor'` and `'unanswered'`: the enterprise prefix the sysObjectID is under. */
  enterprise?: string;
}

const hasCriteria = (p: SnmpProfile) => Object.values(p.detect).some((v) => v !== undefined);
const under = (oid: string, prefix: string) => oid === prefix || oid.startsWith(`${prefix}.`);
const quoted = (text: string) => JSON.stringify(text.replace(/\s+/g, ' ').trim().slice(0, 60));

function matchedBecause(p: SnmpProfile, sys: SystemInfo, oid: string): string {
  const d = p.detect;
  const parts: string[] = [];
  const prefix = d.sysObjectID?.find((x) => under(oid, x));
  if (prefix) parts.push(`sysObjectID ${oid} is under ${prefix}`);
  if (d.sysDescr) parts.push(`sysDescr ${quoted(sys.sysDescr)} matches /${d.sysDescr}/`);
  if (d.probe) parts.push(`${d.probe} answers`);
  return parts.join(', ');
}

/**
 * The profile for a device. The highest-priority match wins (ties: the more specific detection,
 * then name). When only the catch-all matches but the sysObjectID lies under an enterprise some
 * vendor profile claims, and the sysDescr names no OS those profiles know (industrial and newer
 * switches answer a bare model and serial), the device is read with that vendor's broadest profile
 * — the one reading the most columns; ties go to the lower priority, the base the others include —
 * since it answers the vendor's tables whatever its sysDescr says. A sysDescr a vendor profile
 * recognises and deliberately excludes (sysDescrNot, e.g. UCS fabric interconnects) stays generic.
 */
export function detect(sys: SystemInfo, profiles = builtinProfiles()): Detection | undefined {
  const oid = sys.sysObjectID.replace(/^\./, '');
  const specificity = (p: SnmpProfile) => Object.values(p.detect).filter((v) => v !== undefined).length;
  const best = profiles
    .filter((p) => matches(p, sys))
    .sort((a, b) => b.priority - a.priority || specificity(b) - specificity(a) || a.name.localeCompare(b.name))[0];
  if (best && hasCriteria(best)) return { profile: best, by: 'match', why: matchedBecause(best, sys, oid) };

  const vendorProfiles = profiles.filter((p) => p.detect.sysObjectID?.some((prefix) => under(oid, prefix)));
  const excludedBy = vendorProfiles.find(
    (p) => p.detect.sysDescr && new RegExp(p.detect.sysDescr).test(sys.sysDescr) && p.detect.sysDescrNot && new RegExp(p.detect.sysDescrNot).test(sys.sysDescr),
  );
  const eligible = vendorProfiles.filter((p) => !p.detect.probe || sys.answered.has(p.detect.probe));
  if (!excludedBy && eligible.length > 0) {
    const width = new Map(eligible.map((p) => [p, profileColumns(p).length]));
    const broadest = [...eligible].sort((a, b) => width.get(b)! - width.get(a)! || a.priority - b.priority || a.name.localeCompare(b.name))[0]!;
    const enterprise = broadest.detect.sysObjectID!.filter((prefix) => under(oid, prefix)).sort((a, b) => b.length - a.length)[0]!;
    const vendor = broadest.inventory?.vendor ?? `enterprise ${enterprise}`;
    return {
      profile: broadest,
      by: 'vendor',
      enterprise,
      why:
        `sysObjectID ${oid} is under ${vendor}'s enterprise ${enterprise}, but sysDescr ${quoted(sys.sysDescr)} names no OS ` +
        `a ${vendor} profile knows: read with ${broadest.name}, the broadest ${vendor} profile (${width.get(broadest)} columns)`,
    };
  }
  if (!best) return undefined;
  const why = excludedBy
    ? `sysDescr ${quoted(sys.sysDescr)} is excluded by ${excludedBy.name} (/${excludedBy.detect.sysDescrNot}/): standard MIBs only`
    : `no vendor profile claims sysObjectID ${oid || '(none)'}: standard MIBs only`;
  return { profile: best, by: 'default', why };
}

/** The profile `detect` chooses. */
export function detectProfile(sys: SystemInfo, profiles = builtinProfiles()): ResolvedProfile | undefined {
  return detect(sys, profiles)?.profile;
}

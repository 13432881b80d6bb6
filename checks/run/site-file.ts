/**
 * The site inventory: load, validate (errors name the line and the field), resolve defaults and
 * paths, and write the commented example for `inspect init`.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import {
  SiteFile,
  XunjianError,
  schemaIssues,
  type DeviceKind,
  type SnmpCredentials,
  type SshAuth,
  type BmcAccess,
  type HmcAccess,
} from '../../schemas/index.js';
import { canonicalTimeZone } from '../calendar.js';
import { Value } from '@sinclair/typebox/value';

export interface SiteFileIssue {
  /** JSON pointer of the field, e.g. `/servers/3/port`. */
  path: string;
  /** 1-based line in the file, when the field (or its nearest parent) is in it. */
  line?: number;
  message: string;
}

/** A site file that cannot be used; the message names each line and field. */
export class SiteFileError extends XunjianError {
  readonly file: string;
  readonly issues: SiteFileIssue[];
  constructor(file: string, issues: SiteFileIssue[]) {
    const shown = issues
      .slice(0, 8)
      .map((i) => `${file}${i.line ? `:${i.line}` : ''}: ${i.path || '/'}: ${i.message}`)
      .join('\n');
    super('SITE_FILE', issues.length > 8 ? `${shown}\n(and ${issues.length - 8} more)` : shown);
    this.file = file;
    this.issues = issues;
  }
}

export interface SiteDevice {
  name: string;
  kind: DeviceKind;
  host: string;
  port: number;
  role?: string;
  groups: string[];
}

/** A server as the runner needs it; secrets are still references (resolved at run time). */
export interface SiteServerTarget extends SiteDevice {
  kind: 'server';
  user: string;
  auth: SshAuth;
  /** Its management controller, when the inventory names one. */
  bmc?: BmcAccess;
  /** Its HMC (IBM Power), with `auth` resolved from `ssh.auth` when not its own. */
  hmc?: HmcAccess & { auth: SshAuth };
}

export interface SiteSnmpTarget extends SiteDevice {
  snmp: SnmpCredentials;
}

export interface LoadedSite {
  file: string;
  site: SiteFile;
  servers: SiteServerTarget[];
  snmpDevices: SiteSnmpTarget[];
  knownHostsPath: string;
  /** Pinned BMC certificates, beside known_hosts. */
  bmcPinsPath: string;
  connectTimeoutMs: number;
}

function pointerSegments(path: string): (string | number)[] {
  return path
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The line of the deepest node on `path` that exists in the document. */
function lineOf(doc: Document, lc: LineCounter, path: string): number | undefined {
  const segs = pointerSegments(path);
  for (let n = segs.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(segs.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

const SECRET_FIELDS = /\/(password|passphrase|community|auth_key|priv_key|secret)$/;

/** The rules of the file's name patterns in words: a raw regular expression tells a person nothing. */
const PATTERN_RULES: [pattern: string, rule: string][] = [
  ['^[^\\s/\\\\]+$', 'a name is one word: no spaces, slashes or backslashes (e.g. db-01 or core_sw.2)'],
  ['^[A-Za-z0-9][A-Za-z0-9._-]*$', 'a site name starts with a letter or digit and holds only letters, digits, ".", "_" and "-" (e.g. hq or plant-2)'],
  ['^[A-Za-z_][A-Za-z0-9_]*$', 'an environment variable name holds only letters, digits and "_", and does not start with a digit (e.g. DB01_PASSWORD)'],
];

function friendlier(issue: SiteFileIssue): SiteFileIssue {
  const rule = PATTERN_RULES.find(([pattern]) => issue.message === `Expected string to match '${pattern}'`);
  if (rule) return { ...issue, message: rule[1] };
  if (SECRET_FIELDS.test(issue.path)) {
    const field = issue.path.split('/').pop();
    return { ...issue, message: `secrets are never stored in the site file: name the environment variable (${field}_env)${field === 'password' ? ' or set password_prompt: true' : ''}` };
  }
  return issue;
}

const AUTH_METHODS = ['key_file', 'agent', 'password_env', 'password_prompt'] as const;

function authIssues(auth: SshAuth | undefined, path: string): SiteFileIssue[] {
  if (!auth) return [];
  const set = AUTH_METHODS.filter((m) => auth[m] !== undefined && auth[m] !== false);
  if (set.length > 1) return [{ path, message: `choose one authentication method, not ${set.join(' and ')}` }];
  if (auth.passphrase_env && !auth.key_file) return [{ path: `${path}/passphrase_env`, message: 'passphrase_env needs key_file' }];
  return [];
}

function snmpIssues(c: SnmpCredentials | undefined, path: string): SiteFileIssue[] {
  if (!c) return [{ path, message: 'no SNMP credentials: set snmp here or at the top of the file' }];
  if (c.version === '3') {
    const out: SiteFileIssue[] = [];
    if (!c.user) out.push({ path: `${path}/user`, message: 'SNMPv3 needs user' });
    const level = c.level ?? (c.priv_key_env ? 'authPriv' : c.auth_key_env ? 'authNoPriv' : 'noAuthNoPriv');
    if (level !== 'noAuthNoPriv' && !c.auth_key_env) out.push({ path: `${path}/auth_key_env`, message: `SNMPv3 ${level} needs auth_key_env` });
    if (level === 'authPriv' && !c.priv_key_env) out.push({ path: `${path}/priv_key_env`, message: 'SNMPv3 authPriv needs priv_key_env' });
    return out;
  }
  return c.community_env ? [] : [{ path: `${path}/community_env`, message: `SNMP v${c.version} needs community_env` }];
}

function expandPath(p: string, baseDir: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

/** Parses and checks a site file's text. `file` only names it in messages and resolves paths. */
export function parseSiteFile(text: string, file = 'site.yaml'): LoadedSite {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SiteFileError(
      file,
      doc.errors.map((e) => ({ path: '', line: lc.linePos(e.pos[0]).line, message: e.message.split('\n')[0]! })),
    );
  }
  const raw = doc.toJS() as unknown;
  const withDefaults = Value.Default(SiteFile, Value.Clone(raw ?? {}));
  const issues: SiteFileIssue[] = schemaIssues(SiteFile, withDefaults, 30).map((i) => friendlier({ ...i, line: lineOf(doc, lc, i.path) }));
  if (issues.length > 0) throw new SiteFileError(file, dedupe(issues));
  const site = withDefaults as SiteFile;

  const baseDir = dirname(resolve(file));
  const more: SiteFileIssue[] = [];
  const seen = new Map<string, string>();
  const claim = (name: string, path: string) => {
    const first = seen.get(name);
    if (first) more.push({ path, message: `device name "${name}" is used twice (first at ${first})` });
    else seen.set(name, path);
  };

  const servers: SiteServerTarget[] = site.servers.map((s, i) => {
    const path = `/servers/${i}`;
    const name = s.name ?? s.host;
    claim(name, path);
    const auth = s.auth ?? site.ssh?.auth;
    more.push(...authIssues(s.auth, `${path}/auth`));
    if (!auth || !AUTH_METHODS.some((m) => auth[m] !== undefined && auth[m] !== false)) {
      more.push({ path, message: 'no SSH authentication: set auth here or ssh.auth at the top (key_file, agent, password_env or password_prompt)' });
    }
    const user = s.user ?? site.ssh?.user;
    if (!user) more.push({ path, message: 'no SSH user: set user here or ssh.user at the top' });
    const resolvedAuth: SshAuth = { ...(auth ?? {}) };
    if (resolvedAuth.key_file) resolvedAuth.key_file = expandPath(resolvedAuth.key_file, baseDir);
    let hmc: SiteServerTarget['hmc'];
    if (s.hmc) {
      more.push(...authIssues(s.hmc.auth, `${path}/hmc/auth`));
      const hmcAuth: SshAuth = { ...(s.hmc.auth ?? site.ssh?.auth ?? {}) };
      if (!AUTH_METHODS.some((m) => hmcAuth[m] !== undefined && hmcAuth[m] !== false)) {
        more.push({ path: `${path}/hmc`, message: 'no HMC authentication: set hmc.auth or ssh.auth at the top (key_file, agent, password_env or password_prompt)' });
      }
      if (hmcAuth.key_file) hmcAuth.key_file = expandPath(hmcAuth.key_file, baseDir);
      hmc = { ...s.hmc, auth: hmcAuth };
    }
    return {
      name,
      kind: 'server' as const,
      host: s.host,
      port: s.port ?? site.ssh?.port ?? 22,
      user: user ?? '',
      auth: resolvedAuth,
      ...(s.role ? { role: s.role } : {}),
      groups: s.groups ?? [],
      ...(s.bmc ? { bmc: s.bmc } : {}),
      ...(hmc ? { hmc } : {}),
    };
  });
  more.push(...authIssues(site.ssh?.auth, '/ssh/auth'));

  const snmpDevices: SiteSnmpTarget[] = [];
  for (const [list, defaultKind] of [['network', 'switch'], ['ups', 'ups']] as const) {
    site[list].forEach((d, i) => {
      const path = `/${list}/${i}`;
      const name = d.name ?? d.host;
      claim(name, path);
      const snmp = d.snmp ?? site.snmp;
      more.push(...snmpIssues(snmp, d.snmp ? `${path}/snmp` : site.snmp ? '/snmp' : path));
      if (list === 'ups' && d.kind && d.kind !== 'ups') more.push({ path: `${path}/kind`, message: 'a device under ups: is a UPS' });
      snmpDevices.push({
        name,
        kind: d.kind ?? defaultKind,
        host: d.host,
        port: d.port ?? 161,
        snmp: snmp ?? { version: '2c' },
        ...(d.role ? { role: d.role } : {}),
        groups: d.groups ?? [],
      });
    });
  }

  for (const [group, members] of Object.entries(site.groups ?? {})) {
    members.forEach((m, i) => {
      if (!seen.has(m)) more.push({ path: `/groups/${group}/${i}`, message: `no device named "${m}" in this site` });
    });
  }
  for (const device of Object.keys(site.thresholds?.devices ?? {})) {
    if (!seen.has(device)) more.push({ path: `/thresholds/devices/${device.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `no device named "${device}" in this site` });
  }
  if (site.time_zone !== undefined) {
    const zone = canonicalTimeZone(site.time_zone);
    if (!zone) more.push({ path: '/time_zone', message: `"${site.time_zone}" is not an IANA time zone name (e.g. Asia/Shanghai, Europe/London)` });
    else site.time_zone = zone;
  }
  if (more.length > 0) throw new SiteFileError(file, more.map((i) => ({ ...i, line: lineOf(doc, lc, i.path) })));

  return {
    file,
    site,
    servers,
    snmpDevices,
    knownHostsPath: expandPath(site.ssh?.known_hosts ?? '~/.ssh/known_hosts', baseDir),
    bmcPinsPath: join(dirname(expandPath(site.ssh?.known_hosts ?? '~/.ssh/known_hosts', baseDir)), 'known_bmc_certs'),
    connectTimeoutMs: (site.ssh?.timeout_s ?? 10) * 1000,
  };
}

function dedupe(issues: SiteFileIssue[]): SiteFileIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    // A union mismatch reports once per member; one line per field is enough.
    const key = `${i.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Reads a site file; a missing file is a SiteFileError too. */
export function loadSiteFile(path: string): LoadedSite {
  if (!existsSync(path)) throw new SiteFileError(path, [{ path: '', message: 'file not found (run `inspect init` to write an example)' }]);
  return parseSiteFile(readFileSync(path, 'utf8'), path);
}

/** The commented example `inspect init` writes. It parses as a valid site. */
export const EXAMPLE_SITE_FILE = `# Xunjian site inventory (巡检站点清单). Run: inspect --site <this file>
# Secrets are never written here: passwords, communities and SNMPv3 keys are named by the
# environment variable that holds them (*_env), or asked for (password_prompt: true).
site: hq                      # short name: letters, digits, . _ -; used in report folder names
customer: 示例客户 Example Customer Ltd.
contract_no: HT-2026-017      # the service contract's number (合同编号), printed on the report; one line
time_zone: Asia/Shanghai      # IANA name; the printed forms show local time in it (default Asia/Shanghai)

ssh:                          # defaults for every server below
  user: root
  port: 22
  auth:
    key_file: ~/.ssh/id_ed25519   # or: agent: true | password_env: HQ_SSH_PASSWORD | password_prompt: true
  known_hosts: ~/.ssh/known_hosts # host keys are checked; new hosts need --accept-new
  timeout_s: 10

snmp:                         # defaults for network devices and UPS units
  version: 2c
  community_env: HQ_SNMP_COMMUNITY

servers:
  - name: db01                # the name in reports (default: host)
    host: 10.1.0.11
    role: db
    groups: [core]
    bmc:                      # its management controller (iLO, XCC, iDRAC…) over Redfish:
      host: 10.1.100.11       # PSUs, fans, temperatures, hardware modules and logs from there
      user: inspect
      password_env: DB01_BMC_PASSWORD   # certificates pinned in known_bmc_certs beside known_hosts
  - name: app01
    host: 10.1.0.21
    user: inspect
    auth:
      password_env: APP01_PASSWORD
  - name: aix01               # AIX and Windows (OpenSSH + PowerShell) are detected automatically
    host: 10.1.0.31
    port: 2222
    hmc:                      # an IBM Power server's HMC: system state and open hardware events
      host: 10.1.100.5
      user: hmcviewer
      managed_system: Server-9117-MMA-SN10ACFDE   # its name in lssyscfg -r sys -F name
      auth:
        password_env: HQ_HMC_PASSWORD

network:
  - name: core-sw1
    host: 10.1.0.1
    kind: switch              # switch | router | firewall
    role: core
    groups: [core]
  - name: fw1
    host: 10.1.0.254
    kind: firewall
    snmp:
      version: "3"
      user: xunjian
      level: authPriv
      auth_protocol: sha
      auth_key_env: HQ_SNMPV3_AUTH
      priv_protocol: aes
      priv_key_env: HQ_SNMPV3_PRIV

ups:
  - name: ups1
    host: 10.1.0.250

groups:
  core: [db01, core-sw1]

thresholds:                   # overrides: site < kinds < roles < devices
  site:
    SXKR-002: { usedMax: 85 }
  roles:
    db:
      SXKR-003: { requiredServices: [sshd], fsUsedMax: 90 }
  devices:
    core-sw1:
      SXKR-003: { ignore: [Gi1/0/48] }
`;

/** Writes the example for \`inspect init\`; refuses to overwrite an existing file. */
export function writeExampleSiteFile(path: string, opts: { force?: boolean } = {}): void {
  if (existsSync(path) && !opts.force) {
    throw new XunjianError('SITE_FILE_EXISTS', `${path} already exists (use --force to overwrite)`);
  }
  writeFileSync(path, EXAMPLE_SITE_FILE, { flag: opts.force ? 'w' : 'wx' });
}

/**
 * `--site hq` as an engineer types it: an existing path is taken as it is, else `hq.yaml`, `hq.yml`,
 * `sites/hq.yaml` or `sites/hq.yml` in the working folder.
 */
export function resolveSiteFile(arg: string, cwd = process.cwd()): string {
  const candidates = [arg, `${arg}.yaml`, `${arg}.yml`, join('sites', `${arg}.yaml`), join('sites', `${arg}.yml`)];
  for (const candidate of candidates) {
    const path = resolve(cwd, candidate);
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  throw new XunjianError('USAGE', `no site file "${arg}" (looked for ${candidates.join(', ')}); write one with: inspect init ${arg}.yaml`);
}

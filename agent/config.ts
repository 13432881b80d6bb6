/**
 * The agent's configuration: a YAML file (default /etc/xunjian/agent.yaml), then XUNJIAN_AGENT_*
 * environment variables on top, validated against schemas/agent-config.ts, durations resolved.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  AgentConfig,
  XunjianError,
  parseDuration,
  parseWithDefaults,
  type CheckId,
} from '../schemas/index.js';

export const DEFAULT_CONFIG_PATH = '/etc/xunjian/agent.yaml';

/** The configuration with durations in milliseconds: what the daemon works with. */
export interface ResolvedAgentConfig {
  path: string | undefined;
  /** The collectors to deliver to, in order of preference (one, or several sharing a database). */
  collectorUrls: string[];
  token: string | undefined;
  tokenFile: string | undefined;
  requestTimeoutMs: number;
  site: string | undefined;
  hostname: string | undefined;
  role: string | undefined;
  cadenceMs: number;
  windowMs: number;
  sampleEveryMs: number;
  heartbeatMs: number;
  checks: CheckId[];
  requiredServices: string[];
  spoolDir: string;
  spoolMaxBytes: number;
  spoolMaxAgeMs: number;
  stateDir: string;
  retryInitialMs: number;
  retryMaxMs: number;
}

/** XUNJIAN_AGENT_* → where it goes in the file's shape. Lists are comma-separated. */
const ENV: Record<string, { path: string[]; kind?: 'int' | 'list' | 'urls' }> = {
  XUNJIAN_AGENT_COLLECTOR_URL: { path: ['collector', 'url'], kind: 'urls' },
  XUNJIAN_AGENT_TOKEN: { path: ['collector', 'token'] },
  XUNJIAN_AGENT_TOKEN_FILE: { path: ['collector', 'tokenFile'] },
  XUNJIAN_AGENT_TIMEOUT: { path: ['collector', 'timeout'] },
  XUNJIAN_AGENT_SITE: { path: ['site'] },
  XUNJIAN_AGENT_HOSTNAME: { path: ['hostname'] },
  XUNJIAN_AGENT_ROLE: { path: ['role'] },
  XUNJIAN_AGENT_CADENCE: { path: ['cadence'] },
  XUNJIAN_AGENT_WINDOW: { path: ['window'] },
  XUNJIAN_AGENT_SAMPLE_EVERY: { path: ['sampleEvery'] },
  XUNJIAN_AGENT_HEARTBEAT: { path: ['heartbeat'] },
  XUNJIAN_AGENT_CHECKS: { path: ['checks'], kind: 'list' },
  XUNJIAN_AGENT_REQUIRED_SERVICES: { path: ['requiredServices'], kind: 'list' },
  XUNJIAN_AGENT_SPOOL_DIR: { path: ['spool', 'dir'] },
  XUNJIAN_AGENT_SPOOL_MAX_BYTES: { path: ['spool', 'maxBytes'], kind: 'int' },
  XUNJIAN_AGENT_SPOOL_MAX_AGE: { path: ['spool', 'maxAge'] },
  XUNJIAN_AGENT_STATE_DIR: { path: ['stateDir'] },
  XUNJIAN_AGENT_RETRY_INITIAL: { path: ['retry', 'initial'] },
  XUNJIAN_AGENT_RETRY_MAX: { path: ['retry', 'max'] },
};

export const AGENT_ENV_VARS = Object.keys(ENV);

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** "https://a:8470, https://b:8470" → a list; one URL stays a string (the file keeps its simple form). */
export function collectorUrlsOf(text: string): string | string[] {
  const urls = text.split(',').map((s) => s.trim()).filter(Boolean);
  return urls.length === 1 ? urls[0]! : urls;
}

/** Reads the YAML file (missing is fine when the environment supplies the rest). */
export function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new XunjianError('CONFIG', `${path}: not valid YAML: ${(e as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new XunjianError('CONFIG', `${path}: expected a mapping at the top`);
  return parsed as Record<string, unknown>;
}

export function loadAgentConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedAgentConfig {
  const file = path ?? env.XUNJIAN_AGENT_CONFIG ?? DEFAULT_CONFIG_PATH;
  const raw = readConfigFile(file);
  for (const [name, spec] of Object.entries(ENV)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    let value: unknown = text;
    if (spec.kind === 'int') {
      value = Number(text);
      if (!Number.isInteger(value)) throw new XunjianError('CONFIG', `${name}="${text}": expected a whole number`);
    } else if (spec.kind === 'list') {
      value = text.split(',').map((s) => s.trim()).filter(Boolean);
    } else if (spec.kind === 'urls') {
      value = collectorUrlsOf(text);
    }
    setPath(raw, spec.path, value);
  }
  let c: AgentConfig;
  try {
    c = parseWithDefaults(AgentConfig, raw, `agent configuration (${file} and XUNJIAN_AGENT_*)`);
  } catch (e) {
    if (e instanceof XunjianError) throw new XunjianError('CONFIG', e.message, { cause: e });
    throw e;
  }
  const d = (text: string, what: string) => {
    try {
      return parseDuration(text, what);
    } catch (e) {
      throw new XunjianError('CONFIG', (e as Error).message);
    }
  };
  const stateDir = c.stateDir;
  // No token anywhere → the token file enroll writes by default.
  const tokenFile = c.collector.tokenFile ?? (c.collector.token ? undefined : join(stateDir, 'token'));
  return {
    path: existsSync(file) ? file : undefined,
    collectorUrls: [c.collector.url].flat().map((u) => u.replace(/\/+$/, '')),
    token: c.collector.token,
    tokenFile,
    requestTimeoutMs: d(c.collector.timeout, 'collector.timeout'),
    site: c.site,
    hostname: c.hostname,
    role: c.role,
    cadenceMs: d(c.cadence, 'cadence'),
    windowMs: d(c.window, 'window'),
    sampleEveryMs: d(c.sampleEvery, 'sampleEvery'),
    heartbeatMs: d(c.heartbeat, 'heartbeat'),
    checks: c.checks,
    requiredServices: c.requiredServices,
    spoolDir: c.spool.dir,
    spoolMaxBytes: c.spool.maxBytes,
    spoolMaxAgeMs: d(c.spool.maxAge, 'spool.maxAge'),
    stateDir,
    retryInitialMs: d(c.retry.initial, 'retry.initial'),
    retryMaxMs: d(c.retry.max, 'retry.max'),
  };
}

/** The token to send now: the inline one, else the token file's content (re-read each time). */
export function readToken(c: Pick<ResolvedAgentConfig, 'token' | 'tokenFile'>): string | undefined {
  if (c.token) return c.token;
  if (!c.tokenFile) return undefined;
  try {
    const text = readFileSync(c.tokenFile, 'utf8').trim();
    return text || undefined;
  } catch {
    return undefined;
  }
}

/** Writes `text` to `path` atomically (temp + rename) with `mode`, creating the folder. */
export function writeFileAtomic(path: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode); // writeFileSync's mode is masked by umask and ignored for existing files
  renameSync(tmp, path);
}

export interface EnrollOptions {
  configPath: string;
  collectorUrl: string;
  token: string;
  site: string;
  tokenFile?: string;
  hostname?: string;
}

/**
 * `agent enroll`: stores the token in its own file (0600, never in the config) and records the
 * collector URL, site and token file in the config file, keeping whatever else it holds.
 */
export function enroll(o: EnrollOptions): { configPath: string; tokenFile: string } {
  const urls = collectorUrlsOf(o.collectorUrl);
  for (const url of [urls].flat()) {
    if (!/^https?:\/\//.test(url)) throw new XunjianError('USAGE', `--collector must be an http(s) URL (or several, comma-separated), got "${url}"`);
  }
  if (!o.token.trim()) throw new XunjianError('USAGE', '--token is empty');
  const raw = readConfigFile(o.configPath);
  const stateDir = typeof raw.stateDir === 'string' ? raw.stateDir : '/var/lib/xunjian-agent';
  const collector = (typeof raw.collector === 'object' && raw.collector !== null ? raw.collector : {}) as Record<string, unknown>;
  const tokenFile = o.tokenFile ?? (typeof collector.tokenFile === 'string' ? collector.tokenFile : join(stateDir, 'token'));
  writeFileAtomic(tokenFile, `${o.token.trim()}\n`, 0o600);
  collector.url = urls;
  collector.tokenFile = tokenFile;
  delete collector.token;
  raw.collector = collector;
  raw.site = o.site;
  if (o.hostname) raw.hostname = o.hostname;
  // Validate what we are about to write, so a typo never leaves a config the daemon rejects.
  loadAgentConfigFromObject(raw, o.configPath);
  writeFileAtomic(o.configPath, stringifyYaml(raw), 0o640);
  return { configPath: o.configPath, tokenFile };
}

function loadAgentConfigFromObject(raw: Record<string, unknown>, what: string): void {
  try {
    parseWithDefaults(AgentConfig, raw, `agent configuration (${what})`);
  } catch (e) {
    throw new XunjianError('CONFIG', (e as Error).message, { cause: e });
  }
}

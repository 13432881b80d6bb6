import type { Lang, Said, Severity } from '../../schemas/index.js';
import { sourceTextZh } from './source-phrases.js';

/**
 * The reasons the catalogue writes (why a component or a check is abnormal or unknown), in both
 * languages. Values, component names and states are the same text in both; only the words around
 * them change, and in the same order, so a reason stored in Chinese reads back as the English one
 * (collector/reports/wording.ts). Reasons from sources (gaps) and text a device wrote are not here.
 */

type Wording<A extends unknown[]> = { [L in Lang]: (...args: A) => string };
const both = <A extends unknown[]>(zh: (...args: A) => string, en: (...args: A) => string): Wording<A> => ({ zh, en });

/** Severity words: the log check's expected text and its reasons. */
export const SEVERITY_ZH: Record<Severity, string> = {
  emergency: '紧急',
  alert: '警报',
  critical: '严重',
  error: '错误',
  warning: '警告',
  notice: '通知',
  info: '信息',
  debug: '调试',
};

/** How a CPU figure is named: the en word, and its zh word in reasons. */
export const CPU_FIGURE_ZH = { average: '平均', maximum: '最大' } as const;
export type CpuFigure = keyof typeof CPU_FIGURE_ZH;

/** How a temperature sensor's own state is named in zh. */
export const SENSOR_STATE_ZH = { warning: '告警', fault: '故障' } as const;

const REASONS = {
  /** "CPU: …" — a component and what is wrong with it. */
  of: both<[component: string, text: string]>((c, text) => `${c}：${text}`, (c, text) => `${c}: ${text}`),
  /** Several findings about one component. */
  list: both<[parts: string[]]>((parts) => parts.join('，'), (parts) => parts.join(', ')),
  nothingMeasured: both<[]>(() => '未测得任何数据', () => 'nothing was measured for this check'),
  invalid: both<[metric: string, component: string, value: string]>(
    (metric, c, value) => `${metric}（${c}）的数值 ${value} 不可用`,
    (metric, c, value) => `${metric} of ${c} is not a usable number (${value})`,
  ),
  beyondFull: both<[detail?: string]>(
    (detail) => `超过100%，按实测判定${detail ? `：${detail}` : ''}`,
    (detail) => `above 100 %, judged as measured${detail ? `: ${detail}` : ''}`,
  ),
  stateBad: both<[component: string, raw: string, detail?: string]>(
    (c, raw, detail) => `${c} 状态为 ${raw}${detail ? ` (${detail})` : ''}`,
    (c, raw, detail) => `${c} is ${raw}${detail ? ` (${detail})` : ''}`,
  ),
  stateUnjudged: both<[raw: string]>((raw) => `状态 ${raw} 无法判定`, (raw) => `state ${raw} cannot be judged`),
  cpuOver: both<[figure: CpuFigure, value: string, limit: number]>(
    (figure, value, limit) => `${CPU_FIGURE_ZH[figure]} ${value} > ${limit} %`,
    (figure, value, limit) => `${figure} ${value} > ${limit} %`,
  ),
  cpuMissing: both<[figure: CpuFigure]>((figure) => `未测得${CPU_FIGURE_ZH[figure]}利用率`, (figure) => `${figure} CPU not measured`),
  memoryOver: both<[value: string, limit: number]>((value, limit) => `内存使用率 ${value} > ${limit} %`, (value, limit) => `memory used ${value} > ${limit} %`),
  fsOver: both<[mount: string, value: string, limit: number]>(
    (mount, value, limit) => `文件系统 ${mount} 已用 ${value} > ${limit} %`,
    (mount, value, limit) => `file system ${mount} ${value} used > ${limit} %`,
  ),
  serviceMissing: both<[name: string]>((name) => `必需服务 ${name} 未上报`, (name) => `required service ${name} was not reported by the source`),
  tempHigh: both<[component: string, value: string, fromDevice: boolean, limit: string]>(
    (c, value, fromDevice, limit) => `${c} 温度 ${value} ≥ ${fromDevice ? '设备阈值' : '默认阈值'} ${limit}`,
    (c, value, fromDevice, limit) => `${c} ${value} ≥ ${fromDevice ? 'device limit' : 'default limit'} ${limit}`,
  ),
  tempLow: both<[component: string, value: string, low: string]>(
    (c, value, low) => `${c} 温度 ${value} ≤ 设备下限 ${low}`,
    (c, value, low) => `${c} ${value} ≤ device low limit ${low}`,
  ),
  sensorState: both<[state: keyof typeof SENSOR_STATE_ZH]>((state) => `设备报告传感器${SENSOR_STATE_ZH[state]}`, (state) => `the device reports the sensor as ${state}`),
  logEntry: both<[severity: Severity, at: string]>((severity, at) => `${at} 出现${SEVERITY_ZH[severity]}级日志`, (severity, at) => `${severity} entry at ${at}`),
  /** The reasons of several components, one verdict (a check's reason). */
  joined: both<[parts: string[]]>((parts) => parts.join('; '), (parts) => parts.join('; ')),
  /** A source's own words (a gap: a failed command, a timeout, output that does not parse), English as the source wrote them. */
  source: both<[text: string]>((text) => sourceTextZh(text), (text) => text),
};

export type Reason = keyof typeof REASONS;

/** A reason in `lang`: `reason('zh', 'memoryOver', '85.0 %', 80)` → "内存使用率 85.0 % > 80 %". */
export function reason<K extends Reason>(lang: Lang, key: K, ...args: Parameters<(typeof REASONS)[K]['en']>): string {
  return (REASONS[key][lang] as (...a: typeof args) => string)(...args);
}

/** An argument of `said`: where the wording takes text, a reason said of its own may stand instead. */
type SaidArg<T> = T extends string ? string | Said : T extends readonly string[] ? (string | Said)[] : T;
type SaidTuple<P extends unknown[]> = { [I in keyof P]: SaidArg<P[I]> };
type SaidArgs<K extends Reason> = SaidTuple<Parameters<(typeof REASONS)[K]['en']>>;

/** What is said, in no language yet: `said('of', 'CPU', said('cpuMissing', 'average'))`. */
export function said<K extends Reason>(key: K, ...args: SaidArgs<K>): Said {
  // JSON keeps no undefined: an absent optional argument is stored as null and read back as absent.
  return { key, args: (args as unknown[]).map((a) => (a === undefined ? null : a)) as Said['args'] };
}

const isSaid = (a: unknown): a is Said => typeof a === 'object' && a !== null && !Array.isArray(a) && typeof (a as Said).key === 'string';

/**
 * What was said, worded in `lang`; undefined when it cannot be (a key this version does not know,
 * arguments of another shape — a result stored by a newer collector or a forged upload): the
 * caller then shows the text stored beside it.
 */
export function sayIn(lang: Lang, s: Said): string | undefined {
  const wording = Object.hasOwn(REASONS, s.key) ? (REASONS[s.key as Reason][lang] as (...a: unknown[]) => string) : undefined;
  if (!wording || !Array.isArray(s.args)) return undefined;
  const args: unknown[] = [];
  for (const a of s.args) {
    if (isSaid(a)) {
      const text = sayIn(lang, a);
      if (text === undefined) return undefined;
      args.push(text);
    } else if (Array.isArray(a)) {
      const texts = a.map((x) => (isSaid(x) ? sayIn(lang, x) : typeof x === 'string' ? x : undefined));
      if (texts.some((x) => x === undefined)) return undefined;
      args.push(texts);
    } else args.push(a === null ? undefined : a);
  }
  try {
    const text = wording(...args);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

/** A result's or component's reason in `lang`: from what was said, else its stored text. */
export const reasonOf = (lang: Lang, r: { reason?: string; why?: Said }): string => (r.why ? sayIn(lang, r.why) : undefined) ?? r.reason ?? '';

/** A reason as a result carries it: the text in the language of evaluation, and what was said. */
export const because = (lang: Lang, s: Said): { reason: string; why: Said } => ({ reason: sayIn(lang, s)!, why: s });

/**
 * `because` and then the command, in that order, for a spread that closes an object literal. On
 * Node 20 (V8 11.3) a literal that adds a property after a spread (`{ ...because(…), command }`)
 * is built in the runtime, 0.9-1.6 µs each against 20-30 ns when the spread comes last or there is
 * none (measured in a loop of a million; overwriting a key the spread brought stays fast).
 * Evaluation builds dozens of components per report: it fell from 58-95 to 21-33 µs a report
 * without them (bench/ingest.ts prints it as "evaluation").
 */
export const becauseWith = (lang: Lang, s: Said, command: string): { reason: string; why: Said; command: string } => ({ reason: sayIn(lang, s)!, why: s, command });

import type { Lang } from '../../schemas/index.js';
import type { DeviceRow } from '../repositories/index.js';
import type { BaselineRow } from './firmware.js';

/**
 * upgrade: below the model's baseline, or a person said so; current: at or above the baseline,
 * or a person said no upgrade is needed; unknown: a baseline exists but the firmware is not known;
 * none: no baseline for the model and no verdict.
 */
export type UpgradeStatus = 'upgrade' | 'current' | 'unknown' | 'none';

export interface UpgradeRecommendation {
  status: UpgradeStatus;
  /** The firmware compared: a person's entry, else the reported version. */
  firmware: string | null;
  baseline: string | null;
  /** What the baseline alone says, when there is one. */
  baselineStatus: Exclude<UpgradeStatus, 'none'> | null;
  /** A person's verdict, which decides over the baseline. */
  verdict: { needed: boolean; reason: string | null; by: string; at: number } | null;
}

const norm = (s: string) => s.replace(/[\s-]+/g, '').toUpperCase();
const numbers = (v: string) => (v.match(/\d+/g) ?? []).map(Number);

/**
 * -1, 0, 1 when the numeric parts of two versions compare (7.0.3 < 7.1; "V200R019C10" by its
 * numbers), null when they cannot (no digits). Equal text is 0 whatever it holds.
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | null {
  if (norm(a) === norm(b)) return 0;
  const x = numbers(a);
  const y = numbers(b);
  if (!x.length || !y.length) return null;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function baselineFor(d: Pick<DeviceRow, 'model' | 'reported'>, baselines: BaselineRow[]): BaselineRow | undefined {
  const models = [d.model, d.reported.model].filter((m): m is string => m !== null).map(norm);
  return baselines.find((b) => models.includes(norm(b.model)));
}

export function recommend(d: Pick<DeviceRow, 'model' | 'reported' | 'firmware' | 'upgrade'>, baselines: BaselineRow[]): UpgradeRecommendation {
  const baseline = baselineFor(d, baselines);
  let baselineStatus: UpgradeRecommendation['baselineStatus'] = null;
  if (baseline) {
    const cmp = d.firmware === null ? null : compareVersions(d.firmware, baseline.firmware);
    // Different text that cannot be ordered is not the baseline: an upgrade to it is recommended.
    baselineStatus = d.firmware === null ? 'unknown' : cmp === null ? 'upgrade' : cmp < 0 ? 'upgrade' : 'current';
  }
  const verdict = d.upgrade;
  const status: UpgradeStatus = verdict ? (verdict.needed ? 'upgrade' : 'current') : (baselineStatus ?? 'none');
  return { status, firmware: d.firmware, baseline: baseline?.firmware ?? null, baselineStatus, verdict };
}

const STATUS_WORDS: Record<UpgradeStatus, Record<Lang, string>> = {
  upgrade: { zh: '建议升级', en: 'upgrade recommended' },
  current: { zh: '无需升级', en: 'no upgrade needed' },
  unknown: { zh: '版本未知', en: 'firmware unknown' },
  none: { zh: '无基线', en: 'no baseline' },
};

const WHY_WORDS = {
  baseline: { zh: '基线', en: 'baseline' },
  now: { zh: '当前', en: 'now' },
  verdict: { zh: '人工判断', en: 'verdict' },
} as const satisfies Record<string, Record<Lang, string>>;

/** One line for a page cell or a product list cell: status, then why. */
export function recommendationText(lang: Lang, r: UpgradeRecommendation): string {
  const why: string[] = [];
  if (r.baseline !== null) why.push(`${WHY_WORDS.baseline[lang]} ${r.baseline}${r.firmware !== null ? ` (${WHY_WORDS.now[lang]} ${r.firmware})` : ''}`);
  if (r.verdict) why.push(`${WHY_WORDS.verdict[lang]} ${r.verdict.by}${r.verdict.reason ? `: ${r.verdict.reason}` : ''}`);
  return why.length ? `${STATUS_WORDS[r.status][lang]} — ${why.join('; ')}` : STATUS_WORDS[r.status][lang];
}

import { CpuThresholds, type ComponentResult } from '../../../schemas/index.js';
import { defineCheck } from '../../define.js';
import { PERCENT, beyondFull, formatValue, invalidComponent, judgeAtMost, readNumber } from '../../levels.js';
import { phrase } from '../../words/phrases.js';
import { becauseWith, said, type CpuFigure } from '../../words/reasons.js';
import type { Said } from '../../../schemas/index.js';
import { byComponent, latest } from '../group.js';

export const cpuCheck = defineCheck({
  id: 'SXKR-001',
  name: { zh: '设备CPU利用率情况检查', en: 'CPU utilisation' },
  expected: {
    zh: (t) => `CPU平均利用率 ≤ ${t.avgMax}%，最大利用率 ≤ ${t.peakMax}%`,
    en: (t) => `CPU average ≤ ${t.avgMax} % and maximum ≤ ${t.peakMax} % over the window`,
  },
  thresholds: CpuThresholds,
  evaluate(measurements, t, { lang }) {
    const components: ComponentResult[] = [];
    for (const [component, list] of byComponent(measurements)) {
      const avgM = latest(list, 'cpu.avg');
      const maxM = latest(list, 'cpu.max');
      if (!avgM && !maxM) continue; // other metrics are stored, not judged
      const avg = avgM && readNumber(avgM, PERCENT);
      const max = maxM && readNumber(maxM, PERCENT);
      const bad = [avgM && avg === undefined ? avgM : undefined, maxM && max === undefined ? maxM : undefined].find(Boolean);
      if (bad) {
        components.push(invalidComponent(bad, lang));
        continue;
      }
      const shown = [
        avg !== undefined ? `${phrase(lang, 'avg')} ${formatValue(avg, '%')}${beyondFull(avg, avgM!, lang)}` : undefined,
        max !== undefined ? `${phrase(lang, 'max')} ${formatValue(max, '%')}${beyondFull(max, maxM!, lang)}` : undefined,
      ].filter(Boolean).join(', ');
      const reasons: Said[] = [];
      if (avg !== undefined && judgeAtMost(avg, t.avgMax) === 'abnormal') reasons.push(said('cpuOver', 'average', formatValue(avg, '%'), t.avgMax));
      if (max !== undefined && judgeAtMost(max, t.peakMax) === 'abnormal') reasons.push(said('cpuOver', 'maximum', formatValue(max, '%'), t.peakMax));
      const missing: CpuFigure | undefined = avg === undefined ? 'average' : max === undefined ? 'maximum' : undefined;
      const command = (avgM ?? maxM)!.command;
      if (reasons.length) components.push({ component, verdict: 'abnormal', actual: shown, ...becauseWith(lang, said('of', component, said('list', reasons)), command) });
      else if (missing) components.push({ component, verdict: 'unknown', actual: shown, ...becauseWith(lang, said('of', component, said('cpuMissing', missing)), command) });
      else components.push({ component, verdict: 'normal', actual: shown, command });
    }
    return { components };
  },
});

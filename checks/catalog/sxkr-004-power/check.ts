import { PowerThresholds } from '../../../schemas/index.js';
import { defineCheck } from '../../define.js';
import { judgeState } from '../../levels.js';

const STATE_METRICS = new Set(['psu.state', 'fan.state', 'ups.state']);

export const powerCheck = defineCheck({
  id: 'SXKR-004',
  name: { zh: '设备电源及风扇检查', en: 'Power supplies and fans' },
  expected: {
    zh: () => '所有电源及风扇状态正常，冗余完好；UPS 未转电池、电池正常、未旁路',
    en: () => 'every PSU and fan normal, redundancy intact; UPS not on battery, battery good, not on bypass',
  },
  thresholds: PowerThresholds,
  evaluate(measurements, t, { lang }) {
    const ignored = new Set(t.ignore);
    return {
      components: measurements
        .filter((m) => STATE_METRICS.has(m.metric) && !ignored.has(m.component))
        .map((m) => judgeState(m, lang)),
    };
  },
});

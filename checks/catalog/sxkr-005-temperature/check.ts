import { TemperatureThresholds, type ComponentResult, type TemperatureThresholds as T } from '../../../schemas/index.js';
import { defineCheck } from '../../define.js';
import { formatValue, invalidComponent, judgeState, readNumber } from '../../levels.js';
import { phrase } from '../../words/phrases.js';
import { becauseWith, said } from '../../words/reasons.js';
import type { Said } from '../../../schemas/index.js';

/** Readings outside this range are a broken sensor, not a temperature. */
const PLAUSIBLE = { min: -60, max: 200 } as const;

function defaultLimit(kind: string | undefined, t: T): number {
  return kind && kind in t ? t[kind as keyof T] : t.other;
}

export const temperatureCheck = defineCheck({
  id: 'SXKR-005',
  name: { zh: '设备运行温度检查', en: 'Operating temperature' },
  expected: {
    zh: (t) => `各温度传感器低于设备自身阈值；设备未提供阈值时按默认值（进风 ${t.inlet}℃，CPU ${t.cpu}℃，机箱 ${t.chassis}℃，其他 ${t.other}℃）`,
    en: (t) => `every sensor below the device's own limit; where it reports none, the default (inlet ${t.inlet} °C, CPU ${t.cpu} °C, chassis ${t.chassis} °C, other ${t.other} °C)`,
  },
  thresholds: TemperatureThresholds,
  evaluate(measurements, t, { lang }) {
    const components: ComponentResult[] = [];
    for (const m of measurements) {
      // A controller that watches its sensors itself and reports only their state (an IBM Power
      // service processor through the HMC: no open thermal event) is judged on that state.
      if (m.metric === 'thermal.state') {
        components.push(judgeState(m, lang));
        continue;
      }
      if (m.metric !== 'temperature') continue;
      const value = readNumber(m, PLAUSIBLE);
      if (value === undefined) {
        components.push(invalidComponent(m, lang));
        continue;
      }
      const deviceHigh = m.limits?.high;
      const high = deviceHigh ?? defaultLimit(m.kind, t);
      const from = deviceHigh !== undefined ? phrase(lang, 'device') : `${phrase(lang, 'limit')} (${m.kind ?? 'other'})`;
      const actual = `${formatValue(value, '°C')} (${from} ${formatValue(high, '°C')})`;
      const reasons: Said[] = [];
      if (value >= high) reasons.push(said('tempHigh', m.component, formatValue(value, '°C'), deviceHigh !== undefined, formatValue(high, '°C')));
      if (m.limits?.low !== undefined && value <= m.limits.low) reasons.push(said('tempLow', m.component, formatValue(value, '°C'), formatValue(m.limits.low, '°C')));
      if (m.status === 'warning' || m.status === 'fault') reasons.push(said('of', m.component, said('sensorState', m.status)));
      components.push(
        reasons.length
          ? { component: m.component, verdict: 'abnormal', actual, ...becauseWith(lang, said('list', reasons), m.command) }
          : { component: m.component, verdict: 'normal', actual, command: m.command },
      );
    }
    return { components };
  },
});

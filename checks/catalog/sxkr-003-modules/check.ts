import { ModuleThresholds, type ComponentResult } from '../../../schemas/index.js';
import { defineCheck } from '../../define.js';
import { PERCENT, beyondFull, formatValue, invalidComponent, judgeAtMost, judgeState, readNumber } from '../../levels.js';
import { phrase, usedText } from '../../words/phrases.js';
import { because, becauseWith, said } from '../../words/reasons.js';

/** How a required service is named among the components: `service sshd`. */
export const serviceComponent = (name: string) => `service ${name}`;

export const modulesCheck = defineCheck({
  id: 'SXKR-003',
  name: { zh: '设备系统模块运行状况检查', en: 'System modules' },
  expected: {
    zh: (t) => `各模块、磁盘、阵列、接口及必需服务状态正常；文件系统使用率 ≤ ${t.fsUsedMax}%`,
    en: (t) => `every module, disk, array, interface and required service normal; file systems ≤ ${t.fsUsedMax} % used`,
  },
  thresholds: ModuleThresholds,
  evaluate(measurements, t, { lang }) {
    const ignored = new Set(t.ignore);
    const components: ComponentResult[] = [];
    for (const m of measurements) {
      if (ignored.has(m.component)) continue;
      if (m.metric === 'module.state') components.push(judgeState(m, lang));
      else if (m.metric === 'fs.used') {
        const used = readNumber(m, PERCENT);
        if (used === undefined) components.push(invalidComponent(m, lang));
        else {
          const actual = `${usedText(lang, formatValue(used, '%'))}${beyondFull(used, m, lang)}`;
          if (judgeAtMost(used, t.fsUsedMax) === 'abnormal')
            components.push({ component: m.component, verdict: 'abnormal', actual, ...becauseWith(lang, said('fsOver', m.component, formatValue(used, '%'), t.fsUsedMax), m.command) });
          else components.push({ component: m.component, verdict: 'normal', actual, command: m.command });
        }
      }
    }
    // A required service the source did not report at all cannot be called normal.
    const reported = new Set(measurements.map((m) => m.component));
    for (const name of t.requiredServices) {
      const component = serviceComponent(name);
      if (!reported.has(component) && !ignored.has(component))
        components.push({ component, verdict: 'unknown', actual: phrase(lang, 'notReported'), ...because(lang, said('serviceMissing', name)) });
    }
    return { components };
  },
});

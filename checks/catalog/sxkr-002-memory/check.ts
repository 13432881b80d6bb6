import { MemoryThresholds, type ComponentResult } from '../../../schemas/index.js';
import { defineCheck } from '../../define.js';
import { PERCENT, beyondFull, formatValue, invalidComponent, judgeAtMost, readNumber } from '../../levels.js';
import { phrase } from '../../words/phrases.js';
import { becauseWith, said } from '../../words/reasons.js';
import { byComponent, latest } from '../group.js';

export const memoryCheck = defineCheck({
  id: 'SXKR-002',
  name: { zh: '设备memory利用状况检查', en: 'Memory utilisation' },
  expected: {
    zh: (t) => `内存使用率 ≤ ${t.usedMax}%（服务器不含缓存）`,
    en: (t) => `memory used ≤ ${t.usedMax} % (servers: excluding page cache and buffers)`,
  },
  thresholds: MemoryThresholds,
  evaluate(measurements, t, { lang }) {
    const components: ComponentResult[] = [];
    for (const [component, list] of byComponent(measurements)) {
      // A paging space of its own (AIX `lsps -s`) is judged like memory: a full one kills processes.
      const usedM = latest(list, 'memory.used') ?? latest(list, 'paging.used');
      const swapM = latest(list, 'swap.used');
      const swap = swapM && readNumber(swapM, PERCENT);
      const swapText = swap !== undefined ? ` (${phrase(lang, 'swap')} ${formatValue(swap, '%')})` : '';
      if (!usedM) continue; // swap alone is reported with its pool, never judged
      const used = readNumber(usedM, PERCENT);
      if (used === undefined) {
        components.push(invalidComponent(usedM, lang));
        continue;
      }
      const actual = `${formatValue(used, '%')}${beyondFull(used, usedM, lang)}${swapText}`;
      if (judgeAtMost(used, t.usedMax) === 'abnormal') {
        components.push({ component, verdict: 'abnormal', actual, ...becauseWith(lang, said('of', component, said('memoryOver', formatValue(used, '%'), t.usedMax)), usedM.command) });
      } else {
        components.push({ component, verdict: 'normal', actual, command: usedM.command });
      }
    }
    return { components };
  },
});

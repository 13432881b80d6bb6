/*
 * The engine's words, both languages, each table keyed so that a missing translation is a type
 * error: phrases of actual results, reasons (kept as keys, worded when read), verdicts and device
 * kinds, and the sources' failure messages in Chinese. The collector's codes are worded in
 * collector/terms.ts, its surfaces' words in collector/web/i18n.ts and collector/reports/labels.ts.
 */
export { phrase, usedText, type Phrase } from './phrases.js';
export { reason, reasonOf, said, sayIn, because, SEVERITY_ZH, CPU_FIGURE_ZH, SENSOR_STATE_ZH, type Reason } from './reasons.js';
export { KIND_TERMS, LANG_TAG, VERDICT_LABELS } from './labels.js';
export { sourceTextZh } from './source-phrases.js';

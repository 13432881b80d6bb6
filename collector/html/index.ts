/** HTML built by escaping every value unless `raw()` asks otherwise (pages and printable reports). */
export { html, raw, joinHtml, escapeHtml, SafeHtml, type HtmlValue } from './safe-html.js';

/**
 * RFC 4180 CSV with a UTF-8 BOM (so spreadsheet programs read the Chinese headers). Cells that
 * a spreadsheet would run as a formula (=, +, -, @) are prefixed with a quote.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (v: unknown): string => {
    let text = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [header, ...rows].map((r) => r.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

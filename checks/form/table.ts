import { displayWidth, pad, wrap } from './width.js';

export interface Column {
  header: string;
  /** Widest the column may grow, in terminal columns; text wraps beyond it. */
  max: number;
}

/** A boxed table whose cells wrap; widths follow the content up to each column's max. */
export function renderTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((c, i) =>
    Math.min(c.max, Math.max(displayWidth(c.header), ...rows.map((r) => Math.max(...(r[i] ?? '').split('\n').map(displayWidth))))),
  );
  const rule = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  const line = (cells: string[]) => {
    const wrapped = cells.map((c, i) => wrap(c, widths[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let y = 0; y < height; y++) out.push('│ ' + wrapped.map((w, i) => pad(w[y] ?? '', widths[i]!)).join(' │ ') + ' │');
    return out.join('\n');
  };
  return [rule('┌', '┬', '┐'), line(columns.map((c) => c.header)), rule('├', '┼', '┤'), ...rows.flatMap((r, i) => (i ? [rule('├', '┼', '┤'), line(r)] : [line(r)])), rule('└', '┴', '┘')].join('\n');
}

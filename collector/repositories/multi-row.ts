/**
 * `head VALUES (?, …), (?, …) tail` for n rows of `columns` values: one statement per report on
 * either engine. Built once per row count, so both engines' statement caches key on the very same
 * string.
 */
export function multiRowInsert(head: string, columns: number, tail = ''): (rows: number) => string {
  const texts = new Map<number, string>();
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return (rows) => {
    let text = texts.get(rows);
    if (text === undefined) {
      text = `${head} VALUES ${Array.from({ length: rows }, () => row).join(', ')}${tail === '' ? '' : ` ${tail}`}`;
      texts.set(rows, text);
    }
    return text;
  };
}

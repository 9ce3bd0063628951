/** A plain text table as kubectl prints one: columns two spaces apart, the last cut to fit a terminal. */

/** The width `npm run demo` keeps its lines within, unless asked for all (-o wide). */
export const TERMINAL_WIDTH = 120;

/**
 * Lines of rows (the first is the header), padded to each column's widest cell. With maxWidth, the
 * last column of a line that would be wider is cut and ends with `...`.
 */
export function formatTable(rows: readonly string[][], maxWidth?: number): string[] {
  const columns = rows[0]?.length ?? 0;
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(...rows.map((row) => row[c]?.length ?? 0)),
  );
  return rows.map((row) => {
    const head = row
      .slice(0, -1)
      .map((cell, c) => `${cell.padEnd(widths[c]!)}  `)
      .join('');
    let last = row.at(-1) ?? '';
    if (maxWidth !== undefined && head.length + last.length > maxWidth) {
      last = `${last.slice(0, Math.max(0, maxWidth - head.length - 3))}...`;
    }
    return `${head}${last}`.trimEnd();
  });
}

/** Aligned plain-text tables for terminal summaries. */

export interface Column<T> {
  readonly title: string;
  readonly cell: (row: T) => string;
}

/** One line per row; the first column is left-aligned, every other right-aligned. */
export function alignedTable<T>(columns: readonly Column<T>[], items: readonly T[]): string {
  const rows = [columns.map((c) => c.title), ...items.map((r) => columns.map((c) => c.cell(r)))];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  "),
  );
  return `${lines.join("\n")}\n`;
}

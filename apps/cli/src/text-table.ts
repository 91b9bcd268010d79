/** Columns padded to their widest cell, two spaces apart, every cell made printable: what the CLI's lists print. */
import { printable } from './printable';

export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => printable(row[i] ?? '').length)));
  return `${[header, ...rows]
    .map((row) =>
      row
        .map((c, i) => printable(c).padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/**
 * Long lists rendered a window's worth at a time (issue 18: lists of thousands stay fast). Only the rows
 * near the viewport are in the page, placed where they would be, so the page keeps its full height and the
 * window's own scroll bar stays true (no inner scroll box, no layout jump). Rows are measured once shown, and
 * rows above the viewport that turn out taller or shorter move the scroll position with them.
 *  - Short lists (up to ALL_UP_TO rows) are rendered whole: nothing to gain, and find-in-page works.
 *  - A few rows past each edge of the viewport are rendered too, so Tab and Shift+Tab always reach the next
 *    row (the browser scrolls it into view, which renders the ones after it).
 *  - The row that holds the focus stays rendered however far the page scrolls, so focus is never lost.
 *  - Near the end of what is loaded, `onNearEnd` asks for the server's next page.
 */
import { defaultRangeExtractor, useWindowVirtualizer, type Range, type VirtualItem } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FocusEvent, type ReactNode } from 'react';

export const ALL_UP_TO = 40;
/** Rows rendered past each edge of the viewport. */
const OVERSCAN = 6;
/** How close (in rows) to the end of what is loaded the next server page is asked for. */
const NEAR_END = 10;

interface Options {
  count: number;
  /** A row's height before it is measured, in pixels: close to the usual row keeps the scroll bar steady. */
  estimateSize: number;
  /** Space between rows, in pixels (a list's gap; 0 for a table). */
  gap?: number;
  onNearEnd?: () => void;
}

export function useVirtualRows<E extends HTMLElement>({ count, estimateSize, gap = 0, onNearEnd }: Options) {
  const container = useRef<E>(null);
  const focused = useRef<number | null>(null);
  // Where the list starts in the page: what is above it (headings, filters, a verification) may change height.
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const measure = () => {
      const element = container.current;
      if (element !== null) setScrollMargin(Math.round(element.getBoundingClientRect().top + window.scrollY));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);
  const rangeExtractor = useCallback((range: Range) => {
    if (range.count <= ALL_UP_TO) return Array.from({ length: range.count }, (_, i) => i);
    const indexes = defaultRangeExtractor(range);
    const kept = focused.current;
    if (kept !== null && kept < range.count && !indexes.includes(kept)) return [...indexes, kept].sort((a, b) => a - b);
    return indexes;
  }, []);
  const virtualizer = useWindowVirtualizer({
    count,
    estimateSize: () => estimateSize,
    gap,
    overscan: OVERSCAN,
    scrollMargin,
    rangeExtractor,
    // The viewport's size from the first render, so the first paint already holds the rows it shows.
    initialRect: { width: window.innerWidth, height: window.innerHeight },
  });
  const items = virtualizer.getVirtualItems();
  const lastShown = virtualizer.range?.endIndex ?? items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (onNearEnd !== undefined && count > 0 && lastShown >= count - 1 - NEAR_END) onNearEnd();
  }, [onNearEnd, count, lastShown]);
  return {
    container,
    items,
    totalSize: virtualizer.getTotalSize(),
    /** A row's offset inside the list (its start counts from the top of the page). */
    offset: (item: VirtualItem) => item.start - scrollMargin,
    /** The ref each rendered row takes (with data-index) so its real height is measured. */
    measure: virtualizer.measureElement,
    /** For the list's element: which row holds the focus. */
    focusHandlers: {
      onFocus: (event: FocusEvent<E>) => {
        const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
        focused.current = row === null ? null : Number(row.dataset.index);
      },
      onBlur: (event: FocusEvent<E>) => {
        const next = event.relatedTarget as Node | null;
        // Focus gone elsewhere in the page (not merely the window losing focus): no row to keep.
        if (next !== null && !(container.current?.contains(next) ?? false)) focused.current = null;
      },
    },
  };
}

/** A table body's rendered rows with spacer rows for the ones not rendered, so the table keeps its height. */
export function spacedRows(
  items: VirtualItem[],
  totalSize: number,
  offset: (item: VirtualItem) => number,
  columns: number,
  row: (item: VirtualItem) => ReactNode,
): ReactNode[] {
  const out: ReactNode[] = [];
  let end = 0;
  const spacer = (height: number, key: string) => {
    if (height > 0.5)
      out.push(
        <tr key={key} className="spacer" aria-hidden="true">
          <td colSpan={columns} style={{ height }} />
        </tr>,
      );
  };
  for (const item of items) {
    spacer(offset(item) - end, `before-${item.index}`);
    out.push(row(item));
    end = offset(item) + item.size;
  }
  spacer(totalSize - end, 'after');
  return out;
}

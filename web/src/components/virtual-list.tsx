/**
 * A fixed-row-height virtual list: only the rows on screen (plus a margin)
 * exist in the DOM, so 10,000 rows scroll like 50. Keyboard: the list is one
 * focusable grid; arrows / Page keys / Home / End move the active row, Enter
 * opens it.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { scrollToShow, visibleRange } from '../lib/virtual.ts';

interface Props {
  total: number;
  rowHeight: number;
  height: number | string;
  label: string;
  renderRow(index: number, active: boolean): ReactNode;
  onRange?(start: number, end: number): void;
  onOpen?(index: number): void;
}

export function VirtualList({ total, rowHeight, height, label, renderRow, onRange, onOpen }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const [active, setActive] = useState(0);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    setViewport(el.clientHeight);
    return () => observer.disconnect();
  }, []);
  const range = visibleRange(scrollTop, viewport, rowHeight, total);
  useEffect(() => {
    onRange?.(range.start, range.end);
  }, [range.start, range.end, total, onRange]);
  useEffect(() => {
    if (active >= total) setActive(Math.max(0, total - 1));
  }, [total, active]);

  const move = (index: number) => {
    const next = Math.max(0, Math.min(total - 1, index));
    setActive(next);
    const el = box.current;
    if (el) el.scrollTop = scrollToShow(next, el.scrollTop, el.clientHeight, rowHeight);
  };
  const page = Math.max(1, Math.floor(viewport / rowHeight) - 1);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => move(active + page),
      PageUp: () => move(active - page),
      Home: () => move(0),
      End: () => move(total - 1),
      Enter: () => onOpen?.(active),
    };
    const action = keys[e.key];
    if (action && total > 0) {
      e.preventDefault();
      action();
    }
  };

  const rows: ReactNode[] = [];
  for (let i = range.start; i < range.end; i++) {
    rows.push(
      <div key={i} role="row" aria-rowindex={i + 1} className={`vrow${i === active ? ' active' : ''}`} style={{ height: rowHeight }} onClick={() => setActive(i)}>
        {renderRow(i, i === active)}
      </div>,
    );
  }
  return (
    <div
      ref={box}
      className="vlist"
      style={{ height }}
      tabIndex={0}
      role="grid"
      aria-label={label}
      aria-rowcount={total}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div style={{ height: range.totalHeight, position: 'relative' }}>
        <div style={{ position: 'absolute', top: range.offsetTop, left: 0, right: 0 }}>{rows}</div>
      </div>
    </div>
  );
}

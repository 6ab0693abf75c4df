/** Previous / next over a server-side page, with "1–50 of 1,234". */
export function Pager({ offset, limit, total, empty, onGo, back = '← Previous', forward = 'Next →' }: { offset: number; limit: number; total: number; empty: string; onGo(offset: number): void; back?: string; forward?: string }) {
  return (
    <p className="pager">
      <button type="button" disabled={offset === 0} onClick={() => onGo(Math.max(0, offset - limit))}>
        {back}
      </button>{' '}
      <span>{total === 0 ? empty : `${offset + 1}–${Math.min(offset + limit, total)} of ${total.toLocaleString()}`}</span>{' '}
      <button type="button" disabled={offset + limit >= total} onClick={() => onGo(offset + limit)}>
        {forward}
      </button>
    </p>
  );
}

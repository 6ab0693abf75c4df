import { statusLook } from '../lib/status.ts';

/** A status as symbol + word (+ colour): readable without colour. */
export function StatusBadge({ status, title }: { status: string | null | undefined; title?: string }) {
  const look = statusLook(status);
  return (
    <span className={`badge tone-${look.tone}`} title={title ?? look.label}>
      <span aria-hidden="true" className="badge-symbol">
        {look.symbol}
      </span>
      {look.label}
    </span>
  );
}

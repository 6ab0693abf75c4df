/**
 * A "Download CSV" button for an API route that answers CSV with `format=csv`. The CSV is fetched
 * with the Authorization header and handed to the browser as a blob URL: a plain link to the API
 * could not carry the token, and the token never goes into a URL.
 */
import { useState } from 'react';
import { useSession } from '../context.tsx';

export function CsvDownload({ path, query, fileName, testId }: { path: string; query: Record<string, string | number>; fileName: () => string; testId: string }) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const blob = await api.blob(path, { ...query, format: 'csv' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName();
      document.body.append(link);
      link.click();
      link.remove();
      // Revoked later, not at once: some browsers read the blob after click() returns.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(`CSV download failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void download()} disabled={busy} data-testid={testId}>
        {busy ? 'Preparing CSV…' : 'Download CSV'}
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

/**
 * The REST client: every request carries the token in the Authorization
 * header (never in a URL). A 401 signs the operator out.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Listener = () => void;

export class Api {
  private unauthorizedListeners = new Set<Listener>();

  constructor(private readonly token: string) {}

  onUnauthorized(listener: Listener): () => void {
    this.unauthorizedListeners.add(listener);
    return () => this.unauthorizedListeners.delete(listener);
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, ...extra };
  }

  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const init: RequestInit = { method, headers: this.headers(body === undefined ? {} : { 'content-type': contentType }) };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const response = await fetch(`/api/v1${path}`, init);
    if (response.status === 204) return null as T;
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) {
      if (response.status === 401) for (const l of this.unauthorizedListeners) l();
      const problem = (parsed ?? {}) as { code?: string; detail?: string; title?: string };
      throw new ApiError(response.status, problem.code ?? 'error', problem.detail ?? problem.title ?? `HTTP ${response.status}`);
    }
    return parsed as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  /**
   * A file (e.g. a CSV export) as a Blob, fetched with the Authorization header:
   * a plain link to the URL could not carry the token, and the token must never be put in a URL.
   */
  async blob(path: string, query?: Query): Promise<Blob> {
    const response = await fetch(`/api/v1${withQuery(path, query)}`, { headers: this.headers() });
    if (!response.ok) {
      if (response.status === 401) for (const l of this.unauthorizedListeners) l();
      const problem = (await response.json().catch(() => ({}))) as { code?: string; detail?: string; title?: string };
      throw new ApiError(response.status, problem.code ?? 'error', problem.detail ?? problem.title ?? `HTTP ${response.status}`);
    }
    return response.blob();
  }
}

type Query = Record<string, string | number | boolean | undefined>;

function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}


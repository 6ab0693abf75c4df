/**
 * A long server-side list seen through pages: the virtual list asks for rows
 * by index, this cache says which pages must be fetched, holds what came back,
 * and applies live updates to the rows it holds (by id), so a status change
 * shows without refetching a page.
 */

export interface PageRequest {
  page: number;
  offset: number;
  limit: number;
}

export class PagedRows<T extends { id: string }> {
  private readonly pages = new Map<number, T[]>();
  private readonly loading = new Set<number>();
  /** Pages still shown but due to be fetched again (refresh() without blanking the list). */
  private readonly stale = new Set<number>();
  /** Bumped by reset(): answers for an older generation (an older filter) are dropped. */
  generation = 0;
  total: number | null = null;

  constructor(readonly pageSize: number) {}

  reset(): void {
    this.pages.clear();
    this.loading.clear();
    this.stale.clear();
    this.total = null;
    this.generation++;
  }

  /** Fetch the pages again on the next claim, but keep showing them until the new ones arrive. */
  refresh(): void {
    for (const page of this.pages.keys()) this.stale.add(page);
    this.loading.clear();
    this.generation++;
  }

  /** Pages covering rows [start, end) that are neither loaded nor being loaded; marks them loading. */
  claim(start: number, end: number): PageRequest[] {
    const out: PageRequest[] = [];
    const last = this.total === null ? Math.floor(Math.max(start, end - 1) / this.pageSize) : Math.floor(Math.max(0, Math.min(end, this.total) - 1) / this.pageSize);
    for (let page = Math.floor(start / this.pageSize); page <= last; page++) {
      if ((this.pages.has(page) && !this.stale.has(page)) || this.loading.has(page)) continue;
      this.loading.add(page);
      out.push({ page, offset: page * this.pageSize, limit: this.pageSize });
    }
    return out;
  }

  /** Stores a fetched page; false when it belongs to an older generation (ignored). */
  fill(page: number, items: T[], total: number, generation: number): boolean {
    if (generation !== this.generation) return false;
    this.loading.delete(page);
    this.stale.delete(page);
    this.pages.set(page, items);
    if (this.total !== null && this.total !== total) {
      // The list changed under us (stations added or removed): keep this page, refetch the others.
      for (const key of [...this.pages.keys()]) if (key !== page) this.pages.delete(key);
    }
    this.total = total;
    return true;
  }

  failed(page: number, generation: number): void {
    if (generation === this.generation) this.loading.delete(page);
  }

  row(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Applies `change` to the loaded row with this id; returns whether one was found. */
  patch(id: string, change: (row: T) => T): boolean {
    for (const items of this.pages.values()) {
      const i = items.findIndex((row) => row.id === id);
      if (i >= 0) {
        items[i] = change(items[i] as T);
        return true;
      }
    }
    return false;
  }
}

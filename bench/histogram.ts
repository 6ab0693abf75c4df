/**
 * A small mergeable latency histogram (microseconds): exact buckets below
 * 1024 µs, then logarithmic buckets 1% wide up to about 60 s. Load-client
 * processes record into one each and send it to the parent as JSON, where
 * the parts are merged before percentiles are read.
 */
const LINEAR = 1024;
const STEP = Math.log(1.01);
const MAX_BUCKET = LINEAR + Math.ceil(Math.log(60_000_000 / LINEAR) / STEP);

export interface HistogramJson {
  buckets: Array<[number, number]>;
  count: number;
  sumUs: number;
  maxUs: number;
}

function bucketOf(us: number): number {
  if (us < LINEAR) return Math.max(0, Math.floor(us));
  return Math.min(MAX_BUCKET, LINEAR + Math.floor(Math.log(us / LINEAR) / STEP));
}

/** Upper edge of a bucket, so reported percentiles never flatter the server. */
function valueOf(bucket: number): number {
  if (bucket < LINEAR) return bucket + 1;
  return LINEAR * Math.exp((bucket - LINEAR + 1) * STEP);
}

export class Histogram {
  private readonly counts = new Uint32Array(MAX_BUCKET + 1);
  count = 0;
  sumUs = 0;
  maxUs = 0;

  record(us: number): void {
    this.counts[bucketOf(us)]! += 1;
    this.count += 1;
    this.sumUs += us;
    if (us > this.maxUs) this.maxUs = us;
  }

  toJSON(): HistogramJson {
    const buckets: Array<[number, number]> = [];
    this.counts.forEach((n, i) => {
      if (n > 0) buckets.push([i, n]);
    });
    return { buckets, count: this.count, sumUs: this.sumUs, maxUs: this.maxUs };
  }

  merge(other: HistogramJson): this {
    for (const [i, n] of other.buckets) this.counts[i]! += n;
    this.count += other.count;
    this.sumUs += other.sumUs;
    this.maxUs = Math.max(this.maxUs, other.maxUs);
    return this;
  }

  /** p in [0, 100]; microseconds. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(valueOf(i), this.maxUs);
    }
    return this.maxUs;
  }

  /** "p50 1.2 ms, p99 4.5 ms, max 9.0 ms (n=123)" */
  summary(): string {
    const ms = (us: number) => `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
    return `p50 ${ms(this.percentile(50))}, p99 ${ms(this.percentile(99))}, max ${ms(this.maxUs)} (n=${this.count})`;
  }
}

/**
 * A mergeable latency histogram in microseconds, on HdrHistogram
 * (hdr-histogram-js): 3 significant digits (0.1 %) from 1 µs to 60 s, larger
 * values still recorded (the histogram grows). Load-client processes record
 * into one each and send it to the parent as JSON (HdrHistogram's compressed
 * encoding), where the parts are merged before percentiles are read.
 *
 * HdrHistogram counts whole units, so a value is rounded up to the next
 * microsecond and a percentile is its bucket's upper edge, capped by the exact
 * maximum: reported latencies never flatter the server. Count, sum and maximum
 * are kept exactly beside it.
 */
import hdr from 'hdr-histogram-js';

const SHAPE = { lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3, autoResize: true } as const;
const BIT_BUCKET_SIZE = 32;

export interface HistogramJson {
  /** HdrHistogram's compressed base64 encoding of the counts. */
  hdr: string;
  count: number;
  sumUs: number;
  maxUs: number;
}

export class Histogram {
  private readonly counts = hdr.build({ ...SHAPE, bitBucketSize: BIT_BUCKET_SIZE, useWebAssembly: false });
  count = 0;
  sumUs = 0;
  maxUs = 0;

  record(us: number): void {
    this.counts.recordValue(Math.max(1, Math.ceil(us)));
    this.count += 1;
    this.sumUs += us;
    if (us > this.maxUs) this.maxUs = us;
  }

  toJSON(): HistogramJson {
    return { hdr: hdr.encodeIntoCompressedBase64(this.counts), count: this.count, sumUs: this.sumUs, maxUs: this.maxUs };
  }

  merge(other: HistogramJson): this {
    if (other.count > 0) this.counts.add(hdr.decodeFromCompressedBase64(other.hdr, BIT_BUCKET_SIZE, false));
    this.count += other.count;
    this.sumUs += other.sumUs;
    this.maxUs = Math.max(this.maxUs, other.maxUs);
    return this;
  }

  /** p in [0, 100]; microseconds. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    return Math.min(this.counts.getValueAtPercentile(p), this.maxUs);
  }

  /** "p50 1.2 ms, p99 4.5 ms, max 9.0 ms (n=123)" */
  summary(): string {
    const ms = (us: number) => `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
    return `p50 ${ms(this.percentile(50))}, p99 ${ms(this.percentile(99))}, max ${ms(this.maxUs)} (n=${this.count})`;
  }
}

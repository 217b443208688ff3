/**
 * What the compactor's retention costs in object storage: a planning figure per resolution, from
 * the number of active series, the scrape interval and how many copies of each raw block exist.
 *
 * The figures rest on three facts, each read upstream, and two assumptions, stated here:
 * - Prometheus stores 1-2 bytes per sample (prometheus/prometheus v3.5.0, docs/storage.md): raw
 *   samples are counted at the upper end, 2 bytes.
 * - The compactor writes a 5-minute block from raw blocks and a 1-hour block from 5-minute blocks,
 *   each holding five aggregates per window (count, sum, min, max, counter)
 *   (thanos-io/thanos v0.42.4, pkg/compact/downsample/downsample.go and aggr.go).
 * - Downsampled samples compress worse than raw ones (aggregates change more from one window to the
 *   next than a scraped value between scrapes): assumed 4 bytes each. Thanos's own guide
 *   (docs/components/compact.md) warns that all three resolutions together can reach about three
 *   times the raw size; the estimate stays below that when raw is kept shorter.
 * - The index of a block costs about 300 bytes per series (labels and postings; assumed), and
 *   the compactor merges blocks up to two weeks long, so each resolution pays it once per two weeks
 *   of retention.
 * - Every Prometheus replica uploads its own blocks: raw data is kept once per replica unless the
 *   compactor deduplicates them (`--deduplication.replica-label`), and downsampled blocks follow.
 */
import { parseDuration } from '../../core/units';

/** How long the compactor keeps each resolution, as Prometheus durations. */
export interface RetentionTiers {
  readonly raw: string;
  readonly fiveMinutes: string;
  readonly oneHour: string;
}

export interface StorageEstimateInput {
  readonly activeSeries: number;
  /** The scrape interval raw samples arrive at, as a Prometheus duration. */
  readonly scrapeInterval: string;
  /** Copies of every block in the bucket: the Prometheus replicas, or 1 when the compactor deduplicates. */
  readonly copies: number;
  readonly retention: RetentionTiers;
}

export interface TierEstimate {
  readonly tier: 'raw' | '5m' | '1h';
  readonly retentionDays: number;
  /** Samples one series adds per day at this resolution (aggregates counted one by one). */
  readonly samplesPerSeriesPerDay: number;
  readonly bytes: number;
}

const DAY_MS = 86_400_000;
const RAW_BYTES_PER_SAMPLE = 2;
const DOWNSAMPLED_BYTES_PER_SAMPLE = 4;
const AGGREGATES = 5;
const INDEX_BYTES_PER_SERIES = 300;
const BLOCK_DAYS = 14;

/** The storage each resolution costs once its retention is reached. */
export function estimateStorage(input: StorageEstimateInput): { readonly tiers: readonly TierEstimate[]; readonly totalBytes: number } {
  const interval = parseDuration(input.scrapeInterval);
  if (interval === undefined || interval <= 0) throw new Error(`scrape interval "${input.scrapeInterval}" is not a positive duration`);
  const days = (d: string): number => {
    const ms = parseDuration(d);
    if (ms === undefined) throw new Error(`retention "${d}" is not a duration`);
    return ms / DAY_MS;
  };
  const tier = (name: TierEstimate['tier'], retention: string, perDay: number, bytesPerSample: number): TierEstimate => {
    const retentionDays = days(retention);
    const data = input.activeSeries * perDay * retentionDays * bytesPerSample;
    const index = input.activeSeries * INDEX_BYTES_PER_SERIES * Math.ceil(retentionDays / BLOCK_DAYS);
    return { tier: name, retentionDays, samplesPerSeriesPerDay: perDay, bytes: Math.round((data + index) * input.copies) };
  };
  const tiers = [
    tier('raw', input.retention.raw, DAY_MS / interval, RAW_BYTES_PER_SAMPLE),
    tier('5m', input.retention.fiveMinutes, (DAY_MS / 300_000) * AGGREGATES, DOWNSAMPLED_BYTES_PER_SAMPLE),
    tier('1h', input.retention.oneHour, (DAY_MS / 3_600_000) * AGGREGATES, DOWNSAMPLED_BYTES_PER_SAMPLE),
  ];
  return { tiers, totalBytes: tiers.reduce((s, t) => s + t.bytes, 0) };
}

/** `1.4 TiB`, `220 GiB`: binary units, three significant digits. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toPrecision(3)} ${units[i]}`;
}

import { estimateStorage, formatBytes } from '../lib/components/thanos/estimate';

const base = { activeSeries: 100_000, scrapeInterval: '15s', copies: 1, retention: { raw: '30d', fiveMinutes: '365d', oneHour: '1095d' } };

describe('long-term storage estimate', () => {
  it('counts raw samples at the scrape interval: 5760 a day per series at 15 s', () => {
    const raw = estimateStorage(base).tiers[0];
    expect(raw).toMatchObject({ tier: 'raw', retentionDays: 30, samplesPerSeriesPerDay: 5760 });
    // 100k series x 5760 samples x 30 days x 2 bytes, plus three two-week indexes of 300 bytes a series.
    expect(raw.bytes).toBe(100_000 * 5760 * 30 * 2 + 100_000 * 300 * 3);
  });

  it('stores five aggregates per window: 1440 a day at 5 minutes, 120 at 1 hour', () => {
    const [, five, hour] = estimateStorage(base).tiers;
    expect([five.samplesPerSeriesPerDay, hour.samplesPerSeriesPerDay]).toEqual([1440, 120]);
    expect([five.retentionDays, hour.retentionDays]).toEqual([365, 1095]);
  });

  it('doubles with a Prometheus pair whose blocks the compactor does not deduplicate', () => {
    const one = estimateStorage(base).totalBytes;
    expect(estimateStorage({ ...base, copies: 2 }).totalBytes).toBe(2 * one);
  });

  it('a year of 5-minute data costs less than a month of raw data at 15 s', () => {
    const [raw, five] = estimateStorage({ ...base, retention: { raw: '30d', fiveMinutes: '30d', oneHour: '30d' } }).tiers;
    expect(five.bytes).toBeLessThan(raw.bytes);
  });

  it('refuses a retention that is not a duration', () => {
    expect(() => estimateStorage({ ...base, retention: { ...base.retention, raw: '30 days' } })).toThrow(/retention "30 days"/);
  });

  it('prints binary units', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(220 * 1024 ** 3), formatBytes(1.5 * 1024 ** 4)]).toEqual([
      '512 B',
      '1.50 KiB',
      '220 GiB',
      '1.50 TiB',
    ]);
  });
});

/**
 * Helpers over the metrics catalog: builders that keep content short, an index that answers
 * "which definition covers this series name" (a histogram's `_bucket`, `_sum` and `_count`
 * included), and the Markdown contract generated for service teams.
 */
import { ConfigError } from '../core/errors';
import { LABEL_NAME } from '../core/syntax';
import { MetricDefinition, MetricType, MetricsCatalog } from './types';

/**
 * A Prometheus metric name: the label-name rule with colons allowed anywhere (colons are for
 * recording rules), so it cannot be written as LABEL_NAME of lib/core/syntax.ts.
 */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

type Builder = (name: string, unit: string, labels: readonly string[], help: string) => MetricDefinition;

/** Builders for the metrics of one source: `const m = metricsFrom('node-exporter'); m.gauge(...)`. */
export function metricsFrom(source: string): Record<MetricType, Builder> {
  const make =
    (type: MetricType): Builder =>
    (name, unit, labels, help) => ({ name, type, unit, labels: [...labels], help, source });
  return { counter: make('counter'), gauge: make('gauge'), histogram: make('histogram'), summary: make('summary'), info: make('info') };
}

/** One series of a metric family, with the labels it carries beyond the family's own. */
export interface FamilySeries {
  readonly name: string;
  /** `le` on a histogram's `_bucket`, `quantile` on a summary's quantiles; else none. */
  readonly labels: readonly string[];
}

/** The series a metric family exposes: `_bucket` (with `le`), `_sum`, `_count` for a histogram, and so on. */
export function familySeries(m: MetricDefinition): FamilySeries[] {
  switch (m.type) {
    case 'histogram':
      return [
        { name: `${m.name}_bucket`, labels: ['le'] },
        { name: `${m.name}_sum`, labels: [] },
        { name: `${m.name}_count`, labels: [] },
      ];
    case 'summary':
      return [
        { name: m.name, labels: ['quantile'] },
        { name: `${m.name}_sum`, labels: [] },
        { name: `${m.name}_count`, labels: [] },
      ];
    default:
      return [{ name: m.name, labels: [] }];
  }
}

/** The series a metric family exposes: `_bucket`, `_sum`, `_count` for a histogram, and so on. */
export function seriesNames(m: MetricDefinition): string[] {
  return familySeries(m).map((s) => s.name);
}

/** A checked catalog with lookup by series name. */
export class MetricsIndex {
  public readonly all: MetricsCatalog;
  private readonly bySeries = new Map<string, MetricDefinition>();

  /**
   * @param where what the catalog is, for error messages (`metrics catalog (metrics/index.ts)`)
   */
  constructor(catalog: MetricsCatalog, where = 'metrics catalog') {
    const byName = new Map<string, MetricDefinition>();
    for (const m of catalog) {
      const at = `${where}, metric "${m.name}" (${m.source})`;
      if (!METRIC_NAME.test(m.name ?? ''))
        throw new ConfigError(at, 'name', m.name, 'use a Prometheus metric name: letters, digits, "_" and ":", not starting with a digit');
      if ((m.type === 'histogram' || m.type === 'summary') && /_(bucket|sum|count|total)$/.test(m.name)) {
        throw new ConfigError(at, 'name', m.name, `give the family name without the _bucket/_sum/_count suffix`);
      }
      if (!m.help || !m.unit || !m.source)
        throw new ConfigError(at, !m.help ? 'help' : !m.unit ? 'unit' : 'source', undefined, 'describe every metric: help, unit and source');
      for (const l of m.labels) {
        if (!LABEL_NAME.test(l) || l.startsWith('__'))
          throw new ConfigError(at, 'labels', l, 'use Prometheus label names: letters, digits and "_", not starting with "__"');
      }
      const prev = byName.get(m.name);
      if (prev) throw new ConfigError(at, 'name', m.name, `define each metric once; it is also defined for ${prev.source}`);
      byName.set(m.name, m);
    }
    for (const m of catalog) {
      for (const s of seriesNames(m)) {
        const clash = this.bySeries.get(s);
        if (clash && clash !== m)
          throw new ConfigError(`${where}, metric "${m.name}"`, 'series', s, `rename it: "${clash.name}" (${clash.source}) already exposes that series`);
        this.bySeries.set(s, m);
      }
    }
    this.all = [...catalog].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The definition that covers a series name, or undefined. */
  public lookup(series: string): MetricDefinition | undefined {
    return this.bySeries.get(series);
  }

  public has(series: string): boolean {
    return this.bySeries.has(series);
  }

  /** Every series name the catalog covers. */
  public get series(): string[] {
    return [...this.bySeries.keys()].sort();
  }

  /** Metrics grouped by source, sources in alphabetical order. */
  public bySource(): Map<string, MetricDefinition[]> {
    const out = new Map<string, MetricDefinition[]>();
    for (const m of [...this.all].sort((a, b) => a.source.localeCompare(b.source) || a.name.localeCompare(b.name))) {
      const list = out.get(m.source) ?? [];
      list.push(m);
      out.set(m.source, list);
    }
    return out;
  }
}

export interface MetricsDocOptions {
  readonly title: string;
  /** Markdown paragraphs after the title. */
  readonly intro?: string;
  /** A heading and an intro per source, in this order; sources not listed follow alphabetically. */
  readonly sections?: ReadonlyArray<{ readonly title: string; readonly intro?: string; readonly sources: readonly string[] }>;
  /** Where a metric is used (alert and recording rule names), shown in a column. @default - no column */
  readonly usedBy?: (m: MetricDefinition) => readonly string[];
  /** The command that regenerates the document. */
  readonly generatedBy: string;
}

/** The catalog as Markdown: one table per source. */
export function renderMetricsMarkdown(index: MetricsIndex, opts: MetricsDocOptions): string {
  const lines: string[] = [`# ${opts.title}`, '', `<!-- Generated by \`${opts.generatedBy}\`; do not edit by hand. -->`, ''];
  if (opts.intro) lines.push(opts.intro.trim(), '');
  const groups = index.bySource();
  const listed = new Set<string>();
  const table = (source: string) => {
    const ms = groups.get(source) ?? [];
    lines.push(`### ${source}`, '');
    const usedCol = opts.usedBy !== undefined;
    lines.push(`| metric | type | unit | labels | meaning |${usedCol ? ' used by |' : ''}`, `|---|---|---|---|---|${usedCol ? '---|' : ''}`);
    for (const m of ms) {
      const labels = m.labels.length ? m.labels.map((l) => `\`${l}\``).join(', ') : '';
      const used = usedCol ? ` ${(opts.usedBy!(m) ?? []).join(', ')} |` : '';
      lines.push(`| \`${m.name}\` | ${m.type} | ${m.unit} | ${labels} | ${escapeCell(m.help)} |${used}`);
    }
    lines.push('');
  };
  for (const section of opts.sections ?? []) {
    lines.push(`## ${section.title}`, '');
    if (section.intro) lines.push(section.intro.trim(), '');
    for (const s of section.sources) {
      listed.add(s);
      if (groups.has(s)) table(s);
    }
  }
  const rest = [...groups.keys()].filter((s) => !listed.has(s));
  if (rest.length) {
    lines.push('## Other sources', '');
    for (const s of rest) table(s);
  }
  return lines.join('\n').replace(/\n+$/, '\n');
}

export function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

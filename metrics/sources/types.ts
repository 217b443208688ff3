/**
 * Source fixtures: what the upstream source of a program that cannot run here says about the
 * metrics the catalog attributes to it, read at the tag the stack pins. test/catalog-sources.test.ts
 * holds the catalog to them, and each fixture to the version pinned in lib/core/images.ts, so a version
 * bump without re-reading the source fails a test.
 */
import { ImageName } from '../../lib/core/images';
import { MetricType } from '../../lib/metrics/types';

/** A file read at a tag: `github.com/<repository>/blob/<tag>/<path>`. */
export interface SourceFile {
  readonly repository: string;
  readonly tag: string;
  readonly path: string;
  /** What the file says that matters here, in our words. */
  readonly says: string;
}

/** How the fixture's version is tied to the version the stack runs. */
export type SourcePin =
  /** The image of lib/core/images.ts is built from `repository` at the fixture's tag (`v` + image tag, or the image tag itself). */
  | { readonly kind: 'image'; readonly image: ImageName; readonly imageTag: string }
  /**
   * The image is built elsewhere and embeds the fixture's repository at a version a file of the
   * image's own source states (a go.mod, a Gemfile.lock).
   */
  | { readonly kind: 'embedded'; readonly image: ImageName; readonly imageTag: string; readonly imageSource: SourceFile }
  /** Part of Kubernetes itself: the minor version the stack targets (cdk8s-plus-<minor>). */
  | { readonly kind: 'kubernetes'; readonly minor: string; readonly how: string }
  /** Runs outside the stack (scraped only): no image to follow; the version the stack is written for. */
  | { readonly kind: 'external'; readonly major: string; readonly how: string };

export interface SourceMetric {
  /** The family name as Prometheus stores it (no `_bucket`/`_sum`/`_count` for histograms). */
  readonly name: string;
  readonly type: MetricType;
  /** Labels the source gives the series (target labels excluded). */
  readonly labels: readonly string[];
  /** Path, at the fixture's tag, of the file that defines the family. */
  readonly file: string;
  /**
   * Labels the catalog lists that another program adds and whose source could not be read at the
   * pinned version, with the reason. They are the unproven part of the entry.
   */
  readonly untracedLabels?: { readonly labels: readonly string[]; readonly reason: string };
}

/**
 * A label the stack's scrape job renames on the way in (metric_relabel_configs): the program gives
 * `from`, Prometheus stores `to`, and the catalog lists `to`.
 */
export interface ScrapeRename {
  readonly from: string;
  readonly to: string;
}

/** The renames of one scrape job, which test/catalog-sources.test.ts holds to the generated job. */
export interface ScrapeRenames {
  /** The `job_name` of the scrape job that applies them. */
  readonly job: string;
  readonly renames: readonly ScrapeRename[];
  /** Why, and where the stack configures it. */
  readonly why: string;
}

export interface SourceFixture {
  /** The component, as the fixture file is named. */
  readonly component: string;
  /** Catalog `source` values whose entries this fixture covers. */
  readonly catalogSources: readonly string[];
  /** GitHub `owner/name` the metrics were read from. */
  readonly repository: string;
  /** Git tag read. */
  readonly tag: string;
  readonly pin: SourcePin;
  /** Files read for naming rules that apply to every metric (prefixes, suffixes, labels added on the way out). */
  readonly naming?: readonly SourceFile[];
  readonly metrics: readonly SourceMetric[];
  /**
   * Labels of `metrics` (which name the program's own labels) that the scrape job renames before
   * Prometheus stores them: the catalog is compared with the renamed set.
   */
  readonly scrapeRenames?: ScrapeRenames;
  /** Catalog entries of `catalogSources` that could not be traced, with the reason. */
  readonly untraced?: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

/**
 * The datasources Grafana provisions, and the interface through which a component offers its
 * own: the stack adds every datasource a component returns from `datasources()`.
 */

/** A provisioned datasource. Secret values are referenced as files, never inlined. */
export interface GrafanaDatasource {
  readonly name: string;
  /** Stable uid that dashboards refer to. */
  readonly uid: string;
  /** Plugin type: `prometheus`, `alertmanager`, `elasticsearch`, `jaeger`... */
  readonly type: string;
  readonly url: string;
  readonly isDefault?: boolean;
  readonly jsonData?: Readonly<Record<string, unknown>>;
  /** secureJsonData fields read from files mounted from a Secret: field → { secret, key }. */
  readonly secureJsonFromSecret?: Readonly<Record<string, { readonly secretName: string; readonly key: string }>>;
  readonly basicAuthUser?: string;
  /** The basic-auth user name read from a Secret file instead (`basicAuthUser` is then ignored). */
  readonly basicAuthUserFromSecret?: { readonly secretName: string; readonly key: string };
}

/** A component Grafana reads from: the stack provisions each datasource it returns. */
export interface DatasourceSource {
  datasources(): readonly GrafanaDatasource[];
}

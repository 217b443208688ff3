import { defineDashboard, labelVariable, queryVariable, q, statPanel, tablePanel, timeSeries, upDownMappings, warnAt, warnBelow } from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import { FOLDERS, UIDS } from './common';
import { DASHBOARD_TAG } from '../metrics/system';
import { POSTGRES_CACHE_HIT_STEPS, POSTGRES_OPEN_TRANSACTION_STEPS, UTILISATION_STEPS } from '../alerts/thresholds';

const SOURCE = moduleSource(__filename);

const i = 'instance=~"$instance"';
const db = 'instance=~"$instance", datname=~"$datname"';

/** PostgreSQL (postgres_exporter): query performance, connection pools, lock contention, storage. */
export const postgresql = defineDashboard({
  uid: UIDS.postgresql,
  title: 'Platform / PostgreSQL',
  folder: FOLDERS.platform,
  tags: [DASHBOARD_TAG, 'platform', 'postgresql', 'database'],
  source: SOURCE,
  description:
    'Connections against max_connections, throughput and cache efficiency, slow statements (pg_stat_statements), locks, deadlocks and long transactions.',
  linkTag: DASHBOARD_TAG,
  variables: [
    labelVariable('instance', 'Instance', 'pg_up', 'instance'),
    queryVariable({
      name: 'datname',
      label: 'Database',
      query: 'label_values(pg_stat_database_numbackends{instance=~"$instance", datname!~"template.*"}, datname)',
    }),
  ],
  rows: [
    {
      title: 'Health',
      panels: [
        statPanel({ w: 6, h: 4, title: 'PostgreSQL', mappings: upDownMappings(), query: q(`min(pg_up{${i}})`) }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Connections used',
          unit: 'percentunit',
          thresholds: warnAt(...UTILISATION_STEPS),
          query: q(`sum(pg_stat_activity_count{${i}}) / max(pg_settings_max_connections{${i}})`),
        }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Buffer cache hit ratio',
          unit: 'percentunit',
          thresholds: warnBelow(...POSTGRES_CACHE_HIT_STEPS),
          query: q(
            `sum(rate(pg_stat_database_blks_hit{${db}}[$__rate_interval])) / (sum(rate(pg_stat_database_blks_hit{${db}}[$__rate_interval])) + sum(rate(pg_stat_database_blks_read{${db}}[$__rate_interval])))`,
          ),
        }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Deadlocks, last hour',
          unit: 'short',
          thresholds: warnAt(1, 5),
          query: q(`sum(increase(pg_stat_database_deadlocks{${db}}[1h]))`),
        }),
      ],
    },
    {
      title: 'Connection pools',
      panels: [
        timeSeries({
          w: 12,
          h: 8,
          title: 'Connections by state',
          unit: 'short',
          stack: true,
          queries: [q(`sum by (state) (pg_stat_activity_count{${db}})`, '{{state}}'), q(`max(pg_settings_max_connections{${i}})`, 'max_connections')],
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Backends per database',
          unit: 'short',
          queries: [q(`sum by (datname) (pg_stat_database_numbackends{${db}})`, '{{datname}}')],
        }),
      ],
    },
    {
      title: 'Query performance',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Transactions per second',
          unit: 'ops',
          queries: [
            q(`sum by (datname) (rate(pg_stat_database_xact_commit{${db}}[$__rate_interval]))`, '{{datname}} commit'),
            q(`sum by (datname) (rate(pg_stat_database_xact_rollback{${db}}[$__rate_interval]))`, '{{datname}} rollback'),
          ],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Rows per second',
          unit: 'short',
          queries: ['fetched', 'inserted', 'updated', 'deleted'].map((op) => q(`sum(rate(pg_stat_database_tup_${op}{${db}}[$__rate_interval]))`, op)),
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Temporary files written',
          unit: 'Bps',
          description: 'Queries spilling to disk: work_mem may be too small.',
          queries: [q(`sum by (datname) (rate(pg_stat_database_temp_bytes{${db}}[$__rate_interval]))`, '{{datname}}')],
        }),
        tablePanel({
          w: 12,
          h: 8,
          title: 'Statements using the most time',
          unit: 's',
          sortBy: 'Value #A',
          description:
            'Filled where the profile sets dependencies.postgres[].statStatements (staging, production): the exporter runs --collector.stat_statements and the server preloads pg_stat_statements. Empty in local.',
          queries: [
            q(`topk(10, sum by (datname, queryid) (rate(pg_stat_statements_seconds_total{${db}}[$__rate_interval])))`),
            q(
              `topk(10, sum by (datname, queryid) (rate(pg_stat_statements_seconds_total{${db}}[$__rate_interval])) / sum by (datname, queryid) (rate(pg_stat_statements_calls_total{${db}}[$__rate_interval])))`,
            ),
          ],
          columns: { datname: 'Database', queryid: 'Query id', 'Value #A': 'Seconds per second', 'Value #B': 'Mean per call' },
        }),
        timeSeries({ w: 12, h: 8, title: 'Database size', unit: 'bytes', queries: [q(`pg_database_size_bytes{${db}}`, '{{datname}}')] }),
      ],
    },
    {
      title: 'Lock contention',
      panels: [
        timeSeries({ w: 8, h: 8, title: 'Locks by mode', unit: 'short', stack: true, queries: [q(`sum by (mode) (pg_locks_count{${db}})`, '{{mode}}')] }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Deadlocks per second',
          unit: 'short',
          queries: [q(`sum by (datname) (rate(pg_stat_database_deadlocks{${db}}[$__rate_interval]))`, '{{datname}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Oldest open transaction',
          unit: 's',
          thresholds: warnAt(...POSTGRES_OPEN_TRANSACTION_STEPS),
          description: 'Long transactions hold locks and stop vacuum.',
          queries: [q(`max by (datname) (pg_stat_activity_max_tx_duration{${db}})`, '{{datname}}')],
        }),
      ],
    },
  ],
});

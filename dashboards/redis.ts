import { defineDashboard, labelVariable, q, statPanel, tablePanel, timeSeries, upDownMappings, warnAt, warnBelow } from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import { FOLDERS, UIDS } from './common';
import { DASHBOARD_TAG } from '../metrics/system';
import { REDIS_HIT_RATIO_STEPS, UTILISATION_STEPS } from '../alerts/thresholds';

const SOURCE = moduleSource(__filename);

const i = 'instance=~"$instance"';

/** Redis (redis_exporter): memory, hit ratio, connections, commands, evictions. */
export const redis = defineDashboard({
  uid: UIDS.redis,
  title: 'Platform / Redis',
  folder: FOLDERS.platform,
  tags: [DASHBOARD_TAG, 'platform', 'redis', 'database'],
  source: SOURCE,
  description: 'Memory against maxmemory, cache hit ratio, client connections, command throughput and cost, evictions.',
  linkTag: DASHBOARD_TAG,
  variables: [labelVariable('instance', 'Instance', 'redis_up', 'instance')],
  rows: [
    {
      title: 'Health',
      panels: [
        statPanel({ w: 6, h: 4, title: 'Redis', mappings: upDownMappings(), query: q(`min(redis_up{${i}})`) }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Memory used of maxmemory',
          unit: 'percentunit',
          thresholds: warnAt(...UTILISATION_STEPS),
          query: q(`max(redis_memory_used_bytes{${i}} / (redis_memory_max_bytes{${i}} > 0))`),
        }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Hit ratio',
          unit: 'percentunit',
          thresholds: warnBelow(...REDIS_HIT_RATIO_STEPS),
          query: q(
            `sum(rate(redis_keyspace_hits_total{${i}}[$__rate_interval])) / (sum(rate(redis_keyspace_hits_total{${i}}[$__rate_interval])) + sum(rate(redis_keyspace_misses_total{${i}}[$__rate_interval])))`,
          ),
        }),
        statPanel({ w: 6, h: 4, title: 'Clients connected', unit: 'short', background: false, query: q(`sum(redis_connected_clients{${i}})`) }),
      ],
    },
    {
      title: 'Memory and keys',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Memory',
          unit: 'bytes',
          queries: [q(`redis_memory_used_bytes{${i}}`, '{{instance}} used'), q(`redis_memory_max_bytes{${i}} > 0`, '{{instance}} max')],
        }),
        timeSeries({ w: 8, h: 8, title: 'Keys per database', unit: 'short', queries: [q(`sum by (db) (redis_db_keys{${i}})`, '{{db}}')] }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Evicted and expired keys per second',
          unit: 'short',
          queries: [
            q(`sum(rate(redis_evicted_keys_total{${i}}[$__rate_interval]))`, 'evicted'),
            q(`sum(rate(redis_expired_keys_total{${i}}[$__rate_interval]))`, 'expired'),
          ],
        }),
      ],
    },
    {
      title: 'Connections and commands',
      panels: [
        timeSeries({
          w: 8,
          h: 8,
          title: 'Clients',
          unit: 'short',
          queries: [
            q(`sum(redis_connected_clients{${i}})`, 'connected'),
            q(`sum(redis_blocked_clients{${i}})`, 'blocked'),
            q(`sum(rate(redis_rejected_connections_total{${i}}[$__rate_interval]))`, 'rejected per second'),
          ],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Commands per second',
          unit: 'ops',
          queries: [q(`sum by (instance) (rate(redis_commands_processed_total{${i}}[$__rate_interval]))`, '{{instance}}')],
        }),
        tablePanel({
          w: 8,
          h: 8,
          title: 'Most expensive commands',
          unit: 's',
          sortBy: 'Value #B',
          queries: [
            q(`topk(10, sum by (cmd) (rate(redis_commands_total{${i}}[$__rate_interval])))`),
            q(
              `topk(10, sum by (cmd) (rate(redis_commands_duration_seconds_total{${i}}[$__rate_interval])) / sum by (cmd) (rate(redis_commands_total{${i}}[$__rate_interval])))`,
            ),
          ],
          columns: { cmd: 'Command', 'Value #A': 'Calls per second', 'Value #B': 'Mean time' },
        }),
      ],
    },
  ],
});

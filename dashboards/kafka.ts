import { defineDashboard, queryVariable, q, statPanel, tablePanel, timeSeries, warnAt } from '../lib/dashboards';
import { moduleSource } from '../lib/rules/source';
import { FOLDERS, UIDS } from './common';
import { DASHBOARD_TAG } from '../metrics/system';
import { ERROR_RATE_STEPS, KAFKA_CONSUMER_LAG_STEPS } from '../alerts/thresholds';

const SOURCE = moduleSource(__filename);

const t = 'topic=~"$topic"';
const g = 'consumergroup=~"$consumergroup", topic=~"$topic"';

/** Kafka (kafka_exporter): topic lag, partition distribution, broker health, producer and consumer rates. */
export const kafka = defineDashboard({
  uid: UIDS.kafka,
  title: 'Platform / Kafka',
  folder: FOLDERS.platform,
  tags: [DASHBOARD_TAG, 'platform', 'kafka', 'messaging'],
  source: SOURCE,
  description:
    'Broker count and replication health, consumer lag per group, message rates in and out per topic, partition leadership spread, and event processing errors in the services.',
  linkTag: DASHBOARD_TAG,
  variables: [
    queryVariable({ name: 'topic', label: 'Topic', query: 'label_values(kafka_topic_partitions{topic!~"__.*"}, topic)' }),
    queryVariable({ name: 'consumergroup', label: 'Consumer group', query: 'label_values(kafka_consumergroup_members, consumergroup)' }),
  ],
  rows: [
    {
      title: 'Broker health',
      panels: [
        statPanel({ w: 6, h: 4, title: 'Brokers', unit: 'short', background: false, query: q('max(kafka_brokers)') }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Under-replicated partitions',
          unit: 'short',
          thresholds: warnAt(1, 1),
          query: q(`sum(kafka_topic_partition_under_replicated_partition{${t}})`),
        }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Partitions without a leader',
          unit: 'short',
          thresholds: warnAt(1, 1),
          query: q(`count(kafka_topic_partition_leader{${t}} < 0) or vector(0)`),
        }),
        statPanel({
          w: 6,
          h: 4,
          title: 'Total consumer lag',
          unit: 'short',
          thresholds: warnAt(...KAFKA_CONSUMER_LAG_STEPS),
          query: q(`sum(kafka_consumergroup_lag_sum{${g}})`),
        }),
      ],
    },
    {
      title: 'Topic lag and throughput',
      panels: [
        timeSeries({
          w: 12,
          h: 8,
          title: 'Consumer lag per group and topic',
          unit: 'short',
          thresholds: warnAt(...KAFKA_CONSUMER_LAG_STEPS),
          queries: [q(`sum by (consumergroup, topic) (kafka_consumergroup_lag_sum{${g}})`, '{{consumergroup}} / {{topic}}')],
        }),
        timeSeries({
          w: 12,
          h: 8,
          title: 'Consumer group members',
          unit: 'short',
          queries: [q('sum by (consumergroup) (kafka_consumergroup_members{consumergroup=~"$consumergroup"})', '{{consumergroup}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Messages produced per second',
          unit: 'short',
          queries: [q(`sum by (topic) (rate(kafka_topic_partition_current_offset{${t}}[$__rate_interval]))`, '{{topic}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Messages consumed per second',
          unit: 'short',
          queries: [q(`sum by (consumergroup, topic) (rate(kafka_consumergroup_current_offset{${g}}[$__rate_interval]))`, '{{consumergroup}} / {{topic}}')],
        }),
        timeSeries({
          w: 8,
          h: 8,
          title: 'Event processing errors in the services',
          unit: 'percentunit',
          min: 0,
          thresholds: warnAt(...ERROR_RATE_STEPS),
          queries: [
            q(
              'sum by (event_type) (rate(grekko_agent_events_processed_total{outcome="error"}[$__rate_interval])) / sum by (event_type) (rate(grekko_agent_events_processed_total[$__rate_interval]))',
              '{{event_type}}',
            ),
          ],
        }),
      ],
    },
    {
      title: 'Partition distribution',
      panels: [
        timeSeries({
          w: 12,
          h: 8,
          title: 'Partition leaders per broker',
          unit: 'short',
          description: 'An even spread means even load; skew points at a broker that lost leadership.',
          queries: [q(`count_values("broker", kafka_topic_partition_leader{${t}})`, 'broker {{broker}}')],
        }),
        tablePanel({
          w: 12,
          h: 8,
          title: 'Replication per topic',
          queries: [
            q(`sum by (topic) (kafka_topic_partitions{${t}})`),
            q(`sum by (topic) (kafka_topic_partition_in_sync_replica{${t}}) / sum by (topic) (kafka_topic_partition_replicas{${t}})`),
          ],
          columns: { topic: 'Topic', 'Value #A': 'Partitions', 'Value #B': 'In-sync share' },
        }),
      ],
    },
  ],
});

/**
 * Type-level facts about the profile key schema, checked by `tsc --noEmit` (`npm test`): each
 * `@ts-expect-error` must meet an error, so a schema that stopped refusing a missing or an extra
 * key would fail the type check here.
 */
import type { KeySchema } from '../../lib/core/keys';
import { VALUE } from '../../lib/core/keys';
import type { GrafanaDatabase } from '../../lib/components/grafana/profile';
import type { PrometheusProfile } from '../../lib/components/prometheus/profile';
import type { Receiver } from '../../lib/components/alertmanager/profile';
import type { Storage } from '../../lib/core/workload';
import type { JaegerProfile } from '../../lib/components/jaeger/profile';
import type { NetworkPeer } from '../../lib/components/network-policies/profile';

const RES = { fields: { requests: { fields: { cpu: VALUE, memory: VALUE } }, limits: { fields: { cpu: VALUE, memory: VALUE } } } } as const;
const STORAGE: KeySchema<Storage> = {
  by: 'kind',
  members: { emptyDir: { fields: { kind: VALUE, sizeLimitGi: VALUE } }, pvc: { fields: { kind: VALUE, sizeGi: VALUE, storageClass: VALUE } } },
};

// An optional key the interface declares cannot be left out of the schema.
export const missingOptional: KeySchema<PrometheusProfile> = {
  // @ts-expect-error retentionSizeGi is missing
  fields: { replicas: VALUE, resources: RES, storage: STORAGE, retention: VALUE, externalUrl: VALUE },
};

// A key the interface does not declare cannot be listed.
export const extra: KeySchema<PrometheusProfile> = {
  // @ts-expect-error retentionSizeGI is not a key of PrometheusProfile
  fields: { replicas: VALUE, resources: RES, storage: STORAGE, retention: VALUE, retentionSizeGi: VALUE, externalUrl: VALUE, retentionSizeGI: VALUE },
};

// A nested object must list its own keys, not pass as a plain value.
export const flatNested: KeySchema<PrometheusProfile> = {
  // @ts-expect-error resources is an object: its keys must be listed
  fields: { replicas: VALUE, resources: VALUE, storage: STORAGE, retention: VALUE, retentionSizeGi: VALUE, externalUrl: VALUE },
};

// Every member of a union selected by `kind` is listed, with that member's keys only.
export const missingMember: KeySchema<Receiver> = {
  by: 'kind',
  // @ts-expect-error the opsgenie receiver is missing
  members: {
    null: { fields: { kind: VALUE, name: VALUE } },
    webhook: { fields: { kind: VALUE, name: VALUE, url: VALUE, sendResolved: VALUE, authorization: { fields: { type: VALUE, secretKey: VALUE } } } },
    slack: { fields: { kind: VALUE, name: VALUE, channel: VALUE, secretKey: VALUE, sendResolved: VALUE } },
    pagerduty: { fields: { kind: VALUE, name: VALUE, secretKey: VALUE } },
  },
};
export const crossedMember: KeySchema<GrafanaDatabase> = {
  by: 'kind',
  members: {
    // @ts-expect-error host belongs to the postgres database, not to sqlite
    sqlite: { fields: { kind: VALUE, host: VALUE } },
    postgres: { fields: { kind: VALUE, host: VALUE, database: VALUE, user: VALUE, secretName: VALUE, sslMode: VALUE } },
  },
};

// Jaeger's shape follows its storage's kind; network peers are told apart by their one key.
export const jaegerBy: KeySchema<JaegerProfile>['by'] = 'storage.kind';
export const peerBy: KeySchema<NetworkPeer>['by'] = 'key';
// @ts-expect-error a peer is a namespace or a cidr, nothing else
export const peerTag: keyof KeySchema<NetworkPeer>['members'] = 'podLabels';

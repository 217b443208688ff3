/** The `pushgateway` part of a profile. */
import { KeySchema, RESOURCES_KEYS, VALUE } from '../../core/keys';
import type { Resources } from '../../core/workload';

/** The Pushgateway runs one replica by design (pushes to two would split between them). */
export interface PushgatewayProfile {
  readonly resources: Resources;
  /** How often pushed groups are written to its data file. @default PUSHGATEWAY_DEFAULTS.persistenceInterval ('5m') */
  readonly persistenceInterval?: string;
}

/** What the Pushgateway does when the profile leaves it out. */
export const PUSHGATEWAY_DEFAULTS = { persistenceInterval: '5m' } as const satisfies Required<Pick<PushgatewayProfile, 'persistenceInterval'>>;

export const PUSHGATEWAY_KEYS: KeySchema<PushgatewayProfile> = { fields: { resources: RESOURCES_KEYS, persistenceInterval: VALUE } };

/** The `pushgateway` part of a profile. */
import { KeySchema, RESOURCES_KEYS, VALUE } from '../../core/keys';
import type { Resources } from '../../core/workload';

/** The Pushgateway runs one replica by design (pushes to two would split between them). */
export interface PushgatewayProfile {
  readonly resources: Resources;
  /** How often pushed groups are written to its data file. @default '5m' */
  readonly persistenceInterval?: string;
}

export const PUSHGATEWAY_KEYS: KeySchema<PushgatewayProfile> = { fields: { resources: RESOURCES_KEYS, persistenceInterval: VALUE } };

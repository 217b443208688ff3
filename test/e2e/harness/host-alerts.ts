/**
 * Alerts on the node itself. The node-exporter of the pipeline reports the machine running it: its
 * cores are busy running the suite (the resource alerts may go pending; they hold for 15 minutes,
 * so they cannot fire within a run), and it may run no NTP daemon, so that its kernel reports the
 * clock unsynchronised (node_timex_sync_status 0, maxerror 16 s), which NodeClockNotSynchronised
 * rightly says. They say nothing about the pipeline, so waits for a quiet pipeline leave them out.
 */
export const HOST_ALERTS: ReadonlySet<string> = new Set(['NodeCPUHigh', 'NodeMemoryHigh', 'NodeDiskSpaceHigh', 'NodeClockSkew', 'NodeClockNotSynchronised']);

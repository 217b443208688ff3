/**
 * The certificates of the dependencies reached over TLS (Redis, the Kafka brokers), watched by the
 * blackbox exporter's TLS handshakes (job `blackbox-tls`, lib/components/exporters/blackbox-exporter.ts).
 * Strategy: "Security incidents" and "Data loss or corruption" are critical; a certificate that
 * lapses takes the dependency down for every client at once, so it warns CERTIFICATE_WARNING_DAYS
 * ahead and pages CERTIFICATE_CRITICAL_DAYS ahead (alerts/thresholds.ts). Once it has lapsed the handshake fails and the expiry series is gone: the
 * failing handshake is alerted on too.
 */
import { RuleGroup } from '../lib/rules/types';
import { withTeams } from '../lib/rules/render';
import { moduleSource } from '../lib/rules/source';
import { CERTIFICATE_CRITICAL_DAYS, CERTIFICATE_WARNING_DAYS } from './thresholds';

const SOURCE = moduleSource(__filename);
const DAY = 86400;

export const certificates: RuleGroup = {
  name: 'tls-certificates',
  team: 'devops',
  source: SOURCE,
  rules: [
    {
      alert: 'TLSCertificateExpiresSoon',
      severity: 'warning',
      expr: `probe_ssl_earliest_cert_expiry{probe="tls"} - time() < ${CERTIFICATE_WARNING_DAYS * DAY}`,
      for: '1h',
      summary: 'The certificate of {{ $labels.dependency }} at {{ $labels.instance }} expires in {{ $value | humanizeDuration }}',
      description: `A certificate in the chain that {{ $labels.instance }} ({{ $labels.dependency }}) presents expires within ${CERTIFICATE_WARNING_DAYS} days. Renew it, or check why its automatic renewal has not happened.`,
      runbook: 'docs/runbooks/tls-certificates.md',
    },
    {
      alert: 'TLSCertificateExpiresVerySoon',
      severity: 'critical',
      expr: `probe_ssl_earliest_cert_expiry{probe="tls"} - time() < ${CERTIFICATE_CRITICAL_DAYS * DAY}`,
      for: '10m',
      summary: 'The certificate of {{ $labels.dependency }} at {{ $labels.instance }} expires in {{ $value | humanizeDuration }}',
      description: `A certificate in the chain that {{ $labels.instance }} ({{ $labels.dependency }}) presents expires within ${CERTIFICATE_CRITICAL_DAYS} days. When it lapses, every client that verifies it (the trading services, the exporters) stops connecting.`,
      runbook: 'docs/runbooks/tls-certificates.md',
    },
    {
      alert: 'TLSHandshakeFailing',
      severity: 'warning',
      expr: 'probe_success{probe="tls"} == 0',
      for: '10m',
      summary: 'The TLS handshake with {{ $labels.dependency }} at {{ $labels.instance }} fails',
      description:
        'For 10 minutes the probe could not complete a verified TLS handshake with {{ $labels.instance }} ({{ $labels.dependency }}): the certificate has expired, was replaced by one the configured CA did not sign, names another host, or the endpoint is unreachable.',
      runbook: 'docs/runbooks/tls-certificates.md',
    },
  ],
};

export const groups: readonly RuleGroup[] = withTeams([certificates]);

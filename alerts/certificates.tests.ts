import { RuleTestSuite } from '../lib/rules/testing';
import { testedRuleSource } from '../lib/rules/source';
import { CERTIFICATE_CRITICAL_DAYS, CERTIFICATE_WARNING_DAYS } from './thresholds';

const DAY = 86400;
const cache = { job: 'blackbox-tls', probe: 'tls', dependency: 'cache', instance: 'redis.grekko.svc:6379' };
const labels = (l: Record<string, string>) =>
  Object.entries(l)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
/** A certificate that expires `days` after the test's start (promtool starts at Unix time 0). */
const expiresIn = (days: number) => ({
  [`probe_ssl_earliest_cert_expiry{${labels(cache)}}`]: `${days * DAY}x180`,
  [`probe_success{${labels(cache)}}`]: '1x180',
});

export const suite: RuleTestSuite = {
  source: testedRuleSource(__filename),
  tests: [
    {
      name: `a certificate a day beyond the ${CERTIFICATE_WARNING_DAYS}-day warning stays quiet`,
      series: expiresIn(CERTIFICATE_WARNING_DAYS + 1),
      alerts: [
        { at: '2h', alert: 'TLSCertificateExpiresSoon', fires: [] },
        { at: '2h', alert: 'TLSCertificateExpiresVerySoon', fires: [] },
        { at: '2h', alert: 'TLSHandshakeFailing', fires: [] },
      ],
    },
    {
      name: `a certificate a day inside the ${CERTIFICATE_WARNING_DAYS}-day warning opens a ticket after an hour, and pages nobody`,
      series: expiresIn(CERTIFICATE_WARNING_DAYS - 1),
      alerts: [
        { at: '50m', alert: 'TLSCertificateExpiresSoon', fires: [] },
        { at: '70m', alert: 'TLSCertificateExpiresSoon', fires: [{ labels: cache, value: (CERTIFICATE_WARNING_DAYS - 1) * DAY - 70 * 60 }] },
        { at: '70m', alert: 'TLSCertificateExpiresVerySoon', fires: [] },
      ],
    },
    {
      name: `a certificate that expires inside ${CERTIFICATE_CRITICAL_DAYS} days pages on-call after 10 minutes`,
      series: expiresIn(CERTIFICATE_CRITICAL_DAYS - 1),
      alerts: [
        { at: '9m', alert: 'TLSCertificateExpiresVerySoon', fires: [] },
        { at: '11m', alert: 'TLSCertificateExpiresVerySoon', fires: [{ labels: cache, value: (CERTIFICATE_CRITICAL_DAYS - 1) * DAY - 11 * 60 }] },
      ],
    },
    {
      name: 'a lapsed or foreign certificate fails the handshake: a ticket after 10 minutes, not after 9',
      series: { [`probe_success{${labels(cache)}}`]: '0x30' },
      alerts: [
        { at: '9m', alert: 'TLSHandshakeFailing', fires: [] },
        { at: '11m', alert: 'TLSHandshakeFailing', fires: [{ labels: cache, value: 0 }] },
      ],
    },
  ],
};

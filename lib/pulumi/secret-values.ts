/**
 * What a secret value must look like before `pulumi up` writes it into a Secret. The programs read
 * Secret values byte for byte (a file, or an environment variable from `secretKeyRef`): a password
 * with a trailing newline is a different password, an empty API key is a silent failure at the
 * first alert. Each problem is told without the value itself.
 *
 * The kind of a value follows from its key, as every component names them (docs/secrets.md):
 * `*.crt` PEM certificates (`ca.crt`, `tls.crt`), `*.key` PEM private keys (`tls.key`), `*-url`
 * URLs (`slack-alerts-webhook-url`), and every other key one line of text (passwords, user names,
 * API and routing keys, encryption keys).
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';

export type SecretValueKind = 'certificate' | 'private-key' | 'url' | 'line';

export function secretValueKind(key: string): SecretValueKind {
  if (key.endsWith('.crt')) return 'certificate';
  if (key.endsWith('.key')) return 'private-key';
  if (key === 'url' || key.endsWith('-url')) return 'url';
  return 'line';
}

/** What a value of each kind is, for the fix. */
export const SECRET_VALUE_KINDS: Readonly<Record<SecretValueKind, string>> = {
  certificate: 'one or more PEM certificates ("-----BEGIN CERTIFICATE-----")',
  'private-key': 'an unencrypted PEM private key ("-----BEGIN PRIVATE KEY-----")',
  url: 'a full https:// or http:// URL',
  line: 'one line of text',
};

/** A problem with a secret value: `what` describes the value without showing it. */
export interface SecretValueProblem {
  readonly what: string;
  readonly kind: SecretValueKind;
  /** Whether the value breaks the one-line rule of line and URL values (newline, whitespace at an end). */
  readonly line: boolean;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Why `value` cannot be the value of `key`, or undefined when it is well formed. */
export function checkSecretValue(key: string, value: string): SecretValueProblem | undefined {
  const kind = secretValueKind(key);
  const problem = (what: string, line = false): SecretValueProblem => ({ what, kind, line });
  if (value === '') return problem('empty');
  if (value.trim() === '') return problem('only whitespace');
  switch (kind) {
    case 'certificate': {
      const blocks = value.match(PEM_CERTIFICATE) ?? [];
      if (blocks.length === 0) return problem('not a PEM certificate');
      if (value.replace(PEM_CERTIFICATE, '').trim() !== '') return problem('PEM certificates with other text around them');
      for (const [i, pem] of blocks.entries()) {
        try {
          new X509Certificate(pem);
        } catch {
          return problem(`a PEM certificate whose ${ordinal(i + 1)} block does not parse`);
        }
      }
      return undefined;
    }
    case 'private-key': {
      if (!/^\s*-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return problem('not a PEM private key');
      if (/ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(value)) return problem('a PEM private key encrypted with a passphrase');
      try {
        createPrivateKey(value);
      } catch {
        return problem('a PEM private key that does not parse');
      }
      return undefined;
    }
    default: {
      const line = lineProblem(value);
      if (line) return problem(line, true);
      if (kind === 'url') {
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          return problem('not a URL');
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:') return problem(`a URL that is not https:// or http:// (scheme ${url.protocol})`);
        if (url.hostname === '') return problem('a URL with no host');
      }
      return undefined;
    }
  }
}

function lineProblem(value: string): string | undefined {
  if (/\r?\n$/.test(value)) return 'a value ending in a newline';
  if (/\r$/.test(value)) return 'a value ending in a carriage return (a file with Windows line endings)';
  if (/[\r\n]/.test(value)) return 'a value of several lines';
  if (/^\s|\s$/.test(value)) return 'a value beginning or ending with whitespace';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'a value with a control character';
  return undefined;
}

function ordinal(n: number): string {
  return n === 1 ? 'first' : n === 2 ? 'second' : n === 3 ? 'third' : `${n}th`;
}

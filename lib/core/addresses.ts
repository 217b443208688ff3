/**
 * Ports of the addresses a profile names (`host:port` fields and URLs). Port numbers are 16-bit:
 * 0 is no port to connect to, and anything above 65535 cannot be dialled, yet both pass a
 * `\d{1,5}` pattern and reach the generated config, where the exporter or the probe fails at run
 * time. These helpers say what is wrong with a port, so the profile checks can refuse it by field.
 */

/** What is wrong with a port written as text, or undefined when it is a port number from 1 to 65535. */
export function portProblem(port: string): string | undefined {
  if (!/^\d+$/.test(port)) return `its port ${JSON.stringify(port)} is not a number`;
  const n = Number(port);
  if (n < 1 || n > 65535) return `its port ${port} is outside 1..65535`;
  return undefined;
}

/** The port written in a `host:port` address, or undefined when it has none (`[v6]:port` too). */
export function portOfAddress(address: string): string | undefined {
  const v6 = /^\[[^\]]*\](?::(.*))?$/.exec(address);
  if (v6) return v6[1];
  const i = address.lastIndexOf(':');
  return i < 0 ? undefined : address.slice(i + 1);
}

/** The port written in a URL's authority (`http://host:8080/x` → `8080`), or undefined when it has none. */
export function portOfUrl(url: string): string | undefined {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(url);
  if (!m) return undefined;
  const authority = m[1].slice(m[1].lastIndexOf('@') + 1);
  return portOfAddress(authority);
}

/** The problem with the port of a `host:port` address or a URL, for a ConfigError's fix; undefined when fine or absent. */
export function addressPortProblem(value: unknown, form: 'address' | 'url'): string | undefined {
  if (typeof value !== 'string') return undefined;
  const port = form === 'url' ? portOfUrl(value) : portOfAddress(value);
  if (port === undefined) return undefined;
  const problem = portProblem(port);
  return problem && `${problem}: use a port number from 1 to 65535, the one the server listens on`;
}

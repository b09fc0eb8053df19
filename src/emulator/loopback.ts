/**
 * Loopback names: the host names and addresses that always mean this machine. A name under
 * `.localhost` resolves to loopback by definition (RFC 6761 §6.3); `127.0.0.0/8` and `::1` are the
 * loopback addresses (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3). No DNS answer can make another name one
 * of these, which is what a Host check against DNS rebinding relies on.
 */

/** The names a loopback server is reached by, in the order a banner or an audience list gives them. */
export const LOOPBACK_ALIASES: readonly string[] = /* @__PURE__ */ Object.freeze(['localhost', '127.0.0.1', '[::1]']);

const IPV4_LOOPBACK = /^127(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * Whether a host name (as a URL's `hostname` gives it: IPv6 in brackets, no port) is a loopback
 * name: `localhost`, a name under `.localhost`, an address of 127.0.0.0/8, or `[::1]`. Case and one
 * trailing dot do not matter.
 */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '[::1]' || name === '::1') return true;
  return IPV4_LOOPBACK.test(name);
}

/** Whether an interface address a server binds is a loopback one (`127.0.0.1`, `::1`, `localhost`). */
export function isLoopbackInterface(host: string): boolean {
  return isLoopbackHostname(host.startsWith('[') ? host : host.includes(':') ? `[${host}]` : host);
}

/** A host name as a URL's `hostname` gives it: a DNS name or IPv4 address, or an IPv6 address in brackets. */
const EXACT_HOSTNAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;

/**
 * One exact host name as compared with a URL's `hostname`: lower case, no trailing dot, an IPv6
 * address in brackets; `undefined` for anything else, a wildcard (`*`, `.example.test`) included:
 * only a name spelled out can open the control API, never a pattern that a name rebound by DNS
 * could match.
 */
export function exactHostname(entry: string): string | undefined {
  const lower = entry.toLowerCase().replace(/\.$/, '');
  const name = lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
  return EXACT_HOSTNAME.test(name) ? name : undefined;
}

/**
 * Whether the control API and the inspector page answer a request for `hostname` (a URL's
 * `hostname`): a loopback name, or one of `controlHosts` (exact names, as {@link exactHostname} gives them).
 */
export function isControlHostname(hostname: string, controlHosts: ReadonlySet<string>): boolean {
  return (
    isLoopbackHostname(hostname) ||
    (controlHosts.size > 0 && controlHosts.has(hostname.toLowerCase().replace(/\.$/, '')))
  );
}

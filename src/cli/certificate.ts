import { X509Certificate } from 'node:crypto';
import { lstat, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { writeFileAtomic } from './persist.js';

/** A certificate for `serve --https`, and the file a client trusts it through. */
export interface LocalCertificate {
  /** PEM private key. */
  readonly key: string;
  /** PEM certificate. */
  readonly cert: string;
  /** Where the certificate is, for `NODE_EXTRA_CA_CERTS` and `curl --cacert`. */
  readonly file: string;
  /** Whether it was made at this start (`false`: the one of an earlier start, reused). */
  readonly created: boolean;
}

/** How long a certificate is made valid for, and how long before its end a new one is made. */
const VALID_DAYS = 30;
const RENEW_DAYS = 1;
const DAY = 24 * 60 * 60 * 1000;

/**
 * The private folder of the certificate and its key: beside the data file (`<data>.https/`) with
 * `--data`, else `auth0-metadata` in the user's cache folder (`$XDG_CACHE_HOME`, or `~/.cache`).
 */
export function certificateFolder(dataFile: string | undefined, environment: NodeJS.ProcessEnv): string {
  if (dataFile !== undefined) return join(dirname(dataFile), `${basename(dataFile)}.https`);
  const cache = environment.XDG_CACHE_HOME;
  return join(cache !== undefined && isAbsolute(cache) ? cache : join(homedir(), '.cache'), 'auth0-metadata');
}

function code(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/**
 * Makes sure `folder` is private: created with mode 0700 when missing; otherwise it must be a
 * folder (not a symbolic link), owned by the current user, with no access for group or others.
 * Another local user who could plant or swap that folder could make an app trust their CA.
 * @throws Error saying what is wrong and how to fix it.
 */
export async function privateFolder(folder: string): Promise<void> {
  await mkdir(dirname(folder), { recursive: true });
  try {
    await mkdir(folder, { mode: 0o700 });
    return;
  } catch (error) {
    if (code(error) !== 'EEXIST') throw error;
  }
  const stats = await lstat(folder);
  if (stats.isSymbolicLink()) throw new Error(`${folder} is a symbolic link; remove it (a private folder is made)`);
  if (!stats.isDirectory()) throw new Error(`${folder} is not a folder; remove it (a private folder is made)`);
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new Error(`${folder} is owned by user ${stats.uid}, not by you (${uid}); remove it`);
  }
  if ((stats.mode & 0o077) !== 0) {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
    throw new Error(`${folder} has mode ${mode}; others may change it: run chmod 700 ${folder}, or remove it`);
  }
}

/** The certificate and key kept in `folder`, when both are there, still valid a day from now, and for each of `hosts`. */
async function keptCertificate(folder: string, hosts: readonly string[]): Promise<LocalCertificate | undefined> {
  const file = join(folder, 'cert.pem');
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(file, 'utf8'), readFile(join(folder, 'key.pem'), 'utf8')]);
  } catch {
    return undefined;
  }
  try {
    const x509 = new X509Certificate(cert);
    if (new Date(x509.validTo).getTime() - Date.now() < RENEW_DAYS * DAY) return undefined;
    const covers = (name: string): boolean =>
      /^[\d.]+$|:/.test(name) ? x509.checkIP(name) !== undefined : x509.checkHost(name) !== undefined;
    if (![...hosts, 'localhost', '127.0.0.1', '::1'].every(covers)) return undefined;
    return { key, cert, file, created: false };
  } catch {
    return undefined;
  }
}

/**
 * The certificate of `serve --https`, for `localhost`, `127.0.0.1`, `::1` and `host`, kept with its
 * key in a private folder (see {@link privateFolder}) and reused at the next start, so that the
 * `NODE_EXTRA_CA_CERTS` path an app was started with stays the same. A new one is made (valid for
 * 30 days, self-signed, usable as its own CA) when none is kept, it ends within a day, or it does
 * not name `host` and each of `alsoFor` (the hosts the inspector is opened through, `--allowed-host`).
 */
export async function localCertificate(
  host: string,
  folder: string,
  alsoFor: readonly string[] = [],
): Promise<LocalCertificate> {
  await privateFolder(folder);
  // An IPv6 address as a certificate names it: without the brackets of a URL.
  const hosts = [host, ...alsoFor].map((name) => name.replace(/^\[(.*)\]$/, '$1'));
  const kept = await keptCertificate(folder, hosts);
  if (kept !== undefined) return kept;
  const isIp = (entry: string): boolean => /^[\d.]+$|:/.test(entry);
  const names = new Set(['localhost', ...hosts.filter((entry) => !isIp(entry))]);
  const ips = new Set(['127.0.0.1', '::1', ...hosts.filter(isIp)]);
  const altNames = [
    ...[...names].map((value) => ({ type: 2 as const, value })),
    ...[...ips].map((ip) => ({ type: 7 as const, ip })),
  ];
  const notAfterDate = new Date(Date.now() + VALID_DAYS * DAY);
  // Loaded only for --https: the other commands start without it.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'auth0-metadata emulator' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  const file = join(folder, 'cert.pem');
  await writeFileAtomic(join(folder, 'key.pem'), pems.private);
  await writeFileAtomic(file, pems.cert);
  return { key: pems.private, cert: pems.cert, file, created: true };
}

import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate for `serve --https`, and the file a client trusts it through. */
export interface LocalCertificate {
  /** PEM private key. */
  readonly key: string;
  /** PEM certificate. */
  readonly cert: string;
  /** Where the certificate was written, for `NODE_EXTRA_CA_CERTS`. */
  readonly file: string;
}

/**
 * Generates a self-signed certificate for `localhost`, `127.0.0.1` and `::1` (and `host`, when it
 * is another name), valid for 30 days, and writes it to `<tmpdir>/auth0-metadata/cert-<random>.pem`
 * so that clients can trust it with `NODE_EXTRA_CA_CERTS`. The key stays in memory.
 */
export async function localCertificate(host: string): Promise<LocalCertificate> {
  const names = new Set(['localhost', host]);
  const ips = new Set(['127.0.0.1', '::1']);
  const altNames = [
    ...[...names].filter((entry) => !/^[\d.]+$|:/.test(entry)).map((value) => ({ type: 2 as const, value })),
    ...[...ips, ...(/^[\d.]+$|:/.test(host) ? [host] : [])].map((ip) => ({ type: 7 as const, ip })),
  ];
  const notAfterDate = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
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
  const folder = join(tmpdir(), 'auth0-metadata');
  await mkdir(folder, { recursive: true });
  const file = join(folder, `cert-${randomBytes(6).toString('hex')}.pem`);
  await writeFile(file, pems.cert);
  return { key: pems.private, cert: pems.cert, file };
}

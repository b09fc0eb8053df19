/**
 * `serve --https` keeps its certificate and key in a private folder and reuses them: a folder
 * another user could have planted or changed (a symbolic link, open to others, owned by someone
 * else) is refused, and the banner's curl line works as printed.
 */

import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { certificateFolder, localCertificate, privateFolder } from '../../src/cli/certificate.js';
import { serveInProcess } from './helpers.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-https-folder-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('certificateFolder', () => {
  test('beside the data file with --data, else in $XDG_CACHE_HOME or ~/.cache', () => {
    expect(certificateFolder('/srv/tenant/users.json', {})).toBe('/srv/tenant/users.json.https');
    expect(certificateFolder(undefined, { XDG_CACHE_HOME: '/cache' })).toBe('/cache/auth0-metadata');
    expect(certificateFolder(undefined, { XDG_CACHE_HOME: 'relative' })).toMatch(/\/\.cache\/auth0-metadata$/);
  });
});

describe('the private folder', () => {
  test('is made with mode 0700; a certificate kept there is reused at the next start', async () => {
    const place = join(folder, 'made', 'certs');
    const first = await localCertificate('127.0.0.1', place);
    expect((await stat(place)).mode & 0o777).toBe(0o700);
    expect((await stat(join(place, 'key.pem'))).mode & 0o777).toBe(0o600);
    expect(first).toMatchObject({ file: join(place, 'cert.pem'), created: true });
    const second = await localCertificate('127.0.0.1', place);
    expect(second).toStrictEqual({ ...first, created: false });
    // Another host than those it names: a new one, at the same path.
    const other = await localCertificate('my-laptop.local', place);
    expect(other.created).toBe(true);
    expect(other.file).toBe(first.file);
    expect(other.cert).not.toBe(first.cert);
  }, 30_000);

  test('it also names the hosts the inspector is opened through (--allowed-host), and is made again for a new one', async () => {
    const place = join(folder, 'named');
    const made = await localCertificate('127.0.0.1', place, ['devbox.lan', '[fe80::1]', '192.168.77.5']);
    const x509 = new X509Certificate(made.cert);
    expect([
      x509.checkHost('devbox.lan'),
      x509.checkIP('fe80::1'),
      x509.checkIP('192.168.77.5'),
      x509.checkHost('localhost'),
    ]).toStrictEqual(['devbox.lan', 'fe80::1', '192.168.77.5', 'localhost']);
    expect(await localCertificate('127.0.0.1', place, ['devbox.lan'])).toStrictEqual({ ...made, created: false });
    expect((await localCertificate('127.0.0.1', place, ['other.lan'])).created).toBe(true);
  }, 30_000);

  test('a kept certificate that does not parse is replaced by a new one', async () => {
    const place = join(folder, 'garbled');
    await privateFolder(place);
    await writeFile(join(place, 'cert.pem'), 'not a certificate', { mode: 0o600 });
    await writeFile(join(place, 'key.pem'), 'not a key', { mode: 0o600 });
    const made = await localCertificate('127.0.0.1', place);
    expect(made.created).toBe(true);
    expect(made.cert).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(await readFile(join(place, 'cert.pem'), 'utf8')).toBe(made.cert);
  }, 30_000);

  test('a kept certificate that ends within a day is replaced by a new one', async () => {
    const place = join(folder, 'ending');
    await privateFolder(place);
    const { generate } = await import('selfsigned');
    const ending = await generate([{ name: 'commonName', value: 'ending' }], {
      keySize: 1024,
      notAfterDate: new Date(Date.now() + 60 * 60 * 1000),
    });
    await writeFile(join(place, 'cert.pem'), ending.cert, { mode: 0o600 });
    await writeFile(join(place, 'key.pem'), ending.private, { mode: 0o600 });
    const made = await localCertificate('127.0.0.1', place);
    expect(made.created).toBe(true);
    expect(made.cert).not.toBe(ending.cert);
  }, 30_000);

  test('a folder that cannot be made says why', async () => {
    const place = join(folder, 'x'.repeat(300));
    await expect(privateFolder(place)).rejects.toThrow(/ENAMETOOLONG/);
  });

  test('a symbolic link in its place is refused', async () => {
    const target = join(folder, 'elsewhere');
    await mkdir(target, { mode: 0o700 });
    const planted = join(folder, 'linked');
    await symlink(target, planted);
    await expect(privateFolder(planted)).rejects.toThrow(`${planted} is a symbolic link; remove it`);
  });

  test('a folder others may change is refused, with the chmod that fixes it', async () => {
    const planted = join(folder, 'open');
    await mkdir(planted);
    await chmod(planted, 0o777);
    await expect(privateFolder(planted)).rejects.toThrow(
      `${planted} has mode 0777; others may change it: run chmod 700`,
    );
  });

  test('a file in its place is refused', async () => {
    const planted = join(folder, 'file');
    await writeFile(planted, '');
    await expect(privateFolder(planted)).rejects.toThrow(`${planted} is not a folder`);
  });

  test.skipIf(process.getuid?.() !== 0)('a folder owned by another user is refused', async () => {
    const planted = join(folder, 'theirs');
    await mkdir(planted, { mode: 0o700 });
    await chown(planted, 4242, 4242);
    expect((await lstat(planted)).uid).toBe(4242);
    await expect(privateFolder(planted)).rejects.toThrow(`${planted} is owned by user 4242, not by you (0); remove it`);
  });

  test('serve --https stops with a one-line error when the folder is not private', async () => {
    const data = join(folder, 'refused.json');
    await mkdir(`${data}.https`);
    await chmod(`${data}.https`, 0o755);
    const server = await serveInProcess(['serve', '--port', '0', '--https', '--data', data]);
    expect(await server.exit).toBe(1);
    expect(server.err).toStrictEqual([
      `error: cannot use the https certificate: ${data}.https has mode 0755; others may change it: run chmod 700 ${data}.https, or remove it`,
    ]);
  });
});

describe('the banner of serve --https', () => {
  test('its curl line, pasted into a shell, gets a token over https (--cacert the kept certificate)', async () => {
    const data = join(folder, 'curl.json');
    const server = await serveInProcess(['serve', '--port', '0', '--https', '--data', data]);
    try {
      const printed = server.out.join('\n');
      expect(printed).toContain(`Certificate ${data}.https/cert.pem (made now;`);
      const index = server.out.indexOf('Get a Management API token:');
      const line = server.out[index + 1]?.trim() ?? '';
      expect(line).toMatch(/^curl -s --cacert '.*cert\.pem' https:\/\/127\.0\.0\.1:\d+\/oauth\/token /);
      const { stdout } = await promisify(execFile)('sh', ['-c', line]);
      expect(JSON.parse(stdout)).toMatchObject({ token_type: 'Bearer' });
      expect(await readFile(`${data}.https/cert.pem`, 'utf8')).toContain('BEGIN CERTIFICATE');
    } finally {
      server.stop();
      await server.exit;
    }
  }, 30_000);
});

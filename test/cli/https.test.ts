/**
 * `serve --https`: the banner's NODE_EXTRA_CA_CERTS line and domain, used as printed by a separate
 * Node process running auth0@7, auth0@4 (`auth0/legacy`) and auth0@3 with no custom fetch. Without
 * the line the same process fails on the certificate, so the line is what makes it work.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { JANE } from '../emulator/helpers.js';
import { serveInProcess } from './helpers.js';

const resolve = createRequire(join(import.meta.dirname, '..', '..', 'package.json')).resolve;
const module = (name: string): string => JSON.stringify(pathToFileURL(resolve(name)).href);

/** The application: each SDK version with only a domain and client credentials. */
const APPLICATION = `
const { ManagementClient } = await import(${module('auth0')});
const legacy = await import(${module('auth0/legacy')});
const v3 = await import(${module('auth0-v3')});
const [domain, clientId, clientSecret] = process.argv.slice(2);
const credentials = { domain, clientId, clientSecret };
const v7 = new ManagementClient({ ...credentials, maxRetries: 0 });
await v7.users.update('auth0|jane', { user_metadata: { city: 'Paris' } });
const v4 = new legacy.ManagementClient({ ...credentials, retry: { enabled: false } });
const { data } = await v4.users.get({ id: 'auth0|jane' });
const old = new (v3.ManagementClient ?? v3.default.ManagementClient)({ ...credentials, retry: { enabled: false } });
const updated = await old.updateAppMetadata({ id: 'auth0|jane' }, { role: 'admin' });
console.log(JSON.stringify([data.user_metadata, updated.app_metadata]));
`;

let folder: string;
let stopServer: () => void = () => undefined;
let exit: Promise<number>;
const out: string[] = [];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-https-'));
  await writeFile(join(folder, 'app.mjs'), APPLICATION);
  await writeFile(join(folder, 'seed.json'), JSON.stringify([{ ...JANE, user_id: 'jane' }]));
  const server = await serveInProcess([
    'serve',
    '--https',
    '--port',
    '0',
    '--seed',
    join(folder, 'seed.json'),
    // The certificate is kept beside the data file, in this test's folder.
    '--data',
    join(folder, 'users.json'),
    '--client-secret',
    'shh',
  ]);
  stopServer = server.stop;
  exit = server.exit;
  out.push(...server.out, ...server.err);
}, 60_000);

afterAll(async () => {
  stopServer();
  await exit;
  await rm(folder, { recursive: true, force: true });
});

function application(
  env: NodeJS.ProcessEnv,
  args: readonly string[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [join(folder, 'app.mjs'), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => done({ code, output }));
  });
}

describe('serve --https', () => {
  test('listens on https and prints the NODE_EXTRA_CA_CERTS line and the domain for the SDKs', () => {
    const banner = out.join('\n');
    expect(banner).toMatch(/listening on https:\/\/127\.0\.0\.1:\d+/);
    expect(banner).toMatch(/NODE_EXTRA_CA_CERTS=\S+\.pem node app\.js/);
    expect(banner).toMatch(/new ManagementClient\(\{ domain: '127\.0\.0\.1:\d+', clientId: 'auth0-metadata-emulator'/);
  });

  test('auth0@7, @4 and @3 work against it with the printed line, and fail on the certificate without it', async () => {
    const banner = out.join('\n');
    const certificate = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(banner)?.[1] ?? '';
    const domain = /domain: '(127\.0\.0\.1:\d+)'/.exec(banner)?.[1] ?? '';
    const args = [domain, 'auth0-metadata-emulator', 'shh'];
    const { NODE_EXTRA_CA_CERTS: _ignored, ...environment } = process.env;
    const trusted = await application({ ...environment, NODE_EXTRA_CA_CERTS: certificate }, args);
    expect(trusted.code, trusted.output).toBe(0);
    expect(JSON.parse(trusted.output.trim().split('\n').at(-1) ?? 'null')).toStrictEqual([
      { hobby: 'surfing', city: 'Paris' },
      { plan: 'full', role: 'admin' },
    ]);
    const untrusted = await application(environment, args);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.output).toMatch(/self[- ]signed|certificate|fetch failed/i);
  }, 60_000);
});

/** Loopback names and interfaces: what a Host check and a bind check accept as this machine. */
import { describe, expect, test } from 'vitest';
import { isLoopbackHostname, isLoopbackInterface } from '../../src/emulator/loopback.js';

describe('isLoopbackInterface', () => {
  test.each([
    ['127.0.0.1', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['[::2]', false],
    ['::2', false],
    ['0.0.0.0', false],
    ['192.168.1.10', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackInterface(host)).toBe(loopback);
  });
});

describe('isLoopbackHostname', () => {
  test.each([
    ['LOCALHOST.', true],
    ['app.localhost', true],
    ['127.255.0.1', true],
    ['127.256.0.1', false],
    ['localhost.example.com', false],
  ])('%s is loopback: %s', (hostname, loopback) => {
    expect(isLoopbackHostname(hostname)).toBe(loopback);
  });
});

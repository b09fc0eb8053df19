/** Debian's Chromium, as `.ci/run` installs it: never a browser download. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, no sandbox as root, and nothing that reaches for Google's hosts on a closed network. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

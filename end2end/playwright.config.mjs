import { defineConfig } from '@playwright/test';

const baseURL = process.env.PORTAL_URL || 'http://127.0.0.1:3000';

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.mjs',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    testIdAttribute: 'data-test',
    locale: 'vi-VN',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});

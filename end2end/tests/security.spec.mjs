import { test, expect } from '@playwright/test';
import { SAMPLE_SLUG, waitForHydration } from './helpers.mjs';

const EDITOR = { username: 'bientap', password: process.env.E2E_EDITOR_PASSWORD };
const postPath = `/bai-viet/${SAMPLE_SLUG}`;

test('a script that reaches a page runs not: the policy admits only the scripts with the nonce', async ({ page }) => {
  // Markup slipped into the served page, as a hole in escaping would let it in: an inline
  // script, an event handler and a script from elsewhere, all without the response's nonce.
  // (In the head: markup added to the body would no longer match what hydration expects.)
  await page.route(postPath, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(
      '</head>',
      '<script>window.__pwned = "inline"</script>' +
        '<link rel="stylesheet" href="/pkg/portal.css" onload="window.__pwned = \'handler\'">' +
        '<script src="data:text/javascript,window.__pwned=%22data%22"></script></head>',
    );
    await route.fulfill({ response, body: html });
  });
  const violations = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
      violations.push(message.text());
    }
  });
  await page.goto(postPath);
  // The page's own scripts still run: it hydrates and its buttons work.
  await waitForHydration(page);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(violations.length, violations.join('\n')).toBeGreaterThanOrEqual(3);
});

test('pages carry the policy, each response with its own nonce, and hydrate under it', async ({ page }) => {
  const errors = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  for (const path of ['/', postPath, '/van-ban', '/tim-kiem?q=ke+hoach']) {
    const response = await page.goto(path);
    const policy = response.headers()['content-security-policy'];
    expect(policy).toMatch(/script-src 'nonce-[A-Za-z0-9_-]{16,}' 'strict-dynamic' 'wasm-unsafe-eval'/);
    expect(policy).toContain("object-src 'none'");
    await waitForHydration(page);
  }
  expect(errors, errors.join('\n')).toEqual([]);
});

test('after sign-in an official is sent only to a page of this site', async ({ page, baseURL }) => {
  const origin = new URL(baseURL).origin;
  for (const next of ['/\\evil.example/x', '/%09/evil.example/x', '/%5C%5Cevil.example', '//evil.example']) {
    await page.context().clearCookies();
    await page.goto(`/dang-nhap?tiep=${next}`);
    await waitForHydration(page);
    await page.getByLabel('Tên đăng nhập').fill(EDITOR.username);
    await page.getByLabel('Mật khẩu').fill(EDITOR.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(page).toHaveURL((url) => url.origin === origin && url.pathname === '/');
  }
  // A path of this site is where the official goes.
  await page.context().clearCookies();
  await page.goto('/dang-nhap?tiep=/van-ban?loai=Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh');
  await waitForHydration(page);
  await page.getByLabel('Tên đăng nhập').fill(EDITOR.username);
  await page.getByLabel('Mật khẩu').fill(EDITOR.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(/\/van-ban\?loai=/);
});

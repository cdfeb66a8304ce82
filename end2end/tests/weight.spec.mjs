// What a citizen's phone downloads: the script and wasm fetched until a page is hydrated, as
// sent on the wire, and never a chunk of the officials' code.
import { test, expect } from '@playwright/test';
import { SAMPLE_SLUG, SAMPLE_TITLE, waitForHydration } from './helpers.mjs';
import { BUDGET, citizensFiles } from './weight.mjs';

const PAGES = [
  ['home', '/'],
  ['post', `/bai-viet/${SAMPLE_SLUG}`],
  ['documents', '/van-ban'],
  ['search', '/tim-kiem?q=papi'],
  // Every other page a citizen can reach is light too (`routes::PAGES`).
  ['Hỏi đáp', '/hoi-dap'],
  ['question form', '/hoi-dap/gui-cau-hoi'],
  ['tracking', '/hoi-dap/tra-cuu?ma=KHONGCO'],
  ['draft comment form', '/van-ban/2/gop-y'],
  ['404', '/khong-co-trang-nay'],
];

/** Records the script and wasm a page fetches: URL, bytes on the wire, and headers. */
function recordAssets(page) {
  const fetched = [];
  page.on('requestfinished', async (request) => {
    const url = new URL(request.url());
    if (!/\.(js|wasm)$/.test(url.pathname)) return;
    const response = await request.response();
    const sizes = await request.sizes();
    fetched.push({
      path: url.pathname,
      bytes: sizes.responseBodySize,
      encoding: (await response.headerValue('content-encoding')) || 'none',
      cacheControl: (await response.headerValue('cache-control')) || '',
    });
  });
  return fetched;
}

for (const [name, path] of PAGES) {
  test(`the ${name} page fetches at most ${BUDGET} B of script and wasm, brotli, until it is interactive`, async ({ page }) => {
    const fetched = recordAssets(page);
    await page.goto(path);
    await waitForHydration(page);
    // The last `requestfinished` events arrive just after the page reports it is hydrated.
    await expect.poll(() => fetched.some((f) => f.path.endsWith('.wasm'))).toBe(true);

    const total = fetched.reduce((sum, f) => sum + f.bytes, 0);
    console.log(`${name}: ${total} B of script and wasm (${fetched.map((f) => `${f.path.split('/').pop()} ${f.bytes} B ${f.encoding}`).join(', ')})`);
    expect(total, `script and wasm of ${path}`).toBeLessThanOrEqual(BUDGET);
    for (const file of fetched) {
      expect(citizensFiles.test(file.path), `${file.path} is a citizens' file`).toBe(true);
      expect(file.encoding, `${file.path} is sent compressed`).toBe('br');
      // Named after their content: kept by the browser without asking again.
      expect(file.cacheControl, file.path).toContain('immutable');
    }
  });
}

test('a citizen moving between home, a post, documents and search fetches no officials\' code', async ({ page }) => {
  const fetched = recordAssets(page);
  await page.goto('/');
  await waitForHydration(page);
  await page.evaluate(() => { window.__noReload = true; });

  await page.getByTestId('post-card').filter({ hasText: SAMPLE_TITLE }).getByRole('link', { name: SAMPLE_TITLE }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SAMPLE_TITLE);
  await page.getByRole('navigation', { name: 'Danh mục chính' }).getByRole('link', { name: 'Văn bản' }).click();
  await expect(page).toHaveURL(/\/van-ban$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Văn bản');
  await page.locator('#o-tim-kiem').fill('papi');
  await page.locator('#o-tim-kiem').press('Enter');
  await expect(page).toHaveURL(/\/tim-kiem\?q=papi/);
  await expect(page.getByTestId('search-hit').first()).toBeVisible();
  // All of it without loading a page: client-side navigation.
  expect(await page.evaluate(() => window.__noReload)).toBe(true);

  const paths = fetched.map((f) => f.path);
  expect(paths.length).toBeGreaterThan(0);
  expect(paths.filter((p) => !citizensFiles.test(p)), 'officials\' chunks fetched').toEqual([]);
});

test('the sign-in page fetches the whole app\'s chunk, officials\' code among it, and works', async ({ page }) => {
  const fetched = recordAssets(page);
  await page.goto('/dang-nhap');
  await waitForHydration(page);
  await expect.poll(() => fetched.filter((f) => !citizensFiles.test(f.path)).length).toBeGreaterThan(0);
  await page.getByLabel('Tên đăng nhập').fill('khongco');
  await page.getByLabel('Mật khẩu').fill('sai-mat-khau-123');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByTestId('form-error')).toBeVisible();
});

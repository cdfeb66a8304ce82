import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { SAMPLE_SLUG, signIn, waitForHydration } from './helpers.mjs';

// Accounts made with `server user add` by the Makefile before the server starts.
const EDITOR = { username: 'bientap', password: process.env.E2E_EDITOR_PASSWORD };
const ADMIN = { username: 'quantri', password: process.env.E2E_ADMIN_PASSWORD };

async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Today in Vietnam as dd/mm/yyyy. */
function todayVn() {
  const vn = new Date(Date.now() + 7 * 3600 * 1000);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(vn.getUTCDate())}/${two(vn.getUTCMonth() + 1)}/${vn.getUTCFullYear()}`;
}

test('an editor reads the statistics from the bar, changes the period, reads the table and downloads it', async ({ page, browser }) => {
  // A citizen reads a post: a visit and a view for today.
  const citizen = await browser.newPage();
  await citizen.goto(`/bai-viet/${SAMPLE_SLUG}`);
  await waitForHydration(citizen);
  await citizen.close();
  await page.waitForTimeout(1500);

  await signIn(page, EDITOR);
  await page.getByTestId('bar-statistics').click();
  await expect(page).toHaveURL(/\/quan-tri\/thong-ke$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thống kê truy cập');
  await expect(page.getByTestId('stats-period')).toContainText('30 ngày qua');
  // Each chart is an image with a name, and its numbers are a table beside it.
  const visits = page.getByRole('img', { name: 'Lượt truy cập mỗi ngày' });
  await expect(visits).toBeVisible();
  expect(await visits.locator('rect.chart-bar').count()).toBeGreaterThan(0);
  await expect(page.getByTestId('top-post').first()).toBeVisible();
  await page.getByText('Bảng số liệu theo ngày').click();
  const today = page.getByTestId('table-theo-ngay').getByRole('row', { name: new RegExp(`^${todayVn()}`) });
  await expect(today).toBeVisible();
  const todayVisits = Number((await today.getByRole('cell').first().textContent()).replace(/\./g, ''));
  expect(todayVisits).toBeGreaterThan(0);
  expect(await axe(page)).toEqual([]);

  // The last 90 days, then chosen dates, then dates the wrong way round.
  await page.getByTestId('period-90').click();
  await expect(page).toHaveURL(/ngay=90/);
  await expect(page.getByTestId('stats-period')).toContainText('90 ngày qua');
  await expect(page.getByTestId('period-90')).toHaveAttribute('aria-current', 'page');
  await page.getByLabel('Từ ngày').fill('2026-01-01');
  await page.getByLabel('Đến ngày').fill('2026-01-31');
  await page.getByRole('button', { name: 'Xem' }).click();
  await expect(page).toHaveURL(/tu=2026-01-01&den=2026-01-31/);
  await expect(page.getByTestId('stats-period')).toContainText('từ 01/01/2026 đến 31/01/2026');
  await page.getByLabel('Từ ngày').fill('2026-02-01');
  await page.getByRole('button', { name: 'Xem' }).click();
  await expect(page.getByRole('alert')).toContainText('Ngày bắt đầu phải trước hoặc bằng ngày kết thúc');
  // What was typed stays, to be corrected.
  await expect(page.getByLabel('Từ ngày')).toHaveValue('2026-02-01');
  await expect(page.getByLabel('Đến ngày')).toHaveValue('2026-01-31');

  // The CSV of the last 30 days has a line per day.
  await page.getByTestId('period-30').click();
  await expect(page.getByTestId('stats-period')).toContainText('30 ngày qua');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('csv-theo-ngay').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^thong-ke-theo-ngay-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
  const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines[0]).toBe('Ngày,Lượt truy cập,Lượt xem bài viết,Lượt xem video');
  expect(lines).toHaveLength(31);
  expect(lines[30].startsWith(`${todayVn()},`)).toBeTruthy();

  // Phone width: nothing scrolls sideways, and axe is content there too.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.reload();
  await waitForHydration(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await axe(page)).toEqual([]);
});

test('without JavaScript the statistics read the same; admins see the backups; citizens are asked to sign in', async ({ browser, page }) => {
  const res = await page.goto('/quan-tri/thong-ke');
  expect(res.status()).toBe(401);

  await signIn(page, ADMIN);
  await page.goto('/quan-tri/thong-ke');
  await expect(page.getByTestId('backups')).toBeVisible();
  await expect(page.getByTestId('backup-schedule')).toBeVisible();

  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.addCookies(await page.context().cookies());
  const plain = await context.newPage();
  await plain.goto('/quan-tri/thong-ke');
  await expect(plain.getByRole('img', { name: 'Lượt xem bài viết mỗi ngày' })).toBeVisible();
  await plain.getByTestId('period-365').click();
  await expect(plain.getByTestId('stats-period')).toContainText('365 ngày qua');
  await plain.getByLabel('Từ ngày').fill('2026-03-01');
  await plain.getByLabel('Đến ngày').fill('2026-03-02');
  await plain.getByRole('button', { name: 'Xem' }).click();
  await expect(plain.getByTestId('stats-period')).toContainText('từ 01/03/2026 đến 02/03/2026');
  await plain.getByText('Bảng số liệu theo ngày').click();
  // A row of headings and one per day.
  await expect(plain.getByTestId('table-theo-ngay').getByRole('row')).toHaveCount(3);
  await context.close();
});

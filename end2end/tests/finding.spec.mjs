import { test, expect } from '@playwright/test';
import { SAMPLE_SLUG, SAMPLE_TITLE, waitForHydration } from './helpers.mjs';

test('search from the header box: typed without diacritics, found and marked, without a reload', async ({ page }) => {
  await page.goto(`/bai-viet/${SAMPLE_SLUG}`);
  await waitForHydration(page);
  // A marker on the window survives client-side navigation only.
  await page.evaluate(() => { window.__noReload = true; });
  const box = page.getByRole('searchbox', { name: 'Tìm kiếm trên cổng thông tin' });
  await box.fill('ke hoach papi');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/tim-kiem\?q=ke\+hoach\+papi$/);
  await expect(page.getByTestId('search-summary')).toHaveText('Tìm thấy 1 kết quả cho «ke hoach papi».');
  const hit = page.getByTestId('search-hit');
  await expect(hit).toHaveCount(1);
  await expect(hit.locator('mark').first()).toHaveText('Kế hoạch');
  await expect(hit.locator('h2 mark')).toHaveText(['Kế hoạch', 'PAPI']);
  expect(await page.evaluate(() => window.__noReload)).toBe(true);
  await hit.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SAMPLE_TITLE);
});

test('search works with JavaScript off', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Tìm kiếm trên cổng thông tin' }).fill('Dương Quang');
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  await expect(page).toHaveURL(/\/tim-kiem\?q=D/);
  await expect(page.getByTestId('search-summary')).toContainText('kết quả cho «Dương Quang»');
  await expect(page.getByRole('link', { name: 'Giới thiệu' }).last()).toBeVisible();
  // The form on the results page keeps the words, and searches again.
  const again = page.getByLabel('Từ cần tìm');
  await expect(again).toHaveValue('Dương Quang');
  await again.fill('19/KH-UBND');
  await page.getByRole('button', { name: 'Tìm kiếm', exact: true }).click();
  await expect(page.getByTestId('search-hit')).toHaveCount(1);
  await context.close();
});

test('the menu is reached and followed with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  const menu = page.getByRole('navigation', { name: 'Danh mục chính' });
  const target = menu.getByRole('link', { name: 'Tin tức – Sự kiện' });
  // Tab from the top of the page until the menu entry has the focus.
  let reached = false;
  for (let i = 0; i < 15 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await target.evaluate((el) => el === document.activeElement);
  }
  expect(reached, 'the menu entry is reached by Tab').toBe(true);
  await expect(target).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/chuyen-muc\/tin-tuc-su-kien$/);
  await expect(page.getByTestId('category-title')).toHaveText('Tin tức – Sự kiện');
  await expect(menu.getByRole('link', { name: 'Tin tức – Sự kiện' })).toHaveAttribute('aria-current', 'page');
  // The next page came in place; the keyboard starts at its content, as after a page load.
  await expect(page.locator('#noi-dung')).toBeFocused();
  // Breadcrumbs lead down to the post and back up.
  await page.getByRole('link', { name: SAMPLE_TITLE }).click();
  const crumbs = page.getByRole('navigation', { name: 'Vị trí trang' });
  await expect(crumbs.getByRole('listitem')).toHaveText(['Trang chủ', 'Tin tức – Sự kiện', 'Cải cách hành chính', SAMPLE_TITLE]);
  await crumbs.getByRole('link', { name: 'Cải cách hành chính' }).click();
  await expect(page.getByTestId('category-title')).toHaveText('Cải cách hành chính');
});

test('the text size control enlarges the text and the choice survives a reload', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const base = await size();
  await page.getByRole('button', { name: 'Tăng cỡ chữ' }).click();
  await page.getByRole('button', { name: 'Tăng cỡ chữ' }).click();
  expect(await size()).toBeCloseTo(base * 1.25, 1);
  await page.reload();
  expect(await size()).toBeCloseTo(base * 1.25, 1);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Cỡ chữ mặc định' }).click();
  expect(await size()).toBeCloseTo(base, 1);
  await page.getByRole('button', { name: 'Giảm cỡ chữ' }).click();
  expect(await size()).toBeLessThan(base);
});

test('a printed post shows its title, date, text and source address, without menus or widgets', async ({ page }) => {
  await page.goto(`/bai-viet/${SAMPLE_SLUG}`);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('.post-meta time')).toHaveText('14/03/2022');
  for (const hidden of ['.main-menu', '.sidebar', '.site-footer', '.slogan', '.site-tools', '.breadcrumbs']) {
    await expect(page.locator(hidden).first(), hidden).toBeHidden();
  }
  const source = await page.locator('article.post').evaluate((el) => getComputedStyle(el, '::after').content);
  expect(source).toContain(`Nguồn: `);
  expect(source).toContain(`/bai-viet/${SAMPLE_SLUG}`);
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.length).toBeGreaterThan(1000);
});

test('a plan cited in the sample post is a link to its record, which links back', async ({ page }) => {
  await page.goto(`/bai-viet/${SAMPLE_SLUG}`);
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Kế hoạch số 19/KH-UBND', exact: true }).click();
  await expect(page).toHaveURL(/\/van-ban\/2$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kế hoạch số 19/KH-UBND');
  await expect(page.getByTestId('validity')).toHaveText('Còn hiệu lực');
  await page.getByTestId('cited-by').getByRole('link', { name: SAMPLE_TITLE }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SAMPLE_TITLE);
  // The documents page filters with JavaScript or without: by year here.
  await page.goto('/van-ban');
  await page.getByLabel('Năm ban hành').selectOption('2021');
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(page.getByTestId('document-row')).toHaveCount(1);
  await expect(page.getByTestId('document-row')).toContainText('181/KH-UBND');
});

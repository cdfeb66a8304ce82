import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { SAMPLE_SLUG, waitForHydration } from './helpers.mjs';

for (const [name, path] of [
  ['home', '/'],
  ['post', `/bai-viet/${SAMPLE_SLUG}`],
  ['not found', '/trang-khong-co'],
  ['category', '/chuyen-muc/tin-tuc-su-kien'],
  ['search', '/tim-kiem?q=ke+hoach+papi'],
  ['site map', '/so-do-trang'],
  ['contact', '/trang/lien-he'],
  ['documents', '/van-ban'],
  ['document', '/van-ban/2'],
]) {
  test(`axe finds no violations on the ${name} page`, async ({ page }) => {
    await page.goto(path);
    await waitForHydration(page);
    const results = await new AxeBuilder({ page }).analyze();
    const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(summary).toEqual([]);
  });
}

test('the skip link is the first stop of the keyboard and leads to the content', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Bỏ qua, đến nội dung chính' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#noi-dung')).toBeFocused();
});

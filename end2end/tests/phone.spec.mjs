// A cheap phone (360x740) at every text size the portal offers: the header keeps to a third of
// the screen, nothing scrolls sideways (the page or anything in it), the search field stays
// usable, and the documents list is a list of cards.
import { test, expect } from '@playwright/test';
import { SAMPLE_SLUG, waitForHydration } from './helpers.mjs';

const PHONE = { width: 360, height: 740 };
const PAGES = [
  ['home', '/'],
  ['post', `/bai-viet/${SAMPLE_SLUG}`],
  ['documents', '/van-ban'],
  ['search', '/tim-kiem?q=papi'],
  // A long word (a web address) in the heading wraps rather than widen the page.
  ['search for an address', '/tim-kiem?q=dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html'],
];

/** Elements (and the page) whose content is wider than they are and that scroll sideways. */
function sidewaysScrollers() {
  const found = [];
  const page = document.scrollingElement;
  if (page.scrollWidth > page.clientWidth + 1) found.push(`the page (${page.scrollWidth} > ${page.clientWidth})`);
  for (const el of document.querySelectorAll('body *')) {
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      found.push(`${el.tagName.toLowerCase()}.${el.className} (${el.scrollWidth} > ${el.clientWidth})`);
    }
  }
  return found;
}

for (const level of [0, 1, 2, 3, 4]) {
  test(`at 360x740 and text size ${level}, the header keeps to a third of the screen and nothing scrolls sideways`, async ({ browser }, testInfo) => {
    const context = await browser.newContext({ viewport: PHONE });
    await context.addInitScript((l) => localStorage.setItem('co-chu', String(l)), level);
    const page = await context.newPage();
    for (const [name, path] of PAGES) {
      await page.goto(path);
      const before = (await page.locator('.site-header').boundingBox()).height;
      await waitForHydration(page);
      await expect(page.locator('html')).toHaveAttribute('data-co-chu', String(level));
      const header = (await page.locator('.site-header').boundingBox()).height;
      await page.screenshot({ path: testInfo.outputPath(`co-chu-${level}-${name}.png`), fullPage: false });
      expect(header, `${name}: header height`).toBeLessThanOrEqual(PHONE.height / 3);
      // The text-size buttons appear at hydration without moving anything.
      expect(header, `${name}: header before and after hydration`).toBe(before);
      expect(await page.evaluate(sidewaysScrollers), `${name}: sideways scrolling`).toEqual([]);
      const search = await page.locator('#o-tim-kiem').boundingBox();
      expect(search.width, `${name}: search field width`).toBeGreaterThanOrEqual(120);
      if (name.startsWith('search')) {
        // The results page's own box too: its button goes under it rather than squeeze it.
        const again = await page.locator('#tu-khoa').boundingBox();
        expect(again.width, `${name}: the results page's search field width`).toBeGreaterThanOrEqual(160);
      }
      if (name === 'documents') {
        // The summary spans its card, not one word a line as in the table's column (66 px).
        const summary = await page.locator('.doc-table__summary').first().boundingBox();
        const list = await page.locator('.table-scroll').boundingBox();
        expect(summary.width, 'the summary of a document card').toBeGreaterThan(list.width * 0.8);
        expect(summary.width, 'the summary of a document card').toBeGreaterThan(180);
      }
    }
    await context.close();
  });
}

test('on a phone the menu folds behind "Danh mục", which opens it with or without JavaScript, and folds again on the next page', async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled });
    const page = await context.newPage();
    await page.goto('/');
    if (javaScriptEnabled) await waitForHydration(page);
    const menu = page.getByRole('navigation', { name: 'Danh mục chính' });
    const documents = menu.getByRole('link', { name: 'Văn bản' });
    await expect(documents).toBeHidden();
    await menu.locator('summary').filter({ hasText: 'Danh mục' }).click();
    await expect(documents).toBeVisible();
    await documents.click();
    await expect(page).toHaveURL(/\/van-ban$/);
    // The page it leads to starts with the menu folded again, its heading in view.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Văn bản');
    await expect(documents).toBeHidden();
    await expect(page.getByRole('heading', { level: 1 })).toBeInViewport();
    await context.close();
  }
});

import { test, expect } from '@playwright/test';
import { SAMPLE_SLUG, SAMPLE_TITLE, parseCount, storedViews, waitForHydration } from './helpers.mjs';

const postPath = `/bai-viet/${SAMPLE_SLUG}`;

test('client-side navigation counts one view per opening, hydration none', async ({ page, request }) => {
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));

  // Opened from the server: the page shows the count including this view.
  await page.goto(postPath);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SAMPLE_TITLE);
  const first = parseCount(await page.getByTestId('view-count').textContent());
  await waitForHydration(page);
  // Hydration must not count it again.
  expect(await storedViews(request)).toBe(first);

  // A marker on window survives only client-side navigation, not a full page load.
  await page.evaluate(() => { window.__noReload = true; });

  await page.getByRole('link', { name: '« Về trang chủ' }).click();
  await expect(page).toHaveURL(/\/$/);
  const card = page.getByTestId('post-card').filter({ hasText: SAMPLE_TITLE });
  await expect(card.getByTestId('view-count')).toHaveText(`Lượt xem ${first}`);

  await card.getByRole('link', { name: SAMPLE_TITLE }).click();
  await expect(page).toHaveURL(new RegExp(`${SAMPLE_SLUG}$`));
  await expect(page.getByTestId('view-count')).toHaveText(`Lượt xem ${first + 1}`);

  await page.getByRole('link', { name: '« Về trang chủ' }).click();
  await expect(card.getByTestId('view-count')).toHaveText(`Lượt xem ${first + 1}`);

  await card.getByRole('link', { name: SAMPLE_TITLE }).click();
  await expect(page.getByTestId('view-count')).toHaveText(`Lượt xem ${first + 2}`);

  expect(await page.evaluate(() => window.__noReload)).toBe(true);
  expect(await storedViews(request)).toBe(first + 2);
  expect(errors).toEqual([]);
});

test('a reload in the same session is not a new visit; a new session is', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  const visits = parseCount(await page.getByTestId('visit-count').textContent());
  await page.reload();
  await expect(page.getByTestId('visit-count')).toHaveText(visits.toLocaleString('de-DE'));
  await page.goto(postPath);
  await expect(page.getByTestId('visit-count')).toHaveText(visits.toLocaleString('de-DE'));
  await context.close();

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto('/');
  expect(parseCount(await otherPage.getByTestId('visit-count').textContent())).toBe(visits + 1);
  await other.close();
});

test('without JavaScript the pages are complete and links work', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByText('Xã Dương Quang', { exact: true })).toBeVisible();
  await page.getByRole('link', { name: SAMPLE_TITLE }).click();
  await expect(page).toHaveURL(new RegExp(`${SAMPLE_SLUG}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SAMPLE_TITLE);
  await expect(page.getByText('14/03/2022')).toBeVisible();
  await expect(page.getByTestId('post')).toContainText('Toàn văn kế hoạch tại đây.');
  await context.close();
});

test('unknown pages say so in Vietnamese with status 404', async ({ page }) => {
  const res = await page.goto('/trang-khong-co');
  expect(res.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Không tìm thấy trang');
  await page.getByRole('link', { name: 'Về trang chủ' }).click();
  await expect(page.getByTestId('post-list')).toBeVisible();
});

test('the slogan scrolls, pauses on request and stays still for reduced motion', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  const text = page.getByTestId('slogan');
  const playState = () => text.evaluate((el) => getComputedStyle(el).animationPlayState);
  expect(await text.evaluate((el) => getComputedStyle(el).animationName)).toBe('slogan-scroll');
  await page.mouse.move(0, 700); // away from the banner, which pauses on hover
  expect(await playState()).toBe('running');
  // Keyboard: the pause control is a checkbox that Space toggles.
  const pause = page.getByRole('checkbox', { name: 'Dừng chữ chạy' });
  await pause.focus();
  await page.keyboard.press('Space');
  await expect(pause).toBeChecked();
  await pause.blur();
  await page.mouse.move(0, 700);
  expect(await playState()).toBe('paused');
  await pause.focus();
  await page.keyboard.press('Space');
  await pause.blur();
  expect(await playState()).toBe('running');
  await context.close();

  const still = await browser.newContext({ reducedMotion: 'reduce' });
  const stillPage = await still.newPage();
  await stillPage.goto('/');
  expect(await stillPage.getByTestId('slogan').evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
  // Nothing moves, so the whole slogan is readable without scrolling.
  await expect(stillPage.getByTestId('slogan')).toBeInViewport({ ratio: 1 });
  await still.close();
});

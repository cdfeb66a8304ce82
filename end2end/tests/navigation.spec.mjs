import { test, expect } from '@playwright/test';
import { SAMPLE_SLUG, SAMPLE_TITLE, parseCount, storedViews, waitForHydration } from './helpers.mjs';

const postPath = `/bai-viet/${SAMPLE_SLUG}`;

test('a view counts once per browser: on the server or by client-side navigation, never by hydration or a reopening', async ({ page, browser, request }) => {
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));

  await page.goto('/');
  await waitForHydration(page);
  const card = page.getByTestId('post-card').filter({ hasText: SAMPLE_TITLE });
  const listed = parseCount(await card.getByTestId('view-count').textContent());
  // A marker on window survives only client-side navigation, not a full page load.
  await page.evaluate(() => { window.__noReload = true; });

  // Opened by client-side navigation: counted, and the page shows the count including it.
  await card.getByRole('link', { name: SAMPLE_TITLE }).click();
  await expect(page).toHaveURL(new RegExp(`${SAMPLE_SLUG}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SAMPLE_TITLE);
  await expect(page.getByTestId('view-count')).toHaveText(`Lượt xem ${listed + 1}`);
  expect(await storedViews(request)).toBe(listed + 1);

  // The same browser reopening it within 30 minutes: no new view.
  await page.getByRole('navigation', { name: 'Danh mục chính' }).getByRole('link', { name: 'Trang chủ' }).click();
  await expect(card.getByTestId('view-count')).toHaveText(`Lượt xem ${listed + 1}`);
  await card.getByRole('link', { name: SAMPLE_TITLE }).click();
  // The list stays until the post has arrived.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SAMPLE_TITLE);
  await expect(page.getByTestId('view-count')).toHaveText(`Lượt xem ${listed + 1}`);
  expect(await page.evaluate(() => window.__noReload)).toBe(true);
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByTestId('view-count')).toHaveText(`Lượt xem ${listed + 1}`);
  expect(await storedViews(request)).toBe(listed + 1);

  // Another browser opening it from the server: counted once, and hydration adds nothing.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(postPath);
  await expect(otherPage.getByTestId('view-count')).toHaveText(`Lượt xem ${listed + 2}`);
  await waitForHydration(otherPage);
  expect(await storedViews(request)).toBe(listed + 2);
  await other.close();
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
  await expect(page.getByTestId('site-brand')).toContainText('Ủy ban nhân dân xã Dương Quang');
  await page.getByRole('link', { name: SAMPLE_TITLE }).click();
  await expect(page).toHaveURL(new RegExp(`${SAMPLE_SLUG}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SAMPLE_TITLE);
  await expect(page.getByText('14/03/2022')).toBeVisible();
  await expect(page.getByTestId('post')).toContainText('Toàn văn: Kế hoạch số 19/KH-UBND ngày 17/01/2022');
  await context.close();
});

test('the forms inside a page, searching again and filtering the documents, answer without a reload', async ({ page }) => {
  await page.goto('/tim-kiem?q=papi');
  await waitForHydration(page);
  await page.evaluate(() => { window.__noReload = true; });

  // The page's content is HTML made on the server; its GET form goes through the router.
  await page.getByTestId('search-page-input').fill('ke hoach');
  await page.getByTestId('search-page-input').press('Enter');
  await expect(page).toHaveURL(/\/tim-kiem\?q=ke\+hoach$/);
  await expect(page.getByTestId('search-summary')).toContainText('«ke hoach»');
  await expect(page).toHaveTitle(/^Tìm kiếm: ke hoach – /);

  await page.getByRole('navigation', { name: 'Danh mục chính' }).getByRole('link', { name: 'Văn bản' }).click();
  await expect(page.getByTestId('documents-summary')).toHaveText(/^Có \d+ văn bản\.$/);
  await page.getByLabel('Số ký hiệu hoặc trích yếu').fill('khong-co-van-ban-nao');
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(page).toHaveURL(/\/van-ban\?q=khong-co-van-ban-nao&loai=&co_quan=&linh_vuc=&nam=$/);
  await expect(page.getByTestId('documents-summary')).toHaveText('0 văn bản phù hợp.');
  await expect(page.getByText('Không có văn bản nào phù hợp.')).toBeVisible();
  // Back to the list, as the browser's Back button does.
  await page.goBack();
  await expect(page.getByTestId('documents-summary')).toHaveText(/^Có \d+ văn bản\.$/);

  expect(await page.evaluate(() => window.__noReload)).toBe(true);
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
  // Paused, the whole slogan stands still, wrapped, readable from its first word.
  expect(await text.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
  await expect(text).toBeInViewport({ ratio: 1 });
  expect(await text.evaluate((el) => el.getBoundingClientRect().left)).toBeGreaterThanOrEqual(0);
  await pause.focus();
  await page.keyboard.press('Space');
  await pause.blur();
  expect(await playState()).toBe('running');

  // The choice is remembered on every page, from the first paint.
  await waitForHydration(page);
  await pause.check();
  await page.goto('/van-ban');
  expect(await text.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
  await waitForHydration(page);
  await expect(pause).toBeChecked();
  await pause.uncheck();
  await page.reload();
  expect(await text.evaluate((el) => getComputedStyle(el).animationName)).toBe('slogan-scroll');
  await waitForHydration(page);
  await expect(pause).not.toBeChecked();
  await context.close();

  const still = await browser.newContext({ reducedMotion: 'reduce' });
  const stillPage = await still.newPage();
  await stillPage.goto('/');
  expect(await stillPage.getByTestId('slogan').evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
  // Nothing moves, so the whole slogan is readable without scrolling.
  await expect(stillPage.getByTestId('slogan')).toBeInViewport({ ratio: 1 });
  await still.close();
});

test('Back and Forward between pages shown in place return to where the reader was on each', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(postPath);
  await waitForHydration(page);
  await page.evaluate(() => { window.__noReload = true; });
  const scrollTo = async (y) => {
    await page.evaluate((y) => window.scrollTo(0, y), y);
    await page.waitForTimeout(400); // the position is kept once scrolling stops
  };
  const scrolled = () => page.evaluate(() => Math.round(window.scrollY));
  const crumb = page.getByRole('navigation', { name: 'Vị trí trang' }).getByRole('link', { name: 'Tin tức – Sự kiện' });

  await scrollTo(600);
  // Followed without scrolling it into view, as a reader's tap on a link in view would.
  await crumb.evaluate((a) => a.click());
  await expect(page.getByTestId('category-title')).toHaveText('Tin tức – Sự kiện');
  expect(await scrolled()).toBe(0);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SAMPLE_TITLE);
  await expect.poll(scrolled).toBe(600);

  // Left by Forward this time, at another place: Back returns there.
  await scrollTo(250);
  await page.goForward();
  await expect(page.getByTestId('category-title')).toHaveText('Tin tức – Sự kiện');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SAMPLE_TITLE);
  await expect.poll(scrolled).toBe(250);
  expect(await page.evaluate(() => window.__noReload)).toBe(true);
});

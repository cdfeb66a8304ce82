import { expect } from '@playwright/test';

export const SAMPLE_SLUG =
  'ke-hoach-tuyen-truyen-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-papi-thanh-pho-hung-yen-nam-2022';
export const SAMPLE_TITLE =
  'Kế hoạch tuyên truyền nâng cao Chỉ số hiệu quả quản trị và hành chính công (PAPI) thành phố Hưng Yên năm 2022';

/** "42.359.882" -> 42359882 */
export function parseCount(text) {
  const digits = text.replace(/[^0-9]/g, '');
  expect(digits.length, `a number in ${JSON.stringify(text)}`).toBeGreaterThan(0);
  return Number(digits);
}

export async function waitForHydration(page) {
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
}

/** The view count of the sample post as stored, read without counting a view. */
export async function storedViews(request) {
  const res = await request.get('/api/posts');
  expect(res.ok()).toBeTruthy();
  const list = await res.json();
  const post = list.posts.find((p) => p.slug === SAMPLE_SLUG);
  expect(post, 'the sample post is listed').toBeTruthy();
  return post.view_count;
}

/** Signs an official in through the sign-in page, and waits for the home page it leads to. */
export async function signIn(page, { username, password }) {
  await page.goto('/dang-nhap');
  await waitForHydration(page);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(/\/$/);
  await waitForHydration(page);
}

/** Writes a new post through "Viết bài mới" and saves it with Ctrl+S; returns its path. */
export async function writePost(page, title, paragraph) {
  await page.getByTestId('write-new').click();
  await expect(page).toHaveURL(/\/viet-bai$/);
  await waitForHydration(page);
  await page.getByTestId('edit-title').click();
  await page.keyboard.type(title);
  await page.getByTestId('edit-lead').click();
  await page.keyboard.type('Ủy ban nhân dân xã thông báo.');
  await page.getByTestId('edit-body').click();
  await page.keyboard.type(paragraph);
  await page.getByTestId('edit-category').selectOption({ label: 'Thông báo' });
  await page.keyboard.press('Control+s');
  await expect(page).toHaveURL(/\/bai-viet\/[a-z0-9-]+\?sua=1$/);
  // The post's own page (its tools above the editor), not the new-post page it leaves.
  await expect(page.getByTestId('editor-tools')).toBeVisible();
  await expect(page.getByTestId('editor')).toBeVisible();
  return new URL(page.url()).pathname;
}

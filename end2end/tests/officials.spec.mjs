import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { SAMPLE_SLUG, SAMPLE_TITLE, signIn, waitForHydration } from './helpers.mjs';

// Accounts made with `server user add` by the Makefile before the server starts.
const EDITOR = { username: 'bientap', password: process.env.E2E_EDITOR_PASSWORD, name: 'Trần Thị Biên' };
const ADMIN = { username: 'quantri', password: process.env.E2E_ADMIN_PASSWORD, name: 'Lê Văn Trị' };
const postPath = `/bai-viet/${SAMPLE_SLUG}`;

async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('an official signs in, sees the tools citizens do not see, and signs out', async ({ page, browser }) => {
  const citizen = await browser.newPage();
  await citizen.goto(postPath);
  await waitForHydration(citizen);
  await expect(citizen.getByTestId('official-bar')).toHaveCount(0);
  await expect(citizen.getByTestId('editor-tools')).toHaveCount(0);

  // The footer's link leads officials to the sign-in page; a wrong password is told plainly.
  await page.goto('/');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Cán bộ đăng nhập' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đăng nhập');
  await page.getByLabel('Tên đăng nhập').fill(EDITOR.username);
  await page.getByLabel('Mật khẩu').fill('không phải mật khẩu');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('alert')).toHaveText('Tên đăng nhập hoặc mật khẩu không đúng.');

  await signIn(page, EDITOR);
  await expect(page.getByTestId('official-name')).toHaveText(EDITOR.name);
  // "Bài viết" leads an editor to the posts waiting for review, and says how many.
  const posts = page.getByTestId('bar-posts');
  await expect(posts).toHaveText(/^Bài viết \(\d+ chờ duyệt\)$/);
  await expect(posts).toHaveAttribute('href', '/quan-tri/bai-viet?trang-thai=review');
  // The session cookie is out of reach of scripts.
  expect(await page.evaluate(() => document.cookie)).not.toContain('portal_session');

  await page.getByRole('link', { name: SAMPLE_TITLE }).click();
  await expect(page.getByTestId('editor-tools')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Gỡ bài viết xuống' })).toBeVisible();

  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page).toHaveURL(/\/$/);
  await waitForHydration(page);
  await expect(page.getByTestId('official-bar')).toHaveCount(0);
  await page.goto(postPath);
  await expect(page.getByTestId('editor-tools')).toHaveCount(0);
  await citizen.close();
});

test('an official\'s pages come to life from the whole app\'s chunk, and a page reached from the bar says it is loading on a slow network', async ({ page }) => {
  const chunks = [];
  page.on('request', (request) => {
    if (/\/pkg\/split_whole_app_/.test(new URL(request.url()).pathname)) chunks.push(request.url());
  });
  await signIn(page, EDITOR);
  expect(chunks.length, 'the whole app\'s chunk was fetched').toBeGreaterThan(0);
  await page.evaluate(() => { window.__noReload = true; });
  // The list of posts arrives 1.5 s late.
  await page.route(/\/api\/official_posts/, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.getByTestId('official-bar').getByRole('link', { name: 'Bài viết' }).click();
  await expect(page.getByTestId('routing')).toHaveText('Đang tải trang…');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quản lý bài viết');
  await expect(page.getByTestId('routing')).toBeEmpty();
  await expect(page.getByRole('navigation', { name: 'Trạng thái bài viết' })).toBeVisible();
  expect(await page.evaluate(() => window.__noReload)).toBe(true);
});

test('without JavaScript a failed sign-in says why in words, and the editor says it needs JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/dang-nhap');
  await page.getByLabel('Tên đăng nhập').fill(EDITOR.username);
  await page.getByLabel('Mật khẩu').fill('không phải mật khẩu');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('alert')).toHaveText('Tên đăng nhập hoặc mật khẩu không đúng.');
  expect(page.url()).not.toContain('__err');

  await page.getByLabel('Tên đăng nhập').fill(EDITOR.username);
  await page.getByLabel('Mật khẩu').fill(EDITOR.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByText('Bạn đang đăng nhập với tên')).toBeVisible();
  await page.goto('/viet-bai');
  await expect(page.getByTestId('needs-script')).toHaveText(/Trình soạn thảo cần JavaScript/);
  await context.close();
});

test('an editor takes a post down and puts it back; citizens see it go and come back', async ({ page, browser }) => {
  await signIn(page, EDITOR);
  await page.goto(postPath);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Gỡ bài viết xuống' }).click();
  await expect(page.getByTestId('draft-notice')).toBeVisible();

  const citizen = await browser.newPage();
  const gone = await citizen.goto(postPath);
  expect(gone.status()).toBe(404);
  await citizen.goto('/');
  await expect(citizen.getByText(SAMPLE_TITLE)).toHaveCount(0);

  await waitForHydration(page);
  await page.getByRole('button', { name: 'Đăng bài viết' }).click();
  await expect(page.getByTestId('draft-notice')).toHaveCount(0);
  const back = await citizen.goto(postPath);
  expect(back.status()).toBe(200);
  await citizen.close();
});

test('an admin creates an account, sees it in the list and in the audit log', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: 'Tài khoản' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quản lý tài khoản');
  await expect(page.locator('[data-test=account][data-username=bientap]')).toBeVisible();
  // The admin's own password is changed with the current one: their row leads there instead.
  const own = page.locator(`[data-test=account][data-username=${ADMIN.username}]`);
  await expect(own.getByRole('link', { name: 'Đổi mật khẩu của bạn' })).toHaveAttribute('href', '/doi-mat-khau');
  await expect(own.getByRole('button', { name: 'Đặt lại' })).toHaveCount(0);
  await expect(page.locator('[data-test=account][data-username=bientap]').getByRole('button', { name: 'Đặt lại' })).toBeVisible();
  expect(await axe(page)).toEqual([]);

  const form = page.getByTestId('new-account');
  await form.getByLabel('Tên đăng nhập').fill('phongvien1');
  await form.getByLabel('Họ và tên').fill('Phạm Thị Viên');
  await form.getByLabel('Vai trò').selectOption('writer');
  await form.getByLabel('Mật khẩu (ít nhất 10 ký tự)').fill('mật khẩu phóng viên 1');
  await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await expect(page.getByTestId('form-ok')).toHaveText('Đã lưu thay đổi.');
  const row = page.locator('[data-test=account][data-username=phongvien1]');
  await expect(row).toContainText('Phạm Thị Viên');

  await form.getByLabel('Tên đăng nhập').fill('PhongVien1');
  await form.getByLabel('Họ và tên').fill('Trùng tên');
  await form.getByLabel('Mật khẩu (ít nhất 10 ký tự)').fill('mật khẩu phóng viên 2');
  await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await expect(page.getByTestId('form-error')).toContainText('đã có người dùng');

  await page.getByRole('link', { name: 'Nhật ký thao tác' }).click();
  const first = page.getByTestId('audit-entry').first();
  await expect(first).toContainText('Tạo tài khoản');
  await expect(first).toContainText('phongvien1');
  await expect(first).toContainText(ADMIN.username);
  expect(await axe(page)).toEqual([]);
});

test('axe finds no violations on the sign-in page, and admin pages ask citizens to sign in', async ({ page }) => {
  await page.goto('/dang-nhap');
  await waitForHydration(page);
  expect(await axe(page)).toEqual([]);
  const res = await page.goto('/quan-tri/tai-khoan');
  expect(res.status()).toBe(401);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cần đăng nhập');
  await expect(page.getByRole('main').getByRole('link', { name: 'Đăng nhập', exact: true })).toBeVisible();
});

test('an admin sets the emblem and the office hours in place; citizens see them in the header and footer', async ({ page, browser }) => {
  const emblemFile = new URL('../fixtures/thumb.jpg', import.meta.url).pathname;
  await signIn(page, ADMIN);
  await page.getByTestId('edit-settings').click();
  const form = page.getByTestId('settings-form');
  await expect(form).toBeVisible();
  // The keyboard goes into the form, and back to the button when it closes.
  await expect(form.getByLabel('Tên cổng thông tin')).toBeFocused();
  await form.getByRole('button', { name: 'Hủy' }).click();
  await expect(page.getByTestId('edit-settings')).toBeFocused();
  await page.getByTestId('edit-settings').click();
  await form.getByLabel('Giờ làm việc').fill('Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu');
  await form.getByLabel(/^Vị trí trụ sở/).fill('không phải tọa độ');
  await form.getByRole('button', { name: 'Lưu thông tin' }).click();
  await expect(page.getByTestId('form-error')).toContainText('vĩ độ và kinh độ');
  await form.getByLabel(/^Vị trí trụ sở/).fill('20.9651, 106.0103');
  await form.getByRole('button', { name: 'Lưu thông tin' }).click();
  await expect(page.getByTestId('site-footer')).toContainText('Giờ làm việc: Sáng 7:30–11:30');
  await waitForHydration(page);

  // The emblem is set as soon as it is chosen; what is typed in the form stays.
  await page.getByTestId('edit-settings').click();
  await form.getByLabel('Giấy phép thiết lập cổng').fill('Giấy phép số 12/GP-TTĐT');
  await page.getByTestId('emblem-file').setInputFiles(emblemFile);
  await expect(page.getByTestId('emblem-status')).toContainText('Đã đặt ảnh “thumb.jpg” làm biểu trưng.');
  await expect(form.getByLabel('Giấy phép thiết lập cổng')).toHaveValue('Giấy phép số 12/GP-TTĐT');
  const emblem = page.getByTestId('emblem');
  await expect(emblem).toHaveAttribute('src', /^\/tep\//);
  await expect.poll(() => emblem.evaluate((img) => img.naturalWidth)).toBeGreaterThan(0);

  const citizen = await browser.newContext();
  const reader = await citizen.newPage();
  await reader.goto('/');
  const brand = reader.getByTestId('site-brand');
  // In capitals as shown (the words themselves are stored as written).
  await expect(brand).toContainText('ỦY BAN NHÂN DÂN XÃ DƯƠNG QUANG', { useInnerText: true });
  await expect(brand).toContainText('TỈNH HƯNG YÊN', { useInnerText: true });
  await expect(reader.getByTestId('emblem')).toHaveAttribute('src', /^\/tep\//);
  await expect.poll(() => reader.getByTestId('emblem').evaluate((img) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(reader.getByTestId('site-footer')).toContainText('Giờ làm việc: Sáng 7:30–11:30');
  await expect(reader.getByRole('link', { name: 'Xem vị trí trên OpenStreetMap' })).toHaveAttribute('href', /mlat=20\.9651&mlon=106\.0103/);
  await citizen.close();

  // Back to the drawn emblem, as the other tests expect.
  await page.getByTestId('emblem-default').click();
  await expect(page.getByTestId('emblem-status')).toContainText('Đã dùng lại biểu trưng mặc định.');
  await expect(page.getByTestId('emblem')).toHaveAttribute('src', '/bieu-trung.svg');
  await expect.poll(() => page.getByTestId('emblem').evaluate((img) => img.naturalWidth)).toBeGreaterThan(0);
});

import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { signIn, waitForHydration, writePost } from './helpers.mjs';

const EDITOR = { username: 'bientap', password: process.env.E2E_EDITOR_PASSWORD };

async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('an official adds the document a post cites; the post links it and a citizen follows the link to its full text', async ({ page, browser }) => {
  await signIn(page, EDITOR);
  const reference = 'Quyết định số 27/QĐ-UBND ngày 10/11/2026';
  const path = await writePost(page, 'Ra mắt mô hình dân vận khéo', `Thực hiện ${reference} của Ủy ban nhân dân xã.`);
  await page.goto(path);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Đăng bài viết' }).click();
  await expect(page.getByTestId('draft-notice')).toHaveCount(0);

  // The portal does not have it yet: the officials' list says so, and offers to add it.
  await page.getByRole('link', { name: 'Văn bản chưa có trên cổng' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Văn bản chưa có trên cổng');
  const row = page.getByTestId('missing-document').filter({ hasText: reference });
  await expect(row).toContainText('Ra mắt mô hình dân vận khéo');
  expect(await axe(page)).toEqual([]);
  await row.getByTestId('add-missing').click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thêm văn bản');
  await waitForHydration(page);
  await expect(page.getByTestId('doc-kind')).toHaveValue('Quyết định');
  await expect(page.getByTestId('doc-number')).toHaveValue('27/QĐ-UBND');
  await expect(page.getByTestId('doc-issued')).toHaveValue('2026-11-10');
  await page.getByTestId('doc-issuer').fill('Ủy ban nhân dân xã Dương Quang');
  await page.getByTestId('doc-summary').fill('Về việc công nhận mô hình dân vận khéo năm 2026');
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  await page.getByTestId('doc-file').setInputFiles({ name: 'QD 27 dan van kheo.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(page.getByTestId('doc-files')).toContainText('QD 27 dan van kheo.pdf');
  expect(await axe(page)).toEqual([]);

  // A malformed number is explained and nothing is saved.
  await page.getByTestId('doc-number').fill('27-QĐ');
  await page.getByTestId('save-document').click();
  await expect(page.getByTestId('form-error')).toContainText('19/KH-UBND');
  await page.getByTestId('doc-number').fill('27/QĐ-UBND');
  await page.getByTestId('save-document').click();
  await expect(page).toHaveURL(/\/van-ban\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quyết định số 27/QĐ-UBND');

  const documentPath = new URL(page.url()).pathname;

  // The document has its full text: the post's reference leads straight to the file and says
  // what it is.
  const citizen = await browser.newPage();
  await citizen.goto(path);
  const referenceLink = citizen.getByRole('link', { name: new RegExp(`^${reference} \\(PDF, `) });
  const fullText = await referenceLink.getAttribute('href');
  expect(fullText).toMatch(/^\/tep\//);
  expect((await citizen.request.get(fullText)).headers()['content-type']).toBe('application/pdf');
  await citizen.goto(documentPath);
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText('Quyết định số 27/QĐ-UBND');
  await expect(citizen.getByTestId('cited-by')).toContainText('Ra mắt mô hình dân vận khéo');
  const href = await citizen.getByRole('link', { name: 'QD 27 dan van kheo.pdf' }).getAttribute('href');
  const file = await citizen.request.get(href);
  expect(file.headers()['content-type']).toBe('application/pdf');
  await citizen.close();
});

test('an editor opens a document\'s form in place and "Hủy" closes it unsaved, asking first when something was changed', async ({ page }) => {
  await signIn(page, EDITOR);
  await page.goto('/van-ban/2');
  await waitForHydration(page);
  const summary = await page.locator('.post__lead').textContent();
  const edit = page.getByTestId('edit-document');
  await edit.click();
  await expect(page.getByTestId('doc-kind')).toBeFocused();
  // On a phone the box of files stays inside the form.
  await page.setViewportSize({ width: 360, height: 740 });
  const form = await page.getByTestId('document-form').boundingBox();
  const files = await page.locator('.document-form__files').boundingBox();
  expect(files.x + files.width).toBeLessThanOrEqual(form.x + form.width + 1);
  await page.setViewportSize({ width: 1280, height: 720 });
  // Nothing changed: it closes at once, and the keyboard is back on the button.
  await page.getByTestId('cancel-document').click();
  await expect(page.getByTestId('document-form')).toHaveCount(0);
  await expect(edit).toBeFocused();

  await edit.click();
  await page.getByTestId('doc-summary').fill('Đã sửa nhưng chưa lưu');
  const asked = [];
  page.once('dialog', (dialog) => { asked.push(dialog.message()); dialog.dismiss(); });
  await page.getByTestId('cancel-document').click();
  await expect(page.getByTestId('doc-summary')).toHaveValue('Đã sửa nhưng chưa lưu');
  page.once('dialog', (dialog) => { asked.push(dialog.message()); dialog.accept(); });
  await page.getByTestId('cancel-document').click();
  await expect(page.getByTestId('document-form')).toHaveCount(0);
  await expect(edit).toBeFocused();
  expect(asked).toEqual(['Bỏ những gì đã sửa trong văn bản này?', 'Bỏ những gì đã sửa trong văn bản này?']);
  await page.reload();
  await expect(page.locator('.post__lead')).toHaveText(summary);

  // A new document's "Hủy" leads back to the list.
  await page.goto('/van-ban/moi');
  await waitForHydration(page);
  await page.getByTestId('cancel-document').click();
  await expect(page).toHaveURL(/\/van-ban$/);
});

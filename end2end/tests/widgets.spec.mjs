import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { fileURLToPath } from 'node:url';
import { SAMPLE_SLUG, signIn, waitForHydration } from './helpers.mjs';

const EDITOR = { username: 'bientap', password: process.env.E2E_EDITOR_PASSWORD };
const clipFile = fileURLToPath(new URL('../fixtures/clip.webm', import.meta.url));

async function openClipPanel(page) {
  await page.getByText('Quản lý video').click();
}

test('the sidebar shows the weather the server got from the weather service, in Vietnamese', async ({ page }) => {
  const outside = [];
  page.on('request', (req) => { if (!req.url().startsWith('http://127.0.0.1:3107')) outside.push(req.url()); });
  await page.goto('/');
  const weather = page.getByTestId('weather');
  await expect(weather).toContainText('Hưng Yên');
  await expect(page.getByTestId('weather-temp')).toHaveText('25 °C');
  await expect(page.getByTestId('weather-condition')).toHaveText('Mưa rào nhẹ');
  await expect(weather).toContainText('9 km/h, hướng Đông Nam');
  await expect(weather).toContainText('Thứ Bảy 28/11');
  await expect(weather.getByRole('img', { name: 'Nhiều mây' })).toBeVisible();
  await expect(page.getByTestId('weather-time')).toContainText('Cập nhật lúc');
  expect(outside, 'the browser asks no other site').toEqual([]);
});

test('an editor sets a YouTube clip in place; readers see a thumbnail and the player only after play', async ({ page, browser }) => {
  await signIn(page, EDITOR);
  await openClipPanel(page);
  await page.getByLabel('Tiêu đề').first().fill('Hội nghị tổng kết năm 2024');
  await page.getByLabel('Đường dẫn YouTube').fill('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
  await page.getByRole('button', { name: 'Thêm và hiển thị' }).click();
  await expect(page.getByTestId('clip-title')).toHaveText('Hội nghị tổng kết năm 2024');

  // With a clip set, a post's page still comes to life for the editor, tools and clip list too.
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`/bai-viet/${SAMPLE_SLUG}`);
  await waitForHydration(page);
  await expect(page.getByTestId('editor-tools')).toBeVisible();
  await openClipPanel(page);
  await expect(page.getByTestId('clip-list')).toContainText('Hội nghị tổng kết năm 2024');
  await expect(page.getByTestId('clip-list')).toContainText('Đang hiển thị');
  expect(errors).toEqual([]);

  const reader = await browser.newPage();
  const outside = [];
  reader.on('request', (req) => { if (!req.url().startsWith('http://127.0.0.1:3107')) outside.push(req.url()); });
  await reader.goto('/');
  await waitForHydration(reader);
  const thumbnail = reader.getByTestId('clip-youtube').locator('img');
  await expect(thumbnail).toHaveJSProperty('complete', true);
  expect(await thumbnail.evaluate((img) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(reader.getByTestId('clip-iframe')).toHaveCount(0);
  expect(outside, 'nothing from YouTube before play').toEqual([]);

  await reader.getByRole('link', { name: 'Phát video: Hội nghị tổng kết năm 2024' }).click();
  await expect(reader.getByTestId('clip-iframe')).toHaveAttribute('src', /^https:\/\/www\.youtube-nocookie\.com\/embed\/dQw4w9WgXcQ\?autoplay=1/);
  await expect(reader.getByTestId('clip-views')).toHaveText('1');
  await reader.close();
});

test('an editor uploads a video in place; it plays and seeks for readers', async ({ page, browser }) => {
  await signIn(page, EDITOR);
  await openClipPanel(page);
  const form = page.getByTestId('clip-upload');
  await form.getByLabel('Tiêu đề').fill('Phóng sự ngày hội đại đoàn kết');
  await form.getByLabel('Tệp MP4 hoặc WebM').setInputFiles({ name: 'clip.txt', mimeType: 'video/webm', buffer: Buffer.from('không phải video') });
  await form.getByRole('button', { name: 'Tải lên và hiển thị' }).click();
  await expect(form.getByTestId('form-error')).toContainText('không phải video MP4 hoặc WebM');

  await form.getByLabel('Tệp MP4 hoặc WebM').setInputFiles(clipFile);
  await form.getByLabel('Phụ đề WebVTT (không bắt buộc)').setInputFiles({
    name: 'phu-de.vtt',
    mimeType: 'text/vtt',
    buffer: Buffer.from('WEBVTT\n\n00:00.000 --> 00:05.000\nXin chào bà con xã Dương Quang\n'),
  });
  await form.getByRole('button', { name: 'Tải lên và hiển thị' }).click();
  await expect(page.getByTestId('clip-title')).toHaveText('Phóng sự ngày hội đại đoàn kết');

  const context = await browser.newContext();
  const reader = await context.newPage();
  await reader.goto('/');
  await waitForHydration(reader);
  const video = reader.getByTestId('clip-video');
  await expect(video).toBeVisible();
  const played = await video.evaluate(async (v) => {
    v.muted = true;
    await v.play();
    await new Promise((resolve) => {
      const check = () => (v.currentTime > 0.3 ? resolve() : setTimeout(check, 50));
      check();
    });
    v.pause();
    const seeked = new Promise((resolve) => v.addEventListener('seeked', resolve, { once: true }));
    v.currentTime = 4.5;
    await seeked;
    const track = v.textTracks[0];
    return {
      duration: v.duration, at: v.currentTime, error: v.error && v.error.code,
      captions: track && `${track.kind} ${track.language} ${track.label}`,
    };
  });
  expect(played.error).toBeNull();
  expect(played.duration).toBeGreaterThan(5.5);
  expect(played.at).toBeGreaterThan(4.2);
  expect(played.captions).toBe('captions vi Tiếng Việt');
  await expect(reader.getByTestId('clip-views')).toHaveText('1');
  const results = await new AxeBuilder({ page: reader }).analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
  await context.close();
});

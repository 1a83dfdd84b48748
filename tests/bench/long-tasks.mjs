// Long tasks on the host page while the visitor scrolls, with a site of 50 live campaigns
// (tests/bench/sites/fifty-campaigns.json, seeded by `cargo xtask bench`): the widget's passive listeners, its
// once-per-frame scroll reads and the evaluator must never block the page. Loads the host page, waits for the
// widget and its configuration, then scrolls with the mouse wheel for a few seconds while a PerformanceObserver
// counts `longtask` entries (main-thread tasks over 50 ms). Prints `baton-bench` lines.
// Usage: BATON_API_URL=… node tests/bench/long-tasks.mjs [seconds]
import { API, launch } from '../support/browser.mjs';
import { startCampaignHost } from '../support/campaign-host.mjs';

const seconds = Number(process.argv[2] ?? 4);
const browser = await launch();
const host = await startCampaignHost(API);
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(host.url('/article?site=bench-campaigns'));
  await page.getByTestId('baton-launcher').waitFor();
  await page.waitForFunction(() => Object.keys(localStorage).some((key) => key.endsWith(':campaigns')
    || key.endsWith(':visit')));
  // Let the load itself settle; only the scrolling is measured.
  await page.waitForTimeout(500);
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((entry) => entry.duration)))
      .observe({ type: 'longtask' });
  });
  // The observer must see long tasks at all: a deliberate 80 ms task is counted, then forgotten.
  await page.evaluate(() => setTimeout(() => {
    const start = performance.now();
    while (performance.now() - start < 80) { /* busy */ }
  }, 0));
  await page.waitForFunction(() => window.longTasks.length === 1);
  await page.evaluate(() => { window.longTasks = []; });
  await page.mouse.move(400, 300);
  const until = Date.now() + seconds * 1000;
  let direction = 1;
  let steps = 0;
  while (Date.now() < until) {
    await page.mouse.wheel(0, 120 * direction);
    steps += 1;
    const { y, max } = await page.evaluate(() => ({
      y: scrollY,
      max: document.documentElement.scrollHeight - innerHeight,
    }));
    if ((direction > 0 && y >= max) || (direction < 0 && y <= 0)) direction = -direction;
    await page.waitForTimeout(16);
  }
  const tasks = await page.evaluate(() => window.longTasks);
  const shown = await page.getByTestId('baton-campaign').count();
  console.log(
    `baton-bench host_long_tasks_while_scrolling campaigns=50 seconds=${seconds} wheel_steps=${steps} ` +
      `long_tasks=${tasks.length} longest_ms=${Math.round(Math.max(0, ...tasks))} campaigns_shown=${shown}`,
  );
  await context.close();
} finally {
  await browser.close();
  await host.close();
}

// Runs the wasm benchmarks in Debian's Chromium: serves the wasm-bindgen output and the inputs from memory on a
// cross-origin-isolated page (so performance.now() has microsecond resolution), calls `run` (the FAQ matcher) or
// `run_campaigns` (the campaign evaluator), prints its lines.
// Usage: node wasm-bench/run.mjs <bindgen dir> <faq.json> <questions.json> <rounds>
//        node wasm-bench/run.mjs campaigns <bindgen dir> <campaigns.json> <rounds>
import fs from 'node:fs';
import path from 'node:path';

import { launch } from '../tests/support/chromium.mjs';

const campaignsMode = process.argv[2] === 'campaigns';
const [bindgenDir, faqPath, questionsPath, rounds = '3'] = campaignsMode
  ? [process.argv[3], null, null, process.argv[5]]
  : process.argv.slice(2);
const campaignsPath = campaignsMode ? process.argv[4] : null;
const ORIGIN = 'http://bench.localhost';
const files = {
  '/bench.js': ['text/javascript', fs.readFileSync(path.join(bindgenDir, 'baton_wasm_bench.js'))],
  '/bench.wasm': ['application/wasm', fs.readFileSync(path.join(bindgenDir, 'baton_wasm_bench_bg.wasm'))],
  '/': ['text/html', '<!doctype html><title>Baton wasm bench</title>'],
};

const browser = await launch();
try {
  const page = await browser.newPage();
  await page.route(`${ORIGIN}/**`, (route) => {
    const [type, body] = files[new URL(route.request().url()).pathname] ?? [];
    if (!body) return route.fulfill({ status: 404 });
    return route.fulfill({
      status: 200,
      body,
      headers: {
        'Content-Type': type,
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      },
    });
  });
  await page.goto(`${ORIGIN}/`);
  const isolated = await page.evaluate(() => window.crossOriginIsolated);
  const output = campaignsMode
    ? await page.evaluate(
        async ({ inputs, rounds }) => {
          const bench = await import('/bench.js');
          await bench.default({ module_or_path: '/bench.wasm' });
          // One untimed pass warms the JIT tiers up, as the widget's checks after the first scroll find them.
          bench.run_campaigns(inputs, 1);
          return bench.run_campaigns(inputs, rounds);
        },
        { inputs: fs.readFileSync(campaignsPath, 'utf8'), rounds: Number(rounds) },
      )
    : await page.evaluate(
        async ({ faq, questions, rounds }) => {
          const bench = await import('/bench.js');
          await bench.default({ module_or_path: '/bench.wasm' });
          // One untimed pass warms the JIT tiers up, as a visitor's second question would find them.
          bench.run(faq, questions, 1);
          return bench.run(faq, questions, rounds);
        },
        {
          faq: fs.readFileSync(faqPath, 'utf8'),
          questions: fs.readFileSync(questionsPath, 'utf8'),
          rounds: Number(rounds),
        },
      );
  process.stdout.write(output);
  process.stdout.write(`baton-bench wasm_timer_cross_origin_isolated=${isolated}\n`);
} finally {
  await browser.close();
}

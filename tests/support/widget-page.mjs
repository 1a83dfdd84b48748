// Page object for the Baton widget inside any page: what a visitor sees and does. Playwright's locators reach
// into the widget's open shadow root.

import { afterEach } from 'node:test';

const AI_MESSAGE = '[data-testid="baton-message"][data-author="ai"]';

// Errors thrown in a widget's page during the current test. The widget is built with immediate abort, so a Rust
// panic shows only as a wasm `unreachable` trap here; a test during which one happened fails, even when what it
// checks still looks right.
const pageErrors = [];
afterEach(() => {
  const errors = pageErrors.splice(0);
  if (errors.length > 0) throw new Error(`the widget's page threw during the test: ${errors.join('; ')}`);
});

export class WidgetPage {
  constructor(page) {
    this.page = page;
    // What went wrong in the page is in the test's output (a widget that never shows says why), and an error thrown
    // fails the test. A frame locator (the studio's preview) has no events of its own.
    if (typeof page.on === 'function') {
      page.on('pageerror', (error) => {
        console.log(`# page error: ${error.message}`);
        pageErrors.push(error.message);
      });
      page.on('console', (message) => {
        if (message.type() === 'error') console.log(`# console error: ${message.text()}`);
      });
    }
    this.launcher = page.getByTestId('baton-launcher');
    this.panel = page.getByTestId('baton-panel');
    this.input = page.getByTestId('baton-input');
  }

  /** Opens the panel with the launcher and waits for the greeting. */
  async open() {
    await this.launcher.click();
    await this.panel.waitFor();
    await this.page.locator(AI_MESSAGE).first().waitFor();
  }

  /** Waits for the site's FAQ, which the chat loads apart: its first questions are offered as suggestions. */
  async faqLoaded() {
    await this.page.getByTestId('baton-suggestion').first().waitFor();
  }

  /** Sends a question with Enter and returns the text of the answer that follows it. */
  async ask(text) {
    const answers = this.page.locator(AI_MESSAGE);
    // The conversation has started once its greeting is shown; only then can the visitor send.
    await answers.first().waitFor();
    const before = await answers.count();
    await this.input.fill(text);
    await this.input.press('Enter');
    const answer = answers.nth(before);
    await answer.waitFor({ timeout: 10_000 });
    return (await answer.getByTestId('baton-body').textContent()).trim();
  }

  /** A locator for the messages by one author ('visitor', 'ai', 'agent', 'system'). */
  messages(author) {
    return this.page.locator(`[data-testid="baton-message"][data-author="${author}"]`);
  }

  /** Texts of all messages by one author ('visitor', 'ai', 'agent', 'system'): what they say, without the
   * author label for screen readers or the time. */
  async texts(author) {
    const bodies = this.messages(author).getByTestId('baton-body');
    return (await bodies.allTextContents()).map((text) => text.trim());
  }
}

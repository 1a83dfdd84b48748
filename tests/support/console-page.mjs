// Page object for the agent console at /console/: signing in by link, the connection, the inbox, the open
// conversation and the team panel.
import { API } from './browser.mjs';

export class ConsolePage {
  constructor(page) {
    this.page = page;
    this.connected = page.locator('[data-testid="console-connection"][data-connected="true"]');
    this.signInForm = page.getByTestId('console-token');
  }

  /** A new browser context on `/console/#{hash}` (e.g. `token=…`), waiting until the live inbox is connected when
   * `connected` (the default); resolves to { context, page, consolePage }. */
  static async open(browser, hash, { connected = true } = {}) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${API}/console/${hash ? `#${hash}` : ''}`);
    const consolePage = new ConsolePage(page);
    if (connected) await consolePage.connected.waitFor();
    return { context, page, consolePage };
  }

  /** The open conversation's view, when it is conversation `id`. */
  conversation(id) {
    return this.page.locator(`[data-testid="console-conversation"][data-conversation="${id}"]`);
  }

  inboxItem(id) {
    return this.page.locator(`[data-testid="console-inbox-item"][data-conversation="${id}"]`);
  }

  /** Opens the team panel (admins see the accounts there). */
  async openTeam() {
    await this.page.getByRole('button', { name: 'Team & notifications' }).click();
    await this.page.getByTestId('console-team').waitFor();
  }

  /** An account's row in the team panel. */
  agentRow(id) {
    return this.page.locator(`[data-testid="console-agent-row"][data-agent="${id}"]`);
  }
}

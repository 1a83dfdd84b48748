// Page object for the console's studio (`#studio`): its parts, fields by configuration path, the draft's save state,
// the test bench, publishing, the history and the campaign simulator.

export class StudioPage {
  constructor(page) {
    this.page = page;
    this.root = page.getByTestId('studio');
  }

  /** Opens the studio from the console's navigation and waits for the configuration. */
  async open() {
    await this.page.getByTestId('console-nav-studio').click();
    await this.page.locator('[data-testid="studio"][data-loaded="true"]').waitFor();
  }

  /** Shows a part of the studio (`faq`, `bench`, `publish`, `history`, `simulator`, `preview`, …). */
  async part(key) {
    await this.page.getByTestId(`studio-part-${key}`).click();
    await this.page.getByTestId(`studio-section-${key}`).waitFor();
  }

  /** The control of the field at a configuration path (`faq[0].answer`). */
  field(path) {
    return this.page.locator(`[data-field="${path}"]`);
  }

  /** The problem shown beside the field at `path`. */
  problem(path) {
    return this.page.locator(`[data-testid="studio-problem"][data-path="${path}"]`);
  }

  /** Waits until the working copy is saved as the draft. */
  async saved() {
    await this.page.locator('[data-testid="studio-save-status"][data-state="saved"]').waitFor();
  }

  /** Asks the test bench about `text`; resolves to { outcome, reply }. */
  async ask(text) {
    await this.page.getByTestId('studio-bench-question').fill(text);
    await this.page.getByTestId('studio-bench-ask').click();
    const verdict = this.page.getByTestId('studio-bench-verdict');
    await verdict.waitFor();
    return {
      outcome: await verdict.getAttribute('data-outcome'),
      reply: (await this.page.getByTestId('studio-bench-reply').textContent()).trim(),
    };
  }

  /** The regression questions' rows. */
  regressions() {
    return this.page.getByTestId('studio-regression');
  }
}

/**
 * Test helper: Debian's Chromium (`apt-get install -y chromium`, which
 * `tools/test_setup.ts` installs) driven by playwright-core, launched
 * headless with the flags this machine's closed network needs.
 *
 * @module
 */
import { type Browser, chromium } from "../dev_deps/playwright.ts";

/** Where Debian puts Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Fails with what to install when Chromium is missing (call it before
 * starting what the browser test needs, so nothing is left running).
 *
 * @example Check first
 * ```ts ignore
 * import { requireChromium } from "./chromium.ts";
 * await requireChromium();
 * ```
 */
export async function requireChromium(): Promise<void> {
  const found = await Deno.stat(CHROMIUM).then((s) => s.isFile, () => false);
  if (!found) {
    throw new Error(
      `Chromium is missing at '${CHROMIUM}': install it with 'apt-get install -y chromium'`,
    );
  }
}

/**
 * Launches Chromium headless; fails with what to install when it is missing.
 *
 * @example Open a page
 * ```ts ignore
 * import { launchChromium } from "./chromium.ts";
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 * await browser.close();
 * ```
 */
export async function launchChromium(): Promise<Browser> {
  await requireChromium();
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

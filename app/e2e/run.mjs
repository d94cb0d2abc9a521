// End-to-end test of the app in real headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core) against a real solana-test-validator running the SBF program:
//   localnet up (validator, loader-v3 deploy, seed, price publisher) → fund a test wallet →
//   vite preview of the built app → connect the Wallet Standard test wallet → deposit → see
//   shares and NAV move → request a withdrawal, complete it once due → an over-cap deposit is refused with the program's error →
//   the trader's side: open a margin account, deposit collateral, buy a call and sell a put from the option chain, see the positions, their
//   Greeks, health, liquidation prices and P&L chart, the risk view's delta move, sell it back, an over-margin trade refused
//   before sending with InsufficientMargin, withdraw the collateral.
// Screenshots of each state go to app/test-artifacts/.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { Keypair } from "@solana/web3.js";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(app, "..");
const artifacts = join(app, "test-artifacts");
const RPC_PORT = Number(process.env.APP_E2E_RPC_PORT ?? 38899);
const WEB_PORT = Number(process.env.APP_E2E_WEB_PORT ?? 4174);
const rpcUrl = `http://127.0.0.1:${RPC_PORT}`;
const children = [];

function log(text) {
  console.log(`[app-e2e] ${text}`);
}

function start(command, args, options = {}) {
  const child = spawn(command, args, { cwd: repo, stdio: ["ignore", "pipe", "pipe"], detached: true, ...options });
  children.push(child);
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  child.output = () => output;
  return child;
}

async function until(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function stopAll() {
  for (const child of children.reverse()) {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGINT");
      } catch {
        // already gone
      }
    }
  }
}

async function main() {
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const localnetBin = join(repo, "target/debug/localnet");
  if (!existsSync(localnetBin))
    execFileSync("cargo", ["build", "-p", "exposure-vault-localnet", "--bin", "localnet"], { cwd: repo, stdio: "inherit" });
  // The e2e build is the only one with the test wallet in it (`--mode e2e`, see src/main.tsx).
  execFileSync("npx", ["vite", "build", "--mode", "e2e", "--outDir", "dist-e2e"], { cwd: app, stdio: "inherit" });

  const demoPath = join(repo, ".localnet/demo.json");
  rmSync(demoPath, { force: true });
  log(`starting the localnet on port ${RPC_PORT}`);
  const localnet = start(localnetBin, ["--rpc-port", String(RPC_PORT), "up"]);
  await until("the seeded localnet", 240_000, () => {
    if (localnet.exitCode !== null) throw new Error(`localnet exited:\n${localnet.output()}`);
    return localnet.output().includes("publishing prices");
  });
  const demo = JSON.parse(readFileSync(demoPath, "utf8"));
  const oracles = demo.markets.map((m) => m.oracle).join(",");

  const wallet = Keypair.generate();
  const walletPath = join(artifacts, "test-wallet.json");
  writeFileSync(walletPath, JSON.stringify(Array.from(wallet.secretKey)));
  execFileSync(localnetBin, ["--rpc-port", String(RPC_PORT), "fund", "--wallet", walletPath, "--amount", "20000"], {
    cwd: repo,
    stdio: "inherit",
  });

  log(`serving the built app on port ${WEB_PORT}`);
  start("npx", ["vite", "preview", "--outDir", "dist-e2e", "--host", "127.0.0.1", "--port", String(WEB_PORT), "--strictPort"], {
    cwd: app,
  });
  await until("vite preview", 30_000, async () => {
    try {
      return (await fetch(`http://127.0.0.1:${WEB_PORT}/`)).ok;
    } catch {
      return false;
    }
  });

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  const driven = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript((secret) => {
      // Runs in the page, where `window` exists.
      globalThis.__EXPOSURE_VAULT_TEST_WALLET__ = secret;
    }, Array.from(wallet.secretKey));
    const page = await context.newPage();
    page.on("pageerror", (e) => log(`page error: ${e.message}`));
    const url = `http://127.0.0.1:${WEB_PORT}/?rpc=${encodeURIComponent(rpcUrl)}&vault=${demo.vault}&oracles=${oracles}`;
    await page.goto(url);
    const text = async (id) => (await page.getByTestId(id).textContent()).trim();
    const number = async (id) => Number((await text(id)).replace(/[^0-9.-]/g, ""));
    await page.getByTestId("nav").waitFor({ timeout: 30_000 });
    await page.getByRole("row", { name: /BTC/ }).first().waitFor();
    const models = await page.getByTestId("model-price").allTextContents();
    if (models.filter((t) => /\$\d/.test(t)).length < models.length / 2) throw new Error(`model prices missing: ${models}`);
    await shot(page, "01-overview");
    driven.push(
      `vault overview loaded from the chain (NAV, share price, markets, ${models.length} series with model prices from the on-chain surface)`,
    );

    await page.getByRole("button", { name: /select wallet/i }).click();
    await page.getByRole("button", { name: /Exposure Vault Test Wallet/ }).click();
    await page.getByTestId("wallet-shares").waitFor({ timeout: 15_000 });
    await until("the wallet's USDC balance", 15_000, async () => (await number("wallet-usdc")) === 20000);
    await shot(page, "02-connected");
    driven.push("connected the Wallet Standard test wallet through the wallet-adapter modal");

    const navBefore = await number("nav");
    const deposit = page.getByRole("textbox", { name: /Amount \(USDC\)/ });
    await deposit.fill("250");
    await page.getByText(/Deposit 250 USDC for [\d,.]+ shares/).waitFor();
    await page.getByRole("button", { name: "Deposit", exact: true }).click();
    await page.getByRole("button", { name: "Confirm deposit" }).click();
    await page.getByTestId("deposit-status").getByText("Confirmed").waitFor({ timeout: 60_000 });
    await until(
      "shares and NAV after the deposit",
      30_000,
      async () => (await number("wallet-shares")) > 0 && Math.abs((await number("nav")) - (navBefore + 250)) < 0.02,
    );
    const sharesAfterDeposit = await number("wallet-shares");
    await shot(page, "03-deposited");
    driven.push(`deposited 250 USDC: ${sharesAfterDeposit} shares, NAV ${navBefore} → ${await number("nav")}`);

    const withdraw = page.getByRole("textbox", { name: /Amount \(shares\)/ });
    await withdraw.fill("100");
    // The localnet vault makes withdrawals wait (`withdrawal_delay_secs`): request, then complete.
    await page.getByText(/Withdraw 100 shares for at most [\d,.]+ USDC, payable in \d+ s/).waitFor();
    await page.getByRole("button", { name: "Withdraw", exact: true }).click();
    await page.getByRole("button", { name: "Confirm withdraw" }).click();
    await page.getByTestId("withdraw-status").getByText("Confirmed").waitFor({ timeout: 60_000 });
    await until(
      "shares in escrow after the request",
      30_000,
      async () => Math.abs((await number("wallet-shares")) - (sharesAfterDeposit - 100)) < 0.001,
    );
    await page
      .getByTestId("pending-withdrawal")
      .getByText(/100 shares, at most [\d,.]+ USDC, due in \d+ s/)
      .waitFor({ timeout: 15_000 });
    await shot(page, "04-withdrawal-requested");
    const usdcBefore = await number("wallet-usdc");
    await page
      .getByTestId("pending-withdrawal")
      .getByText(/due now/)
      .waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Complete withdrawal" }).click();
    await page.getByTestId("pending-status").getByText("Confirmed").waitFor({ timeout: 60_000 });
    await until("collateral after the withdrawal", 30_000, async () => (await number("wallet-usdc")) > usdcBefore + 99);
    await page.getByTestId("pending-withdrawal").waitFor({ state: "detached", timeout: 15_000 });
    await shot(page, "05-withdrawn");
    driven.push(
      `requested 100 shares (escrowed), completed once due: ${await number("wallet-shares")} shares left, wallet ${usdcBefore} → ${await number("wallet-usdc")} USDC`,
    );

    await deposit.fill("20000000");
    await page.getByText(/DepositCapExceeded: Deposit would exceed the vault's deposit cap/).waitFor();
    if (!(await page.getByRole("button", { name: "Deposit", exact: true }).isDisabled()))
      throw new Error("an over-cap deposit could be submitted");
    await shot(page, "06-over-cap");
    driven.push("an over-cap deposit (20,000,000 USDC) shows DepositCapExceeded and cannot be sent");

    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "07-mobile");
    driven.push("responsive layout at 390 px");
    await page.setViewportSize({ width: 1280, height: 900 });

    // The trader's side. LPs first: the vault must have the capital to take the other side.
    await deposit.fill("5000");
    await page.getByRole("button", { name: "Deposit", exact: true }).click();
    await page.getByRole("button", { name: "Confirm deposit" }).click();
    await page.getByTestId("deposit-status").getByText("Confirmed").waitFor({ timeout: 60_000 });
    await until("NAV after the LP deposit", 30_000, async () => (await number("nav")) > 5_000);
    // The vault's delta in BTC before any trade, from the risk view.
    await page.getByRole("tab", { name: "Risk" }).click();
    await page.getByTestId("risk-delta-BTC").waitFor({ timeout: 15_000 });
    const deltaBefore = await number("risk-delta-BTC");
    await page.getByRole("tab", { name: "Trade" }).click();
    await page.getByTestId("option-chain").waitFor({ timeout: 15_000 });
    const quotes = await page.getByRole("button", { name: /^buy call/ }).count();
    if (quotes < 3) throw new Error(`the chain shows ${quotes} calls to buy`);
    await shot(page, "08-option-chain");
    driven.push(`option chain: ${quotes} calls per expiry with the program's buy and sell prices and Greeks`);

    await page.getByRole("button", { name: "Open margin account" }).click();
    await page.getByTestId("margin-collateral").waitFor({ timeout: 60_000 });
    const collateralForm = page.getByRole("form", { name: "Deposit collateral" });
    await collateralForm.getByRole("textbox").fill("5000");
    await collateralForm.getByRole("button", { name: "Deposit collateral", exact: true }).click();
    await page.getByRole("button", { name: "Confirm deposit collateral" }).click();
    await until("collateral in the margin account", 60_000, async () => (await number("margin-collateral")) === 5000);
    driven.push("opened a margin account and deposited 5,000 USDC of collateral");

    // Buy 0.1 of the at-the-money 7-day call (the middle strike).
    await page
      .getByRole("button", { name: /^buy call/ })
      .nth(1)
      .click();
    await page.getByTestId("trade-preview").waitFor();
    const cost = await number("preview-total");
    if (!(cost > 0)) throw new Error(`no premium in the preview: ${cost}`);
    await shot(page, "09-trade-preview");
    await page.getByRole("button", { name: "Buy", exact: true }).click();
    await page.getByRole("button", { name: "Confirm trade" }).click();
    await page.getByTestId("trade-status").getByText("Confirmed").waitFor({ timeout: 60_000 });
    await page.getByTestId("positions").getByText("0.1000").waitFor({ timeout: 30_000 });
    // And sell 0.4 of the at-the-money put: a short that needs margin and has a liquidation price.
    const size = page.getByRole("textbox", { name: /^Size/ });
    const trade = async (name, units, side) => {
      await page.getByRole("button", { name }).nth(1).click();
      await size.fill(units);
      await page.getByTestId("trade-preview").waitFor();
      await page.getByRole("button", { name: side, exact: true }).click();
      await page.getByRole("button", { name: "Confirm trade" }).click();
      await page.getByTestId("trade-status").getByText("Confirmed").waitFor({ timeout: 60_000 });
    };
    await trade(/^sell put/, "0.4", "Sell");
    await page.getByTestId("positions").getByText("-0.4000").waitFor({ timeout: 30_000 });
    await until("a liquidation price", 30_000, async () => /\$[\d,]+/.test(await text("liquidation-prices")));
    await page.getByTestId("pnl-chart").locator("canvas").first().waitFor({ timeout: 15_000 });
    const health = await text("margin-health");
    const liquidation = await text("liquidation-prices");
    await shot(page, "10-position");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "10-position-mobile");
    await page.setViewportSize({ width: 1280, height: 900 });
    driven.push(
      `bought 0.1 call for about ${cost} USDC and sold 0.4 put: positions, Greeks, health (${health}), liquidation prices (${liquidation}) and the P&L chart`,
    );

    await page.getByRole("tab", { name: "Risk" }).click();
    await until("the vault's delta after the trade", 30_000, async () => Math.abs((await number("risk-delta-BTC")) - deltaBefore) > 1_000);
    const deltaAfter = await number("risk-delta-BTC");
    await page.getByTestId("keeper-actions").waitFor();
    await shot(page, "11-risk");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "12-risk-mobile");
    await page.setViewportSize({ width: 1280, height: 900 });
    driven.push(`risk view: the vault's BTC delta moved ${deltaBefore} → ${deltaAfter} with the trade`);

    await page.getByRole("tab", { name: "Trade" }).click();
    await trade(/^buy put/, "0.4", "Buy");
    await trade(/^sell call/, "0.1", "Sell");
    await page.getByTestId("positions").getByText("No positions").waitFor({ timeout: 30_000 });
    driven.push("bought the put back and sold the call: no positions left");

    // Selling 20 calls naked needs far more than 5,000 USDC: refused before sending.
    await size.fill("20");
    await page
      .getByTestId("trade-error")
      .getByText(/InsufficientMargin/)
      .waitFor({ timeout: 10_000 });
    if (!(await page.getByRole("button", { name: "Sell", exact: true }).isDisabled()))
      throw new Error("an over-margin trade could be sent");
    await shot(page, "13-over-margin");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "14-trade-mobile");
    await page.setViewportSize({ width: 1280, height: 900 });
    driven.push("selling 20 calls shows InsufficientMargin and cannot be sent");

    const withdrawForm = page.getByRole("form", { name: "Withdraw collateral" });
    await withdrawForm.getByRole("button", { name: "max" }).click();
    await withdrawForm.getByRole("button", { name: "Withdraw collateral", exact: true }).click();
    await page.getByRole("button", { name: "Confirm withdraw collateral" }).click();
    await until("the collateral withdrawn", 60_000, async () => (await number("margin-collateral")) === 0);
    await shot(page, "15-collateral-withdrawn");
    driven.push("withdrew all collateral back to the wallet");
  } catch (e) {
    // The page as it was when a step failed, beside the step screenshots.
    for (const context of browser.contexts()) for (const page of context.pages()) await shot(page, "failure").catch(() => {});
    throw e;
  } finally {
    await browser.close();
  }
  log("driven in Chromium:\n  - " + driven.join("\n  - "));
  log(`screenshots in ${artifacts}`);
}

main()
  .then(() => {
    stopAll();
    setTimeout(() => process.exit(0), 3_000);
  })
  .catch((e) => {
    console.error(e);
    for (const child of children) console.error(child.output?.().slice(-3000));
    stopAll();
    setTimeout(() => process.exit(1), 3_000);
  });

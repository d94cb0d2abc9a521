// A Wallet Standard wallet backed by a keypair, FOR TESTS ONLY: it registers itself only when
// the page was opened with `window.__EXPOSURE_VAULT_TEST_WALLET__` set (the end-to-end test sets
// it before any script runs). The app finds it like Phantom, Solflare or Backpack, through
// Wallet Standard discovery, so the test drives the same code paths as a real wallet.
import { Keypair, VersionedTransaction } from "@solana/web3.js";
import { registerWallet } from "@wallet-standard/wallet";
import type { Wallet, WalletAccount } from "@wallet-standard/base";

declare global {
  interface Window {
    __EXPOSURE_VAULT_TEST_WALLET__?: number[];
  }
}

const CHAINS = ["solana:localnet", "solana:devnet", "solana:testnet", "solana:mainnet"] as const;
const ICON =
  "data:image/svg+xml;base64," +
  btoa(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#444"/><text x="16" y="22" font-size="16" text-anchor="middle" fill="#fff">T</text></svg>',
  );

class KeypairWallet implements Wallet {
  readonly version = "1.0.0" as const;
  readonly name = "Exposure Vault Test Wallet";
  readonly icon = ICON as `data:image/svg+xml;base64,${string}`;
  readonly chains = CHAINS;
  #connected: WalletAccount[] = [];
  #listeners: Array<(p: { accounts: readonly WalletAccount[] }) => void> = [];
  readonly #account: WalletAccount;

  constructor(private readonly keypair: Keypair) {
    this.#account = {
      address: keypair.publicKey.toBase58(),
      publicKey: keypair.publicKey.toBytes(),
      chains: CHAINS,
      features: ["solana:signTransaction"],
    };
  }

  get accounts() {
    return this.#connected;
  }

  get features() {
    return {
      "standard:connect": {
        version: "1.0.0",
        connect: async () => {
          this.#connected = [this.#account];
          this.#listeners.forEach((l) => l({ accounts: this.#connected }));
          return { accounts: this.#connected };
        },
      },
      "standard:disconnect": {
        version: "1.0.0",
        disconnect: async () => {
          this.#connected = [];
          this.#listeners.forEach((l) => l({ accounts: this.#connected }));
        },
      },
      "standard:events": {
        version: "1.0.0",
        on: (_event: "change", listener: (p: { accounts: readonly WalletAccount[] }) => void) => {
          this.#listeners.push(listener);
          return () => {
            this.#listeners = this.#listeners.filter((l) => l !== listener);
          };
        },
      },
      "solana:signTransaction": {
        version: "1.0.0",
        supportedTransactionVersions: ["legacy", 0],
        signTransaction: async (...inputs: Array<{ transaction: Uint8Array }>) =>
          inputs.map(({ transaction }) => {
            const tx = VersionedTransaction.deserialize(transaction);
            tx.sign([this.keypair]);
            return { signedTransaction: tx.serialize() };
          }),
      },
    } as unknown as Wallet["features"];
  }
}

export function registerTestWallet(): void {
  const secret = window.__EXPOSURE_VAULT_TEST_WALLET__;
  if (!secret) return;
  registerWallet(new KeypairWallet(Keypair.fromSecretKey(Uint8Array.from(secret))));
}

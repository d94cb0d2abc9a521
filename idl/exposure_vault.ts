/**
 * Program IDL in camelCase format in order to be used in JS/TS.
 *
 * Note that this is only a type helper and is not the actual IDL. The original
 * IDL can be found at `idl/exposure_vault.json`.
 */
export type ExposureVault = {
  "address": "Bq4pNo2rrQ1kTMGGjKqgox2j42G1MYUMi18HdFoYcVfq",
  "metadata": {
    "name": "exposureVault",
    "version": "0.1.0",
    "spec": "0.1.0",
    "description": "Options exposure-management vault: collateral, shares at NAV, Pyth-priced risk"
  },
  "instructions": [
    {
      "name": "acceptAuthority",
      "docs": [
        "The proposed successor signs to take over as admin or keeper; the proposal is then spent.",
        "",
        "- `role`: 0 = admin, 1 = keeper."
      ],
      "discriminator": [
        107,
        86,
        198,
        91,
        33,
        12,
        107,
        160
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault whose admin or keeper changes."
          ],
          "writable": true
        },
        {
          "name": "successor",
          "docs": [
            "The proposed key, accepting: it signs."
          ],
          "signer": true
        }
      ],
      "args": [
        {
          "name": "role",
          "docs": [
            "0 = admin, 1 = keeper."
          ],
          "type": "u8"
        }
      ]
    },
    {
      "name": "applyMarketRisk",
      "docs": [
        "Permissionless once due: puts a proposed change of risk parameters into effect and closes",
        "the proposal (rent to the admin). With `cancel`, the admin withdraws it instead, at any time.",
        "",
        "- `cancel`: true: the admin withdraws the proposal instead."
      ],
      "discriminator": [
        143,
        138,
        10,
        186,
        134,
        197,
        252,
        56
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "admin",
          "docs": [
            "The vault's admin: receives the proposal's rent."
          ],
          "writable": true
        },
        {
          "name": "market",
          "docs": [
            "The market whose risk parameters change (written)."
          ],
          "writable": true,
          "relations": [
            "proposal"
          ]
        },
        {
          "name": "proposal",
          "docs": [
            "The market's pending risk proposal: applied once due, or withdrawn by the admin; closed",
            "either way."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  114,
                  105,
                  115,
                  107,
                  95,
                  112,
                  114,
                  111,
                  112,
                  111,
                  115,
                  97,
                  108
                ]
              },
              {
                "kind": "account",
                "path": "market"
              }
            ]
          }
        }
      ],
      "args": [
        {
          "name": "cancel",
          "docs": [
            "true: the admin withdraws the proposal instead."
          ],
          "type": "bool"
        }
      ]
    },
    {
      "name": "applyParams",
      "docs": [
        "Permissionless once due: puts proposed vault parameters into effect and closes the proposal",
        "(rent to the admin). With `cancel`, the admin withdraws it instead, at any time.",
        "",
        "- `cancel`: true: the admin withdraws the proposal instead."
      ],
      "discriminator": [
        188,
        203,
        86,
        124,
        178,
        34,
        133,
        116
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault whose parameters change (written)."
          ],
          "writable": true,
          "relations": [
            "proposal"
          ]
        },
        {
          "name": "admin",
          "docs": [
            "The vault's admin: receives the proposal's rent."
          ],
          "writable": true
        },
        {
          "name": "proposal",
          "docs": [
            "The vault's pending parameter proposal: applied once due, or withdrawn by the admin; closed",
            "either way."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  112,
                  97,
                  114,
                  97,
                  109,
                  115,
                  95,
                  112,
                  114,
                  111,
                  112,
                  111,
                  115,
                  97,
                  108
                ]
              },
              {
                "kind": "account",
                "path": "vault"
              }
            ]
          }
        }
      ],
      "args": [
        {
          "name": "cancel",
          "docs": [
            "true: the admin withdraws the proposal instead."
          ],
          "type": "bool"
        }
      ]
    },
    {
      "name": "cancelLiquidityWithdrawal",
      "docs": [
        "LP: returns a pending request's shares; allowed while withdrawals are paused."
      ],
      "discriminator": [
        108,
        214,
        166,
        80,
        125,
        111,
        139,
        1
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault (signs the escrow's transfer back)."
          ],
          "relations": [
            "withdrawalRequest"
          ]
        },
        {
          "name": "owner",
          "docs": [
            "The LP who requested the withdrawal: signs, and is refunded the escrow's rent."
          ],
          "writable": true,
          "signer": true,
          "relations": [
            "withdrawalRequest"
          ]
        },
        {
          "name": "shareMint",
          "docs": [
            "The vault's LP share mint."
          ],
          "relations": [
            "vault"
          ]
        },
        {
          "name": "ownerShares",
          "docs": [
            "Where the escrowed shares return."
          ],
          "writable": true
        },
        {
          "name": "withdrawalRequest",
          "docs": [
            "The pending withdrawal, closed."
          ],
          "writable": true
        },
        {
          "name": "withdrawalShares",
          "docs": [
            "The escrow holding the shares of the pending withdrawal."
          ],
          "writable": true,
          "relations": [
            "withdrawalRequest"
          ]
        },
        {
          "name": "tokenProgram",
          "docs": [
            "SPL Token."
          ],
          "address": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
        }
      ],
      "args": []
    },
    {
      "name": "checkMargin",
      "docs": [
        "Read-only: emits a `MarginHealth` event (equity, initial and maintenance margin in quote) so",
        "clients see an account's health exactly as the program computes it. Changes no state."
      ],
      "discriminator": [
        115,
        219,
        87,
        60,
        233,
        46,
        128,
        184
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault (confidence multiplier, collateral decimals)."
          ],
          "relations": [
            "market",
            "marginAccount"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market judged first; others follow as remaining accounts."
          ]
        },
        {
          "name": "book",
          "docs": [
            "The market's series book (cached marks and scenarios)."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "marginAccount",
          "docs": [
            "The account judged (read only)."
          ]
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        }
      ],
      "args": []
    },
    {
      "name": "closeMarginAccount",
      "docs": [
        "Closes an empty margin account (no collateral, no positions); rent goes back to the owner."
      ],
      "discriminator": [
        105,
        215,
        41,
        239,
        166,
        207,
        1,
        103
      ],
      "accounts": [
        {
          "name": "marginAccount",
          "docs": [
            "The account closed: no collateral, position, hedge or unpaid claim left."
          ],
          "writable": true
        },
        {
          "name": "owner",
          "docs": [
            "Its owner: signs, and receives the rent."
          ],
          "writable": true,
          "signer": true
        }
      ],
      "args": []
    },
    {
      "name": "createMarket",
      "docs": [
        "Admin: creates market `market_count` with its Pyth oracle configuration (legacy push or pull",
        "feed; the oracle must read cleanly now), its risk parameters (bounds-checked), and its series",
        "book, volatility surface and hedge book.",
        "",
        "- `symbol`: the market's name, UTF-8, zero-padded.",
        "- `oracle`: the Pyth feed and its age and confidence limits (`OracleConfig`).",
        "- `risk`: the market's risk parameters (`MarketRiskParams`)."
      ],
      "discriminator": [
        103,
        226,
        97,
        235,
        200,
        188,
        251,
        254
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault the market joins (its market count grows)."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116
                ]
              },
              {
                "kind": "account",
                "path": "vault.creator",
                "account": "vault"
              },
              {
                "kind": "account",
                "path": "vault.collateral_mint",
                "account": "vault"
              }
            ]
          }
        },
        {
          "name": "admin",
          "docs": [
            "The vault's admin: signs and pays the new accounts' rent."
          ],
          "writable": true,
          "signer": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The new market (PDA of the vault and its index)."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  109,
                  97,
                  114,
                  107,
                  101,
                  116
                ]
              },
              {
                "kind": "account",
                "path": "vault"
              },
              {
                "kind": "account",
                "path": "vault.market_count",
                "account": "vault"
              }
            ]
          }
        },
        {
          "name": "book",
          "docs": [
            "Its new, empty series book."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  115,
                  101,
                  114,
                  105,
                  101,
                  115,
                  95,
                  98,
                  111,
                  111,
                  107
                ]
              },
              {
                "kind": "account",
                "path": "market"
              }
            ]
          }
        },
        {
          "name": "surface",
          "docs": [
            "Its new, empty volatility surface."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  115,
                  117,
                  114,
                  102,
                  97,
                  99,
                  101
                ]
              },
              {
                "kind": "account",
                "path": "market"
              }
            ]
          }
        },
        {
          "name": "hedgeBook",
          "docs": [
            "Its new, empty hedge book."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  104,
                  101,
                  100,
                  103,
                  101,
                  95,
                  98,
                  111,
                  111,
                  107
                ]
              },
              {
                "kind": "account",
                "path": "market"
              }
            ]
          }
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).",
            "can only be listed with an oracle that reads cleanly now."
          ]
        },
        {
          "name": "systemProgram",
          "docs": [
            "The system program."
          ],
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "symbol",
          "docs": [
            "the market's name, UTF-8, zero-padded."
          ],
          "type": {
            "array": [
              "u8",
              16
            ]
          }
        },
        {
          "name": "oracle",
          "docs": [
            "the Pyth feed and its age and confidence limits (`OracleConfig`)."
          ],
          "type": {
            "defined": {
              "name": "oracleConfig"
            }
          }
        },
        {
          "name": "risk",
          "docs": [
            "the market's risk parameters (`MarketRiskParams`)."
          ],
          "type": {
            "defined": {
              "name": "marketRiskParams"
            }
          }
        }
      ]
    },
    {
      "name": "delistSeries",
      "docs": [
        "Admin: delists a series with zero open interest; its slot may be listed again.",
        "",
        "- `series_index`: the series' slot in the book."
      ],
      "discriminator": [
        36,
        18,
        160,
        107,
        234,
        23,
        238,
        162
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "admin",
          "docs": [
            "The vault's admin: signs."
          ],
          "signer": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market of the series."
          ]
        },
        {
          "name": "book",
          "docs": [
            "The series book: the series stops listing new trades."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        }
      ],
      "args": [
        {
          "name": "seriesIndex",
          "docs": [
            "the series' slot in the book."
          ],
          "type": "u8"
        }
      ]
    },
    {
      "name": "depositCollateral",
      "docs": [
        "Moves collateral from the owner into the vault's token account, credited to the margin",
        "account. Never paused: adding collateral only ever reduces risk.",
        "",
        "- `amount`: collateral units."
      ],
      "discriminator": [
        156,
        131,
        142,
        116,
        146,
        247,
        162,
        120
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault (pause flags; traders' collateral grows)."
          ],
          "writable": true,
          "relations": [
            "marginAccount"
          ]
        },
        {
          "name": "marginAccount",
          "docs": [
            "The owner's margin account, credited."
          ],
          "writable": true
        },
        {
          "name": "owner",
          "docs": [
            "Signs the transfer."
          ],
          "signer": true
        },
        {
          "name": "collateralMint",
          "docs": [
            "The vault's collateral mint."
          ],
          "relations": [
            "vault"
          ]
        },
        {
          "name": "vaultToken",
          "docs": [
            "The vault's collateral token account, which receives it."
          ],
          "writable": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "ownerCollateral",
          "docs": [
            "The owner's collateral token account, debited."
          ],
          "writable": true
        },
        {
          "name": "tokenProgram",
          "docs": [
            "SPL Token."
          ],
          "address": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
        }
      ],
      "args": [
        {
          "name": "amount",
          "docs": [
            "collateral units."
          ],
          "type": "u64"
        }
      ]
    },
    {
      "name": "depositLiquidity",
      "docs": [
        "LP: deposits `amount` collateral units for shares at NAV plus the LP band, rounded down",
        "(virtual shares and assets make a donation to the token account worthless). Needs fresh",
        "marks while the vault holds positions; with the mark registry, a market that cannot re-mark",
        "counts at its worse side instead of blocking the deposit.",
        "",
        "- `amount`: collateral units deposited."
      ],
      "discriminator": [
        245,
        99,
        59,
        25,
        151,
        71,
        233,
        249
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault: LP assets grow by the deposit."
          ],
          "writable": true
        },
        {
          "name": "depositor",
          "docs": [
            "The LP: signs the transfer."
          ],
          "signer": true
        },
        {
          "name": "collateralMint",
          "docs": [
            "The vault's collateral mint."
          ],
          "relations": [
            "vault"
          ]
        },
        {
          "name": "shareMint",
          "docs": [
            "The vault's LP share mint: the new shares are minted (authority: the vault, which proves it",
            "canonical)."
          ],
          "writable": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "vaultToken",
          "docs": [
            "The vault's collateral token account, which receives the deposit."
          ],
          "writable": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "depositorCollateral",
          "docs": [
            "The LP's collateral token account, debited."
          ],
          "writable": true
        },
        {
          "name": "depositorShares",
          "docs": [
            "The LP's share token account, credited."
          ],
          "writable": true
        },
        {
          "name": "tokenProgram",
          "docs": [
            "SPL Token."
          ],
          "address": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
        },
        {
          "name": "markRegistry",
          "docs": [
            "The vault's mark registry: needed only while a market cannot re-mark, which LP flows then",
            "price at the worse side."
          ],
          "optional": true
        }
      ],
      "args": [
        {
          "name": "amount",
          "docs": [
            "collateral units deposited."
          ],
          "type": "u64"
        }
      ]
    },
    {
      "name": "deregisterHedgeProvider",
      "docs": [
        "A provider leaves the market's hedge book, freeing its slot. Its perpetual must be flat with",
        "nothing left to realise; the account can then be closed like any other."
      ],
      "discriminator": [
        16,
        131,
        136,
        165,
        86,
        50,
        198,
        2
      ],
      "accounts": [
        {
          "name": "market",
          "docs": [
            "The provider's hedge market."
          ]
        },
        {
          "name": "hedgeBook",
          "docs": [
            "The hedge book that loses the provider and its quotes."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "marginAccount",
          "docs": [
            "The provider's margin account: flat in the hedge before it leaves."
          ],
          "writable": true
        },
        {
          "name": "owner",
          "docs": [
            "The provider: signs."
          ],
          "signer": true
        }
      ],
      "args": []
    },
    {
      "name": "initializeVault",
      "docs": [
        "Admin (the signer becomes the vault's immutable `creator` and first admin): creates the vault",
        "PDA of (creator, collateral mint), its share mint (collateral decimals + 3), its collateral",
        "and insurance token accounts and its mark registry, with `keeper` as the keeper authority.",
        "`params` are bounds-checked (`VaultParams::validate`).",
        "",
        "- `keeper`: the keeper authority (surfaces, hedges).",
        "- `params`: the vault's parameters (`VaultParams`)."
      ],
      "discriminator": [
        48,
        191,
        163,
        44,
        71,
        129,
        63,
        164
      ],
      "accounts": [
        {
          "name": "admin",
          "docs": [
            "The vault's creator and first admin: signs and pays every account's rent; seeds the vault's",
            "address."
          ],
          "writable": true,
          "signer": true
        },
        {
          "name": "collateralMint",
          "docs": [
            "The collateral (USDC-like) mint; seeds the vault's address."
          ]
        },
        {
          "name": "vault",
          "docs": [
            "The new vault (PDA of admin and collateral mint)."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116
                ]
              },
              {
                "kind": "account",
                "path": "admin"
              },
              {
                "kind": "account",
                "path": "collateralMint"
              }
            ]
          }
        },
        {
          "name": "shareMint",
          "docs": [
            "The new LP share mint, its authority the vault."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  115,
                  104,
                  97,
                  114,
                  101,
                  95,
                  109,
                  105,
                  110,
                  116
                ]
              },
              {
                "kind": "account",
                "path": "vault"
              }
            ]
          }
        },
        {
          "name": "vaultToken",
          "docs": [
            "The vault's new collateral token account."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116,
                  95,
                  116,
                  111,
                  107,
                  101,
                  110
                ]
              },
              {
                "kind": "account",
                "path": "vault"
              }
            ]
          }
        },
        {
          "name": "insuranceToken",
          "docs": [
            "The insurance fund's new collateral token account."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  105,
                  110,
                  115,
                  117,
                  114,
                  97,
                  110,
                  99,
                  101
                ]
              },
              {
                "kind": "account",
                "path": "vault"
              }
            ]
          }
        },
        {
          "name": "markRegistry",
          "docs": [
            "The vault's new mark registry."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  109,
                  97,
                  114,
                  107,
                  115
                ]
              },
              {
                "kind": "account",
                "path": "vault"
              }
            ]
          }
        },
        {
          "name": "tokenProgram",
          "docs": [
            "SPL Token."
          ],
          "address": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
        },
        {
          "name": "systemProgram",
          "docs": [
            "The system program."
          ],
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "keeper",
          "docs": [
            "the keeper authority (surfaces, hedges)."
          ],
          "type": "pubkey"
        },
        {
          "name": "params",
          "docs": [
            "the vault's parameters (`VaultParams`)."
          ],
          "type": {
            "defined": {
              "name": "vaultParams"
            }
          }
        }
      ]
    },
    {
      "name": "liquidate",
      "docs": [
        "Anyone: liquidates a margin account below maintenance margin, partially, back to a target",
        "between maintenance and initial margin. The vault closes the shorts (the liquidator's fee",
        "goes to its token account) or, with `takeover`, the liquidator's own margin account takes",
        "them over and must meet initial margin afterwards. A bankrupt account (equity < 0) is closed",
        "out at mark with no penalty, and the shortfall is paid by the insurance fund, then by LPs",
        "(`BadDebt`). The price is one a trader could trade at: within the oracle's own age limit,",
        "never older than the market's last accepted price, and the slot's price once recorded.",
        "",
        "- `takeover`: true: a hedge provider signing as liquidator takes the positions over instead",
        "of the vault."
      ],
      "discriminator": [
        223,
        179,
        226,
        125,
        48,
        46,
        39,
        74
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault: absorbs the positions and any bad debt."
          ],
          "writable": true,
          "relations": [
            "market",
            "markRegistry",
            "marginAccount"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market liquidated first; the account's other markets follow as writable remaining",
            "accounts."
          ],
          "writable": true
        },
        {
          "name": "book",
          "docs": [
            "The market's series book: positions move to the vault."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "markRegistry",
          "docs": [
            "The vault's mark registry, re-synced after the transfer."
          ],
          "writable": true
        },
        {
          "name": "marginAccount",
          "docs": [
            "The account below maintenance."
          ],
          "writable": true
        },
        {
          "name": "liquidator",
          "docs": [
            "Anyone: signs, and is paid its share of the penalty."
          ],
          "signer": true
        },
        {
          "name": "liquidatorMargin",
          "docs": [
            "Takeover: the liquidator's margin account on this market, which receives the shorts."
          ],
          "writable": true,
          "optional": true
        },
        {
          "name": "liquidatorCollateral",
          "docs": [
            "Vault absorbs: the liquidator's collateral token account, which receives its fee."
          ],
          "writable": true,
          "optional": true
        },
        {
          "name": "collateralMint",
          "docs": [
            "The vault's collateral mint."
          ],
          "relations": [
            "vault"
          ]
        },
        {
          "name": "vaultToken",
          "docs": [
            "The vault's collateral token account: pays the liquidator."
          ],
          "writable": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "insuranceToken",
          "docs": [
            "The insurance fund's collateral token account: receives its share of the penalty, covers bad",
            "debt first."
          ],
          "writable": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        },
        {
          "name": "tokenProgram",
          "docs": [
            "SPL Token."
          ],
          "address": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
        }
      ],
      "args": [
        {
          "name": "takeover",
          "docs": [
            "true: a hedge provider signing as liquidator takes the positions over instead of the vault."
          ],
          "type": "bool"
        }
      ]
    },
    {
      "name": "listSeries",
      "docs": [
        "Admin: lists a European, cash-settled series (strike in PRICE_PRECISION, expiry unix",
        "seconds, side 0 = call, 1 = put) in the first free slot of the market's book.",
        "",
        "- `strike`: strike, PRICE_PRECISION (1e-6 USD).",
        "- `expiry_ts`: expiry, unix seconds.",
        "- `side`: 0 = call, 1 = put."
      ],
      "discriminator": [
        223,
        92,
        74,
        191,
        6,
        29,
        64,
        139
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "admin",
          "docs": [
            "The vault's admin: signs."
          ],
          "signer": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market that lists the series."
          ]
        },
        {
          "name": "book",
          "docs": [
            "The series book: the series takes the first free slot."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "surface",
          "docs": [
            "The surface in force and its change window's anchor must both price the new expiry."
          ],
          "relations": [
            "market"
          ]
        }
      ],
      "args": [
        {
          "name": "strike",
          "docs": [
            "strike, PRICE_PRECISION (1e-6 USD)."
          ],
          "type": "u64"
        },
        {
          "name": "expiryTs",
          "docs": [
            "expiry, unix seconds."
          ],
          "type": "i64"
        },
        {
          "name": "side",
          "docs": [
            "0 = call, 1 = put."
          ],
          "type": "u8"
        }
      ]
    },
    {
      "name": "openMarginAccount",
      "docs": [
        "Opens the signer's margin account in the vault (one per owner, across markets; rent from",
        "the owner)."
      ],
      "discriminator": [
        251,
        54,
        54,
        233,
        180,
        125,
        203,
        107
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault the account belongs to."
          ]
        },
        {
          "name": "owner",
          "docs": [
            "The new account's owner: signs and pays its rent."
          ],
          "writable": true,
          "signer": true
        },
        {
          "name": "marginAccount",
          "docs": [
            "The new margin account (PDA of the vault and the owner)."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  109,
                  97,
                  114,
                  103,
                  105,
                  110
                ]
              },
              {
                "kind": "account",
                "path": "vault"
              },
              {
                "kind": "account",
                "path": "owner"
              }
            ]
          }
        },
        {
          "name": "systemProgram",
          "docs": [
            "The system program."
          ],
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": []
    },
    {
      "name": "postHedgeQuote",
      "docs": [
        "A registered provider replaces its standing quote: the most it sells (`max_vault_buy`) and",
        "buys (`max_vault_sell`) of the perpetual, at the oracle price ± `spread_bps`, until",
        "`expiry_ts`. Zero sizes withdraw the quote. Fills use the sizes up. A quote must be backed:",
        "after a fill of either size whole the provider still meets initial margin.",
        "",
        "- `max_vault_buy`: SIZE_PRECISION: the most the vault may buy from the provider.",
        "- `max_vault_sell`: SIZE_PRECISION: the most the vault may sell to it.",
        "- `spread_bps`: the provider's spread from the oracle.",
        "- `expiry_ts`: unix seconds: the quote lapses then."
      ],
      "discriminator": [
        156,
        236,
        28,
        124,
        19,
        159,
        87,
        199
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The provider's hedge market."
          ],
          "writable": true
        },
        {
          "name": "book",
          "docs": [
            "The market's series book (the provider's margin is judged on it)."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "hedgeBook",
          "docs": [
            "The hedge book the quote goes into."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "marginAccount",
          "docs": [
            "The provider's margin account: backs the quote."
          ]
        },
        {
          "name": "owner",
          "docs": [
            "The provider: signs."
          ],
          "signer": true
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        }
      ],
      "args": [
        {
          "name": "maxVaultBuy",
          "docs": [
            "SIZE_PRECISION: the most the vault may buy from the provider."
          ],
          "type": "u64"
        },
        {
          "name": "maxVaultSell",
          "docs": [
            "SIZE_PRECISION: the most the vault may sell to it."
          ],
          "type": "u64"
        },
        {
          "name": "spreadBps",
          "docs": [
            "the provider's spread from the oracle."
          ],
          "type": "u16"
        },
        {
          "name": "expiryTs",
          "docs": [
            "unix seconds: the quote lapses then."
          ],
          "type": "i64"
        }
      ]
    },
    {
      "name": "postOptionQuote",
      "docs": [
        "Hedge provider: posts (or replaces) its standing quote on one listed series, in vol",
        "terms: the vault may buy up to `max_vault_buy` at `ask_vol` and sell up to",
        "`max_vault_sell` at `bid_vol` (VOL_PRECISION, 0 < bid ≤ ask), until `expiry_ts` (at most",
        "7 days). Up to four series per provider. The quote must be backed: the provider meets",
        "initial margin, at the vault's marks, after a full fill of either side",
        "(`OptionQuoteUnbacked`); the series is marked afresh for that. Backing is judged at the",
        "market's newest accepted price while it is within the oracle's age limit, else at the",
        "oracle account's; nothing is recorded. Zero sizes withdraw it.",
        "",
        "- `series_index`: the series' slot in the book.",
        "- `bid_vol`: VOL_PRECISION: the vol the provider buys at.",
        "- `ask_vol`: VOL_PRECISION: the vol it sells at.",
        "- `max_vault_buy`: SIZE_PRECISION: the most the vault may buy.",
        "- `max_vault_sell`: SIZE_PRECISION: the most the vault may sell.",
        "- `expiry_ts`: unix seconds: the quote lapses then."
      ],
      "discriminator": [
        36,
        209,
        222,
        162,
        35,
        225,
        14,
        110
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "market",
          "docs": [
            "Read only: the quote's backing is judged at the market's newest accepted price (or the",
            "oracle's, once that is too old), and nothing is recorded: posting a quote moves no money."
          ]
        },
        {
          "name": "book",
          "docs": [
            "Written: the quoted series is marked afresh, so a quote on a series nobody holds yet",
            "can be checked for backing."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "surface",
          "docs": [
            "The market's surface (the quote's vol is bounded against it)."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "hedgeBook",
          "docs": [
            "The hedge book the option quote goes into."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "marginAccount",
          "docs": [
            "The provider's margin account: backs the quote."
          ]
        },
        {
          "name": "owner",
          "docs": [
            "The provider: signs."
          ],
          "signer": true
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account).",
            "`oracle::read_accepted_price` against the market's oracle configuration."
          ]
        }
      ],
      "args": [
        {
          "name": "seriesIndex",
          "docs": [
            "the series' slot in the book."
          ],
          "type": "u8"
        },
        {
          "name": "bidVol",
          "docs": [
            "VOL_PRECISION: the vol the provider buys at."
          ],
          "type": "u64"
        },
        {
          "name": "askVol",
          "docs": [
            "VOL_PRECISION: the vol it sells at."
          ],
          "type": "u64"
        },
        {
          "name": "maxVaultBuy",
          "docs": [
            "SIZE_PRECISION: the most the vault may buy."
          ],
          "type": "u64"
        },
        {
          "name": "maxVaultSell",
          "docs": [
            "SIZE_PRECISION: the most the vault may sell."
          ],
          "type": "u64"
        },
        {
          "name": "expiryTs",
          "docs": [
            "unix seconds: the quote lapses then."
          ],
          "type": "i64"
        }
      ]
    },
    {
      "name": "proposeAuthority",
      "docs": [
        "Admin: proposes `proposed` as the next admin or keeper. Nothing changes until that key signs",
        "`accept_authority`, so a mistyped key can never lock the vault; proposing the default key",
        "withdraws a proposal.",
        "",
        "- `role`: 0 = admin, 1 = keeper.",
        "- `proposed`: the successor key (the default key withdraws)."
      ],
      "discriminator": [
        20,
        148,
        236,
        198,
        76,
        119,
        99,
        142
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault whose admin or keeper is to change."
          ],
          "writable": true
        },
        {
          "name": "admin",
          "docs": [
            "The current admin: signs."
          ],
          "signer": true,
          "relations": [
            "vault"
          ]
        }
      ],
      "args": [
        {
          "name": "role",
          "docs": [
            "0 = admin, 1 = keeper."
          ],
          "type": "u8"
        },
        {
          "name": "proposed",
          "docs": [
            "the successor key (the default key withdraws)."
          ],
          "type": "pubkey"
        }
      ]
    },
    {
      "name": "proposeMarketRisk",
      "docs": [
        "Admin: proposes new risk parameters for a market, bounds-checked like `create_market`'s. A",
        "change that only tightens (`MarketRiskParams::only_tightens`) may be applied at once; any",
        "other waits `RiskProposal::DELAY_SECS`, in public, before `apply_market_risk` can apply it.",
        "",
        "- `risk`: the proposed risk parameters."
      ],
      "discriminator": [
        79,
        235,
        43,
        82,
        50,
        59,
        199,
        213
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "admin",
          "docs": [
            "The vault's admin: signs and pays the proposal's rent."
          ],
          "writable": true,
          "signer": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market whose risk parameters are to change."
          ]
        },
        {
          "name": "proposal",
          "docs": [
            "The market's proposal account (PDA), created: one proposal pends at a time."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  114,
                  105,
                  115,
                  107,
                  95,
                  112,
                  114,
                  111,
                  112,
                  111,
                  115,
                  97,
                  108
                ]
              },
              {
                "kind": "account",
                "path": "market"
              }
            ]
          }
        },
        {
          "name": "systemProgram",
          "docs": [
            "The system program."
          ],
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "risk",
          "docs": [
            "the proposed risk parameters."
          ],
          "type": {
            "defined": {
              "name": "marketRiskParams"
            }
          }
        }
      ]
    },
    {
      "name": "proposeParams",
      "docs": [
        "Admin: proposes vault parameters that `update_params` may not apply at once (a lower",
        "confidence multiplier, another liquidation penalty or split). They wait",
        "`RiskProposal::DELAY_SECS` in public before `apply_params` can apply them.",
        "",
        "- `params`: the proposed vault parameters."
      ],
      "discriminator": [
        94,
        141,
        220,
        182,
        171,
        53,
        52,
        182
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault whose parameters are to change."
          ]
        },
        {
          "name": "admin",
          "docs": [
            "The vault's admin: signs and pays the proposal's rent."
          ],
          "writable": true,
          "signer": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "proposal",
          "docs": [
            "The vault's proposal account (PDA), created: one proposal pends at a time."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  112,
                  97,
                  114,
                  97,
                  109,
                  115,
                  95,
                  112,
                  114,
                  111,
                  112,
                  111,
                  115,
                  97,
                  108
                ]
              },
              {
                "kind": "account",
                "path": "vault"
              }
            ]
          }
        },
        {
          "name": "systemProgram",
          "docs": [
            "The system program."
          ],
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "params",
          "docs": [
            "the proposed vault parameters."
          ],
          "type": {
            "defined": {
              "name": "vaultParams"
            }
          }
        }
      ]
    },
    {
      "name": "rebalanceHedge",
      "docs": [
        "Keeper: trades the vault's hedge perpetual by `size` (> 0 buys) against the best live",
        "standing quote, at the oracle price ± the quote's spread, no worse than `max_slippage_bps`",
        "from the oracle (itself at most the market's `max_hedge_slippage_bps`). `expected_seq`",
        "must equal the hedge book's sequence number, which the rebalance then increments: a",
        "retried, duplicated or replayed-after-restart transaction fails with",
        "`RebalanceSequenceMismatch` instead of hedging twice.",
        "",
        "Afterwards the provider must meet initial margin, the fill must cut the vault's net",
        "dollar delta by at least half its notional (`RebalanceDoesNotReduceDelta`: the keeper key",
        "can hedge, not churn), and the vault's NAV inputs and locked collateral include the new",
        "hedge. A best quote that its provider's collateral no longer backs is withdrawn instead",
        "(`HedgeQuoteCancelled`, sequence unchanged), so an unbacked quote cannot block the book.",
        "",
        "- `expected_seq`: the hedge book's rebalance sequence as read; must match.",
        "- `size`: SIZE_PRECISION; > 0 the vault buys.",
        "- `max_slippage_bps`: the worst fill accepted, bps from the oracle."
      ],
      "discriminator": [
        35,
        211,
        159,
        55,
        42,
        200,
        179,
        172
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault, whose perpetual hedge trades."
          ],
          "writable": true,
          "relations": [
            "market",
            "markRegistry",
            "provider"
          ]
        },
        {
          "name": "keeper",
          "docs": [
            "The vault's keeper: signs."
          ],
          "signer": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The hedged market."
          ],
          "writable": true
        },
        {
          "name": "book",
          "docs": [
            "The market's series book: the vault's hedge position lives here."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "hedgeBook",
          "docs": [
            "The hedge book: the best live quote fills, and the sequence advances."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "markRegistry",
          "docs": [
            "The vault's mark registry, re-synced after the fill."
          ],
          "writable": true
        },
        {
          "name": "provider",
          "docs": [
            "The provider behind the best live quote."
          ],
          "writable": true
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        }
      ],
      "args": [
        {
          "name": "expectedSeq",
          "docs": [
            "the hedge book's rebalance sequence as read; must match."
          ],
          "type": "u64"
        },
        {
          "name": "size",
          "docs": [
            "SIZE_PRECISION; > 0 the vault buys."
          ],
          "type": "i64"
        },
        {
          "name": "maxSlippageBps",
          "docs": [
            "the worst fill accepted, bps from the oracle."
          ],
          "type": "u16"
        }
      ]
    },
    {
      "name": "rebalanceOptionHedge",
      "docs": [
        "Keeper: the vault buys (`size` > 0) or sells a listed series from the best live option",
        "quote on it (lowest ask, highest bid), at the provider's vol and the oracle price, no",
        "worse than `limit_vol`, to bring its vega or gamma back toward its band.",
        "Sequence-guarded with `rebalance_hedge` (`expected_seq`). The provider's vol may be at",
        "most the market's `max_option_hedge_vol_edge_bps` from the surface's on the side that",
        "costs the vault (`OptionHedgeVolAboveMarketLimit`), and the fill must cut the vault's",
        "option risk, |net vega| / `max_net_vega` + |net dollar gamma| / `max_net_gamma`, by at",
        "least half of the risk it trades (`OptionHedgeDoesNotCutOptionRisk`: a keeper key can",
        "hedge, not churn). The position then lives in the provider's margin account like any",
        "trader's: margined, liquidated and settled the same way. A best quote the provider can no",
        "longer carry (initial margin after the fill, premium included) is withdrawn instead",
        "(`HedgeQuoteCancelled`, sequence unchanged).",
        "",
        "- `expected_seq`: the hedge book's rebalance sequence as read; must match.",
        "- `series_index`: the series' slot in the book.",
        "- `size`: SIZE_PRECISION; > 0 the vault buys.",
        "- `limit_vol`: VOL_PRECISION (1e-6): the worst vol accepted."
      ],
      "discriminator": [
        222,
        40,
        125,
        236,
        117,
        146,
        118,
        94
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault, which buys or sells the option."
          ],
          "writable": true,
          "relations": [
            "market",
            "markRegistry",
            "provider"
          ]
        },
        {
          "name": "keeper",
          "docs": [
            "The vault's keeper: signs."
          ],
          "signer": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market of the series."
          ],
          "writable": true
        },
        {
          "name": "book",
          "docs": [
            "The series book: open interest moves."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "surface",
          "docs": [
            "The market's surface: the fill's vol is bounded against it."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "hedgeBook",
          "docs": [
            "The hedge book holding the provider's option quote; the sequence advances."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "markRegistry",
          "docs": [
            "The vault's mark registry, re-synced after the fill."
          ],
          "writable": true
        },
        {
          "name": "provider",
          "docs": [
            "The provider behind the best live quote on the series."
          ],
          "writable": true
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        }
      ],
      "args": [
        {
          "name": "expectedSeq",
          "docs": [
            "the hedge book's rebalance sequence as read; must match."
          ],
          "type": "u64"
        },
        {
          "name": "seriesIndex",
          "docs": [
            "the series' slot in the book."
          ],
          "type": "u8"
        },
        {
          "name": "size",
          "docs": [
            "SIZE_PRECISION; > 0 the vault buys."
          ],
          "type": "i64"
        },
        {
          "name": "limitVol",
          "docs": [
            "VOL_PRECISION (1e-6): the worst vol accepted."
          ],
          "type": "u64"
        }
      ]
    },
    {
      "name": "refreshMarketPrice",
      "docs": [
        "Permissionless crank: stores the market's latest validated oracle price (never an older one",
        "than it holds; see `oracle::read_market_price`)."
      ],
      "discriminator": [
        66,
        92,
        186,
        127,
        188,
        0,
        23,
        207
      ],
      "accounts": [
        {
          "name": "market",
          "docs": [
            "The market whose price for this slot is recorded."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  109,
                  97,
                  114,
                  107,
                  101,
                  116
                ]
              },
              {
                "kind": "account",
                "path": "market.vault",
                "account": "market"
              },
              {
                "kind": "account",
                "path": "market.index",
                "account": "market"
              }
            ]
          }
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        }
      ],
      "args": []
    },
    {
      "name": "refreshMarks",
      "docs": [
        "Permissionless crank: re-prices every series with open interest at the oracle spot and the",
        "posted surface (an ageing surface still gives marks that follow spot; trading is what a stale",
        "surface stops), then refreshes the vault's exposure in the mark registry. Deposits and",
        "withdrawals need it within `marks_max_age_secs` while the vault holds positions."
      ],
      "discriminator": [
        102,
        101,
        2,
        228,
        83,
        99,
        242,
        58
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault (confidence multiplier, collateral decimals)."
          ],
          "writable": true,
          "relations": [
            "market",
            "markRegistry"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market re-marked at this slot's price."
          ],
          "writable": true
        },
        {
          "name": "book",
          "docs": [
            "The series book whose marks are recomputed."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "surface",
          "docs": [
            "The market's surface."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "markRegistry",
          "docs": [
            "The vault's mark registry: the market's valuation, recorded for this slot."
          ],
          "writable": true
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        }
      ],
      "args": []
    },
    {
      "name": "refreshScenarios",
      "docs": [
        "Permissionless crank for portfolio margin: revalues series `first_series` ..",
        "`first_series + series_count` (those listed or still held) over the market's scenario grid",
        "(`math::portfolio`: spot moves with vol up and down, and the extreme moves) at the oracle",
        "spot and the surface vol, and caches the values beside each mark. PM accounts need the",
        "cache of every series they hold within `marks_max_age_secs`. Chunked, so a 32-series book",
        "fits in any transaction's compute budget. `PortfolioMarginNotEnabled` on a market without",
        "a PM price range, `InvalidSeriesRange` for an empty range or one beyond the book.",
        "",
        "- `first_series`: the first slot of the chunk.",
        "- `series_count`: slots in the chunk."
      ],
      "discriminator": [
        67,
        200,
        107,
        99,
        62,
        89,
        132,
        235
      ],
      "accounts": [
        {
          "name": "market",
          "docs": [
            "The market whose portfolio-margin scenario cache is recomputed."
          ],
          "writable": true
        },
        {
          "name": "book",
          "docs": [
            "The series book holding the cache."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "surface",
          "docs": [
            "The market's surface."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        }
      ],
      "args": [
        {
          "name": "firstSeries",
          "docs": [
            "the first slot of the chunk."
          ],
          "type": "u8"
        },
        {
          "name": "seriesCount",
          "docs": [
            "slots in the chunk."
          ],
          "type": "u8"
        }
      ]
    },
    {
      "name": "registerHedgeProvider",
      "docs": [
        "Registers the signer's margin account as a hedge provider of its market: it takes a quote",
        "slot in the market's `HedgeBook` (empty until `post_hedge_quote`). Its perpetual is margined",
        "and liquidatable with the rest of the account. When every slot is taken, `evict` may name a",
        "provider whose quote is dead (expired or empty) and whose perpetual is flat: it loses its",
        "slot to the newcomer, so idle registrations cannot squat the book."
      ],
      "discriminator": [
        28,
        102,
        255,
        95,
        220,
        29,
        211,
        233
      ],
      "accounts": [
        {
          "name": "market",
          "docs": [
            "The market the provider hedges."
          ]
        },
        {
          "name": "hedgeBook",
          "docs": [
            "The hedge book the provider joins (or a slot it takes over from an idle provider)."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "marginAccount",
          "docs": [
            "The provider's margin account: flat outside this market."
          ],
          "writable": true
        },
        {
          "name": "owner",
          "docs": [
            "The provider: signs."
          ],
          "signer": true
        },
        {
          "name": "evict",
          "docs": [
            "A provider whose quotes do not hold its slot (`HedgeQuote::holds_slot`), to evict when",
            "the book is full."
          ],
          "writable": true,
          "optional": true
        }
      ],
      "args": []
    },
    {
      "name": "requestLiquidityWithdrawal",
      "docs": [
        "LP: escrows `shares` for withdrawal at their value now (NAV less the LP band). They keep",
        "bearing the vault's losses until `withdraw_liquidity` completes the request after",
        "`withdrawal_delay_secs`, so an LP cannot leave ahead of bad debt the keeper has yet to book.",
        "",
        "- `shares`: share units escrowed."
      ],
      "discriminator": [
        102,
        241,
        42,
        173,
        156,
        192,
        6,
        17
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault."
          ]
        },
        {
          "name": "owner",
          "docs": [
            "The LP: signs and pays the request's rent."
          ],
          "writable": true,
          "signer": true
        },
        {
          "name": "shareMint",
          "docs": [
            "The vault's LP share mint."
          ],
          "relations": [
            "vault"
          ]
        },
        {
          "name": "ownerShares",
          "docs": [
            "The LP's share token account: the shares move into escrow."
          ],
          "writable": true
        },
        {
          "name": "withdrawalRequest",
          "docs": [
            "The new pending withdrawal (PDA of the vault and the owner)."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  119,
                  105,
                  116,
                  104,
                  100,
                  114,
                  97,
                  119,
                  97,
                  108
                ]
              },
              {
                "kind": "account",
                "path": "vault"
              },
              {
                "kind": "account",
                "path": "owner"
              }
            ]
          }
        },
        {
          "name": "withdrawalShares",
          "docs": [
            "Escrow of the requested shares, owned by the vault PDA until `withdraw_liquidity` burns them",
            "or",
            "`cancel_liquidity_withdrawal` returns them."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  119,
                  105,
                  116,
                  104,
                  100,
                  114,
                  97,
                  119,
                  97,
                  108,
                  95,
                  115,
                  104,
                  97,
                  114,
                  101,
                  115
                ]
              },
              {
                "kind": "account",
                "path": "vault"
              },
              {
                "kind": "account",
                "path": "owner"
              }
            ]
          }
        },
        {
          "name": "tokenProgram",
          "docs": [
            "SPL Token."
          ],
          "address": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
        },
        {
          "name": "systemProgram",
          "docs": [
            "The system program."
          ],
          "address": "11111111111111111111111111111111"
        },
        {
          "name": "markRegistry",
          "docs": [
            "The vault's mark registry: needed only while a market cannot re-mark, which LP flows then",
            "price at the worse side."
          ],
          "optional": true
        }
      ],
      "args": [
        {
          "name": "shares",
          "docs": [
            "share units escrowed."
          ],
          "type": "u64"
        }
      ]
    },
    {
      "name": "setMarginMode",
      "docs": [
        "Owner: chooses how the account's requirement is computed, `0` standard (per position,",
        "the default) or `1` portfolio (the worst loss of the whole book over the market's",
        "scenario grid, plus contingencies; initial = maintenance × `pm_initial_factor_bps`).",
        "Refused while trading is paused, on a market without PM (`PortfolioMarginNotEnabled`),",
        "and when the account would be below initial margin, or a standing hedge quote unbacked,",
        "under the new rule (`InsufficientMargin`).",
        "",
        "- `margin_mode`: 0 = standard, 1 = portfolio margin."
      ],
      "discriminator": [
        5,
        101,
        91,
        213,
        197,
        84,
        109,
        78
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault (pause flags, confidence multiplier)."
          ],
          "relations": [
            "market",
            "marginAccount"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market whose rule the account switches to."
          ],
          "writable": true
        },
        {
          "name": "book",
          "docs": [
            "The market's series book (the account is judged under the new rule)."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "hedgeBook",
          "docs": [
            "The market's hedge book: a provider's standing quotes must stay backed."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "marginAccount",
          "docs": [
            "The account switching rule."
          ],
          "writable": true
        },
        {
          "name": "owner",
          "docs": [
            "Its owner: signs."
          ],
          "signer": true
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        }
      ],
      "args": [
        {
          "name": "marginMode",
          "docs": [
            "0 = standard, 1 = portfolio margin."
          ],
          "type": "u8"
        }
      ]
    },
    {
      "name": "setPause",
      "docs": [
        "Admin: sets the per-action pause flags (`state::pause`): deposits, LP withdrawals, trading,",
        "liquidations, reduce-only trading, traders' collateral withdrawals.",
        "",
        "- `pause_flags`: the new flags, a bit per action (`state::pause`)."
      ],
      "discriminator": [
        63,
        32,
        154,
        2,
        56,
        103,
        79,
        45
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault whose pause flags change."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116
                ]
              },
              {
                "kind": "account",
                "path": "vault.creator",
                "account": "vault"
              },
              {
                "kind": "account",
                "path": "vault.collateral_mint",
                "account": "vault"
              }
            ]
          }
        },
        {
          "name": "admin",
          "docs": [
            "The vault's admin: signs."
          ],
          "signer": true,
          "relations": [
            "vault"
          ]
        }
      ],
      "args": [
        {
          "name": "pauseFlags",
          "docs": [
            "the new flags, a bit per action (`state::pause`)."
          ],
          "type": "u8"
        }
      ]
    },
    {
      "name": "settlePosition",
      "docs": [
        "Anyone: after `settle_series` is final, settles one account's position in the series at",
        "exactly its intrinsic value and clears it. A short pays into LP assets (any shortfall is",
        "bad debt). A long is paid in full only if the vault's cash covers every long still owed",
        "in the market; otherwise its value becomes a claim (`unpaid_settlement`). Claims are",
        "funded by the same fraction for all, and a call for an account with no position in the",
        "series collects what was set aside for it (`SettlementClaimPaid`).",
        "",
        "- `series_index`: the series' slot in the book."
      ],
      "discriminator": [
        33,
        156,
        74,
        218,
        215,
        42,
        112,
        175
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault: pays or collects the settlement."
          ],
          "writable": true,
          "relations": [
            "market",
            "markRegistry",
            "marginAccount"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market of the series."
          ]
        },
        {
          "name": "book",
          "docs": [
            "The series book: the settled series' open interest shrinks."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "markRegistry",
          "docs": [
            "The vault's mark registry: the claims gate and the market's valuation."
          ],
          "writable": true
        },
        {
          "name": "marginAccount",
          "docs": [
            "The account whose position in the series settles."
          ],
          "writable": true
        },
        {
          "name": "collateralMint",
          "docs": [
            "The vault's collateral mint."
          ],
          "relations": [
            "vault"
          ]
        },
        {
          "name": "vaultToken",
          "docs": [
            "The vault's collateral token account."
          ],
          "writable": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "insuranceToken",
          "docs": [
            "The insurance fund's collateral token account: tops up what the vault cannot pay."
          ],
          "writable": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "tokenProgram",
          "docs": [
            "SPL Token."
          ],
          "address": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
        }
      ],
      "args": [
        {
          "name": "seriesIndex",
          "docs": [
            "the series' slot in the book."
          ],
          "type": "u8"
        }
      ]
    },
    {
      "name": "settleSeries",
      "docs": [
        "Permissionless: settles an expired series at a price no caller chooses, the **earliest**",
        "Pyth update published at or after expiry that anyone brings (SECURITY.md, \"Settlement\").",
        "",
        "- The first call after expiry proposes `settlement_oracle` (for a pull feed any verified",
        "update of the market's feed, for a legacy feed the price account itself): published at or",
        "after expiry and within `settlement_window_secs` of it, or, once that window has passed",
        "with no proposal, at any time after expiry (the late path, so a missed window never",
        "strands a series). The proposal is final `settlement_window_secs` after it was made.",
        "- Until then, any call with an update published earlier than the proposal (still at or after",
        "expiry) replaces it; a later or equal one fails with `SettlementPriceNotEarlier`.",
        "- The first call after that finalises: the series is marked at its intrinsic value for good",
        "and the vault's NAV inputs are refreshed at the current oracle price. Later calls fail with",
        "`SeriesAlreadySettled` and change nothing.",
        "",
        "- `series_index`: the series' slot in the book."
      ],
      "discriminator": [
        117,
        139,
        23,
        250,
        111,
        55,
        22,
        125
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault."
          ],
          "writable": true,
          "relations": [
            "market",
            "markRegistry"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market of the series."
          ],
          "writable": true
        },
        {
          "name": "book",
          "docs": [
            "The series book: the proposal, dispute or final price is recorded."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "markRegistry",
          "docs": [
            "The vault's mark registry: the settled series is valued at intrinsic."
          ],
          "writable": true
        },
        {
          "name": "settlementOracle",
          "docs": [
            "The Pyth update proposed as the settlement price (at or after expiry).",
            "configuration."
          ]
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        }
      ],
      "args": [
        {
          "name": "seriesIndex",
          "docs": [
            "the series' slot in the book."
          ],
          "type": "u8"
        }
      ]
    },
    {
      "name": "tradeOption",
      "docs": [
        "Buys (`size` > 0) or sells (`size` < 0) `|size|` units of a series against the vault.",
        "",
        "Price = fresh Black-76 on the oracle spot and the surface's vol moved against the vault's",
        "vega and gamma in the series' expiry after the trade (`inventory_skew_bps`), ± a spread",
        "that widens with the vault's cap utilisation, plus a taker fee (and a vega fee on trades",
        "that add vega risk) to the vault. `limit` is the trader's slippage",
        "bound in collateral units: the most a buyer pays, the least a seller receives. Afterwards the",
        "trader must meet initial margin (unless the trade only reduces the position), the vault's",
        "net delta and vega may not move past their caps away from zero, and the vault's locked",
        "collateral and NAV inputs are updated. Under the `REDUCE_ONLY` pause only trades that shrink",
        "the trader's position pass.",
        "",
        "- `series_index`: the series' slot in the book.",
        "- `size`: SIZE_PRECISION (1e-6 of the underlying); > 0 buys from the vault, < 0 sells to it.",
        "- `limit`: collateral units: the most a buyer pays, the least a seller receives, fee",
        "included."
      ],
      "discriminator": [
        227,
        60,
        226,
        126,
        96,
        109,
        242,
        183
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault, the trade's counterparty: LP assets pay or receive the premium."
          ],
          "writable": true,
          "relations": [
            "market",
            "markRegistry",
            "marginAccount"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market of the series; the trader's other markets follow as remaining accounts."
          ],
          "writable": true
        },
        {
          "name": "book",
          "docs": [
            "The series book: open interest and the series' mark move."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "surface",
          "docs": [
            "The market's surface, which prices the series."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "markRegistry",
          "docs": [
            "The vault's mark registry, re-synced after the trade."
          ],
          "writable": true
        },
        {
          "name": "marginAccount",
          "docs": [
            "The trader's margin account."
          ],
          "writable": true
        },
        {
          "name": "trader",
          "docs": [
            "Its owner: signs."
          ],
          "signer": true
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        }
      ],
      "args": [
        {
          "name": "seriesIndex",
          "docs": [
            "the series' slot in the book."
          ],
          "type": "u8"
        },
        {
          "name": "size",
          "docs": [
            "SIZE_PRECISION (1e-6 of the underlying); > 0 buys from the vault, < 0 sells to it."
          ],
          "type": "i64"
        },
        {
          "name": "limit",
          "docs": [
            "collateral units: the most a buyer pays, the least a seller receives, fee included."
          ],
          "type": "u64"
        }
      ]
    },
    {
      "name": "updateParams",
      "docs": [
        "Admin: bounded vault parameters that apply at once: the deposit cap and minimum, and a",
        "higher confidence multiplier. Anything that loosens risk goes through `propose_params`.",
        "",
        "- `params`: the new vault parameters, only tightening."
      ],
      "discriminator": [
        108,
        178,
        190,
        95,
        94,
        203,
        116,
        20
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault whose parameters tighten."
          ],
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116
                ]
              },
              {
                "kind": "account",
                "path": "vault.creator",
                "account": "vault"
              },
              {
                "kind": "account",
                "path": "vault.collateral_mint",
                "account": "vault"
              }
            ]
          }
        },
        {
          "name": "admin",
          "docs": [
            "The vault's admin: signs."
          ],
          "signer": true,
          "relations": [
            "vault"
          ]
        }
      ],
      "args": [
        {
          "name": "params",
          "docs": [
            "the new vault parameters, only tightening."
          ],
          "type": {
            "defined": {
              "name": "vaultParams"
            }
          }
        }
      ]
    },
    {
      "name": "updateVolSurface",
      "docs": [
        "Keeper: posts the market's volatility surface (one raw-SVI smile per expiry, expiry",
        "ascending). Rejected unless every smile is in bounds with positive variance everywhere and",
        "ATM total variance is non-decreasing in expiry; unless it prices every listed series with",
        "open interest; and unless, at every listed series (strike and expiry, at this slot's",
        "oracle price, which it reads and records), implied variance stays within",
        "`surface_max_change_bps` of the surface at the start of the change window",
        "(`surface_max_age_secs` long). The limit is cumulative over the window and holds against",
        "a stale surface too: an ageing surface halts trading, it never lifts the limit.",
        "",
        "- `slices`: one raw-SVI smile per expiry, expiry ascending (`SviSlice`)."
      ],
      "discriminator": [
        144,
        71,
        46,
        188,
        65,
        248,
        222,
        108
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "keeper",
          "docs": [
            "The vault's keeper: signs."
          ],
          "signer": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market whose surface changes; this slot's price is recorded."
          ],
          "writable": true
        },
        {
          "name": "surface",
          "docs": [
            "The surface: the slices in force and the change window's anchor."
          ],
          "writable": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "book",
          "docs": [
            "The listed series, where the change limit is measured."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        }
      ],
      "args": [
        {
          "name": "slices",
          "docs": [
            "one raw-SVI smile per expiry, expiry ascending (`SviSlice`)."
          ],
          "type": {
            "vec": {
              "defined": {
                "name": "sviSlice"
              }
            }
          }
        }
      ]
    },
    {
      "name": "withdrawCollateral",
      "docs": [
        "Pays collateral out of a margin account, only while the account still meets initial margin",
        "afterwards (valued at the oracle's conservative price and fresh marks): its options, its",
        "perpetual and, for a hedge provider, a full fill of its standing quote.",
        "",
        "- `amount`: collateral units."
      ],
      "discriminator": [
        115,
        135,
        168,
        106,
        139,
        214,
        138,
        150
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault (pause flags; traders' collateral shrinks)."
          ],
          "writable": true,
          "relations": [
            "market",
            "marginAccount"
          ]
        },
        {
          "name": "market",
          "docs": [
            "The market the account is judged in first; its other markets follow as remaining accounts."
          ],
          "writable": true
        },
        {
          "name": "book",
          "docs": [
            "The market's series book."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "hedgeBook",
          "docs": [
            "The market's hedge book: a provider's standing quotes must stay backed."
          ],
          "relations": [
            "market"
          ]
        },
        {
          "name": "marginAccount",
          "docs": [
            "The owner's margin account, debited."
          ],
          "writable": true
        },
        {
          "name": "owner",
          "docs": [
            "Signs."
          ],
          "signer": true
        },
        {
          "name": "collateralMint",
          "docs": [
            "The vault's collateral mint."
          ],
          "relations": [
            "vault"
          ]
        },
        {
          "name": "vaultToken",
          "docs": [
            "The vault's collateral token account, which pays."
          ],
          "writable": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "ownerCollateral",
          "docs": [
            "Where the collateral goes."
          ],
          "writable": true
        },
        {
          "name": "oracle",
          "docs": [
            "The market's Pyth price account (a pull `PriceUpdateV2`, or a legacy price account)."
          ]
        },
        {
          "name": "tokenProgram",
          "docs": [
            "SPL Token."
          ],
          "address": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
        }
      ],
      "args": [
        {
          "name": "amount",
          "docs": [
            "collateral units."
          ],
          "type": "u64"
        }
      ]
    },
    {
      "name": "withdrawLiquidity",
      "docs": [
        "LP: completes a due withdrawal request: burns the escrowed shares and pays the smaller of",
        "their value at the request and now."
      ],
      "discriminator": [
        149,
        158,
        33,
        185,
        47,
        243,
        253,
        31
      ],
      "accounts": [
        {
          "name": "vault",
          "docs": [
            "The vault: LP assets shrink by the payout."
          ],
          "writable": true,
          "relations": [
            "withdrawalRequest"
          ]
        },
        {
          "name": "owner",
          "docs": [
            "Receives the collateral's and the request's rent."
          ],
          "writable": true,
          "signer": true,
          "relations": [
            "withdrawalRequest"
          ]
        },
        {
          "name": "collateralMint",
          "docs": [
            "The vault's collateral mint."
          ],
          "relations": [
            "vault"
          ]
        },
        {
          "name": "shareMint",
          "docs": [
            "The vault's LP share mint: the escrowed shares burn."
          ],
          "writable": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "vaultToken",
          "docs": [
            "The vault's collateral token account, which pays."
          ],
          "writable": true,
          "relations": [
            "vault"
          ]
        },
        {
          "name": "withdrawalRequest",
          "docs": [
            "The pending withdrawal, past its delay; closed."
          ],
          "writable": true
        },
        {
          "name": "withdrawalShares",
          "docs": [
            "Its share escrow, burned whole and closed."
          ],
          "writable": true,
          "relations": [
            "withdrawalRequest"
          ]
        },
        {
          "name": "ownerCollateral",
          "docs": [
            "The LP's collateral token account, credited."
          ],
          "writable": true
        },
        {
          "name": "tokenProgram",
          "docs": [
            "SPL Token."
          ],
          "address": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
        },
        {
          "name": "markRegistry",
          "docs": [
            "The vault's mark registry: needed only while a market cannot re-mark, which LP flows then",
            "price at the worse side."
          ],
          "optional": true
        }
      ],
      "args": []
    }
  ],
  "accounts": [
    {
      "name": "hedgeBook",
      "discriminator": [
        68,
        227,
        190,
        100,
        190,
        158,
        213,
        57
      ]
    },
    {
      "name": "marginAccount",
      "discriminator": [
        133,
        220,
        173,
        213,
        179,
        211,
        43,
        238
      ]
    },
    {
      "name": "markRegistry",
      "discriminator": [
        134,
        42,
        106,
        171,
        169,
        146,
        19,
        187
      ]
    },
    {
      "name": "market",
      "discriminator": [
        219,
        190,
        213,
        55,
        0,
        227,
        198,
        154
      ]
    },
    {
      "name": "paramsProposal",
      "discriminator": [
        180,
        253,
        239,
        181,
        110,
        222,
        195,
        234
      ]
    },
    {
      "name": "riskProposal",
      "discriminator": [
        183,
        250,
        130,
        185,
        22,
        143,
        237,
        246
      ]
    },
    {
      "name": "seriesBook",
      "discriminator": [
        168,
        234,
        40,
        209,
        248,
        228,
        104,
        111
      ]
    },
    {
      "name": "vault",
      "discriminator": [
        211,
        8,
        232,
        43,
        2,
        152,
        117,
        119
      ]
    },
    {
      "name": "volSurface",
      "discriminator": [
        48,
        122,
        117,
        169,
        225,
        208,
        213,
        168
      ]
    },
    {
      "name": "withdrawalRequest",
      "discriminator": [
        242,
        88,
        147,
        173,
        182,
        62,
        229,
        193
      ]
    }
  ],
  "events": [
    {
      "name": "authorityAccepted",
      "discriminator": [
        166,
        192,
        219,
        188,
        41,
        209,
        195,
        26
      ]
    },
    {
      "name": "authorityProposed",
      "discriminator": [
        244,
        117,
        94,
        112,
        53,
        151,
        35,
        89
      ]
    },
    {
      "name": "badDebt",
      "discriminator": [
        192,
        33,
        54,
        41,
        223,
        158,
        37,
        34
      ]
    },
    {
      "name": "collateralDeposited",
      "discriminator": [
        244,
        62,
        77,
        11,
        135,
        112,
        61,
        96
      ]
    },
    {
      "name": "collateralWithdrawn",
      "discriminator": [
        51,
        224,
        133,
        106,
        74,
        173,
        72,
        82
      ]
    },
    {
      "name": "hedgeProviderDeregistered",
      "discriminator": [
        216,
        211,
        251,
        43,
        218,
        56,
        234,
        119
      ]
    },
    {
      "name": "hedgeProviderRegistered",
      "discriminator": [
        84,
        164,
        211,
        225,
        122,
        213,
        155,
        205
      ]
    },
    {
      "name": "hedgeQuoteCancelled",
      "discriminator": [
        183,
        154,
        213,
        126,
        17,
        225,
        86,
        147
      ]
    },
    {
      "name": "hedgeQuotePosted",
      "discriminator": [
        228,
        222,
        197,
        39,
        249,
        138,
        44,
        126
      ]
    },
    {
      "name": "hedgeRebalanced",
      "discriminator": [
        168,
        69,
        31,
        246,
        107,
        225,
        33,
        238
      ]
    },
    {
      "name": "liquidated",
      "discriminator": [
        231,
        57,
        55,
        75,
        0,
        170,
        246,
        68
      ]
    },
    {
      "name": "liquidityDeposited",
      "discriminator": [
        218,
        155,
        74,
        193,
        59,
        66,
        94,
        122
      ]
    },
    {
      "name": "liquidityWithdrawalCancelled",
      "discriminator": [
        189,
        169,
        63,
        25,
        163,
        117,
        241,
        31
      ]
    },
    {
      "name": "liquidityWithdrawalRequested",
      "discriminator": [
        132,
        238,
        174,
        94,
        252,
        133,
        59,
        180
      ]
    },
    {
      "name": "liquidityWithdrawn",
      "discriminator": [
        240,
        120,
        73,
        139,
        154,
        31,
        218,
        68
      ]
    },
    {
      "name": "marginAccountClosed",
      "discriminator": [
        234,
        104,
        71,
        148,
        114,
        30,
        107,
        38
      ]
    },
    {
      "name": "marginAccountOpened",
      "discriminator": [
        189,
        250,
        13,
        160,
        253,
        205,
        219,
        251
      ]
    },
    {
      "name": "marginHealth",
      "discriminator": [
        24,
        159,
        25,
        46,
        165,
        92,
        101,
        131
      ]
    },
    {
      "name": "marginModeSet",
      "discriminator": [
        192,
        27,
        40,
        80,
        79,
        77,
        121,
        88
      ]
    },
    {
      "name": "marketCreated",
      "discriminator": [
        88,
        184,
        130,
        231,
        226,
        84,
        6,
        58
      ]
    },
    {
      "name": "marketPriceRefreshed",
      "discriminator": [
        80,
        23,
        50,
        126,
        203,
        223,
        228,
        157
      ]
    },
    {
      "name": "marketRiskChange",
      "discriminator": [
        63,
        254,
        155,
        22,
        1,
        139,
        176,
        176
      ]
    },
    {
      "name": "marksRefreshed",
      "discriminator": [
        167,
        14,
        42,
        220,
        12,
        61,
        217,
        219
      ]
    },
    {
      "name": "optionHedgeRebalanced",
      "discriminator": [
        182,
        180,
        199,
        105,
        249,
        199,
        59,
        149
      ]
    },
    {
      "name": "optionQuotePosted",
      "discriminator": [
        239,
        215,
        198,
        207,
        173,
        49,
        167,
        159
      ]
    },
    {
      "name": "optionTraded",
      "discriminator": [
        188,
        142,
        35,
        153,
        27,
        254,
        127,
        233
      ]
    },
    {
      "name": "paramsUpdated",
      "discriminator": [
        2,
        163,
        138,
        99,
        135,
        11,
        136,
        169
      ]
    },
    {
      "name": "pauseFlagsSet",
      "discriminator": [
        67,
        234,
        75,
        170,
        161,
        26,
        210,
        36
      ]
    },
    {
      "name": "positionSettled",
      "discriminator": [
        75,
        100,
        92,
        189,
        245,
        116,
        252,
        221
      ]
    },
    {
      "name": "scenariosRefreshed",
      "discriminator": [
        96,
        220,
        235,
        9,
        251,
        149,
        30,
        71
      ]
    },
    {
      "name": "seriesDelisted",
      "discriminator": [
        4,
        60,
        84,
        155,
        85,
        94,
        123,
        250
      ]
    },
    {
      "name": "seriesListed",
      "discriminator": [
        234,
        122,
        29,
        253,
        225,
        171,
        71,
        93
      ]
    },
    {
      "name": "seriesSettled",
      "discriminator": [
        119,
        185,
        208,
        158,
        40,
        59,
        197,
        235
      ]
    },
    {
      "name": "settlementClaimPaid",
      "discriminator": [
        251,
        143,
        3,
        47,
        176,
        26,
        249,
        53
      ]
    },
    {
      "name": "settlementProposed",
      "discriminator": [
        139,
        32,
        64,
        205,
        27,
        154,
        100,
        147
      ]
    },
    {
      "name": "vaultInitialized",
      "discriminator": [
        180,
        43,
        207,
        2,
        18,
        71,
        3,
        75
      ]
    },
    {
      "name": "vaultParamsChange",
      "discriminator": [
        1,
        220,
        46,
        9,
        69,
        17,
        232,
        127
      ]
    },
    {
      "name": "volSurfaceUpdated",
      "discriminator": [
        181,
        130,
        73,
        177,
        37,
        125,
        123,
        6
      ]
    }
  ],
  "errors": [
    {
      "code": 6000,
      "name": "zeroAmount",
      "msg": "Amount must be greater than zero"
    },
    {
      "code": 6001,
      "name": "mathOverflow",
      "msg": "Arithmetic overflow"
    },
    {
      "code": 6002,
      "name": "belowMinimumDeposit",
      "msg": "Deposit is below the vault's minimum deposit"
    },
    {
      "code": 6003,
      "name": "depositCapExceeded",
      "msg": "Deposit would exceed the vault's deposit cap"
    },
    {
      "code": 6004,
      "name": "zeroSharesMinted",
      "msg": "Deposit is too small to mint a single share"
    },
    {
      "code": 6005,
      "name": "zeroAssetsOut",
      "msg": "Withdrawal is too small to pay out a single collateral unit"
    },
    {
      "code": 6006,
      "name": "insufficientBalance",
      "msg": "Token account balance is too low"
    },
    {
      "code": 6007,
      "name": "insufficientShares",
      "msg": "Not enough shares"
    },
    {
      "code": 6008,
      "name": "insufficientFreeCollateral",
      "msg": "Withdrawal exceeds the vault's free collateral"
    },
    {
      "code": 6009,
      "name": "accountingMismatch",
      "msg": "Internal accounting does not match"
    },
    {
      "code": 6010,
      "name": "unauthorizedAdmin",
      "msg": "Signer is not the vault admin"
    },
    {
      "code": 6011,
      "name": "wrongCollateralMint",
      "msg": "Account is not the vault's collateral mint"
    },
    {
      "code": 6012,
      "name": "wrongShareMint",
      "msg": "Account is not the vault's share mint"
    },
    {
      "code": 6013,
      "name": "wrongVaultTokenAccount",
      "msg": "Account is not the vault's token account"
    },
    {
      "code": 6014,
      "name": "wrongTokenAccountOwner",
      "msg": "Token account is not owned by the signer"
    },
    {
      "code": 6015,
      "name": "wrongTokenAccountMint",
      "msg": "Token account holds a different mint"
    },
    {
      "code": 6016,
      "name": "wrongVault",
      "msg": "Market does not belong to this vault"
    },
    {
      "code": 6017,
      "name": "paramOutOfBounds",
      "msg": "Parameter outside its allowed bounds"
    },
    {
      "code": 6018,
      "name": "invalidPauseFlags",
      "msg": "Unknown pause flag bits"
    },
    {
      "code": 6019,
      "name": "unsupportedMintDecimals",
      "msg": "Collateral mint decimals are not supported"
    },
    {
      "code": 6020,
      "name": "invalidSymbol",
      "msg": "Market symbol must be non-empty ASCII"
    },
    {
      "code": 6021,
      "name": "tooManyMarkets",
      "msg": "Too many markets for this vault"
    },
    {
      "code": 6022,
      "name": "depositsPaused",
      "msg": "Deposits are paused"
    },
    {
      "code": 6023,
      "name": "withdrawalsPaused",
      "msg": "Withdrawals are paused"
    },
    {
      "code": 6024,
      "name": "tradingPaused",
      "msg": "Trading is paused"
    },
    {
      "code": 6025,
      "name": "liquidationsPaused",
      "msg": "Liquidations are paused"
    },
    {
      "code": 6026,
      "name": "oracleWrongOwner",
      "msg": "Oracle account is not owned by the Pyth program"
    },
    {
      "code": 6027,
      "name": "oracleWrongAccount",
      "msg": "Oracle account is not the one configured for this market"
    },
    {
      "code": 6028,
      "name": "oracleFeedMismatch",
      "msg": "Oracle feed id does not match the market's feed"
    },
    {
      "code": 6029,
      "name": "oracleInvalidData",
      "msg": "Oracle account data is not a valid Pyth price account"
    },
    {
      "code": 6030,
      "name": "oracleUnverified",
      "msg": "Oracle price update is not fully verified"
    },
    {
      "code": 6031,
      "name": "oracleNotTrading",
      "msg": "Oracle aggregate price is not in Trading status"
    },
    {
      "code": 6032,
      "name": "oracleStale",
      "msg": "Oracle price is stale"
    },
    {
      "code": 6033,
      "name": "oracleConfidenceTooWide",
      "msg": "Oracle confidence interval is too wide"
    },
    {
      "code": 6034,
      "name": "oracleNonPositivePrice",
      "msg": "Oracle price is not positive"
    },
    {
      "code": 6035,
      "name": "oracleExponentOutOfRange",
      "msg": "Oracle exponent is outside the supported range"
    },
    {
      "code": 6036,
      "name": "oracleKindUnsupported",
      "msg": "Oracle kind is not supported by this build"
    },
    {
      "code": 6037,
      "name": "invalidSeries",
      "msg": "Series strike, expiry or side is invalid"
    },
    {
      "code": 6038,
      "name": "duplicateSeries",
      "msg": "An identical series is already listed"
    },
    {
      "code": 6039,
      "name": "tooManySeries",
      "msg": "Every series slot of this market is in use"
    },
    {
      "code": 6040,
      "name": "seriesNotListed",
      "msg": "Series is not listed"
    },
    {
      "code": 6041,
      "name": "seriesExpired",
      "msg": "Series has expired"
    },
    {
      "code": 6042,
      "name": "seriesHasOpenInterest",
      "msg": "Series still has open interest"
    },
    {
      "code": 6043,
      "name": "wrongMarket",
      "msg": "Account does not belong to this market"
    },
    {
      "code": 6044,
      "name": "unauthorizedKeeper",
      "msg": "Signer is not the vault's keeper"
    },
    {
      "code": 6045,
      "name": "surfaceParamOutOfBounds",
      "msg": "Volatility surface parameter outside its bounds"
    },
    {
      "code": 6046,
      "name": "surfaceNegativeVariance",
      "msg": "Volatility surface has non-positive variance"
    },
    {
      "code": 6047,
      "name": "surfaceCalendarArbitrage",
      "msg": "Volatility surface has calendar arbitrage (ATM total variance falls with expiry)"
    },
    {
      "code": 6048,
      "name": "surfaceChangeTooLarge",
      "msg": "Volatility surface moved more than allowed in one update"
    },
    {
      "code": 6049,
      "name": "surfaceStale",
      "msg": "Volatility surface is stale"
    },
    {
      "code": 6050,
      "name": "seriesBeyondSurface",
      "msg": "Series expiry lies beyond the volatility surface"
    },
    {
      "code": 6051,
      "name": "pricingFailed",
      "msg": "Option pricing failed for these inputs"
    },
    {
      "code": 6052,
      "name": "marksStale",
      "msg": "Cached marks are stale: crank refresh_marks"
    },
    {
      "code": 6053,
      "name": "wrongMarginAccountOwner",
      "msg": "Signer does not own this margin account"
    },
    {
      "code": 6054,
      "name": "marginAccountNotEmpty",
      "msg": "Margin account still holds collateral or positions"
    },
    {
      "code": 6055,
      "name": "tooManyPositions",
      "msg": "Margin account has no free position slot"
    },
    {
      "code": 6056,
      "name": "insufficientCollateral",
      "msg": "Not enough collateral in the margin account"
    },
    {
      "code": 6057,
      "name": "insufficientMargin",
      "msg": "Account would not meet initial margin"
    },
    {
      "code": 6058,
      "name": "slippageExceeded",
      "msg": "Premium outside the trader's slippage limit"
    },
    {
      "code": 6059,
      "name": "deltaCapExceeded",
      "msg": "Trade would take the vault's net delta past its cap"
    },
    {
      "code": 6060,
      "name": "vegaCapExceeded",
      "msg": "Trade would take the vault's net vega past its cap"
    },
    {
      "code": 6061,
      "name": "insufficientVaultCollateral",
      "msg": "Vault has too little free collateral to back this trade"
    },
    {
      "code": 6062,
      "name": "accountHealthy",
      "msg": "Account meets maintenance margin: nothing to liquidate"
    },
    {
      "code": 6063,
      "name": "selfLiquidation",
      "msg": "An account cannot liquidate itself"
    },
    {
      "code": 6064,
      "name": "liquidatorUnderMargined",
      "msg": "Liquidator's margin account would not meet initial margin"
    },
    {
      "code": 6065,
      "name": "liquidationAccountsMissing",
      "msg": "Liquidation mode needs accounts that were not given"
    },
    {
      "code": 6066,
      "name": "settlementTooEarly",
      "msg": "Series has not expired yet"
    },
    {
      "code": 6067,
      "name": "settlementPriceBeforeExpiry",
      "msg": "Settlement price was published before expiry"
    },
    {
      "code": 6068,
      "name": "settlementPriceOutsideWindow",
      "msg": "Settlement price was published after the settlement window"
    },
    {
      "code": 6069,
      "name": "seriesAlreadySettled",
      "msg": "Series is already settled"
    },
    {
      "code": 6070,
      "name": "seriesNotSettled",
      "msg": "Series is not settled yet"
    },
    {
      "code": 6071,
      "name": "noPositionToSettle",
      "msg": "Account holds no position in this series"
    },
    {
      "code": 6072,
      "name": "insuranceMismatch",
      "msg": "Insurance fund accounting does not match its token account"
    },
    {
      "code": 6073,
      "name": "hedgeBookFull",
      "msg": "Every hedge provider slot of this market is in use"
    },
    {
      "code": 6074,
      "name": "hedgeProviderAlreadyRegistered",
      "msg": "Margin account is already a hedge provider"
    },
    {
      "code": 6075,
      "name": "notHedgeProvider",
      "msg": "Margin account is not a registered hedge provider"
    },
    {
      "code": 6076,
      "name": "invalidHedgeQuote",
      "msg": "Hedge quote spread or expiry outside its bounds"
    },
    {
      "code": 6077,
      "name": "noLiveHedgeQuote",
      "msg": "No live hedge quote can fill this size"
    },
    {
      "code": 6078,
      "name": "notBestHedgeQuote",
      "msg": "Provider account is not the best live hedge quote"
    },
    {
      "code": 6079,
      "name": "rebalanceSequenceMismatch",
      "msg": "Rebalance sequence does not match: already applied or out of date"
    },
    {
      "code": 6080,
      "name": "hedgeSlippageExceeded",
      "msg": "Hedge fill outside the keeper's slippage bound"
    },
    {
      "code": 6081,
      "name": "hedgeProviderUnderMargined",
      "msg": "Hedge provider would not meet initial margin"
    },
    {
      "code": 6082,
      "name": "hedgePositionOpen",
      "msg": "Account still holds a hedge position or provider registration"
    },
    {
      "code": 6083,
      "name": "oraclePriceNotNewest",
      "msg": "Oracle price is older than one this market already accepted"
    },
    {
      "code": 6084,
      "name": "hedgeQuoteUnbacked",
      "msg": "Hedge quote is not backed by the provider's collateral"
    },
    {
      "code": 6085,
      "name": "hedgeProviderSlotLive",
      "msg": "Hedge provider slot is still live: it cannot be evicted"
    },
    {
      "code": 6086,
      "name": "settlementPriceNotEarlier",
      "msg": "A settlement price proposal must be published earlier than the one recorded"
    },
    {
      "code": 6087,
      "name": "vaultInsolvent",
      "msg": "The vault owes more than it holds: deposits would pay old claims"
    },
    {
      "code": 6088,
      "name": "invalidAuthorityRole",
      "msg": "Unknown authority role (0 = admin, 1 = keeper)"
    },
    {
      "code": 6089,
      "name": "notPendingAuthority",
      "msg": "Signer is not the proposed successor for this role"
    },
    {
      "code": 6090,
      "name": "vaultNotCanonical",
      "msg": "Vault account is not the vault's canonical PDA"
    },
    {
      "code": 6091,
      "name": "tradingReduceOnly",
      "msg": "Trading is reduce-only: this trade would not shrink the position"
    },
    {
      "code": 6092,
      "name": "riskChangeNotDue",
      "msg": "The proposed risk parameters are not in effect yet"
    },
    {
      "code": 6093,
      "name": "paramsChangeNeedsDelay",
      "msg": "This change loosens risk or moves money between parties: propose it and wait"
    },
    {
      "code": 6094,
      "name": "withdrawalAlreadyRequested",
      "msg": "A withdrawal request is already pending: complete or cancel it first"
    },
    {
      "code": 6095,
      "name": "withdrawalNotDue",
      "msg": "The withdrawal delay has not passed yet"
    },
    {
      "code": 6096,
      "name": "wrongInsuranceTokenAccount",
      "msg": "Insurance token account does not match the vault"
    },
    {
      "code": 6097,
      "name": "wrongMarkRegistry",
      "msg": "Mark registry does not belong to this vault"
    },
    {
      "code": 6098,
      "name": "wrongWithdrawalRequest",
      "msg": "Withdrawal request or its escrow is not this owner's in this vault"
    },
    {
      "code": 6099,
      "name": "wrongMarginAccountVault",
      "msg": "Margin account does not belong to this vault"
    },
    {
      "code": 6100,
      "name": "hedgeSlippageAboveMarketLimit",
      "msg": "Hedge slippage bound above the market's max_hedge_slippage_bps"
    },
    {
      "code": 6101,
      "name": "rebalanceDoesNotReduceDelta",
      "msg": "Hedge fill would not reduce the vault's net delta by half of what it trades"
    },
    {
      "code": 6102,
      "name": "invalidOptionQuote",
      "msg": "Option quote invalid: series not listed or expired, vols not 0 < bid <= ask <= max, or expiry out of range"
    },
    {
      "code": 6103,
      "name": "optionQuoteUnbacked",
      "msg": "Option quote not backed: the provider would miss initial margin after a full fill"
    },
    {
      "code": 6104,
      "name": "noLiveOptionQuote",
      "msg": "No live option quote on this series can fill this size"
    },
    {
      "code": 6105,
      "name": "optionHedgeVolAboveMarketLimit",
      "msg": "Option hedge vol beyond the market's max_option_hedge_vol_edge_bps from the surface"
    },
    {
      "code": 6106,
      "name": "optionHedgeDoesNotReduceVega",
      "msg": "Option hedge would not reduce the vault's net vega by half of what it trades"
    },
    {
      "code": 6107,
      "name": "optionQuotesFull",
      "msg": "Provider already quotes the maximum number of series"
    },
    {
      "code": 6108,
      "name": "portfolioMarginNotEnabled",
      "msg": "Portfolio margin is not enabled on this market"
    },
    {
      "code": 6109,
      "name": "scenariosStale",
      "msg": "A held series' portfolio-margin scenarios are stale: refresh_scenarios first"
    },
    {
      "code": 6110,
      "name": "invalidMarginMode",
      "msg": "Unknown margin mode"
    },
    {
      "code": 6111,
      "name": "invalidSeriesRange",
      "msg": "Series range is empty or outside the book"
    },
    {
      "code": 6112,
      "name": "marketAccountsMissing",
      "msg": "The account holds positions in a market whose market, book and oracle accounts were not passed"
    },
    {
      "code": 6113,
      "name": "duplicateMarketAccounts",
      "msg": "A market's accounts were passed twice, or are this instruction's own market"
    },
    {
      "code": 6114,
      "name": "hedgeProviderOutsideItsMarket",
      "msg": "A hedge provider's account holds positions in its hedge market only"
    },
    {
      "code": 6115,
      "name": "optionHedgeDoesNotCutOptionRisk",
      "msg": "Option hedge would not cut the vault's vega and gamma, each over its cap, by half of what it trades"
    },
    {
      "code": 6116,
      "name": "marksNotCurrent",
      "msg": "LP flows price at marks of this slot's accepted price: refresh_marks every market the vault holds positions in first"
    }
  ],
  "types": [
    {
      "name": "authorityAccepted",
      "docs": [
        "The proposed successor signed and took over."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "role",
            "type": "u8"
          },
          {
            "name": "previous",
            "type": "pubkey"
          },
          {
            "name": "new",
            "type": "pubkey"
          }
        ]
      }
    },
    {
      "name": "authorityProposed",
      "docs": [
        "A successor was proposed for the admin (`role` 0) or the keeper (`role` 1); default clears."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "role",
            "type": "u8"
          },
          {
            "name": "current",
            "type": "pubkey"
          },
          {
            "name": "proposed",
            "type": "pubkey"
          }
        ]
      }
    },
    {
      "name": "badDebt",
      "docs": [
        "A shortfall an account could not pay: the insurance fund covered `insurance_paid`, LPs",
        "absorbed `socialised` through NAV (collateral units)."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "shortfall",
            "type": "u64"
          },
          {
            "name": "insurancePaid",
            "type": "u64"
          },
          {
            "name": "socialised",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "claimsPool",
      "docs": [
        "The distribution of cash to unpaid settlement claims (`controller::settlement`): every claim",
        "is funded by the same fraction, so no claimant gains by calling first."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "earmarked",
            "docs": [
              "LP cash set aside for claims and not yet collected (inside `Vault::lp_assets` and",
              "`Vault::unpaid_claims`)."
            ],
            "type": "u64"
          },
          {
            "name": "index",
            "docs": [
              "Π(1 − fraction funded) over this epoch's distributions (`INDEX_ONE` at its start): a",
              "claim snapshotted at index i is still owed in the proportion `index / i`."
            ],
            "type": "u64"
          },
          {
            "name": "epoch",
            "docs": [
              "Advances when a distribution funds every claim; a snapshot of an older epoch is funded."
            ],
            "type": "u32"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                4
              ]
            }
          }
        ]
      }
    },
    {
      "name": "collateralDeposited",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "name": "collateralAfter",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "collateralWithdrawn",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "name": "collateralAfter",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "hedgeBook",
      "docs": [
        "The market's hedge venue: registered providers' standing quotes and the keeper's rebalance",
        "sequence. The vault's own perpetual lives in the `SeriesBook` next to its option positions,",
        "so everything that values the vault's book sees it."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "rebalanceSeq",
            "docs": [
              "Incremented by every `rebalance_hedge`; each one names the value it expects, so a",
              "retried or duplicated transaction cannot hedge twice."
            ],
            "type": "u64"
          },
          {
            "name": "quotes",
            "type": {
              "array": [
                {
                  "defined": {
                    "name": "hedgeQuote"
                  }
                },
                8
              ]
            }
          },
          {
            "name": "providerCount",
            "type": "u8"
          },
          {
            "name": "bump",
            "type": "u8"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                6
              ]
            }
          }
        ]
      }
    },
    {
      "name": "hedgeProviderDeregistered",
      "docs": [
        "A provider left the hedge book (deregistered, or evicted from a dead slot)."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "marginAccount",
            "type": "pubkey"
          }
        ]
      }
    },
    {
      "name": "hedgeProviderRegistered",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "slot",
            "type": "u8"
          },
          {
            "name": "evicted",
            "docs": [
              "The provider whose dead slot this registration took, if any."
            ],
            "type": {
              "option": "pubkey"
            }
          }
        ]
      }
    },
    {
      "name": "hedgeQuote",
      "docs": [
        "One registered provider's standing quotes: on the market's perpetual, and on up to",
        "`MAX_OPTION_QUOTES` listed series."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "provider",
            "docs": [
              "The provider's margin account on this market (it holds the provider's side)."
            ],
            "type": "pubkey"
          },
          {
            "name": "maxVaultBuy",
            "docs": [
              "Most the provider still sells (the vault buys), SIZE_PRECISION; fills use it up."
            ],
            "type": "u64"
          },
          {
            "name": "maxVaultSell",
            "docs": [
              "Most the provider still buys (the vault sells)."
            ],
            "type": "u64"
          },
          {
            "name": "expiryTs",
            "docs": [
              "The quote is dead from this time on."
            ],
            "type": "i64"
          },
          {
            "name": "spreadBps",
            "docs": [
              "Half-spread around the oracle price, in bps."
            ],
            "type": "u16"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                6
              ]
            }
          },
          {
            "name": "options",
            "type": {
              "array": [
                {
                  "defined": {
                    "name": "optionQuote"
                  }
                },
                4
              ]
            }
          }
        ]
      }
    },
    {
      "name": "hedgeQuoteCancelled",
      "docs": [
        "`rebalance_hedge` found the best quote no longer backed by its provider's collateral and",
        "withdrew it instead of filling; the keeper's next plan uses the next best quote."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "oraclePrice",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "hedgeQuotePosted",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "maxVaultBuy",
            "type": "u64"
          },
          {
            "name": "maxVaultSell",
            "type": "u64"
          },
          {
            "name": "spreadBps",
            "type": "u16"
          },
          {
            "name": "expiryTs",
            "type": "i64"
          }
        ]
      }
    },
    {
      "name": "hedgeRebalanced",
      "docs": [
        "One hedge fill between the vault and a provider (sizes SIZE_PRECISION, prices quote)."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "provider",
            "type": "pubkey"
          },
          {
            "name": "seq",
            "docs": [
              "The sequence number this rebalance consumed (the book now holds `seq + 1`)."
            ],
            "type": "u64"
          },
          {
            "name": "size",
            "docs": [
              "Signed vault size: > 0 the vault bought."
            ],
            "type": "i64"
          },
          {
            "name": "oraclePrice",
            "type": "u64"
          },
          {
            "name": "fillPrice",
            "type": "u64"
          },
          {
            "name": "spreadBps",
            "type": "u16"
          },
          {
            "name": "vaultHedgeSize",
            "type": "i64"
          },
          {
            "name": "vaultNetDelta",
            "docs": [
              "The vault's net dollar delta in this market, options and hedge, after the fill."
            ],
            "type": "i64"
          },
          {
            "name": "realisedToProvider",
            "docs": [
              "Collateral units moved to (> 0) or from (< 0) the provider when its side went flat."
            ],
            "type": "i64"
          }
        ]
      }
    },
    {
      "name": "liquidated",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "liquidator",
            "type": "pubkey"
          },
          {
            "name": "takeover",
            "docs": [
              "True when the liquidator's margin account took the shorts over; false when the vault",
              "closed them."
            ],
            "type": "bool"
          },
          {
            "name": "bankrupt",
            "docs": [
              "True when equity was negative: every position closed at mark, no penalty."
            ],
            "type": "bool"
          },
          {
            "name": "positionsTouched",
            "type": "u8"
          },
          {
            "name": "units",
            "docs": [
              "Units (SIZE_PRECISION) closed or transferred, over all series."
            ],
            "type": "u64"
          },
          {
            "name": "penalty",
            "docs": [
              "Collateral units: penalty charged, liquidator's fee and insurance share out of it."
            ],
            "type": "u64"
          },
          {
            "name": "liquidatorFee",
            "type": "u64"
          },
          {
            "name": "insuranceFee",
            "type": "u64"
          },
          {
            "name": "shortfall",
            "type": "u64"
          },
          {
            "name": "equityBefore",
            "docs": [
              "Quote (USD, 6 decimals)."
            ],
            "type": "i64"
          },
          {
            "name": "maintenanceBefore",
            "type": "u64"
          },
          {
            "name": "equityAfter",
            "type": "i64"
          },
          {
            "name": "maintenanceAfter",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "liquidityDeposited",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "depositor",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "name": "sharesMinted",
            "type": "u64"
          },
          {
            "name": "netAssetsAfter",
            "type": "u64"
          },
          {
            "name": "totalSharesAfter",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "liquidityWithdrawalCancelled",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "owner",
            "type": "pubkey"
          },
          {
            "name": "shares",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "liquidityWithdrawalRequested",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "owner",
            "type": "pubkey"
          },
          {
            "name": "shares",
            "type": "u64"
          },
          {
            "name": "valueAtRequest",
            "type": "u64"
          },
          {
            "name": "dueTs",
            "type": "i64"
          }
        ]
      }
    },
    {
      "name": "liquidityWithdrawn",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "owner",
            "type": "pubkey"
          },
          {
            "name": "sharesBurned",
            "type": "u64"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "name": "valueAtRequest",
            "docs": [
              "The payout is the smaller of these two (`WithdrawalRequest::payout`)."
            ],
            "type": "u64"
          },
          {
            "name": "valueNow",
            "type": "u64"
          },
          {
            "name": "netAssetsAfter",
            "type": "u64"
          },
          {
            "name": "totalSharesAfter",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "marginAccount",
      "docs": [
        "A trader's margin account on the vault (one per owner): one collateral balance (held in the",
        "vault's token account, tracked here) behind up to MAX_POSITIONS option positions in any of",
        "the vault's markets and, for a hedge provider, its side of one market's perpetual."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "owner",
            "type": "pubkey"
          },
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "hedgeMarket",
            "docs": [
              "The market whose hedge book the account is registered on as a provider, and where its",
              "perpetual lives (default while it is not a provider)."
            ],
            "type": "pubkey"
          },
          {
            "name": "collateral",
            "docs": [
              "Collateral in the collateral mint's base units."
            ],
            "type": "u64"
          },
          {
            "name": "positions",
            "type": {
              "array": [
                {
                  "defined": {
                    "name": "position"
                  }
                },
                16
              ]
            }
          },
          {
            "name": "positionCount",
            "type": "u8"
          },
          {
            "name": "bump",
            "type": "u8"
          },
          {
            "name": "hedgeProvider",
            "docs": [
              "1 once registered as a hedge provider on the market's `HedgeBook`."
            ],
            "type": "u8"
          },
          {
            "name": "marginMode",
            "docs": [
              "`margin_mode::STANDARD` (per position, the default) or `margin_mode::PORTFOLIO`",
              "(`set_margin_mode`)."
            ],
            "type": "u8"
          },
          {
            "name": "hedgeMarketIndex",
            "docs": [
              "`Market::index` of `hedge_market`."
            ],
            "type": "u16"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                2
              ]
            }
          },
          {
            "name": "hedge",
            "docs": [
              "The provider's side of the hedge leg (always flat for other accounts)."
            ],
            "type": {
              "defined": {
                "name": "perpState"
              }
            }
          },
          {
            "name": "unpaidSettlement",
            "docs": [
              "Settlement of longs the vault could not pay in full yet (collateral units): a claim on",
              "the vault, paid by `settle_position` as soon as the vault has the cash. Never dropped."
            ],
            "type": "u64"
          },
          {
            "name": "claimIndexAt",
            "docs": [
              "The vault's `claims_index` and `claims_epoch` when `unpaid_settlement` was last brought",
              "up to date (`controller::settlement::collect`)."
            ],
            "type": "u64"
          },
          {
            "name": "claimEpoch",
            "type": "u32"
          },
          {
            "name": "claimPadding",
            "type": {
              "array": [
                "u8",
                4
              ]
            }
          }
        ]
      }
    },
    {
      "name": "marginAccountClosed",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "owner",
            "type": "pubkey"
          }
        ]
      }
    },
    {
      "name": "marginAccountOpened",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "owner",
            "type": "pubkey"
          },
          {
            "name": "marginAccount",
            "type": "pubkey"
          }
        ]
      }
    },
    {
      "name": "marginHealth",
      "docs": [
        "Health of one margin account (quote, USD with 6 decimals), from `check_margin`."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "equity",
            "type": "i64"
          },
          {
            "name": "initialMargin",
            "type": "u64"
          },
          {
            "name": "maintenanceMargin",
            "type": "u64"
          },
          {
            "name": "meetsInitial",
            "type": "bool"
          },
          {
            "name": "meetsMaintenance",
            "type": "bool"
          }
        ]
      }
    },
    {
      "name": "marginModeSet",
      "docs": [
        "A margin account changed how its requirement is computed (`set_margin_mode`)."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "marginMode",
            "type": "u8"
          },
          {
            "name": "equity",
            "type": "i64"
          },
          {
            "name": "initialMargin",
            "type": "u64"
          },
          {
            "name": "maintenanceMargin",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "markRegistry",
      "docs": [
        "Per-market mark cache of the vault, so deposits and withdrawals read NAV from three fields",
        "of `Vault` instead of revaluing every market (see docs/ARCHITECTURE.md, \"Mark cache\")."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "markets",
            "type": {
              "array": [
                {
                  "defined": {
                    "name": "marketExposure"
                  }
                },
                64
              ]
            }
          },
          {
            "name": "claims",
            "docs": [
              "How unpaid settlement claims are funded. Here rather than in `Vault`: zero-copy, it",
              "costs nothing to the instructions that never touch it."
            ],
            "type": {
              "defined": {
                "name": "claimsPool"
              }
            }
          },
          {
            "name": "settledLongsOwed",
            "docs": [
              "Per market, what its longs in settled series are still owed outside the claims",
              "(collateral units), as of the last settlement in that market. The claims pool is the",
              "vault's, so its distribution waits for every market's longs, whichever market a call",
              "names (SECURITY.md, \"Unpaid settlement\"). A liquidation that sells such a long to the",
              "vault leaves the entry high until the next settlement call: that only delays a",
              "distribution, never favours one claimant."
            ],
            "type": {
              "array": [
                "u64",
                64
              ]
            }
          }
        ]
      }
    },
    {
      "name": "market",
      "docs": [
        "One underlying, priced by one Pyth feed, with its series book and volatility surface."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "index",
            "type": "u16"
          },
          {
            "name": "bump",
            "type": "u8"
          },
          {
            "name": "symbol",
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          },
          {
            "name": "oracle",
            "type": {
              "defined": {
                "name": "oracleConfig"
              }
            }
          },
          {
            "name": "risk",
            "type": {
              "defined": {
                "name": "marketRiskParams"
              }
            }
          },
          {
            "name": "book",
            "docs": [
              "The market's `SeriesBook`, `VolSurface` and `HedgeBook` (PDAs of the market)."
            ],
            "type": "pubkey"
          },
          {
            "name": "surface",
            "type": "pubkey"
          },
          {
            "name": "hedgeBook",
            "type": "pubkey"
          },
          {
            "name": "lastPrice",
            "docs": [
              "The market's accepted oracle price (PRICE_PRECISION), its confidence and publish time,",
              "and the slot it was accepted in: prices never go back in time, and a slot has one price."
            ],
            "type": "u64"
          },
          {
            "name": "lastConf",
            "type": "u64"
          },
          {
            "name": "lastPublishTime",
            "type": "i64"
          },
          {
            "name": "lastPriceSlot",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "marketCreated",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "marketIndex",
            "type": "u16"
          },
          {
            "name": "symbol",
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          },
          {
            "name": "oracle",
            "type": {
              "defined": {
                "name": "oracleConfig"
              }
            }
          },
          {
            "name": "risk",
            "type": {
              "defined": {
                "name": "marketRiskParams"
              }
            }
          }
        ]
      }
    },
    {
      "name": "marketExposure",
      "docs": [
        "What one market contributes to the vault's NAV and locked collateral."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "markValue",
            "docs": [
              "Mid mark value of the vault's option positions in the market (quote; long > 0)."
            ],
            "type": "i64"
          },
          {
            "name": "initialMargin",
            "docs": [
              "Initial margin of those positions (quote): collateral LPs can never withdraw."
            ],
            "type": "u64"
          },
          {
            "name": "validUntil",
            "docs": [
              "Until when the marks behind these numbers are fresh; i64::MAX with no positions."
            ],
            "type": "i64"
          },
          {
            "name": "lpBand",
            "docs": [
              "|net dollar delta| × the market's `lp_price_band_bps` (collateral units): how far NAV",
              "could move over the spot move LP flows are priced against."
            ],
            "type": "u64"
          },
          {
            "name": "pricedSlot",
            "docs": [
              "The slot whose accepted oracle price these values were taken at; 0 when they were taken",
              "at a price the market did not record. LP flows need it to be their own slot."
            ],
            "type": "u64"
          },
          {
            "name": "nextExpiryTs",
            "docs": [
              "The earliest expiry among the vault's positions in series not yet settled (i64::MAX",
              "with none). From then until the series' final price its value is fixed by a price not",
              "yet known, never by live spot, so LP flows count the market at its worse side."
            ],
            "type": "i64"
          },
          {
            "name": "priceValidUntil",
            "docs": [
              "Until when the price these values were taken at is within the oracle's age limit. Past",
              "it the market may be unable to re-mark (its oracle down), so LP flows count it at its",
              "worse side rather than wait for it."
            ],
            "type": "i64"
          }
        ]
      }
    },
    {
      "name": "marketPriceRefreshed",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "price",
            "type": "u64"
          },
          {
            "name": "conf",
            "type": "u64"
          },
          {
            "name": "publishTime",
            "type": "i64"
          }
        ]
      }
    },
    {
      "name": "marketRiskChange",
      "docs": [
        "A change of a market's risk parameters was proposed, applied or cancelled."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "old",
            "type": {
              "defined": {
                "name": "marketRiskParams"
              }
            }
          },
          {
            "name": "new",
            "type": {
              "defined": {
                "name": "marketRiskParams"
              }
            }
          },
          {
            "name": "effectiveTs",
            "type": "i64"
          },
          {
            "name": "stage",
            "docs": [
              "0 proposed, 1 applied, 2 cancelled."
            ],
            "type": "u8"
          }
        ]
      }
    },
    {
      "name": "marketRiskParams",
      "docs": [
        "A market's margin factors, exposure caps, pricing spread and freshness limits."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "initialABps",
            "docs": [
              "Short-option margin factors a and b (bps), initial and maintenance."
            ],
            "type": "u16"
          },
          {
            "name": "initialBBps",
            "type": "u16"
          },
          {
            "name": "maintenanceABps",
            "type": "u16"
          },
          {
            "name": "maintenanceBBps",
            "type": "u16"
          },
          {
            "name": "maxNetDelta",
            "docs": [
              "Caps on the vault's net dollar delta (quote) and net vega (quote per vol point)."
            ],
            "type": "u64"
          },
          {
            "name": "maxNetVega",
            "type": "u64"
          },
          {
            "name": "baseSpreadBps",
            "docs": [
              "Spread around the model price: `base` at zero cap utilisation, `max` at full."
            ],
            "type": "u16"
          },
          {
            "name": "maxSpreadBps",
            "type": "u16"
          },
          {
            "name": "takerFeeBps",
            "docs": [
              "Taker fee on the premium, paid to the vault."
            ],
            "type": "u16"
          },
          {
            "name": "surfaceMaxChangeBps",
            "docs": [
              "Largest ATM total-variance move per surface update, in bps of the previous value."
            ],
            "type": "u16"
          },
          {
            "name": "surfaceMaxAgeSecs",
            "docs": [
              "Trading stops once the surface is older than this."
            ],
            "type": "u32"
          },
          {
            "name": "marksMaxAgeSecs",
            "docs": [
              "Cached series marks older than this block margin checks, trades and NAV reads."
            ],
            "type": "u32"
          },
          {
            "name": "settlementWindowSecs",
            "docs": [
              "A settlement price must be published within this many seconds after expiry."
            ],
            "type": "u32"
          },
          {
            "name": "liquidationOracleMaxAgeSecs",
            "docs": [
              "Retired: liquidation now reads at the oracle's own age limit, as trading does",
              "(SECURITY.md, \"Oracle discipline\"); a wider limit let a liquidator choose a past dip.",
              "Still validated and kept in the layout until accounts are versioned (issue 29)."
            ],
            "type": "u32"
          },
          {
            "name": "perpInitialBps",
            "docs": [
              "Hedge-leg perpetual margin, in bps of notional, initial and maintenance."
            ],
            "type": "u16"
          },
          {
            "name": "perpMaintenanceBps",
            "type": "u16"
          },
          {
            "name": "lpPriceBandBps",
            "docs": [
              "The spot move (bps) an LP flow is priced against: deposits buy shares at NAV plus, and",
              "withdrawals redeem at NAV minus, the vault's dollar delta in this market times this",
              "move, so choosing among valid oracle prices cannot time the book (SECURITY.md)."
            ],
            "type": "u16"
          },
          {
            "name": "inventorySkewBps",
            "docs": [
              "Inventory skew: the vol a series trades at moves by up to this share (bps) of the surface",
              "vol against the vault's lean in the series' expiry after the trade: that expiry's net",
              "vega over `max_net_vega` plus its net dollar gamma over `max_net_gamma`, clamped to ±100%",
              "(`math::margin::inventory_price`)."
            ],
            "type": "u16"
          },
          {
            "name": "vegaFeeBps",
            "docs": [
              "Vega-utilisation fee (bps of premium at full vega cap) on trades that add vega risk."
            ],
            "type": "u16"
          },
          {
            "name": "maxHedgeSlippageBps",
            "docs": [
              "The widest hedge fill `rebalance_hedge` accepts, in bps from the oracle: the most the",
              "keeper key can make the vault pay a provider per unit of delta it hedges."
            ],
            "type": "u16"
          },
          {
            "name": "maxOptionHedgeVolEdgeBps",
            "docs": [
              "The furthest an option hedge's vol may be from the surface's on the side that costs the",
              "vault, in bps of the surface vol (`rebalance_option_hedge`)."
            ],
            "type": "u16"
          },
          {
            "name": "maxNetGamma",
            "docs": [
              "The vault's net dollar gamma (quote per 1% move) at which inventory pricing leans fully",
              "on gamma, as `max_net_vega` does on vega (not a cap: no trade is refused for gamma)."
            ],
            "type": "u64"
          },
          {
            "name": "pmPriceRangeBps",
            "docs": [
              "Portfolio margin (`math::portfolio`), opt-in per margin account: the largest spot move of",
              "the scenario grid (0 = no PM on this market), the extreme move and the share of its loss",
              "counted, the relative vol shocks at 30 days and the least vol of the up scenario, the",
              "exponents of (30 days / T) under and over 30 days, the contingency per net short option",
              "and per unit of perpetual (bps of spot), and initial over maintenance."
            ],
            "type": "u16"
          },
          {
            "name": "pmExtremeMoveBps",
            "type": "u16"
          },
          {
            "name": "pmExtremeLossShareBps",
            "type": "u16"
          },
          {
            "name": "pmVolUpBps",
            "type": "u16"
          },
          {
            "name": "pmVolDownBps",
            "type": "u16"
          },
          {
            "name": "pmMinVolUpBps",
            "type": "u16"
          },
          {
            "name": "pmShortVegaPowerBps",
            "type": "u16"
          },
          {
            "name": "pmLongVegaPowerBps",
            "type": "u16"
          },
          {
            "name": "pmShortContingencyBps",
            "type": "u16"
          },
          {
            "name": "pmPerpContingencyBps",
            "type": "u16"
          },
          {
            "name": "pmInitialFactorBps",
            "type": "u16"
          },
          {
            "name": "oracleChoiceMoveBps",
            "docs": [
              "The 99.9th-percentile spot move over 60 s (bps) that prices the oracle choice: a trade at",
              "an update `a` seconds old pays, beyond its spread, what a move of this × √(a / 60) is",
              "worth on it (`math::margin::oracle_choice_charge`; SECURITY.md, \"Oracle discipline\")."
            ],
            "type": "u16"
          }
        ]
      }
    },
    {
      "name": "marksRefreshed",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "seriesRefreshed",
            "type": "u8"
          },
          {
            "name": "vaultMarkValue",
            "type": "i64"
          },
          {
            "name": "vaultInitialMargin",
            "type": "u64"
          },
          {
            "name": "spot",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "optionHedgeRebalanced",
      "docs": [
        "One option hedge: the vault bought (`size` > 0) or sold a listed series from a provider at",
        "the provider's vol, against the surface's (VOL_PRECISION); `premium` in collateral units,",
        "Greeks after the fill in quote."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "provider",
            "type": "pubkey"
          },
          {
            "name": "seq",
            "type": "u64"
          },
          {
            "name": "seriesIndex",
            "type": "u8"
          },
          {
            "name": "size",
            "type": "i64"
          },
          {
            "name": "vol",
            "type": "u64"
          },
          {
            "name": "surfaceVol",
            "type": "u64"
          },
          {
            "name": "oraclePrice",
            "type": "u64"
          },
          {
            "name": "premium",
            "type": "u64"
          },
          {
            "name": "vaultNetDelta",
            "type": "i64"
          },
          {
            "name": "vaultNetVega",
            "type": "i64"
          }
        ]
      }
    },
    {
      "name": "optionQuote",
      "docs": [
        "A provider's standing quote on one listed series, in vol terms: the vault buys at `ask_vol`",
        "and sells at `bid_vol` (Black-76 at the oracle price), up to the sizes left on each side."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "maxVaultBuy",
            "docs": [
              "Most the provider still sells (the vault buys), SIZE_PRECISION; fills use it up."
            ],
            "type": "u64"
          },
          {
            "name": "maxVaultSell",
            "docs": [
              "Most the provider still buys (the vault sells)."
            ],
            "type": "u64"
          },
          {
            "name": "bidVol",
            "docs": [
              "VOL_PRECISION; 0 < bid ≤ ask."
            ],
            "type": "u64"
          },
          {
            "name": "askVol",
            "type": "u64"
          },
          {
            "name": "expiryTs",
            "docs": [
              "The quote is dead from this time on."
            ],
            "type": "i64"
          },
          {
            "name": "seriesIndex",
            "type": "u8"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                7
              ]
            }
          }
        ]
      }
    },
    {
      "name": "optionQuotePosted",
      "docs": [
        "A provider's standing option quote (vols VOL_PRECISION, sizes SIZE_PRECISION)."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "seriesIndex",
            "type": "u8"
          },
          {
            "name": "bidVol",
            "type": "u64"
          },
          {
            "name": "askVol",
            "type": "u64"
          },
          {
            "name": "maxVaultBuy",
            "type": "u64"
          },
          {
            "name": "maxVaultSell",
            "type": "u64"
          },
          {
            "name": "expiryTs",
            "type": "i64"
          }
        ]
      }
    },
    {
      "name": "optionTraded",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "seriesIndex",
            "type": "u8"
          },
          {
            "name": "size",
            "docs": [
              "Signed trader size (SIZE_PRECISION): > 0 bought from the vault, < 0 sold to it."
            ],
            "type": "i64"
          },
          {
            "name": "modelPrice",
            "docs": [
              "Per-unit model price and the spread applied (bps)."
            ],
            "type": "u64"
          },
          {
            "name": "spreadBps",
            "type": "u64"
          },
          {
            "name": "oracleChoice",
            "docs": [
              "The oracle choice charge in the premium (quote): what the age of the slot's oracle",
              "update could be worth beyond the spread."
            ],
            "type": "u64"
          },
          {
            "name": "premium",
            "docs": [
              "Premium and taker fee, in collateral units."
            ],
            "type": "u64"
          },
          {
            "name": "fee",
            "type": "u64"
          },
          {
            "name": "spot",
            "type": "u64"
          },
          {
            "name": "vol",
            "docs": [
              "The surface vol, and the inventory shift the price was taken at (VOL_PRECISION)."
            ],
            "type": "u64"
          },
          {
            "name": "inventoryVolShift",
            "type": "i64"
          },
          {
            "name": "vaultNetDelta",
            "docs": [
              "The vault's net dollar delta and vega (per vol point) in this market after the trade",
              "(what the caps and the spread read)."
            ],
            "type": "i64"
          },
          {
            "name": "vaultNetVega",
            "type": "i64"
          },
          {
            "name": "expiryNetVega",
            "docs": [
              "The vault's net vega and dollar gamma (per 1% move) in the series' expiry after the",
              "trade: what the inventory price leans on."
            ],
            "type": "i64"
          },
          {
            "name": "expiryNetGamma",
            "type": "i64"
          }
        ]
      }
    },
    {
      "name": "oracleConfig",
      "docs": [
        "How a market reads and trusts its oracle."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "kind",
            "type": {
              "defined": {
                "name": "oracleKind"
              }
            }
          },
          {
            "name": "priceAccount",
            "docs": [
              "Legacy: the price account's address. Pull: unused (any verified update with `feed_id`)."
            ],
            "type": "pubkey"
          },
          {
            "name": "feedId",
            "docs": [
              "Pull: the Pyth feed id. Legacy: unused."
            ],
            "type": {
              "array": [
                "u8",
                32
              ]
            }
          },
          {
            "name": "maxAgeSecs",
            "docs": [
              "Largest accepted age of the publish time, in seconds."
            ],
            "type": "u32"
          },
          {
            "name": "maxConfBps",
            "docs": [
              "Largest accepted conf/price, in basis points."
            ],
            "type": "u16"
          }
        ]
      }
    },
    {
      "name": "oracleKind",
      "docs": [
        "Which Pyth account layout a market reads."
      ],
      "type": {
        "kind": "enum",
        "variants": [
          {
            "name": "pythLegacy"
          },
          {
            "name": "pythPull"
          }
        ]
      }
    },
    {
      "name": "paramsProposal",
      "docs": [
        "A change of the vault's parameters that waits `RiskProposal::DELAY_SECS` (`propose_params`):",
        "PDA of the vault, one at a time, closed when applied or cancelled."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "params",
            "type": {
              "defined": {
                "name": "vaultParams"
              }
            }
          },
          {
            "name": "effectiveTs",
            "type": "i64"
          },
          {
            "name": "bump",
            "type": "u8"
          }
        ]
      }
    },
    {
      "name": "paramsUpdated",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "old",
            "type": {
              "defined": {
                "name": "vaultParams"
              }
            }
          },
          {
            "name": "new",
            "type": {
              "defined": {
                "name": "vaultParams"
              }
            }
          }
        ]
      }
    },
    {
      "name": "pauseFlagsSet",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "oldFlags",
            "type": "u8"
          },
          {
            "name": "newFlags",
            "type": "u8"
          }
        ]
      }
    },
    {
      "name": "perpState",
      "docs": [
        "A hedge-leg perpetual position as stored on chain (see `math::hedge::PerpPosition`)."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "size",
            "docs": [
              "SIZE_PRECISION; long > 0."
            ],
            "type": "i64"
          },
          {
            "name": "quoteEntry",
            "docs": [
              "Minus the quote paid for the size held, plus realised PnL not yet moved to collateral."
            ],
            "type": "i64"
          }
        ]
      }
    },
    {
      "name": "position",
      "docs": [
        "One option position: a series slot of one of the vault's markets and a signed size."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "size",
            "docs": [
              "SIZE_PRECISION; long > 0, short < 0, 0 = empty slot."
            ],
            "type": "i64"
          },
          {
            "name": "seriesIndex",
            "type": "u8"
          },
          {
            "name": "padding0",
            "type": "u8"
          },
          {
            "name": "marketIndex",
            "docs": [
              "`Market::index` of the series' market."
            ],
            "type": "u16"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                4
              ]
            }
          }
        ]
      }
    },
    {
      "name": "positionSettled",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "seriesIndex",
            "type": "u8"
          },
          {
            "name": "size",
            "type": "i64"
          },
          {
            "name": "cashFlow",
            "docs": [
              "Collateral units paid to (> 0) or by (< 0) the account."
            ],
            "type": "i64"
          },
          {
            "name": "shortfall",
            "docs": [
              "Intrinsic value that was not paid: by a short (bad debt, see `BadDebt`) or, when the",
              "vault's cash and insurance cannot pay every long owed, to a long: its `unpaid_settlement`",
              "claim after this call, funded later by the same fraction as every other claim."
            ],
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "riskProposal",
      "docs": [
        "A change of a market's risk parameters waiting for its time (`propose_market_risk`): PDA of",
        "the market, one at a time, closed when applied or cancelled."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "risk",
            "type": {
              "defined": {
                "name": "marketRiskParams"
              }
            }
          },
          {
            "name": "effectiveTs",
            "docs": [
              "From when `apply_market_risk` may apply it: now for a change that only tightens,",
              "`RiskProposal::DELAY_SECS` later otherwise."
            ],
            "type": "i64"
          },
          {
            "name": "bump",
            "type": "u8"
          }
        ]
      }
    },
    {
      "name": "scenariosRefreshed",
      "docs": [
        "A chunk of the series book revalued over the portfolio-margin grid (`refresh_scenarios`)."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "firstSeries",
            "type": "u8"
          },
          {
            "name": "seriesRefreshed",
            "type": "u8"
          },
          {
            "name": "spot",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "series",
      "docs": [
        "One European, cash-settled option series and its cached model mark."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "strike",
            "docs": [
              "Strike in PRICE_PRECISION."
            ],
            "type": "u64"
          },
          {
            "name": "expiryTs",
            "type": "i64"
          },
          {
            "name": "openLong",
            "docs": [
              "Sum of traders' long and short sizes (SIZE_PRECISION). The vault holds the opposite:",
              "`open_short − open_long`."
            ],
            "type": "u64"
          },
          {
            "name": "openShort",
            "type": "u64"
          },
          {
            "name": "markPrice",
            "docs": [
              "Cached model mark: per-unit price (PRICE_PRECISION), delta (DELTA_PRECISION) and vega (per",
              "1.00 vol, PRICE_PRECISION) at `mark_spot`, computed at `mark_ts`."
            ],
            "type": "u64"
          },
          {
            "name": "markDelta",
            "type": "i64"
          },
          {
            "name": "markVega",
            "type": "u64"
          },
          {
            "name": "markSpot",
            "type": "u64"
          },
          {
            "name": "markTs",
            "type": "i64"
          },
          {
            "name": "settlementPrice",
            "docs": [
              "The settlement price (proposed while SETTLING, final once SETTLED)."
            ],
            "type": "u64"
          },
          {
            "name": "side",
            "type": "u8"
          },
          {
            "name": "status",
            "type": "u8"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                6
              ]
            }
          },
          {
            "name": "settlementPublishTime",
            "docs": [
              "Publish time of the settlement price, and when the proposal becomes final."
            ],
            "type": "i64"
          },
          {
            "name": "settlementFinalTs",
            "type": "i64"
          },
          {
            "name": "markGamma",
            "docs": [
              "Cached dollar gamma per unit for a 1% move (quote), from the mark's vega."
            ],
            "type": "u64"
          },
          {
            "name": "scenarioTs",
            "docs": [
              "Portfolio-margin cache (`refresh_scenarios`): the per-unit value change at every scenario",
              "of the market's grid, and when it was computed (fresh for `marks_max_age_secs`, like the",
              "mark). An account's PM requirement is then sums of these times sizes."
            ],
            "type": "i64"
          },
          {
            "name": "scenarioPnl",
            "type": {
              "array": [
                "i64",
                20
              ]
            }
          },
          {
            "name": "scenarioSpot",
            "docs": [
              "The spot the scenario grid was centred on: the cache counts only while the market's",
              "price is within `PortfolioParams::max_scenario_drift_bps` of it."
            ],
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "seriesBook",
      "docs": [
        "Every series of one market, in fixed slots (`list_series` takes the first free one), and the",
        "vault's hedge perpetual: the vault's whole book in the market."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "series",
            "type": {
              "array": [
                {
                  "defined": {
                    "name": "series"
                  }
                },
                32
              ]
            }
          },
          {
            "name": "bump",
            "type": "u8"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                7
              ]
            }
          },
          {
            "name": "vaultHedge",
            "docs": [
              "The vault's hedge-leg perpetual in this market (the providers hold the other side)."
            ],
            "type": {
              "defined": {
                "name": "perpState"
              }
            }
          }
        ]
      }
    },
    {
      "name": "seriesDelisted",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "seriesIndex",
            "type": "u8"
          }
        ]
      }
    },
    {
      "name": "seriesListed",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "seriesIndex",
            "type": "u8"
          },
          {
            "name": "strike",
            "type": "u64"
          },
          {
            "name": "expiryTs",
            "type": "i64"
          },
          {
            "name": "side",
            "type": "u8"
          }
        ]
      }
    },
    {
      "name": "seriesSettled",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "seriesIndex",
            "type": "u8"
          },
          {
            "name": "settlementPrice",
            "type": "u64"
          },
          {
            "name": "publishTime",
            "type": "i64"
          },
          {
            "name": "intrinsic",
            "docs": [
              "Intrinsic value per unit (PRICE_PRECISION)."
            ],
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "settlementClaimPaid",
      "docs": [
        "A long's recorded settlement claim was paid, in part or whole, from the vault's cash."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "marginAccount",
            "type": "pubkey"
          },
          {
            "name": "paid",
            "type": "u64"
          },
          {
            "name": "remaining",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "settlementProposed",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "seriesIndex",
            "type": "u8"
          },
          {
            "name": "settlementPrice",
            "type": "u64"
          },
          {
            "name": "publishTime",
            "type": "i64"
          },
          {
            "name": "finalTs",
            "docs": [
              "Until when an earlier valid update may replace it."
            ],
            "type": "i64"
          },
          {
            "name": "replaced",
            "docs": [
              "Whether it replaced an earlier proposal (a later-published one)."
            ],
            "type": "bool"
          }
        ]
      }
    },
    {
      "name": "sviSlice",
      "docs": [
        "One expiry of the volatility surface in raw-SVI form: total variance",
        "w(k) = a + b·(ρ·(k − m) + √((k − m)² + σ²)) at log-moneyness k = ln(K/F).",
        "Each parameter is scaled by `math::precision::SVI_PARAM_PRECISION`. The keeper exports",
        "exactly this type (`keeper::pricing::svi::SviRaw::to_onchain`).",
        "",
        "Both an instruction argument (Borsh) and the zero-copy layout stored in `VolSurface`, so it",
        "derives Pod by hand instead of through `#[zero_copy]` (whose IDL impl would clash with the",
        "Borsh derive's under `idl-build`)."
      ],
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "expiryTs",
            "docs": [
              "Expiry as a unix timestamp (seconds)."
            ],
            "type": "i64"
          },
          {
            "name": "a",
            "type": "i64"
          },
          {
            "name": "b",
            "type": "i64"
          },
          {
            "name": "rho",
            "type": "i64"
          },
          {
            "name": "m",
            "type": "i64"
          },
          {
            "name": "sigma",
            "type": "i64"
          }
        ]
      }
    },
    {
      "name": "vault",
      "docs": [
        "The LP vault. It is the counterparty of every option trade; its token account also holds",
        "traders' collateral, so balances are tracked per owner class in internal accounting."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "creator",
            "docs": [
              "The key that created the vault: its PDA seed, never changed."
            ],
            "type": "pubkey"
          },
          {
            "name": "admin",
            "docs": [
              "Authority over markets, series, parameters and pauses; rotated in two steps",
              "(`propose_authority`, `accept_authority`)."
            ],
            "type": "pubkey"
          },
          {
            "name": "keeper",
            "docs": [
              "Authority allowed to post surfaces and rebalance the hedge."
            ],
            "type": "pubkey"
          },
          {
            "name": "collateralMint",
            "type": "pubkey"
          },
          {
            "name": "shareMint",
            "type": "pubkey"
          },
          {
            "name": "vaultToken",
            "type": "pubkey"
          },
          {
            "name": "insuranceToken",
            "type": "pubkey"
          },
          {
            "name": "collateralDecimals",
            "type": "u8"
          },
          {
            "name": "bump",
            "type": "u8"
          },
          {
            "name": "shareMintBump",
            "type": "u8"
          },
          {
            "name": "vaultTokenBump",
            "type": "u8"
          },
          {
            "name": "insuranceTokenBump",
            "type": "u8"
          },
          {
            "name": "pauseFlags",
            "type": "u8"
          },
          {
            "name": "marketCount",
            "type": "u16"
          },
          {
            "name": "lpAssets",
            "docs": [
              "Collateral owned by LPs (realised); NAV adds the mark of the vault's positions."
            ],
            "type": "u64"
          },
          {
            "name": "totalShares",
            "docs": [
              "Mirror of the share mint's supply."
            ],
            "type": "u64"
          },
          {
            "name": "lockedLiability",
            "docs": [
              "Initial margin of the vault's open option positions (quote = collateral units at 6",
              "decimals; see `MarkRegistry`): never withdrawable by LPs."
            ],
            "type": "u64"
          },
          {
            "name": "traderCollateral",
            "docs": [
              "Traders' collateral held in `vault_token` (sum over margin accounts)."
            ],
            "type": "u64"
          },
          {
            "name": "insuranceBalance",
            "docs": [
              "Balance of `insurance_token` as accounted."
            ],
            "type": "u64"
          },
          {
            "name": "params",
            "type": {
              "defined": {
                "name": "vaultParams"
              }
            }
          },
          {
            "name": "optionsValue",
            "docs": [
              "Mid mark value of the vault's option positions over all markets (long > 0), in",
              "collateral units; NAV = lp_assets + options_value."
            ],
            "type": "i64"
          },
          {
            "name": "marksValidUntil",
            "docs": [
              "NAV reads (deposit, withdraw) need marks fresh until at least now; i64::MAX when the",
              "vault holds no positions."
            ],
            "type": "i64"
          },
          {
            "name": "marksPricedSlot",
            "docs": [
              "The oldest slot at whose accepted price a market holding positions was valued",
              "(`MarketExposure::priced_slot`); LP flows in that slot need no registry."
            ],
            "type": "u64"
          },
          {
            "name": "nextExpiryTs",
            "docs": [
              "The earliest expiry among the vault's unsettled positions (i64::MAX with none)."
            ],
            "type": "i64"
          },
          {
            "name": "lpNavBand",
            "docs": [
              "Sum of the markets' LP bands (`MarketExposure::lp_band`): deposits price shares at",
              "NAV + band, withdrawals at NAV − band."
            ],
            "type": "u64"
          },
          {
            "name": "unpaidClaims",
            "docs": [
              "Settlement the vault owes longs but could not pay yet (sum of",
              "`MarginAccount::unpaid_settlement`): a liability in NAV, paid before any LP withdrawal."
            ],
            "type": "u64"
          },
          {
            "name": "pendingAdmin",
            "docs": [
              "Proposed successors of the admin and the keeper: each takes over only by signing",
              "`accept_authority` (default: none proposed)."
            ],
            "type": "pubkey"
          },
          {
            "name": "pendingKeeper",
            "type": "pubkey"
          }
        ]
      }
    },
    {
      "name": "vaultInitialized",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "admin",
            "type": "pubkey"
          },
          {
            "name": "collateralMint",
            "type": "pubkey"
          },
          {
            "name": "shareMint",
            "type": "pubkey"
          },
          {
            "name": "params",
            "type": {
              "defined": {
                "name": "vaultParams"
              }
            }
          }
        ]
      }
    },
    {
      "name": "vaultParams",
      "docs": [
        "Admin-set risk and fee parameters; every field is bounds-checked by `validate`."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "depositCap",
            "docs": [
              "Largest LP net assets the vault accepts, in collateral base units."
            ],
            "type": "u64"
          },
          {
            "name": "minDeposit",
            "docs": [
              "Smallest single deposit, in collateral base units (at least 1)."
            ],
            "type": "u64"
          },
          {
            "name": "liquidationPenaltyBps",
            "docs": [
              "Penalty charged on the notional closed in a liquidation."
            ],
            "type": "u16"
          },
          {
            "name": "liquidatorShareBps",
            "docs": [
              "Share of the penalty paid to the liquidator; the rest funds the insurance fund."
            ],
            "type": "u16"
          },
          {
            "name": "confMultiplierBps",
            "docs": [
              "k in price ± k·conf for conservative margin prices (10_000 = one confidence interval)."
            ],
            "type": "u16"
          },
          {
            "name": "withdrawalDelaySecs",
            "docs": [
              "How long an LP withdrawal waits between `request_liquidity_withdrawal` and `withdraw_liquidity`. It must",
              "exceed the keeper's liquidation latency, or LPs can leave ahead of bad debt; zero lets a",
              "request complete in the same transaction (tests only)."
            ],
            "type": "u32"
          }
        ]
      }
    },
    {
      "name": "vaultParamsChange",
      "docs": [
        "A change of the vault's parameters was proposed, applied or cancelled (0, 1, 2)."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "old",
            "type": {
              "defined": {
                "name": "vaultParams"
              }
            }
          },
          {
            "name": "new",
            "type": {
              "defined": {
                "name": "vaultParams"
              }
            }
          },
          {
            "name": "effectiveTs",
            "type": "i64"
          },
          {
            "name": "stage",
            "type": "u8"
          }
        ]
      }
    },
    {
      "name": "volSurface",
      "docs": [
        "The market's volatility surface, posted by the keeper authority (`update_vol_surface`)."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "updatedTs",
            "docs": [
              "When the keeper fitted and posted it; trading stops once it is older than the market's",
              "`surface_max_age_secs`."
            ],
            "type": "i64"
          },
          {
            "name": "slices",
            "type": {
              "array": [
                {
                  "defined": {
                    "name": "sviSlice"
                  }
                },
                8
              ]
            }
          },
          {
            "name": "sliceCount",
            "type": "u8"
          },
          {
            "name": "bump",
            "type": "u8"
          },
          {
            "name": "anchorCount",
            "type": "u8"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                5
              ]
            }
          },
          {
            "name": "anchorSlices",
            "docs": [
              "The surface at the start of the current change window, its fit time and the window's",
              "start: every update within the window is checked against it, so chained small updates",
              "cannot add up past `surface_max_change_bps` (SECURITY.md, \"Keeper key\")."
            ],
            "type": {
              "array": [
                {
                  "defined": {
                    "name": "sviSlice"
                  }
                },
                8
              ]
            }
          },
          {
            "name": "anchorFitTs",
            "type": "i64"
          },
          {
            "name": "windowStartTs",
            "type": "i64"
          }
        ]
      }
    },
    {
      "name": "volSurfaceUpdated",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "updatedTs",
            "type": "i64"
          },
          {
            "name": "slices",
            "type": {
              "vec": {
                "defined": {
                  "name": "sviSlice"
                }
              }
            }
          }
        ]
      }
    },
    {
      "name": "withdrawalRequest",
      "docs": [
        "An LP's withdrawal waiting out `VaultParams::withdrawal_delay_secs` (`request_liquidity_withdrawal`):",
        "PDA of (vault, owner), one at a time. The shares sit in the request's escrow token account",
        "and stay in the supply, so they keep bearing losses booked during the wait; the payout is the",
        "smaller of their value at the request and at `withdraw_liquidity` (Drift's insurance-fund unstake). An",
        "LP who sees bad debt coming therefore cannot leave ahead of it: the keeper books it first.",
        "",
        "Created only by `init` at its PDA, so the one account of this type with a given vault and",
        "owner is that pair's request: later instructions check `has_one` and skip the derivation."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "vault",
            "type": "pubkey"
          },
          {
            "name": "owner",
            "type": "pubkey"
          },
          {
            "name": "withdrawalShares",
            "docs": [
              "The escrow token account of the requested shares (PDA of vault and owner), recorded so",
              "completing and cancelling check it by key instead of re-deriving it."
            ],
            "type": "pubkey"
          },
          {
            "name": "shares",
            "docs": [
              "Shares in escrow; zero when no request is pending."
            ],
            "type": "u64"
          },
          {
            "name": "valueAtRequest",
            "docs": [
              "Collateral the shares redeemed for when requested (NAV less the LP band)."
            ],
            "type": "u64"
          },
          {
            "name": "requestedTs",
            "type": "i64"
          },
          {
            "name": "dueTs",
            "docs": [
              "From when `withdraw_liquidity` may complete it: fixed at the request, so a later change of the",
              "delay never traps or frees a pending request."
            ],
            "type": "i64"
          },
          {
            "name": "bump",
            "type": "u8"
          }
        ]
      }
    }
  ],
  "constants": [
    {
      "name": "hedgeBookSeed",
      "type": "bytes",
      "value": "[104, 101, 100, 103, 101, 95, 98, 111, 111, 107]"
    },
    {
      "name": "insuranceTokenSeed",
      "type": "bytes",
      "value": "[105, 110, 115, 117, 114, 97, 110, 99, 101]"
    },
    {
      "name": "marginSeed",
      "type": "bytes",
      "value": "[109, 97, 114, 103, 105, 110]"
    },
    {
      "name": "marketSeed",
      "type": "bytes",
      "value": "[109, 97, 114, 107, 101, 116]"
    },
    {
      "name": "markRegistrySeed",
      "type": "bytes",
      "value": "[109, 97, 114, 107, 115]"
    },
    {
      "name": "paramsProposalSeed",
      "type": "bytes",
      "value": "[112, 97, 114, 97, 109, 115, 95, 112, 114, 111, 112, 111, 115, 97, 108]"
    },
    {
      "name": "riskProposalSeed",
      "type": "bytes",
      "value": "[114, 105, 115, 107, 95, 112, 114, 111, 112, 111, 115, 97, 108]"
    },
    {
      "name": "seriesBookSeed",
      "type": "bytes",
      "value": "[115, 101, 114, 105, 101, 115, 95, 98, 111, 111, 107]"
    },
    {
      "name": "shareMintSeed",
      "type": "bytes",
      "value": "[115, 104, 97, 114, 101, 95, 109, 105, 110, 116]"
    },
    {
      "name": "surfaceSeed",
      "type": "bytes",
      "value": "[115, 117, 114, 102, 97, 99, 101]"
    },
    {
      "name": "vaultSeed",
      "type": "bytes",
      "value": "[118, 97, 117, 108, 116]"
    },
    {
      "name": "vaultTokenSeed",
      "type": "bytes",
      "value": "[118, 97, 117, 108, 116, 95, 116, 111, 107, 101, 110]"
    },
    {
      "name": "withdrawalRequestSeed",
      "type": "bytes",
      "value": "[119, 105, 116, 104, 100, 114, 97, 119, 97, 108]"
    },
    {
      "name": "withdrawalSharesSeed",
      "type": "bytes",
      "value": "[119, 105, 116, 104, 100, 114, 97, 119, 97, 108, 95, 115, 104, 97, 114, 101, 115]"
    }
  ]
};

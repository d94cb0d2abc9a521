use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::system_program;
use anchor_spl::token::spl_token;
use exposure_vault::accounts as accs;
use exposure_vault::instruction as ixs;
use exposure_vault::state::{
    SviSlice, HEDGE_BOOK_SEED, MARGIN_SEED, RISK_PROPOSAL_SEED, SERIES_BOOK_SEED, SURFACE_SEED,
};

use crate::vault::program_ix;
use crate::VaultKeys;

/// The addresses of one options market: the market PDA, its series book, vol surface and hedge
/// book, and the oracle account it was configured with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketKeys {
    pub index: u16,
    /// The vault the market belongs to (margin accounts are the vault's, one per owner).
    pub vault: Pubkey,
    pub market: Pubkey,
    pub book: Pubkey,
    pub surface: Pubkey,
    pub hedge_book: Pubkey,
    pub oracle: Pubkey,
}

impl MarketKeys {
    pub fn derive(vault: Pubkey, market: Pubkey, index: u16, oracle: Pubkey) -> Self {
        let pda = |seed: &[u8]| {
            Pubkey::find_program_address(&[seed, market.as_ref()], &exposure_vault::ID).0
        };
        Self {
            index,
            vault,
            market,
            book: pda(SERIES_BOOK_SEED),
            surface: pda(SURFACE_SEED),
            hedge_book: pda(HEDGE_BOOK_SEED),
            oracle,
        }
    }

    /// The owner's margin account: one per owner and vault, whichever market it trades.
    pub fn margin_address(&self, owner: &Pubkey) -> Pubkey {
        Pubkey::find_program_address(
            &[MARGIN_SEED, self.vault.as_ref(), owner.as_ref()],
            &exposure_vault::ID,
        )
        .0
    }

    /// This market's `[market, book, oracle]`, the remaining accounts an instruction on another
    /// market needs when the margin account also holds positions here. The book is writable: a
    /// liquidation closes the account as a whole, in every market it holds.
    pub fn as_other_market(&self) -> [AccountMeta; 3] {
        [
            AccountMeta::new_readonly(self.market, false),
            AccountMeta::new(self.book, false),
            AccountMeta::new_readonly(self.oracle, false),
        ]
    }

    /// The market's pending risk change (`RiskProposal`) PDA.
    pub fn risk_proposal_address(&self) -> Pubkey {
        Pubkey::find_program_address(
            &[RISK_PROPOSAL_SEED, self.market.as_ref()],
            &exposure_vault::ID,
        )
        .0
    }

    /// `propose_market_risk` signed by the admin.
    pub fn propose_market_risk_ix(
        &self,
        v: &VaultKeys,
        risk: exposure_vault::state::MarketRiskParams,
    ) -> Instruction {
        program_ix(
            accs::ProposeMarketRisk {
                vault: v.vault,
                admin: v.admin,
                market: self.market,
                proposal: self.risk_proposal_address(),
                system_program: system_program::ID,
            },
            ixs::ProposeMarketRisk { risk },
        )
    }

    /// `apply_market_risk` (anyone, once due), or with `cancel` the admin's withdrawal.
    pub fn apply_market_risk_ix(&self, v: &VaultKeys, cancel: bool) -> Instruction {
        let mut ix = program_ix(
            accs::ApplyMarketRisk {
                vault: v.vault,
                admin: v.admin,
                market: self.market,
                proposal: self.risk_proposal_address(),
            },
            ixs::ApplyMarketRisk { cancel },
        );
        // The admin signs only to cancel.
        ix.accounts[1].is_signer = cancel;
        ix
    }

    pub fn refresh_market_price_ix(&self) -> Instruction {
        program_ix(
            accs::RefreshMarketPrice {
                market: self.market,
                oracle: self.oracle,
            },
            ixs::RefreshMarketPrice {},
        )
    }

    pub fn list_series_ix(
        &self,
        v: &VaultKeys,
        strike: u64,
        expiry_ts: i64,
        side: u8,
    ) -> Instruction {
        program_ix(
            accs::ListSeries {
                vault: v.vault,
                admin: v.admin,
                market: self.market,
                book: self.book,
                surface: self.surface,
            },
            ixs::ListSeries {
                strike,
                expiry_ts,
                side,
            },
        )
    }

    pub fn delist_series_ix(&self, v: &VaultKeys, series_index: u8) -> Instruction {
        program_ix(
            accs::DelistSeries {
                vault: v.vault,
                admin: v.admin,
                market: self.market,
                book: self.book,
            },
            ixs::DelistSeries { series_index },
        )
    }

    /// `update_vol_surface` signed by `keeper` (the vault's keeper authority in a valid call).
    pub fn update_vol_surface_ix(
        &self,
        v: &VaultKeys,
        keeper: Pubkey,
        slices: Vec<SviSlice>,
    ) -> Instruction {
        program_ix(
            accs::UpdateVolSurface {
                vault: v.vault,
                keeper,
                market: self.market,
                surface: self.surface,
                book: self.book,
                oracle: self.oracle,
            },
            ixs::UpdateVolSurface { slices },
        )
    }

    pub fn open_margin_account_ix(&self, v: &VaultKeys, owner: Pubkey) -> Instruction {
        program_ix(
            accs::OpenMarginAccount {
                vault: v.vault,
                owner,
                margin_account: self.margin_address(&owner),
                system_program: system_program::ID,
            },
            ixs::OpenMarginAccount {},
        )
    }

    pub fn deposit_collateral_ix(
        &self,
        v: &VaultKeys,
        owner: Pubkey,
        owner_collateral: Pubkey,
        amount: u64,
    ) -> Instruction {
        program_ix(
            accs::DepositCollateral {
                vault: v.vault,
                margin_account: self.margin_address(&owner),
                owner,
                collateral_mint: v.collateral_mint,
                vault_token: v.vault_token,
                owner_collateral,
                token_program: spl_token::ID,
            },
            ixs::DepositCollateral { amount },
        )
    }

    pub fn withdraw_collateral_ix(
        &self,
        v: &VaultKeys,
        owner: Pubkey,
        owner_collateral: Pubkey,
        amount: u64,
    ) -> Instruction {
        program_ix(
            accs::WithdrawCollateral {
                vault: v.vault,
                market: self.market,
                book: self.book,
                hedge_book: self.hedge_book,
                margin_account: self.margin_address(&owner),
                owner,
                collateral_mint: v.collateral_mint,
                vault_token: v.vault_token,
                owner_collateral,
                oracle: self.oracle,
                token_program: spl_token::ID,
            },
            ixs::WithdrawCollateral { amount },
        )
    }

    pub fn close_margin_account_ix(&self, owner: Pubkey) -> Instruction {
        program_ix(
            accs::CloseMarginAccount {
                margin_account: self.margin_address(&owner),
                owner,
            },
            ixs::CloseMarginAccount {},
        )
    }

    /// `trade_option`: `size` > 0 buys from the vault, < 0 sells; `limit` is the worst premium
    /// (max paid when buying, min received when selling).
    pub fn trade_option_ix(
        &self,
        v: &VaultKeys,
        trader: Pubkey,
        series_index: u8,
        size: i64,
        limit: u64,
    ) -> Instruction {
        program_ix(
            accs::TradeOption {
                vault: v.vault,
                market: self.market,
                book: self.book,
                surface: self.surface,
                mark_registry: v.mark_registry,
                margin_account: self.margin_address(&trader),
                trader,
                oracle: self.oracle,
            },
            ixs::TradeOption {
                series_index,
                size,
                limit,
            },
        )
    }

    /// `register_hedge_provider` for `owner`'s margin account on this market.
    pub fn register_hedge_provider_ix(&self, owner: Pubkey) -> Instruction {
        self.register_hedge_provider_evicting_ix(owner, None)
    }

    /// `register_hedge_provider` into a full book, taking the slot of `evict` (a provider's
    /// margin account whose quote is dead and whose perpetual is flat).
    pub fn register_hedge_provider_evicting_ix(
        &self,
        owner: Pubkey,
        evict: Option<Pubkey>,
    ) -> Instruction {
        program_ix(
            accs::RegisterHedgeProvider {
                market: self.market,
                hedge_book: self.hedge_book,
                margin_account: self.margin_address(&owner),
                owner,
                evict,
            },
            ixs::RegisterHedgeProvider {},
        )
    }

    /// `deregister_hedge_provider`: `owner`'s flat provider account leaves the hedge book.
    pub fn deregister_hedge_provider_ix(&self, owner: Pubkey) -> Instruction {
        program_ix(
            accs::DeregisterHedgeProvider {
                market: self.market,
                hedge_book: self.hedge_book,
                margin_account: self.margin_address(&owner),
                owner,
            },
            ixs::DeregisterHedgeProvider {},
        )
    }

    /// `post_hedge_quote`: `owner`'s standing quote (sizes SIZE_PRECISION).
    pub fn post_hedge_quote_ix(
        &self,
        v: &VaultKeys,
        owner: Pubkey,
        max_vault_buy: u64,
        max_vault_sell: u64,
        spread_bps: u16,
        expiry_ts: i64,
    ) -> Instruction {
        program_ix(
            accs::PostHedgeQuote {
                vault: v.vault,
                market: self.market,
                book: self.book,
                hedge_book: self.hedge_book,
                margin_account: self.margin_address(&owner),
                owner,
                oracle: self.oracle,
            },
            ixs::PostHedgeQuote {
                max_vault_buy,
                max_vault_sell,
                spread_bps,
                expiry_ts,
            },
        )
    }

    /// `post_option_quote`: `owner`'s standing quote on series `series_index`, in vol terms
    /// (vols VOL_PRECISION, sizes SIZE_PRECISION).
    #[allow(clippy::too_many_arguments)]
    pub fn post_option_quote_ix(
        &self,
        v: &VaultKeys,
        owner: Pubkey,
        series_index: u8,
        (bid_vol, ask_vol): (u64, u64),
        (max_vault_buy, max_vault_sell): (u64, u64),
        expiry_ts: i64,
    ) -> Instruction {
        program_ix(
            accs::PostOptionQuote {
                vault: v.vault,
                market: self.market,
                book: self.book,
                surface: self.surface,
                hedge_book: self.hedge_book,
                margin_account: self.margin_address(&owner),
                owner,
                oracle: self.oracle,
            },
            ixs::PostOptionQuote {
                series_index,
                bid_vol,
                ask_vol,
                max_vault_buy,
                max_vault_sell,
                expiry_ts,
            },
        )
    }

    /// `rebalance_option_hedge` signed by `keeper`: the vault buys (`size` > 0) or sells `series_index`
    /// from `provider` (a margin account address), no worse than `limit_vol`.
    pub fn rebalance_option_hedge_ix(
        &self,
        v: &VaultKeys,
        keeper: Pubkey,
        provider: Pubkey,
        expected_seq: u64,
        (series_index, size): (u8, i64),
        limit_vol: u64,
    ) -> Instruction {
        program_ix(
            accs::RebalanceOptionHedge {
                vault: v.vault,
                keeper,
                market: self.market,
                book: self.book,
                surface: self.surface,
                hedge_book: self.hedge_book,
                mark_registry: v.mark_registry,
                provider,
                oracle: self.oracle,
            },
            ixs::RebalanceOptionHedge {
                expected_seq,
                series_index,
                size,
                limit_vol,
            },
        )
    }

    /// `rebalance_hedge` signed by `keeper` against `provider` (a margin account address).
    pub fn rebalance_hedge_ix(
        &self,
        v: &VaultKeys,
        keeper: Pubkey,
        provider: Pubkey,
        expected_seq: u64,
        size: i64,
        max_slippage_bps: u16,
    ) -> Instruction {
        program_ix(
            accs::RebalanceHedge {
                vault: v.vault,
                keeper,
                market: self.market,
                book: self.book,
                hedge_book: self.hedge_book,
                mark_registry: v.mark_registry,
                provider,
                oracle: self.oracle,
            },
            ixs::RebalanceHedge {
                expected_seq,
                size,
                max_slippage_bps,
            },
        )
    }

    /// `refresh_marks` (permissionless). Needs about 12.6k CU per listed series.
    pub fn refresh_marks_ix(&self, v: &VaultKeys) -> Instruction {
        program_ix(
            accs::RefreshMarks {
                vault: v.vault,
                market: self.market,
                book: self.book,
                surface: self.surface,
                mark_registry: v.mark_registry,
                oracle: self.oracle,
            },
            ixs::RefreshMarks {},
        )
    }

    /// `refresh_scenarios` over series `first_series .. first_series + series_count`.
    pub fn refresh_scenarios_ix(&self, first_series: u8, series_count: u8) -> Instruction {
        program_ix(
            accs::RefreshScenarios {
                market: self.market,
                book: self.book,
                surface: self.surface,
                oracle: self.oracle,
            },
            ixs::RefreshScenarios {
                first_series,
                series_count,
            },
        )
    }

    /// `refresh_scenarios` for the whole book, in chunks of `per_tx` series: one instruction
    /// per transaction keeps each inside the compute limit.
    pub fn refresh_scenarios_chunks(&self, per_tx: u8) -> Vec<Instruction> {
        let per_tx = per_tx.max(1);
        (0..exposure_vault::state::SeriesBook::MAX_SERIES as u8)
            .step_by(usize::from(per_tx))
            .map(|first| {
                let count = per_tx.min(exposure_vault::state::SeriesBook::MAX_SERIES as u8 - first);
                self.refresh_scenarios_ix(first, count)
            })
            .collect()
    }

    /// `set_margin_mode`: `margin_mode::STANDARD` or `margin_mode::PORTFOLIO`.
    pub fn set_margin_mode_ix(&self, v: &VaultKeys, owner: Pubkey, margin_mode: u8) -> Instruction {
        program_ix(
            accs::SetMarginMode {
                vault: v.vault,
                market: self.market,
                book: self.book,
                hedge_book: self.hedge_book,
                margin_account: self.margin_address(&owner),
                owner,
                oracle: self.oracle,
            },
            ixs::SetMarginMode { margin_mode },
        )
    }

    pub fn check_margin_ix(&self, v: &VaultKeys, margin_account: Pubkey) -> Instruction {
        program_ix(
            accs::CheckMargin {
                vault: v.vault,
                market: self.market,
                book: self.book,
                margin_account,
                oracle: self.oracle,
            },
            ixs::CheckMargin {},
        )
    }

    /// `liquidate`: with `takeover`, the liquidator's margin account on this market takes the
    /// shorts; otherwise the vault closes them and the fee goes to `liquidator_collateral`.
    pub fn liquidate_ix(
        &self,
        v: &VaultKeys,
        target: Pubkey,
        liquidator: Pubkey,
        liquidator_margin: Option<Pubkey>,
        liquidator_collateral: Option<Pubkey>,
        takeover: bool,
    ) -> Instruction {
        program_ix(
            accs::Liquidate {
                vault: v.vault,
                market: self.market,
                book: self.book,
                mark_registry: v.mark_registry,
                margin_account: target,
                liquidator,
                liquidator_margin,
                liquidator_collateral,
                collateral_mint: v.collateral_mint,
                vault_token: v.vault_token,
                insurance_token: v.insurance_token,
                oracle: self.oracle,
                token_program: spl_token::ID,
            },
            ixs::Liquidate { takeover },
        )
    }

    pub fn settle_series_ix(
        &self,
        v: &VaultKeys,
        series_index: u8,
        settlement_oracle: Pubkey,
    ) -> Instruction {
        program_ix(
            accs::SettleSeries {
                vault: v.vault,
                market: self.market,
                book: self.book,
                mark_registry: v.mark_registry,
                settlement_oracle,
                oracle: self.oracle,
            },
            ixs::SettleSeries { series_index },
        )
    }

    pub fn settle_position_ix(
        &self,
        v: &VaultKeys,
        margin_account: Pubkey,
        series_index: u8,
    ) -> Instruction {
        program_ix(
            accs::SettlePosition {
                vault: v.vault,
                market: self.market,
                book: self.book,
                mark_registry: v.mark_registry,
                margin_account,
                collateral_mint: v.collateral_mint,
                vault_token: v.vault_token,
                insurance_token: v.insurance_token,
                token_program: spl_token::ID,
            },
            ixs::SettlePosition { series_index },
        )
    }
}

/// `ix` with the `[market, book, oracle]` of each market in `others` appended: what a
/// cross-market account's margin check reads besides the instruction's own market.
pub fn with_other_markets(mut ix: Instruction, others: &[MarketKeys]) -> Instruction {
    ix.accounts
        .extend(others.iter().flat_map(MarketKeys::as_other_market));
    ix
}

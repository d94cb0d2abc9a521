//! A depositor's wallet transactions, as a CLI wallet sends them: associated token accounts,
//! fresh marks when the vault holds positions, then `deposit_liquidity`, or `request_liquidity_withdrawal` and
//! `withdraw_liquidity`.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anyhow::Result;
use exposure_vault::state::{Vault, WithdrawalRequest};
use exposure_vault_client::{MarketKeys, VaultKeys};
use exposure_vault_rpc::tokens::{ata, create_ata_ix};
use exposure_vault_rpc::{Chain, Keypair, Signer};

/// CU for a wallet transaction: the measured deposit/withdraw (~25k) plus `refresh_marks`
/// (~12.6k per listed series) when marks must be refreshed first, with headroom.
fn compute_units(refresh_series: usize) -> u32 {
    60_000 + 15_000 * refresh_series as u32
}

/// The outcome of a wallet transaction, read back from chain.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Receipt {
    pub signature: String,
    pub shares_before: u64,
    pub shares_after: u64,
    pub collateral_before: u64,
    pub collateral_after: u64,
    pub nav_after: u64,
    pub total_shares_after: u64,
}

/// `refresh_marks` for every market whenever the vault holds positions: LP flows price at marks
/// of their own slot's accepted price (`MarksNotCurrent` otherwise).
async fn refresh_if_needed(
    chain: &Chain,
    vault: &VaultKeys,
    markets: &[MarketKeys],
) -> Result<(Vec<Instruction>, usize)> {
    let state: Vault = chain.anchor_account(&vault.vault).await?;
    if state.marks_valid_until == i64::MAX {
        return Ok((vec![], 0));
    }
    let view = chain
        .load_vault(
            &vault.vault,
            &markets.iter().map(|m| m.oracle).collect::<Vec<_>>(),
        )
        .await?;
    // A market whose newest update is past its age limit is left out: the program counts it at
    // its worse side at once, and its refresh would fail the whole transaction.
    let now = view.clock.unix_timestamp;
    let priceable: Vec<_> = view
        .markets
        .iter()
        .filter(|m| {
            m.oracle.is_some_and(|o| {
                now.saturating_sub(o.publish_time) <= i64::from(m.state.oracle.max_age_secs)
            })
        })
        .collect();
    let series: usize = priceable
        .iter()
        .map(|m| m.book.series.iter().filter(|s| s.is_listed()).count())
        .sum();
    Ok((
        priceable
            .iter()
            .map(|m| m.keys.refresh_marks_ix(vault))
            .collect(),
        series,
    ))
}

async fn send_wallet_tx(
    chain: &Chain,
    wallet: &Keypair,
    vault: &VaultKeys,
    markets: &[MarketKeys],
    actions: Vec<Instruction>,
) -> Result<Receipt> {
    let owner = wallet.pubkey();
    let (collateral, shares) = (
        ata(&owner, &vault.collateral_mint),
        ata(&owner, &vault.share_mint),
    );
    let (shares_before, collateral_before) = (
        chain.token_balance(&shares).await?,
        chain.token_balance(&collateral).await?,
    );
    let (mut ixs, refresh_series) = refresh_if_needed(chain, vault, markets).await?;
    ixs.push(create_ata_ix(&owner, &owner, &vault.share_mint));
    ixs.extend(actions);
    let signature = chain
        .send(&ixs, &[wallet], Some(compute_units(refresh_series)))
        .await?;
    let state: Vault = chain.anchor_account(&vault.vault).await?;
    Ok(Receipt {
        signature,
        shares_before,
        shares_after: chain.token_balance(&shares).await?,
        collateral_before,
        collateral_after: chain.token_balance(&collateral).await?,
        nav_after: state.net_assets(),
        total_shares_after: state.total_shares,
    })
}

/// Deposits `amount` collateral units from `wallet` (the chain's payer) for shares.
pub async fn deposit_liquidity(
    chain: &Chain,
    wallet: &Keypair,
    vault: &VaultKeys,
    markets: &[MarketKeys],
    amount: u64,
) -> Result<Receipt> {
    let owner = wallet.pubkey();
    let ix = vault.deposit_liquidity_ix(
        owner,
        ata(&owner, &vault.collateral_mint),
        ata(&owner, &vault.share_mint),
        amount,
    );
    send_wallet_tx(chain, wallet, vault, markets, vec![ix]).await
}

/// Burns `shares` of `wallet` for collateral: `request_liquidity_withdrawal`, then, once the vault's
/// withdrawal delay has passed on the chain's clock, `withdraw_liquidity` (one transaction when the delay
/// is zero).
pub async fn withdraw_liquidity(
    chain: &Chain,
    wallet: &Keypair,
    vault: &VaultKeys,
    markets: &[MarketKeys],
    shares: u64,
) -> Result<Receipt> {
    let owner = wallet.pubkey();
    let request =
        vault.request_liquidity_withdrawal_ix(owner, ata(&owner, &vault.share_mint), shares);
    let complete = vault.withdraw_liquidity_ix(owner, ata(&owner, &vault.collateral_mint));
    let state: Vault = chain.anchor_account(&vault.vault).await?;
    if state.params.withdrawal_delay_secs == 0 {
        return send_wallet_tx(chain, wallet, vault, markets, vec![request, complete]).await;
    }
    let requested = send_wallet_tx(chain, wallet, vault, markets, vec![request]).await?;
    let pending: WithdrawalRequest = chain
        .anchor_account(&vault.withdrawal_request_address(&owner))
        .await?;
    while chain.clock().await?.unix_timestamp < pending.due_ts {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let completed = send_wallet_tx(chain, wallet, vault, markets, vec![complete]).await?;
    Ok(Receipt {
        shares_before: requested.shares_before,
        collateral_before: requested.collateral_before,
        ..completed
    })
}

/// Localnet faucet: SOL for fees and `collateral` units of the demo's collateral mint.
pub async fn fund(
    chain: &Chain,
    mint_authority: &Keypair,
    mint: &Pubkey,
    wallet: &Pubkey,
    collateral: u64,
) -> Result<()> {
    chain.airdrop(wallet, 10_000_000_000).await?;
    chain
        .mint_to_wallet(mint, mint_authority, wallet, collateral)
        .await?;
    Ok(())
}

/// A trader on one market: a funded wallet with a margin account holding `collateral`.
pub async fn open_trader(
    admin: &Chain,
    mint_authority: &Keypair,
    vault: &VaultKeys,
    market: &MarketKeys,
    collateral: u64,
) -> Result<Keypair> {
    let trader = Keypair::new();
    fund(
        admin,
        mint_authority,
        &vault.collateral_mint,
        &trader.pubkey(),
        collateral,
    )
    .await?;
    let chain = Chain::new(&admin.url(), trader.insecure_clone(), admin.options.clone());
    let owner = trader.pubkey();
    let ixs = [
        market.open_margin_account_ix(vault, owner),
        market.deposit_collateral_ix(
            vault,
            owner,
            ata(&owner, &vault.collateral_mint),
            collateral,
        ),
    ];
    chain.send(&ixs, &[&trader], None).await?;
    Ok(trader)
}

/// `trade_option` at market (no premium limit when buying, no minimum when selling).
pub async fn trade_option(
    chain: &Chain,
    trader: &Keypair,
    vault: &VaultKeys,
    market: &MarketKeys,
    series: u8,
    size: i64,
) -> Result<String> {
    let ix = at_market(market, vault, trader, series, size);
    // trade_option measured 70k CU at 16 positions.
    Ok(chain.send(&[ix], &[trader], Some(120_000)).await?)
}

/// `trade_option` with no limit: buys at any premium, sells at any.
fn at_market(
    market: &MarketKeys,
    vault: &VaultKeys,
    trader: &Keypair,
    series: u8,
    size: i64,
) -> anchor_lang::solana_program::instruction::Instruction {
    let limit = if size > 0 { u64::MAX } else { 0 };
    market.trade_option_ix(vault, trader.pubkey(), series, size, limit)
}

/// `set_margin_mode`: the trader's account on `market` under the standard rule (0) or
/// portfolio margin (1).
pub async fn set_margin_mode(
    chain: &Chain,
    trader: &Keypair,
    vault: &VaultKeys,
    market: &MarketKeys,
    margin_mode: u8,
) -> Result<String> {
    let ix = market.set_margin_mode_ix(vault, trader.pubkey(), margin_mode);
    Ok(chain.send(&[ix], &[trader], Some(200_000)).await?)
}

/// `trade_option` for a portfolio-margin account: the first 16 series' scenario cache is
/// refreshed in the same transaction, so the margin check reads it fresh.
pub async fn trade_option_pm(
    chain: &Chain,
    trader: &Keypair,
    vault: &VaultKeys,
    market: &MarketKeys,
    series: u8,
    size: i64,
) -> Result<String> {
    let ixs = [
        market.refresh_scenarios_ix(0, 16),
        at_market(market, vault, trader, series, size),
    ];
    // refresh_scenarios measured ~35k + 18k per listed series; trade_option under PM 78k at 16.
    Ok(chain.send(&ixs, &[trader], Some(600_000)).await?)
}

/// A standing hedge quote: `max_size` (SIZE_PRECISION) each side at `spread_bps` around the
/// oracle, for `lifetime_secs`.
#[derive(Clone, Copy, Debug)]
pub struct QuoteSpec {
    pub max_size: u64,
    pub spread_bps: u16,
    pub lifetime_secs: i64,
}

/// A hedge provider on one market: a trader with `collateral` whose margin account is
/// registered on the hedge book and quotes `quote`.
pub async fn open_hedge_provider(
    admin: &Chain,
    mint_authority: &Keypair,
    vault: &VaultKeys,
    market: &MarketKeys,
    collateral: u64,
    quote: QuoteSpec,
) -> Result<Keypair> {
    let QuoteSpec {
        max_size,
        spread_bps,
        lifetime_secs,
    } = quote;
    let provider = open_trader(admin, mint_authority, vault, market, collateral).await?;
    let chain = Chain::new(
        &admin.url(),
        provider.insecure_clone(),
        admin.options.clone(),
    );
    let owner = provider.pubkey();
    let expiry = chain.clock().await?.unix_timestamp + lifetime_secs;
    let ixs = [
        market.register_hedge_provider_ix(owner),
        market.post_hedge_quote_ix(vault, owner, max_size, max_size, spread_bps, expiry),
    ];
    chain.send(&ixs, &[&provider], None).await?;
    Ok(provider)
}

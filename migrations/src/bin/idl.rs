//! Generates the program's IDL JSON and its TypeScript type the way `anchor build` does (the
//! `idl-build` route: no SBF toolchain needed), into `idl/`, committed for the app.
//!
//!   idl            regenerate idl/exposure_vault.json and idl/exposure_vault.ts
//!   idl --check    fail if the committed files differ from what the program generates
use std::path::Path;
use std::process::ExitCode;

use anchor_lang_idl::build::IdlBuilder;
use anchor_lang_idl::types::Idl;
use anyhow::{Context, Result};
use heck::{ToLowerCamelCase, ToUpperCamelCase};

/// `anchor build`'s TypeScript type: the IDL with every identifier value in camelCase (addresses
/// left alone), as the Anchor TS client expects.
fn idl_ts(idl: &Idl) -> Result<String> {
    let name = &idl.metadata.name;
    let json = serde_json::to_string(idl)?;
    let identifier = regex::Regex::new(r#""\w+":"([\w\d]+)""#)?;
    let camel = identifier
        .captures_iter(&json)
        .fold(json.clone(), |acc, capture| {
            let value = &capture[1];
            if value.parse::<anchor_lang::prelude::Pubkey>().is_ok() {
                return acc;
            }
            acc.replace(
                &format!(r#""{value}""#),
                &format!(r#""{}""#, value.to_lower_camel_case()),
            )
        });
    let pretty = serde_json::to_string_pretty(&serde_json::from_str::<Idl>(&camel)?)?;
    Ok(format!(
        r#"/**
 * Program IDL in camelCase format in order to be used in JS/TS.
 *
 * Note that this is only a type helper and is not the actual IDL. The original
 * IDL can be found at `idl/{name}.json`.
 */
export type {} = {pretty};
"#,
        name.to_upper_camel_case()
    ))
}

fn main() -> Result<ExitCode> {
    let check = std::env::args().any(|a| a == "--check");
    let repo = exposure_vault_migrations::repo_root();
    let program = repo.join("programs/exposure-vault");
    // A separate target dir: the IDL build sets its own RUSTFLAGS, which would otherwise
    // invalidate the workspace's build cache on every run.
    let target = repo.join("target/idl-build");
    // anchor-lang-idl 0.1.4 passes a literal "+{toolchain}" to cargo when RUSTUP_TOOLCHAIN is
    // set (as it is under `cargo run`); without it the child cargo reads rust-toolchain.toml.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let idl = IdlBuilder::new()
        .program_path(program)
        .resolution(true)
        .cargo_args(vec!["--target-dir".into(), target.display().to_string()])
        .build()
        .context("building the IDL (cargo test --features idl-build)")?;
    let json = serde_json::to_string_pretty(&idl)? + "\n";
    let ts = idl_ts(&idl)?;
    let out = repo.join("idl");
    let files = [("exposure_vault.json", json), ("exposure_vault.ts", ts)];
    if check {
        let stale: Vec<&str> = files
            .iter()
            .filter(|(file, text)| {
                std::fs::read_to_string(out.join(file)).ok().as_deref() != Some(text.as_str())
            })
            .map(|(file, _)| *file)
            .collect();
        if !stale.is_empty() {
            eprintln!(
                "idl/{} out of date: run `cargo run -p exposure-vault-migrations --bin idl`",
                stale.join(", idl/")
            );
            return Ok(ExitCode::FAILURE);
        }
        println!("idl/ is current ({} instructions)", idl.instructions.len());
        return Ok(ExitCode::SUCCESS);
    }
    std::fs::create_dir_all(&out)?;
    for (file, text) in &files {
        std::fs::write(out.join(file), text)?;
        println!("wrote {}", Path::new("idl").join(file).display());
    }
    Ok(ExitCode::SUCCESS)
}

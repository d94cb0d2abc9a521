//! Generates the program's IDL JSON and its TypeScript type the way `anchor build` does (the
//! `idl-build` route: no SBF toolchain needed), into `idl/`, committed for the app.
//!
//!   idl            regenerate idl/exposure_vault.json and idl/exposure_vault.ts
//!   idl --check    fail if the committed files differ from what the program generates
//!
//! Error codes are append-only: `idl/error-codes.txt` pins every code released so far. A
//! regeneration appends new errors to it and refuses an IDL where a pinned name changed code
//! or vanished, since clients map codes to names.
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

/// The pinned codes (`<code> <name>` per line) against the IDL's: the lines to write, or the
/// names whose codes moved or vanished.
fn pin_error_codes(pinned: &str, idl: &Idl) -> std::result::Result<String, Vec<String>> {
    let now: std::collections::BTreeMap<&str, u32> = idl
        .errors
        .iter()
        .map(|e| (e.name.as_str(), e.code))
        .collect();
    let mut lines: Vec<String> = Vec::new();
    let mut moved = Vec::new();
    for line in pinned.lines().filter(|l| !l.trim().is_empty()) {
        let (code, name) = line.split_once(' ').unwrap_or((line, ""));
        match now.get(name) {
            Some(c) if c.to_string() == code => lines.push(line.to_string()),
            Some(c) => moved.push(format!("{name}: pinned {code}, now {c}")),
            None => moved.push(format!("{name}: pinned {code}, now gone")),
        }
    }
    if !moved.is_empty() {
        return Err(moved);
    }
    let known: std::collections::BTreeSet<String> = lines.iter().cloned().collect();
    let mut fresh: Vec<_> = idl.errors.iter().collect();
    fresh.sort_by_key(|e| e.code);
    for e in fresh {
        let line = format!("{} {}", e.code, e.name);
        if !known.contains(&line) {
            lines.push(line);
        }
    }
    Ok(lines.join("\n") + "\n")
}

fn main() -> Result<ExitCode> {
    let check = std::env::args().any(|a| a == "--check");
    let repo = exposure_vault_localnet::repo_root();
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
    let pinned = std::fs::read_to_string(out.join("error-codes.txt")).unwrap_or_default();
    let codes = match pin_error_codes(&pinned, &idl) {
        Ok(codes) => codes,
        Err(moved) => {
            eprintln!(
                "error codes are append-only; these moved:\n  {}\nadd new errors at the end of `VaultError`",
                moved.join("\n  ")
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    let files = [
        ("exposure_vault.json", json),
        ("exposure_vault.ts", ts),
        ("error-codes.txt", codes),
    ];
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
                "idl/{} out of date: run `cargo run -p exposure-vault-localnet --bin idl`",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn idl_with(errors: &[(&str, u32)]) -> Idl {
        let mut idl: Idl = serde_json::from_str(
            r#"{"address":"11111111111111111111111111111111","metadata":{"name":"t","version":"0","spec":"0.1.0"},"instructions":[]}"#,
        )
        .expect("minimal IDL");
        idl.errors = errors
            .iter()
            .map(|(name, code)| anchor_lang_idl::types::IdlErrorCode {
                code: *code,
                name: name.to_string(),
                msg: None,
            })
            .collect();
        idl
    }

    #[test]
    fn new_errors_are_appended_and_moved_codes_refused() {
        let idl = idl_with(&[("A", 6000), ("B", 6001), ("C", 6002)]);
        assert_eq!(
            pin_error_codes("6000 A\n6001 B\n", &idl).as_deref(),
            Ok("6000 A\n6001 B\n6002 C\n")
        );
        // B inserted before A: A's code moved.
        let shifted = idl_with(&[("B", 6000), ("A", 6001)]);
        assert!(pin_error_codes("6000 A\n", &shifted).is_err());
        // A removed.
        assert!(pin_error_codes("6000 A\n", &idl_with(&[("B", 6001)])).is_err());
    }
}

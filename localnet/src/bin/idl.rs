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
use anchor_lang_idl::types::{Idl, IdlInstructionAccountItem};
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

/// Copies each instruction's `- `name`: text` doc lines (with the lines that continue them, up to
/// the next item or a blank line) into the docs of the argument they name: Rust allows no doc
/// comment on a function parameter, so the entrypoint's doc comment carries them.
fn document_args(idl: &mut Idl) {
    for ix in &mut idl.instructions {
        let mut current: Option<(String, Vec<String>)> = None;
        let mut found: Vec<(String, Vec<String>)> = Vec::new();
        for line in &ix.docs {
            let item = line
                .strip_prefix("- `")
                .and_then(|rest| rest.split_once("`: "));
            if let Some((name, text)) = item {
                found.extend(current.take());
                current = Some((name.to_string(), vec![text.to_string()]));
            } else if let (Some((_, text)), false) = (current.as_mut(), line.trim().is_empty()) {
                text.push(line.trim().to_string());
            } else {
                found.extend(current.take());
            }
        }
        found.extend(current);
        for (name, text) in found {
            if let Some(arg) = ix.args.iter_mut().find(|a| a.name == name) {
                arg.docs = vec![text.join(" ")];
            }
        }
    }
}

/// The instruction accounts and arguments without docs, as `instruction.name`.
fn undocumented(idl: &Idl) -> Vec<String> {
    fn accounts(prefix: &str, items: &[IdlInstructionAccountItem], out: &mut Vec<String>) {
        for item in items {
            match item {
                IdlInstructionAccountItem::Single(a) if a.docs.is_empty() => {
                    out.push(format!("{prefix}.{}", a.name))
                }
                IdlInstructionAccountItem::Single(_) => {}
                IdlInstructionAccountItem::Composite(c) => accounts(prefix, &c.accounts, out),
            }
        }
    }
    let mut out = Vec::new();
    for ix in &idl.instructions {
        accounts(&ix.name, &ix.accounts, &mut out);
        out.extend(
            ix.args
                .iter()
                .filter(|a| a.docs.is_empty())
                .map(|a| format!("{}.{}", ix.name, a.name)),
        );
    }
    out
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
    let mut idl = idl;
    document_args(&mut idl);
    let missing = undocumented(&idl);
    if !missing.is_empty() {
        eprintln!(
            "every instruction account and argument carries a doc line (`///` on the account, \
             `- `name`: ...` in the entrypoint's doc for an argument); missing:\n  {}",
            missing.join("\n  ")
        );
        return Ok(ExitCode::FAILURE);
    }
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
    fn argument_lines_in_an_instructions_docs_document_its_arguments() {
        let mut idl: Idl = serde_json::from_str(
            r#"{"address":"11111111111111111111111111111111","metadata":{"name":"t","version":"0","spec":"0.1.0"},
               "instructions":[{"name":"trade","discriminator":[0,0,0,0,0,0,0,0],"accounts":[],
               "docs":["Trades.","","- `size`: signed units;","> 0 buys.","- `limit`: the bound.","","Unrelated."],
               "args":[{"name":"size","type":"i64"},{"name":"limit","type":"u64"},{"name":"other","type":"u8"}]}]}"#,
        )
        .expect("minimal IDL");
        document_args(&mut idl);
        let docs: Vec<_> = idl.instructions[0]
            .args
            .iter()
            .map(|a| a.docs.join(" "))
            .collect();
        assert_eq!(docs, ["signed units; > 0 buys.", "the bound.", ""]);
        assert_eq!(undocumented(&idl), ["trade.other"]);
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

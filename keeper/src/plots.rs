//! What the keeper's reports share (`keeper stress`, `--replay`, `keeper backtest`): SVG plots
//! drawn with plotters into a string, Markdown tables rendered as HTML, and one directory of
//! `<stem>.html`, `<stem>.json` and the plots.
use plotters::prelude::*;

pub type PlotResult = Result<String, String>;

/// An SVG of `size` pixels drawn by `draw` on a white background.
pub fn svg(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), String>,
) -> PlotResult {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        draw(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// A Markdown table (header, separator, rows) as an HTML table.
pub fn md_table_html(md: &str) -> String {
    let mut out = String::from("<table>");
    for (i, line) in md.lines().enumerate() {
        if i == 1 {
            continue;
        }
        let tag = if i == 0 { "th" } else { "td" };
        out.push_str("<tr>");
        for cell in line.trim_matches('|').split('|') {
            out.push_str(&format!("<{tag}>{}</{tag}>", cell.trim()));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    out
}

/// Writes `<stem>.html` (the `title`, `body` and every non-empty plot under its heading),
/// `<stem>.json` and one `<file>.svg` per plot into `dir`; returns the paths written.
pub fn write_bundle(
    dir: &std::path::Path,
    stem: &str,
    title: &str,
    body: &str,
    plots: Vec<(String, String, PlotResult)>,
    json: &impl serde::Serialize,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let mut html = format!("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{title}</title><style>body{{font-family:sans-serif;max-width:1100px;margin:auto;padding:16px}}table{{border-collapse:collapse;font-size:13px}}td,th{{border:1px solid #ccc;padding:3px 6px;text-align:right}}</style><h1>{title}</h1>{body}");
    for (file, heading, plot) in plots {
        let svg = plot.map_err(std::io::Error::other)?;
        if svg.is_empty() {
            continue;
        }
        let path = dir.join(format!("{file}.svg"));
        std::fs::write(&path, &svg)?;
        html.push_str(&format!("<h2>{heading}</h2>{svg}"));
        written.push(path);
    }
    html.push_str("</html>\n");
    let path = dir.join(format!("{stem}.html"));
    std::fs::write(&path, html)?;
    written.push(path);
    let path = dir.join(format!("{stem}.json"));
    std::fs::write(
        &path,
        serde_json::to_string_pretty(json).map_err(std::io::Error::other)?,
    )?;
    written.push(path);
    Ok(written)
}

//! `--format html` through the binary: the page is well-formed and
//! self-contained, each promised chart is there holding the data it should,
//! its tables say what `--format markdown` and `--format json` say, and a real
//! headless browser draws it.

use std::path::Path;
use std::process::Command;

use roxmltree::{Document, Node, ParsingOptions};
use serde_json::Value;

fn shop(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_shop"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the shop binary runs");
    assert!(o.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("UTF-8 output")
}

/// Short runs keep the suite fast; the figures are still the real engine's.
const SHORT: [&str; 2] = ["--replications", "4"];

fn run(file: &str, format: &str) -> String {
    shop(&[&["run", file, "--format", format][..], &SHORT].concat())
}

fn compare(a: &str, b: &str, format: &str) -> String {
    shop(&[&["compare", a, b, "--format", format][..], &SHORT].concat())
}

/// The whole page as XML: the writer keeps HTML to XML's rules (void elements
/// closed, only XML's entities), so any tag left open or crossed fails here.
fn parse(html: &str) -> Document<'_> {
    let opts = ParsingOptions { allow_dtd: true, ..ParsingOptions::default() };
    Document::parse_with_options(html, opts).unwrap_or_else(|e| panic!("the page is not well-formed: {e}"))
}

fn has_class(n: &Node, class: &str) -> bool {
    n.attribute("class").is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

/// A node's text as a reader sees it (a figure's non-breaking spaces are spaces).
fn text(n: Node) -> String {
    let t: String = n.descendants().filter(|d| d.is_text()).map(|d| d.text().unwrap_or_default()).collect();
    t.replace('\u{a0}', " ")
}

fn self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "no scripts");
    assert!(!lower.contains("<link") && !lower.contains("@import") && !lower.contains("url("), "no outside files");
    assert!(!lower.contains("<img") && !lower.contains("<iframe") && !lower.contains("src="), "nothing loaded");
    let outside = lower.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!outside.contains("http://") && !outside.contains("https://"), "no address but the SVG namespace");
}

/// `(x, y)` pixels of a polyline's points.
fn points(n: &Node) -> Vec<(f64, f64)> {
    n.attribute("points")
        .unwrap_or_default()
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect()
}

/// `1h 02m`, `2m 00s`, `45.5s` as seconds.
fn secs(label: &str) -> Option<f64> {
    let mut total = 0.0;
    for part in label.split_whitespace() {
        let (n, unit) = part.split_at(part.len() - 1);
        let n: f64 = n.parse().ok()?;
        total += n * match unit {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            _ => return None,
        };
    }
    Some(total)
}

/// What a survival chart says: its series by name, the pixel row of 100%,
/// and a pixel ↔ seconds scale from its time axis labels.
struct Chart {
    series: Vec<(String, Vec<(f64, f64)>)>,
    top: f64,
    /// (pixel x of 0s, pixels per second).
    x_scale: (f64, f64),
}

fn chart(figure: Node) -> Chart {
    let svg = figure.descendants().find(|n| n.has_tag_name("svg")).expect("an inline SVG");
    let series = svg
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && has_class(n, "series"))
        .map(|n| (n.attribute("data-series").unwrap_or_default().to_string(), points(&n)))
        .collect();
    let labels: Vec<(String, f64, f64)> = svg
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let at = |a: &str| n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
            (text(n).trim().to_string(), at("x"), at("y"))
        })
        .collect();
    let top = labels.iter().find(|l| l.0 == "100%").expect("a 100% label").2;
    let ticks: Vec<(f64, f64)> = labels.iter().filter_map(|l| Some((secs(&l.0)?, l.1))).collect();
    let (t0, x0) = ticks.iter().copied().find(|t| t.0 == 0.0).expect("a 0s label");
    let (t1, x1) = *ticks.last().expect("time labels");
    Chart { series, top, x_scale: (x0, (x1 - x0) / (t1 - t0)) }
}

fn figure<'a>(doc: &'a Document<'a>, id: &str) -> Node<'a, 'a> {
    doc.descendants().find(|n| n.has_tag_name("figure") && n.attribute("id") == Some(id)).expect(id)
}

/// Every table as (title, rows of cells), the title being the `h2` before it.
fn tables(doc: &Document) -> Vec<(String, Vec<Vec<String>>)> {
    let mut out = Vec::new();
    let mut title = String::new();
    for n in doc.descendants() {
        if n.has_tag_name("h2") {
            title = text(n);
        }
        if n.has_tag_name("table") {
            let rows = n
                .descendants()
                .filter(|r| r.has_tag_name("tr"))
                .map(|r| r.children().filter(|c| c.is_element()).map(|c| text(c)).collect())
                .collect();
            out.push((title.clone(), rows));
        }
    }
    out
}

/// Markdown's tables as (title, rows of cells), header row included.
fn markdown_tables(md: &str) -> Vec<(String, Vec<Vec<String>>)> {
    let mut out: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    let mut title = String::new();
    for line in md.lines() {
        if let Some(t) = line.strip_prefix("### ").or_else(|| line.strip_prefix("#### ")) {
            title = t.to_string();
        } else if let Some(summary) = line.strip_prefix("<details><summary>") {
            title = summary.trim_end_matches("</summary>").to_string();
        } else if line.starts_with('|') && !line.starts_with("|---") {
            let cells: Vec<String> =
                line.trim_matches('|').split(" | ").map(|c| c.trim().trim_matches('*').replace("\\|", "|")).collect();
            match out.last_mut() {
                Some((t, rows)) if *t == title => rows.push(cells),
                _ => out.push((title.clone(), vec![cells])),
            }
        }
    }
    out
}

#[test]
fn a_run_page_is_well_formed_and_self_contained() {
    let html = run("scenarios/business_local.yaml", "html");
    self_contained(&html);
    let doc = parse(&html);
    assert_eq!(doc.root_element().tag_name().name(), "html");
    let charts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("figure") && n.descendants().any(|d| d.has_tag_name("svg")))
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert_eq!(charts, ["hold-survival", "day"], "how long callers held, and the day by interval");
}

#[test]
fn the_hold_chart_has_one_line_per_caller_type_from_everyone_to_the_longest_hold() {
    let file = "scenarios/business_local.yaml";
    let html = run(file, "html");
    let json: Value = serde_json::from_str(&run(file, "json")).expect("JSON");
    let doc = parse(&html);
    let c = chart(figure(&doc, "hold-survival"));
    // (serde_json's maps here are sorted by name.)
    let callers: Vec<&String> = json["by_caller"].as_object().expect("by_caller").keys().collect();
    let mut drawn: Vec<&String> = c.series.iter().map(|s| &s.0).collect();
    assert_eq!(drawn, ["consumer", "business"], "in the file's order");
    drawn.sort();
    assert_eq!(drawn, callers, "one line per caller type");
    for (name, pts) in &c.series {
        let (x, y) = pts[0];
        assert_eq!(y, c.top, "{name}: the line starts at 100% still holding");
        assert!((x - c.x_scale.0).abs() <= 1.0, "{name}: at 0s");
        assert!(pts.windows(2).all(|w| w[1].0 >= w[0].0 && w[1].1 >= w[0].1), "{name}: holds only get rarer");
        let max = json["by_caller"][name]["wait"]["max"].as_f64().expect("wait.max");
        let end = pts.last().expect("points").0;
        let drawn = (end - c.x_scale.0) / c.x_scale.1;
        assert!(
            (drawn - max).abs() <= 1.5 / c.x_scale.1 + 0.002 * max,
            "{name}: ends at the longest hold {max}s, drawn {drawn}s"
        );
    }
}

/// The y pixel of a share in the panel whose axis runs from `0%` up to the
/// `top` label (the `skip`th such label; plotters writes a panel's labels
/// from the bottom up, so its `0%` is the last one before).
fn share_axis(svg: Node, top: &str, skip: usize) -> impl Fn(f64) -> f64 {
    let labels: Vec<(String, f64)> = svg
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| (text(n).trim().to_string(), n.attribute("y").and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)))
        .collect();
    let at_top = labels.iter().enumerate().filter(|(_, l)| l.0 == top).nth(skip).expect(top);
    let zero = labels[..at_top.0].iter().rev().find(|l| l.0 == "0%").expect("0%").1;
    let (y_top, top_share) = (at_top.1.1, top.trim_end_matches('%').parse::<f64>().expect("a percentage") / 100.0);
    move |share| zero + (y_top - zero) * share / top_share
}

#[test]
fn the_day_chart_draws_each_interval_of_by_interval() {
    let file = "scenarios/support_line.yaml";
    let json: Value = serde_json::from_str(&run(file, "json")).expect("JSON");
    let intervals = json["by_interval"].as_array().expect("by_interval");
    assert!(intervals.len() > 1);
    let html = run(file, "html");
    let doc = parse(&html);
    let svg = figure(&doc, "day").descendants().find(|n| n.has_tag_name("svg")).expect("an SVG");
    let series: Vec<(String, Vec<(f64, f64)>)> = svg
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && has_class(n, "series"))
        .map(|n| (n.attribute("data-series").unwrap_or_default().to_string(), points(&n)))
        .collect();
    let names: Vec<&str> = series.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["agents on duty", "service level", "abandon rate"]);
    assert_eq!(series[0].1.len(), 2 * intervals.len(), "agents: a step per interval");
    let measured: Vec<f64> = intervals.iter().filter_map(|i| i["service_level"].as_f64()).collect();
    assert_eq!(series[1].1.len(), measured.len(), "a service level point per interval that has one");
    let y = share_axis(svg, "100%", 0);
    for ((_, py), sl) in series[1].1.iter().zip(&measured) {
        assert!((py - y(*sl)).abs() <= 1.0, "service level {sl} drawn at {py}, expected {}", y(*sl));
    }
    // Bars: one per interval, in the calls colour.
    let bars = svg.descendants().filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#56B4E9")).count();
    assert_eq!(bars, intervals.len() + 1, "a bar per interval, and the legend's swatch");
}

#[test]
fn compare_draws_the_day_of_a_and_b_with_their_intervals() {
    let (a, b) = ("scenarios/business_offshore.yaml", "scenarios/business_local.yaml");
    let html = compare(a, b, "html");
    let doc = parse(&html);
    let svg = figure(&doc, "day").descendants().find(|n| n.has_tag_name("svg")).expect("an SVG");
    let names: Vec<&str> = svg
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && has_class(n, "series"))
        .filter_map(|n| n.attribute("data-series"))
        .collect();
    assert_eq!(names, ["A service level", "B service level", "A abandon rate", "B abandon rate"]);
    let json: Value = serde_json::from_str(&compare(a, b, "json")).expect("JSON");
    let intervals = json["by_interval"].as_array().expect("by_interval");
    let with_ci = intervals
        .iter()
        .flat_map(|i| ["service_level", "abandon_rate"].map(|m| &i[m]))
        .flat_map(|p| [&p["a_ci95"], &p["b_ci95"]])
        .filter(|c| c.is_array())
        .count();
    let whiskers =
        svg.descendants().filter(|n| n.has_tag_name("rect") && n.attribute("opacity") == Some("0.45")).count();
    assert_eq!(whiskers, with_ci, "a whisker for each interval's 95% interval in A and in B");
}

#[test]
fn callers_who_never_hold_have_no_line() {
    // Email never waits on hold: its writers have no hold to draw.
    let file = "scenarios/blended_team.yaml";
    let json: Value = serde_json::from_str(&run(file, "json")).expect("JSON");
    let doc_text = run(file, "html");
    let doc = parse(&doc_text);
    let c = chart(figure(&doc, "hold-survival"));
    let mut held: Vec<&String> = json["by_caller"]
        .as_object()
        .expect("by_caller")
        .iter()
        .filter(|(_, f)| f["wait"]["max"].is_number())
        .map(|(k, _)| k)
        .collect();
    let mut drawn: Vec<&String> = c.series.iter().map(|s| &s.0).collect();
    held.sort();
    drawn.sort();
    assert_eq!(drawn, held);
    assert!(held.len() < json["by_caller"].as_object().expect("by_caller").len(), "someone never held");
}

#[test]
fn the_tables_say_what_markdown_and_json_say() {
    let file = "scenarios/business_local.yaml";
    let doc_text = run(file, "html");
    let doc = parse(&doc_text);
    let html = tables(&doc);
    let md = markdown_tables(&run(file, "markdown"));
    assert_eq!(html, md, "the same tables, cell for cell, in the same order");

    let json: Value = serde_json::from_str(&run(file, "json")).expect("JSON");
    let (_, calls) = html.iter().find(|t| t.0 == "Calls").expect("a Calls table");
    for row in &calls[1..] {
        let f = if row[0] == "all callers" { &json["overall"] } else { &json["by_caller"][&row[0]] };
        let keys =
            ["calls", "callers", "answered", "resolved", "abandoned_menu", "abandoned_queue", "blocked", "unresolved"];
        for (cell, key) in row[1..].iter().zip(keys) {
            assert_eq!(cell, &f[key].to_string(), "{} {key}", row[0]);
        }
    }
    let (_, holds) = html.iter().find(|t| t.0.starts_with("Time on hold")).expect("a hold table");
    for row in &holds[1..] {
        let f = if row[0] == "all callers" { &json["overall"] } else { &json["by_caller"][&row[0]] };
        for (col, key) in [(6, "p95"), (8, "max")] {
            let want = f["wait"][key].as_f64().expect(key);
            assert_eq!(row[col], shop::time::human_secs(want), "{} wait.{key}", row[0]);
        }
    }
}

#[test]
fn the_worst_journeys_are_the_ones_journey_worst_tells() {
    let file = "scenarios/support_line.yaml";
    let html = run(file, "html");
    let doc = parse(&html);
    let journeys: Vec<Node> =
        doc.descendants().filter(|n| n.has_tag_name("article") && has_class(n, "journey")).collect();
    assert_eq!(journeys.len(), 3);
    let told = shop(&[&["journey", file, "--worst", "3"][..], &SHORT].concat());
    let headings: Vec<&str> = told.lines().filter(|l| l.starts_with('#')).collect();
    for (j, heading) in journeys.iter().zip(&headings) {
        let h3 = j.descendants().find(|n| n.has_tag_name("h3")).expect("a heading");
        assert_eq!(text(h3), *heading);
        let segs: Vec<Node> = j.descendants().filter(|n| has_class(n, "seg")).collect();
        assert!(segs.iter().any(|s| has_class(s, "hold")), "{heading}: a hold segment");
        let mut end = 0.0;
        for s in &segs {
            let style = s.attribute("style").expect("style");
            let num = |k: &str| -> f64 {
                let v = style.split(';').find_map(|p| p.strip_prefix(k)).expect(k);
                v.trim_end_matches('%').parse().expect("a percentage")
            };
            let (left, width) = (num("left:"), num("width:"));
            assert!(left + 0.002 >= end && width > 0.0, "{heading}: segments in order, not overlapping");
            end = left + width;
        }
        assert!((end - 100.0).abs() < 0.01, "{heading}: the bar spans the journey, ends at {end}%");
        let narration = j.descendants().find(|n| n.has_tag_name("pre")).map(text).expect("narration");
        assert!(narration.contains("call ends"), "{narration}");
    }
}

#[test]
fn compare_draws_both_designs_on_the_same_axes_for_each_caller_type_and_all() {
    let (a, b) = ("scenarios/business_offshore.yaml", "scenarios/business_local.yaml");
    let html = compare(a, b, "html");
    self_contained(&html);
    let doc = parse(&html);
    let figures: Vec<Node> = doc.descendants().filter(|n| n.has_tag_name("figure")).collect();
    let ids: Vec<&str> = figures.iter().filter_map(|f| f.attribute("id")).collect();
    assert_eq!(ids, ["hold-survival-consumer", "hold-survival-business", "hold-survival-all-callers", "day"]);
    let json: Value = serde_json::from_str(&compare(a, b, "json")).expect("JSON");
    for f in figures.into_iter().filter(|f| f.attribute("id") != Some("day")) {
        let c = chart(f);
        let names: Vec<&str> = c.series.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(names, [format!("A: {a}"), format!("B: {b}")]);
        for (name, pts) in &c.series {
            assert_eq!(pts[0].1, c.top, "{name}: starts at 100%");
        }
        // Whiskers: one interval per design where the figures have one.
        let whiskers = f.descendants().filter(|n| n.has_tag_name("circle")).count();
        assert_eq!(whiskers, 2, "each design's p95 is marked");
    }
    let md = markdown_tables(&compare(a, b, "markdown"));
    assert_eq!(tables(&doc), md, "the same tables as markdown");
    assert!(json["overall"]["wait.p95"]["a_ci95"].is_array(), "the intervals drawn are the JSON's");
}

#[test]
fn check_and_erlang_write_pages_too() {
    let html = shop(
        &[
            &["check", "scenarios/business_offshore.yaml", "scenarios/business_local.yaml", "--format", "html"][..],
            &SHORT,
        ]
        .concat(),
    );
    self_contained(&html);
    let doc = parse(&html);
    assert!(text(doc.descendants().find(|n| n.has_tag_name("h1")).expect("h1")).starts_with("shop check: "));
    let html = shop(&["erlang", "--rate", "120/h", "--handle", "5m", "--agents", "12", "--format", "html"]);
    self_contained(&html);
    parse(&html);
}

#[test]
fn backtest_sets_the_log_beside_the_simulation_on_a_page() {
    let html = shop(&[
        "backtest",
        "examples/bank_log.csv",
        "examples/bank_line.yaml",
        "--format",
        "html",
        "--replications",
        "3",
    ]);
    self_contained(&html);
    let doc = parse(&html);
    let fig = figure(&doc, "backtest-day");
    let series: Vec<String> = fig
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && has_class(n, "series"))
        .map(|n| n.attribute("data-series").unwrap_or_default().to_string())
        .collect();
    for s in ["log service level", "simulated service level", "log abandon rate", "simulated abandon rate"] {
        assert!(series.iter().any(|x| x == s), "{s} in {series:?}");
    }
    let titles: Vec<String> = tables(&doc).into_iter().map(|t| t.0).collect();
    assert!(titles.iter().any(|t| t.contains("Whole day")), "{titles:?}");
}

#[test]
fn staff_draws_the_agents_needed_beside_todays_shifts() {
    let html = shop(&["staff", "tests/fixtures/compare/base.yaml", "--format", "html", "--replications", "4"]);
    self_contained(&html);
    let doc = parse(&html);
    let fig = figure(&doc, "staff-day");
    let series: Vec<String> = fig
        .descendants()
        .filter(|n| n.has_tag_name("polyline") && has_class(n, "series"))
        .map(|n| n.attribute("data-series").unwrap_or_default().to_string())
        .collect();
    for s in ["billing_team: needed", "billing_team: today", "tech_team: needed", "tech_team: today"] {
        assert!(series.iter().any(|x| x == s), "{s} in {series:?}");
    }
    let titles: Vec<String> = tables(&doc).into_iter().map(|t| t.0).collect();
    assert!(titles.iter().any(|t| t.contains("Staffing by interval")), "{titles:?}");
}

#[test]
fn an_html_out_file_gets_html_by_its_extension() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("report.html");
    let o = out.to_str().expect("UTF-8 path");
    shop(&[&["run", "scenarios/short_menu.yaml", "--out", o][..], &SHORT].concat());
    let page = std::fs::read_to_string(&out).expect("the report");
    assert!(page.starts_with("<!DOCTYPE html>"));
    parse(&page);
    let out = dir.path().join("menus.htm");
    let o = out.to_str().expect("UTF-8 path");
    shop(&[&["compare", "scenarios/long_menu.yaml", "scenarios/short_menu.yaml", "--out", o][..], &SHORT].concat());
    assert!(std::fs::read_to_string(&out).expect("the comparison").starts_with("<!DOCTYPE html>"));
}

/// Renders a page in headless Chromium (Debian's `chromium`) to a PNG.
fn screenshot(page: &Path, png: &Path) {
    let profile = tempfile::tempdir().expect("a profile folder");
    let o = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1200,2400")
        .arg(page)
        .output();
    let o = match o {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "chromium is not installed: this test renders the HTML report in a real headless browser.\n\
             Install it with `apt-get install -y chromium` (Debian's package; .ci/run installs it when missing)."
        ),
        Err(e) => panic!("chromium did not start: {e}"),
    };
    assert!(png.exists(), "chromium wrote no screenshot: {}", String::from_utf8_lossy(&o.stderr));
}

/// Pixels of a PNG as RGB, with its width.
fn pixels(png: &Path) -> (usize, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).expect("the PNG")));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let step = info.color_type.samples();
    let px = buf[..info.buffer_size()].chunks(step).map(|c| [c[0], c[1], c[2]]).collect();
    (info.width as usize, px)
}

fn near(p: [u8; 3], c: [u8; 3]) -> bool {
    p.iter().zip(c).all(|(a, b)| a.abs_diff(b) <= 40)
}

#[test]
fn a_headless_browser_draws_the_charts_and_timelines() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = dir.path().join("report.html");
    let o = page.to_str().expect("UTF-8 path");
    shop(&[&["run", "scenarios/business_local.yaml", "--out", o][..], &SHORT].concat());
    let empty = dir.path().join("empty.html");
    std::fs::write(&empty, "<!DOCTYPE html><html><body></body></html>").expect("an empty page");
    let (shot, blank) = (dir.path().join("report.png"), dir.path().join("empty.png"));
    screenshot(&page, &shot);
    screenshot(&empty, &blank);

    let (width, px) = pixels(&shot);
    let (_, blank_px) = pixels(&blank);
    assert!(blank_px.iter().all(|p| near(*p, [255, 255, 255])), "an empty page renders white");
    let inked = px.iter().filter(|p| !near(**p, [255, 255, 255])).count();
    assert!(inked > px.len() / 50, "the report is not blank: {inked} of {} pixels inked", px.len());
    // The chart's lines in their colours (the first two of the palette), and
    // the timelines' hold segments, are on screen.
    let count = |c: [u8; 3]| px.iter().filter(|p| near(**p, c)).count();
    assert!(count([0, 114, 178]) > 200, "the first caller type's line is drawn");
    assert!(count([213, 94, 0]) > 200, "the second caller type's line (and holds) are drawn");
    assert!(count([128, 199, 238]) > 2000, "the day's bars of calls offered are drawn");
    // The chart sits in the top half of the first screen, below the headline.
    let rows_with_blue = px.chunks(width).take(1200).filter(|row| row.iter().any(|p| near(*p, [0, 114, 178]))).count();
    assert!(rows_with_blue > 100, "the hold chart spans {rows_with_blue} rows of the first screen");
}

/// The page as Chromium lays it out in a 1200 px window, with a script added
/// (the reports have none) that writes into the title how far the widest table
/// overflows its box, in pixels.
fn widest_table_overflow(page: &Path) -> i64 {
    let html = std::fs::read_to_string(page).expect("the page");
    let probe = "<script>let o=0;for(const d of document.querySelectorAll('.scroll')){o=Math.max(o,d.scrollWidth-d.clientWidth)}\
                 document.title='overflow:'+o+':'+document.documentElement.scrollWidth;</script></body>";
    let probed = page.with_extension("probe.html");
    std::fs::write(&probed, html.replacen("</body>", probe, 1)).expect("the probe page");
    let profile = tempfile::tempdir().expect("a profile folder");
    let o = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--window-size=1200,2400", "--dump-dom"])
        .arg(&probed)
        .output()
        .expect("chromium runs (apt-get install -y chromium)");
    let dom = String::from_utf8_lossy(&o.stdout);
    let title = dom.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).expect("a title");
    let mut parts = title.split(':').skip(1).map(|x| x.parse::<i64>().expect("a number"));
    let (overflow, page_width) = (parts.next().unwrap(), parts.next().unwrap());
    assert!(page_width <= 1200, "the page itself is {page_width} px wide");
    overflow
}

#[test]
fn the_widest_tables_fit_a_1200_pixel_page() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let pages = [
        ("run.html", vec!["run", "scenarios/blended_team.yaml"]),
        ("check.html", vec!["check", "scenarios/business_offshore.yaml", "scenarios/business_local.yaml"]),
        ("compare.html", vec!["compare", "scenarios/short_menu.yaml", "scenarios/long_menu.yaml"]),
    ];
    for (name, args) in pages {
        let page = dir.path().join(name);
        let out = page.to_str().expect("UTF-8 path");
        shop(&[&args[..], &["--out", out], &SHORT].concat());
        assert_eq!(widest_table_overflow(&page), 0, "{name}: a table scrolls sideways in a 1200 px window");
    }
}

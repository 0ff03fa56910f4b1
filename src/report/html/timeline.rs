//! The worst journeys as compact timelines: one proportional bar per journey
//! (menu, hold, talk, and the time between calls before a redial), and the
//! narration's lines under it.

use super::escape;
use crate::journey::timeline::{Phase, Timeline};
use crate::time::{SimDuration, SimTime, human_secs};

const PHASES: [Phase; 4] = [Phase::Menu, Phase::Hold, Phase::Talk, Phase::Between];

/// The colour key of the bars.
pub fn key() -> String {
    let mut out = String::from("<div class=\"key\">");
    for p in PHASES {
        out.push_str(&format!("<span><span class=\"swatch {}\"></span>{}</span>", p.as_str(), p.words()));
    }
    out.push_str("</div>\n");
    out
}

/// Time spent in each phase, in words: `in the menu 12s, on hold 10m 02s, ...`.
fn totals(t: &Timeline) -> String {
    PHASES
        .iter()
        .filter_map(|&p| {
            let total: f64 = t.segments.iter().filter(|s| s.phase == p).map(|s| s.to - s.from).sum();
            (total > 0.0).then(|| format!("{} {}", p.words(), human_secs(total)))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn clock(start: SimTime, offset: f64) -> String {
    (start + SimDuration::from_secs_f64(offset)).to_string()
}

pub fn journey(t: &Timeline) -> String {
    let mut out = format!("<article class=\"journey\">\n<h3>{}</h3>\n", escape(&t.heading));
    let totals = totals(t);
    out.push_str(&format!("<div class=\"bar\" role=\"img\" aria-label=\"{}\">", escape(&totals)));
    let span = if t.span > 0.0 { t.span } else { 1.0 };
    for s in &t.segments {
        let (left, width) = (s.from / span * 100.0, (s.to - s.from) / span * 100.0);
        let title = format!(
            "{} {} ({}–{})",
            s.phase.words(),
            human_secs(s.to - s.from),
            clock(t.start, s.from),
            clock(t.start, s.to)
        );
        out.push_str(&format!(
            "<span class=\"seg {}\" style=\"left:{left:.3}%;width:{width:.3}%\" title=\"{}\"></span>",
            s.phase.as_str(),
            escape(&title)
        ));
    }
    out.push_str("</div>\n");
    out.push_str(&format!(
        "<div class=\"scale\"><span>{} first dial</span><span>{}</span><span>+{}</span></div>\n",
        t.start,
        escape(&totals),
        human_secs(t.span)
    ));
    let lines: Vec<String> = t.lines.iter().map(|l| compact(l)).collect();
    out.push_str(&format!("<pre class=\"narration\">{}</pre>\n</article>\n", escape(&lines.join("\n"))));
    out
}

/// A narration line with a long quoted prompt cut short: the timeline is the
/// story at a glance (`shop journey` prints the prompts whole).
fn compact(line: &str) -> String {
    const KEEP: usize = 60;
    let (Some(open), Some(close)) = (line.find(": \""), line.rfind('"')) else { return line.to_string() };
    let quote = &line[open + 3..close];
    if close <= open + 3 || quote.chars().count() <= KEEP {
        return line.to_string();
    }
    let cut: String = quote.chars().take(KEEP).collect();
    format!("{}{}…{}", &line[..open + 3], cut.trim_end(), &line[close..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_prompts_are_cut_short_and_other_lines_kept() {
        let long = format!("    00:00:01.0  hears main (14s): \"{}\"", "For billing, press 1. ".repeat(5));
        let short = compact(&long);
        assert!(short.ends_with("…\""), "{short}");
        assert!(short.chars().count() < long.chars().count());
        let plain = "    00:00:02.0  presses 1 → queue billing";
        assert_eq!(compact(plain), plain);
    }
}

//! `shop run --format html`: the headline, the charts, the worst journeys as
//! timelines, then every table of the text report.

use super::{Page, timeline};
use crate::journey::WaitKind;
use crate::journey::timeline::Timeline;
use crate::report::Exporter;
use crate::report::charts::day::{self, Interval};
use crate::report::charts::days;
use crate::report::charts::survival::{self, Curve};
use crate::report::layout::{headline, sections, title};
use crate::stats::Report;

/// The HTML writer of `run`. The worst journeys are recorded by the run
/// (`pipeline::worst_journeys`) and handed in ready to draw; without them the
/// page has the charts and tables only.
#[derive(Default)]
pub struct HtmlExporter {
    pub journeys: Vec<Timeline>,
}

pub const HOLD_CAPTION: &str = "How long callers held: the share of calls that reached a queue still on hold after each time, \
     per caller type. Log scale: each grid line down is ten times rarer, so the longest holds stay in sight; a line ends at the \
     longest hold. Dots sit at 5% on the 95th percentile hold (1 in 20 held longer), the bar around each is its 95% interval. \
     Callers who hung up count until they hung up.";

/// The survival curves of `run`: one per caller type, with its p95 marked.
pub fn hold_curves(report: &Report) -> Vec<Curve<'_>> {
    report
        .hold_survival
        .iter()
        .map(|(name, points)| {
            let wait = report.by_caller.get(name).map(|f| &f.wait);
            Curve {
                label: name.clone(),
                points,
                p95: wait.and_then(|w| w.p95),
                p95_ci95: wait.and_then(|w| w.p95_ci95),
            }
        })
        .collect()
}

pub const DAY_CAPTION: &str = "The day by interval, all callers, each call in the interval it was dialed in: calls offered \
     (bars, totals over all simulated days) and agents on duty (the step, mean of all pools), then the service level and \
     the abandon rate of those calls. The table \"Through the day\" below has the same figures.";

pub const DAYS_CAPTION: &str = "Each simulated day's service level, days ranked from the worst (left) to the best: \
     where a line crosses the guide at 10% of days is its 1-in-10 day (10% of days were at or below it). \
     The table \"Days\" below has the figures.";

/// Each day's service level, all callers and (with several) each caller type.
fn daily_levels(report: &Report) -> Vec<days::DailyLevels> {
    let mut out = Vec::new();
    let several = report.by_caller.len() > 1;
    if several {
        for (i, name) in report.by_caller.keys().enumerate() {
            let levels =
                report.by_day.iter().filter_map(|d| d.by_caller.get_index(i).and_then(|c| c.1.service_level)).collect();
            out.push(days::DailyLevels { label: name.clone(), levels });
        }
    }
    let label =
        if several { "all callers".to_string() } else { report.by_caller.keys().next().cloned().unwrap_or_default() };
    out.push(days::DailyLevels {
        label,
        levels: report.by_day.iter().filter_map(|d| d.figures.service_level).collect(),
    });
    out
}

/// The day by interval as the report has it.
pub fn day_intervals(report: &Report) -> Vec<Interval<'_>> {
    report
        .by_interval
        .iter()
        .map(|i| Interval {
            label: &i.label,
            calls: i.calls,
            agents: i.agents,
            service_level: i.service_level,
            abandon_rate: i.abandon_rate,
        })
        .collect()
}

impl Exporter for HtmlExporter {
    fn render(&self, report: &Report) -> String {
        let mut page = Page::new(&title(report));
        page.subtitle(&format!(
            "{} simulated day{} with seed {}; every figure below is pooled over all of them, as `shop run` prints it.",
            report.replications,
            if report.replications == 1 { "" } else { "s" },
            report.seed
        ));
        page.heading("Worst experiences");
        page.list(&headline(report).lines().map(str::to_string).collect::<Vec<_>>());

        page.heading("How long callers held");
        page.figure(
            "hold-survival",
            HOLD_CAPTION,
            survival::chart(&hold_curves(report)),
            "No caller reached a queue: there are no holds to draw.",
        );

        if report.by_interval.len() > 1 {
            page.heading("The day by interval");
            page.figure("day", DAY_CAPTION, day::chart(&day_intervals(report)), "");
        }

        if !report.by_day.is_empty() {
            page.heading("Day by day");
            page.figure(
                "days",
                DAYS_CAPTION,
                days::chart(&daily_levels(report)),
                "No day had a call reaching a queue.",
            );
        }

        if !self.journeys.is_empty() {
            // Holds, unless an email's response or a callback's wait is among them.
            let holds = self.journeys.iter().all(|j| j.waited_for.is_none_or(|k| k == WaitKind::Hold));
            page.heading(&format!(
                "The {} longest {}{} of the run, as the callers lived them",
                self.journeys.len(),
                if holds { "hold" } else { "wait" },
                if self.journeys.len() == 1 { "" } else { "s" }
            ));
            page.raw(&timeline::key());
            for j in &self.journeys {
                page.raw(&timeline::journey(j));
            }
            page.note("`shop journey FILE --worst N` tells the same calls in the terminal.");
        }

        for s in sections(report) {
            page.section(&s);
        }
        page.finish()
    }
}

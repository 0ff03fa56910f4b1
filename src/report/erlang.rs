//! `shop erlang` output: the formulas' figures as a table, markdown, CSV or JSON.

use serde::Serialize;

use super::layout::{Section, human};
use super::markdown::markdown_table;
use super::records::Records;
use super::table::text_table;
use super::{Format, pct, secs};
use crate::plan::erlang::Figures;

/// What `shop erlang` answers. In JSON the answer's figures (`--agents`, or the
/// fewest agents meeting `--target`) sit at the top level beside the inputs.
#[derive(Debug, Serialize)]
pub(crate) struct ErlangReport {
    /// `erlang_c` (nobody hangs up) or `erlang_a` (exponential patience).
    pub model: &'static str,
    /// Calls per hour.
    pub rate_per_hour: f64,
    /// Mean talk time, s.
    pub handle: f64,
    /// Mean patience on hold, s (`null`: nobody hangs up).
    pub patience: Option<f64>,
    /// Rate × handle, erlangs.
    pub offered_load: f64,
    /// The service level's "answered within" threshold, s.
    pub service_level_threshold: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meets_targets: Option<bool>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Figures>,
    /// With targets: the figures at one agent fewer (`null` when there is no steady state or no agent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_fewer: Option<Option<Figures>>,
    /// Every staffing level shown, in order of agents.
    pub rows: Vec<Figures>,
    /// Human-readable inputs, for the title.
    #[serde(skip)]
    pub inputs: String,
    /// Sentences under the table (which target binds, what one fewer misses).
    #[serde(skip)]
    pub verdict: Vec<String>,
}

impl ErlangReport {
    fn title(&self) -> String {
        let model = match self.patience {
            Some(p) => format!("Erlang A, exponential patience of mean {}", human(p)),
            None => "Erlang C, nobody hangs up".to_string(),
        };
        format!("shop erlang: {} = {:.2} erlangs offered ({model})", self.inputs, self.offered_load)
    }

    fn section(&self) -> Section {
        let erlang_a = self.patience.is_some();
        let mut header = vec!["agents", "service level", "mean wait"];
        if erlang_a {
            header.push("mean wait answered");
        }
        header.extend(["P(wait > 0)", "abandon rate", "occupancy", "p95 wait"]);
        if !self.targets.is_empty() {
            header.push("meets targets");
        }
        let rows = self
            .rows
            .iter()
            .map(|f| {
                let mut row = vec![f.agents.to_string(), pct(Some(f.service_level)), secs(Some(f.wait_mean))];
                if erlang_a {
                    row.push(secs(Some(f.wait_mean_answered)));
                }
                row.extend([
                    pct(Some(f.p_wait)),
                    pct(Some(f.abandon_rate)),
                    pct(Some(f.occupancy)),
                    secs(Some(f.wait_p95)),
                ]);
                if !self.targets.is_empty() {
                    let yes = self.answer.is_some_and(|a| a.agents == f.agents);
                    row.push(if yes { "yes" } else { "no" }.to_string());
                }
                row
            })
            .collect();
        Section {
            title: String::new(),
            header: header.into_iter().map(String::from).collect(),
            rows,
            worst: Vec::new(),
            note: None,
        }
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = self.verdict.clone();
        notes.push(format!(
            "Service level: answered within {} / calls that reached the queue{}. Mean wait (ASA) and p95: every caller{}.",
            human(self.service_level_threshold),
            if self.patience.is_some() { " (callers who hung up count)" } else { "" },
            if self.patience.is_some() { ", a caller who hung up until they hung up" } else { "" },
        ));
        notes.push(
            "Steady state of one queue with Poisson arrivals and exponential talk times; `shop run` simulates the rest."
                .to_string(),
        );
        notes
    }

    pub(crate) fn render(&self, format: Format) -> String {
        match format {
            Format::Table => {
                let mut out = format!("{}\n\n{}\n", self.title(), text_table(&self.section(), false));
                for n in self.notes() {
                    out.push_str(&format!("{n}\n"));
                }
                out
            }
            Format::Markdown => {
                let mut out = format!("## {}\n\n{}\n", self.title(), markdown_table(&self.section()));
                for n in self.notes() {
                    out.push_str(&format!("_{n}_\n\n"));
                }
                out
            }
            Format::Csv => {
                let mut out = Records::new([
                    "agents",
                    "service_level",
                    "wait_mean",
                    "wait_mean_answered",
                    "p_wait",
                    "abandon_rate",
                    "occupancy",
                    "wait_p95",
                    "meets_targets",
                ]);
                for f in &self.rows {
                    let meets = match (self.targets.is_empty(), self.answer) {
                        (true, _) => String::new(),
                        (false, a) => a.is_some_and(|a| a.agents == f.agents).to_string(),
                    };
                    out.row([
                        f.agents.to_string(),
                        f.service_level.to_string(),
                        f.wait_mean.to_string(),
                        f.wait_mean_answered.to_string(),
                        f.p_wait.to_string(),
                        f.abandon_rate.to_string(),
                        f.occupancy.to_string(),
                        f.wait_p95.to_string(),
                        meets,
                    ]);
                }
                out.finish()
            }
            Format::Html => {
                let mut page = super::html::Page::new(&self.title());
                page.section(&self.section());
                for n in self.notes() {
                    page.note(&n);
                }
                page.finish()
            }
            Format::Json => {
                // Serialising plain structs of numbers and strings cannot fail.
                let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
                s.push('\n');
                s
            }
        }
    }
}

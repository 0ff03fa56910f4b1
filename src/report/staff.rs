//! `shop staff` output: the staffing found, interval by interval, with the
//! formulas' starting point, scheduled heads, what the simulation achieved,
//! the binding target, and the hours and money against the current staffing;
//! as a table, markdown, CSV (one row per interval, then totals), JSON or
//! HTML. The answer itself is built in `plan::staff::report`.

use super::layout::Section;
use super::markdown::markdown_table;
use super::table::text_table;
use super::{Format, money_or_dash, pct, secs};
use crate::plan::staff::report::{PerPool, StaffReport};

fn f1(x: f64) -> String {
    format!("{x:.1}")
}

impl StaffReport {
    fn title(&self) -> String {
        let verdict = if self.meets_targets { "meets" } else { "does NOT meet" };
        format!(
            "shop staff: {} — the fewest agents per {} that {verdict} {}",
            self.scenario,
            crate::time::human_secs(self.interval),
            self.targets.join(" and ")
        )
    }

    fn intervals_section(&self) -> Section {
        let mut header: Vec<String> = vec!["interval".into()];
        header.extend(self.pools.iter().cloned());
        header.extend(
            [
                "Erlang start",
                "scheduled heads",
                "service level",
                "abandon",
                "mean hold",
                "p95 hold",
                "occupancy",
                "binding",
            ]
            .map(String::from),
        );
        let join = |v: Vec<String>| v.join(" / ");
        let rows = self
            .intervals
            .iter()
            .map(|i| {
                let mut row = vec![i.label.clone()];
                row.extend(self.pools.iter().map(|p| i.agents[p].to_string()));
                row.push(join(self.pools.iter().map(|p| i.erlang[p].to_string()).collect()));
                row.push(join(self.pools.iter().map(|p| f1(i.scheduled[p])).collect()));
                row.extend([
                    pct(i.achieved.service_level),
                    pct(i.achieved.abandon_rate),
                    secs(i.achieved.wait.mean),
                    secs(i.achieved.wait.p95),
                    join(self.pools.iter().map(|p| pct(i.achieved.occupancy.get(p).copied().flatten())).collect()),
                    i.binding.clone(),
                ]);
                row
            })
            .collect();
        Section {
            title: "Staffing by interval".into(),
            header,
            rows,
            worst: Vec::new(),
            note: Some(format!(
                "Agents: on the phones. Erlang start, scheduled heads (agents / (1 − shrinkage)) and occupancy list the pools \
                 in the order {}. Figures: the calls dialed in the interval, {} replications pooled. Binding: the target \
                 that breaks with one agent fewer.",
                self.pools.join(", "),
                self.replications
            )),
        }
    }

    fn totals_section(&self) -> Section {
        let header =
            ["pool", "agent-hours a day", "current", "paid hours a day", "current", "cost a day", "current", "change"]
                .map(String::from)
                .to_vec();
        let rows = self
            .agent_hours
            .keys()
            .map(|p| {
                let money = |m: &Option<PerPool>| m.as_ref().and_then(|c| c.get(p).copied());
                let (now, then) = (money(&self.cost_per_day), money(&self.current_cost_per_day));
                let change = match (now, then) {
                    (Some(a), Some(b)) => format!("{}{}", if a >= b { "+" } else { "-" }, super::money((a - b).abs())),
                    _ => "-".into(),
                };
                vec![
                    if p == "total" { "all pools".to_string() } else { p.clone() },
                    f1(self.agent_hours[p]),
                    f1(self.current_agent_hours[p]),
                    f1(self.paid_hours[p]),
                    f1(self.current_paid_hours[p]),
                    money_or_dash(now),
                    money_or_dash(then),
                    change,
                ]
            })
            .collect();
        Section {
            title: "Totals: found vs current".into(),
            header,
            rows,
            worst: Vec::new(),
            note: Some(
                "Agent-hours: on the phones, scheduled, a day; paid hours = agent-hours / (1 − shrinkage); cost a day = paid \
                 hours × cost_per_hour. Pools not searched keep their hours."
                    .into(),
            ),
        }
    }

    fn notes(&self) -> Vec<String> {
        let mut n = Vec::new();
        match &self.unmet {
            Some(u) => n.push(format!(
                "No staffing within --max-agents meets {} in {} ({} at the most agents allowed).",
                u.target, u.interval, u.value
            )),
            None => n.push(format!(
                "Every target holds in every interval; removing any one agent breaks one (binding). {} simulations of {} replications.",
                self.search.evaluations, self.search.replications
            )),
        }
        if let Some(w) = &self.written {
            n.push(format!("Wrote the scenario with this staffing as shifts to {w}."));
        }
        n
    }

    pub(crate) fn render(&self, format: Format) -> String {
        match format {
            Format::Html => self.html(),
            Format::Table => {
                let mut out = format!("{}\n", self.title());
                for s in [self.intervals_section(), self.totals_section()] {
                    out.push_str(&format!("\n{}\n{}\n", s.title, text_table(&s, false)));
                    if let Some(n) = &s.note {
                        out.push_str(&format!("{n}\n"));
                    }
                }
                for n in self.notes() {
                    out.push_str(&format!("{n}\n"));
                }
                out
            }
            Format::Markdown => {
                let mut out = format!("## {}\n", self.title());
                for s in [self.intervals_section(), self.totals_section()] {
                    out.push_str(&format!("\n### {}\n\n{}\n", s.title, markdown_table(&s)));
                    if let Some(n) = &s.note {
                        out.push_str(&format!("_{n}_\n"));
                    }
                }
                for n in self.notes() {
                    out.push_str(&format!("\n_{n}_\n"));
                }
                out
            }
            Format::Csv => self.csv(),
            Format::Json => {
                // Plain structs of numbers and strings: serialising cannot fail.
                let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
                s.push('\n');
                s
            }
        }
    }

    /// One row per interval, then one per pool and all pools with the totals.
    fn csv(&self) -> String {
        let field = |s: &str| {
            if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
        };
        let num = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
        let mut header: Vec<String> = ["row", "from", "to"].map(String::from).to_vec();
        for key in ["agents", "erlang", "scheduled", "occupancy"] {
            header.extend(self.pools.iter().map(|p| format!("{key}.{p}")));
        }
        header.extend(
            [
                "service_level",
                "abandon_rate",
                "wait_mean",
                "wait_p95",
                "binding",
                "agent_hours",
                "current_agent_hours",
                "paid_hours",
                "current_paid_hours",
                "cost_per_day",
                "current_cost_per_day",
            ]
            .map(String::from),
        );
        let width = header.len();
        let mut out = header.join(",") + "\n";
        for i in &self.intervals {
            let mut row = vec![field(&i.label), i.from.to_string(), i.to.to_string()];
            row.extend(self.pools.iter().map(|p| i.agents[p].to_string()));
            row.extend(self.pools.iter().map(|p| i.erlang[p].to_string()));
            row.extend(self.pools.iter().map(|p| i.scheduled[p].to_string()));
            row.extend(self.pools.iter().map(|p| num(i.achieved.occupancy.get(p).copied().flatten())));
            row.extend([
                num(i.achieved.service_level),
                num(i.achieved.abandon_rate),
                num(i.achieved.wait.mean),
                num(i.achieved.wait.p95),
                field(&i.binding),
            ]);
            row.resize(width, String::new());
            out.push_str(&(row.join(",") + "\n"));
        }
        for p in self.agent_hours.keys() {
            let money = |m: &Option<PerPool>| num(m.as_ref().and_then(|c| c.get(p).copied()));
            let mut row = vec![field(&format!("total {p}"))];
            row.resize(width - 6, String::new());
            row.extend([
                self.agent_hours[p].to_string(),
                self.current_agent_hours[p].to_string(),
                self.paid_hours[p].to_string(),
                self.current_paid_hours[p].to_string(),
                money(&self.cost_per_day),
                money(&self.current_cost_per_day),
            ]);
            out.push_str(&(row.join(",") + "\n"));
        }
        out
    }
}

impl StaffReport {
    /// `--format html`: the agents needed beside today's through the day, then
    /// the same tables as the text report.
    fn html(&self) -> String {
        use super::charts::staffing::{self, Line};
        use super::html::Page;
        let mut page = Page::new(&self.title());
        page.list(&self.notes());
        let labels: Vec<&str> = self.intervals.iter().map(|i| i.label.as_str()).collect();
        let found: Vec<Vec<f64>> =
            self.pools.iter().map(|p| self.intervals.iter().map(|i| f64::from(i.agents[p])).collect()).collect();
        let current: Vec<Vec<f64>> =
            self.pools.iter().map(|p| self.intervals.iter().map(|i| i.current[p]).collect()).collect();
        let mut lines = Vec::new();
        for (k, p) in self.pools.iter().enumerate() {
            lines.push(Line { label: format!("{p}: needed"), values: &found[k], pool: k, current: false });
            lines.push(Line { label: format!("{p}: today"), values: &current[k], pool: k, current: true });
        }
        page.heading("Agents needed through the day");
        page.figure(
            "staff-day",
            "On-phone agents per pool and interval: the fewest that meet every target (solid) beside the file's \
             shifts today (lighter). Scheduled heads add shrinkage: agents / (1 − shrinkage), in the table below.",
            staffing::chart(&labels, &lines),
            "No interval to draw.",
        );
        for s in [self.intervals_section(), self.totals_section()] {
            page.section(&s);
        }
        page.finish()
    }
}

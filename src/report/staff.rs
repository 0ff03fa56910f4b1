//! `shop staff` output: the staffing found, interval by interval, with the
//! formulas' starting point, scheduled heads, what the simulation achieved,
//! the binding target, and the hours and money against the current staffing;
//! as a table, markdown, CSV (one row per interval, then totals), JSON or
//! HTML. The answer itself is built in `plan::staff::report`.

use super::layout::Section;
use super::markdown::markdown_document;
use super::table::text_table;
use super::{Format, money_or_dash, pct, secs};
use crate::plan::staff::confirm::DaysMetFigures;
use crate::plan::staff::report::{PerPool, StaffReport};

fn f1(x: f64) -> String {
    format!("{x:.1}")
}

impl StaffReport {
    fn title(&self) -> String {
        let verdict = if self.meets_targets { "meet" } else { "do NOT meet" };
        let sure = self.confidence.map_or(String::new(), |c| format!(" (each with {} confidence)", level(c)));
        format!(
            "shop staff: {} — the fewest agents per {} that {verdict} {}{sure}",
            self.scenario,
            crate::time::human_secs(self.interval),
            self.targets.join(" and ")
        )
    }

    /// The confirming run, one row per interval and target.
    fn confirmed_section(&self) -> Option<Section> {
        let c = self.confirmed.as_ref()?;
        let first = c.intervals.first()?;
        let several = c.intervals.iter().any(|x| super::confirmed_subject(x) != super::confirmed_subject(first));
        let mut header: Vec<String> = vec!["interval".into()];
        if several {
            header.push("target".into());
        }
        header.extend(["figure", "95% interval", "verdict"].map(String::from));
        let rows = c
            .intervals
            .iter()
            .map(|x| {
                let mut row = vec![x.label.clone()];
                if several {
                    row.push(super::confirmed_subject(x));
                }
                row.extend([
                    super::confirmed(x, x.figure),
                    super::confirmed_interval(x),
                    x.verdict.as_str().to_string(),
                ]);
                row
            })
            .collect();
        let only = if several { String::new() } else { format!(" of {}", super::confirmed_subject(first)) };
        Some(Section {
            title: format!("Confirmed on a fresh seed (seed {}, {} replications)", c.seed, c.replications),
            header,
            rows,
            worst: Vec::new(),
            note: Some(format!(
                "The staffing found, simulated again on seed {} (`shop run --seed {} --replications {}` on the written \
                 scenario reruns it): the figure{only} over the calls dialed in the interval, its 95% interval, and the \
                 verdict: met (the whole interval on the right side of the target), within noise (the interval holds the \
                 target: this run cannot tell), MISSED (the whole interval on the wrong side).",
                c.seed, c.seed, c.replications
            )),
        })
    }

    fn sections(&self) -> Vec<Section> {
        let mut v = vec![self.intervals_section()];
        v.extend(self.confirmed_section());
        v.push(self.totals_section());
        v
    }

    /// Whether some interval's figures are a queue's or a caller type's (the
    /// tightest target's scope) rather than all callers': the table then says whose.
    fn scoped(&self) -> bool {
        self.intervals.iter().any(|i| i.achieved.scope.is_some())
    }

    fn intervals_section(&self) -> Section {
        let scoped = self.scoped();
        let mut header: Vec<String> = vec!["interval".into()];
        header.extend(self.pools.iter().cloned());
        header.extend(["Erlang start", "scheduled heads"].map(String::from));
        if scoped {
            header.push("figures of".into());
        }
        header.extend(["service level", "abandon", "mean hold", "p95 hold", "occupancy", "binding"].map(String::from));
        let join = |v: Vec<String>| v.join(" / ");
        let rows = self
            .intervals
            .iter()
            .map(|i| {
                let mut row = vec![i.label.clone()];
                row.extend(self.pools.iter().map(|p| i.agents[p].to_string()));
                row.push(join(self.pools.iter().map(|p| i.erlang[p].to_string()).collect()));
                row.push(join(self.pools.iter().map(|p| f1(i.scheduled[p])).collect()));
                if scoped {
                    row.push(i.achieved.scope.clone().unwrap_or_else(|| "all callers".into()));
                }
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
                "Agents: {}. Erlang start, scheduled heads (agents / (1 − shrinkage)) and occupancy list the pools \
                 in the order {}. Figures: the calls dialed in the interval, {} replications pooled{}. Binding: the target \
                 that breaks with one agent fewer.",
                if self.intervals.iter().any(|i| i.agents_on_phones.is_some()) {
                    "on duty, each on the phones for the pool's `availability` share of the time (agents × availability: \
                     `agents_on_phones` in JSON); Erlang start is the servers Erlang asks for ÷ availability"
                } else {
                    "on the phones"
                },
                self.pools.join(", "),
                self.replications,
                if scoped {
                    "; service level, abandon and holds are those of the scope of the target nearest its bound there \
                     (figures of)"
                } else {
                    ""
                }
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

    /// With `--days-met`: what the extra agents buy against the mean-day plan.
    fn against_mean_day(&self) -> Option<String> {
        let m = self.mean_day_plan.as_ref()?;
        let (this, mean) = (self.agent_hours.get("total")?, m.agent_hours.get("total")?);
        let extra = this - mean;
        let cost = match (&self.cost_per_day, &m.cost_per_day) {
            (Some(a), Some(b)) => {
                let d = a.get("total").copied().unwrap_or(0.0) - b.get("total").copied().unwrap_or(0.0);
                format!(", {}{} a day", if d >= 0.0 { "+" } else { "-" }, super::money(d.abs()))
            }
            _ => String::new(),
        };
        let days = |f: &Option<DaysMetFigures>| match f {
            Some(f) => format!(
                "{:.0}% of the days in an interval on average ({:.0}% in {}, {}{})",
                f.mean_share * 100.0,
                f.fewest_share * 100.0,
                f.label,
                f.target,
                f.pool.as_ref().map(|p| format!(", {p}")).unwrap_or_default()
            ),
            None => "every day".to_string(),
        };
        let this_days = self.confirmed.as_ref().map(|c| days(&c.days_met))?;
        Some(format!(
            "Against the mean-day plan (staffed on the pooled figures, as without --days-met): {}{:.1} agent-hours a day \
             ({} → {}){cost}. On the confirming seed's days, the mean-day plan meets the targets on {}; this plan on {}.",
            if extra >= 0.0 { "+" } else { "-" },
            extra.abs(),
            f1(*mean),
            f1(*this),
            days(&m.days_met),
            this_days
        ))
    }

    fn notes(&self) -> Vec<String> {
        let mut n = Vec::new();
        let nothing_to_staff =
            self.intervals.iter().all(|i| i.binding.is_empty() && i.agents.values().all(|a| *a == 0));
        match &self.unmet {
            Some(u) => n.push(format!(
                "No staffing within --max-agents meets {} in {} ({} at the most agents allowed).",
                u.target, u.interval, u.value
            )),
            None if nothing_to_staff => n.push(
                "No call reaches the pools searched in any interval: no agent is needed, and the targets have \
                 nothing to measure (`shop validate` says why: a queue no caller reaches, callers who all end in the \
                 menu)."
                    .into(),
            ),
            None => n.push(format!(
                "Every target holds in every interval{} on the search's seed ({}); removing any one agent breaks one \
                 (binding). {} simulations of {} replications.",
                match self.days_met {
                    None => String::new(),
                    Some(d) if d >= 1.0 => " on every simulated day (--days-met 100%)".to_string(),
                    Some(d) => format!(
                        " on at least {:.0}% of the simulated days (--days-met: each day's own figure; the 1-in-{:.0} \
                         day, not the mean day)",
                        d * 100.0,
                        (1.0 / (1.0 - d)).round()
                    ),
                },
                self.seed,
                self.search.evaluations,
                self.search.replications
            )),
        }
        // Targets added for one reason (the default's, one per queue) share a sentence.
        let mut i = 0;
        while i < self.added_targets.len() {
            let why = &self.added_targets[i].why;
            let same: Vec<&str> =
                self.added_targets[i..].iter().take_while(|a| &a.why == why).map(|a| a.target.as_str()).collect();
            i += same.len();
            match same.as_slice() {
                [one] => n.push(format!("Added the target {one}: {why}.")),
                many => n.push(format!("Added the targets {}: {why}.", many.join("; "))),
            }
        }
        if let Some(c) = self.confidence {
            n.push(format!(
                "With --confidence {}: a target held in an interval only when its {} interval over the replications lay on \
                 the right side of it, not just the figure.",
                level(c),
                level(c)
            ));
        }
        if let Some(c) = &self.confirmed {
            n.push(format!(
                "Confirmed on a fresh seed ({}): {} met, {} within noise, {} missed.",
                c.seed, c.met, c.within_noise, c.missed
            ));
            let missed = super::confirmed_missed(c);
            if !missed.is_empty() {
                n.push(format!(
                    "MISSED on the fresh seed: {}. The staffing is tuned to seed {}'s callers: search with --confidence 95% \
                     (or more replications) for one that holds on others.",
                    missed.join("; "),
                    self.seed
                ));
            }
        }
        if let Some(line) = self.against_mean_day() {
            n.push(line);
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
                for s in self.sections() {
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
            Format::Markdown => markdown_document(&self.title(), &self.sections(), &self.notes()),
            Format::Csv => self.csv(),
            Format::Json => {
                // Plain structs of numbers and strings: serialising cannot fail.
                let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
                s.push('\n');
                s
            }
        }
    }

    /// One row per interval, then one per pool and all pools with the totals;
    /// the confirming run's columns last (per target: figure, interval, verdict).
    fn csv(&self) -> String {
        let field = |s: &str| {
            if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
        };
        let num = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
        let mut header: Vec<String> = ["row", "from", "to"].map(String::from).to_vec();
        for key in ["agents", "erlang", "scheduled", "occupancy"] {
            header.extend(self.pools.iter().map(|p| format!("{key}.{p}")));
        }
        let scoped = self.scoped();
        if scoped {
            header.push("scope".into());
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
        let totals_end = header.len();
        // The confirming run's subjects (target, and pool for occupancy), in order.
        let mut subjects: Vec<String> = Vec::new();
        for x in self.confirmed.iter().flat_map(|c| &c.intervals) {
            if !subjects.contains(&super::confirmed_subject(x)) {
                subjects.push(super::confirmed_subject(x));
            }
        }
        for s in &subjects {
            for key in ["confirmed", "confirmed_ci95_lo", "confirmed_ci95_hi", "confirmed_verdict"] {
                header.push(format!("{key}.{s}"));
            }
        }
        let width = header.len();
        let mut out = header.iter().map(|h| field(h)).collect::<Vec<_>>().join(",") + "\n";
        for i in &self.intervals {
            let mut row = vec![field(&i.label), i.from.to_string(), i.to.to_string()];
            row.extend(self.pools.iter().map(|p| i.agents[p].to_string()));
            row.extend(self.pools.iter().map(|p| i.erlang[p].to_string()));
            row.extend(self.pools.iter().map(|p| i.scheduled[p].to_string()));
            row.extend(self.pools.iter().map(|p| num(i.achieved.occupancy.get(p).copied().flatten())));
            if scoped {
                row.push(field(i.achieved.scope.as_deref().unwrap_or("all callers")));
            }
            row.extend([
                num(i.achieved.service_level),
                num(i.achieved.abandon_rate),
                num(i.achieved.wait.mean),
                num(i.achieved.wait.p95),
                field(&i.binding),
            ]);
            row.resize(totals_end, String::new());
            for s in &subjects {
                let x = self
                    .confirmed
                    .iter()
                    .flat_map(|c| &c.intervals)
                    .find(|x| x.from == i.from && &super::confirmed_subject(x) == s);
                match x {
                    Some(x) => row.extend([
                        x.figure.to_string(),
                        num(x.ci95.map(|c| c[0])),
                        num(x.ci95.map(|c| c[1])),
                        x.verdict.key().to_string(),
                    ]),
                    None => row.extend(std::iter::repeat_n(String::new(), 4)),
                }
            }
            out.push_str(&(row.join(",") + "\n"));
        }
        for p in self.agent_hours.keys() {
            let money = |m: &Option<PerPool>| num(m.as_ref().and_then(|c| c.get(p).copied()));
            let mut row = vec![field(&format!("total {p}"))];
            row.resize(totals_end - 6, String::new());
            row.extend([
                self.agent_hours[p].to_string(),
                self.current_agent_hours[p].to_string(),
                self.paid_hours[p].to_string(),
                self.current_paid_hours[p].to_string(),
                money(&self.cost_per_day),
                money(&self.current_cost_per_day),
            ]);
            row.resize(width, String::new());
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
        for s in self.sections() {
            page.section(&s);
        }
        page.finish()
    }
}

/// A two-sided level as a percentage: `95%`, `99.5%`.
fn level(x: f64) -> String {
    let p = x * 100.0;
    if (p - p.round()).abs() < 1e-9 { format!("{p:.0}%") } else { format!("{p}%") }
}

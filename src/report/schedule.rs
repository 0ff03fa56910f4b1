//! `shop schedule` output: cost and paid hours against the LP bound, the
//! shifts, coverage against requirement per interval, the repairs the
//! simulation asked for and the confirming run's verdicts; as a table,
//! markdown, JSON or HTML (with a chart of requirement vs agents scheduled).
//! The answer itself is built in `plan::schedule::report`.

use super::layout::Section;
use super::markdown::markdown_document;
use super::table::text_table;
use super::{Format, money, secs};
use crate::plan::schedule::report::{Roster, ScheduleReport};

fn f1(x: f64) -> String {
    format!("{x:.1}")
}

/// `+3.2%`
fn gap(x: f64) -> String {
    format!("{:+.1}%", x * 100.0)
}

impl ScheduleReport {
    fn title(&self) -> String {
        // With --soft the bound and the gap are of cost plus the penalty of
        // what is left short (as in the table): the headline says so, and
        // shows the roster's cost plus penalty beside its cost.
        let (with_penalty, bound) = if self.soft {
            (
                format!(", {} with the penalty of the agent-slots left short", money(self.roster.objective)),
                format!("LP bound of cost plus penalty {}", money(self.lp_bound.objective)),
            )
        } else {
            (String::new(), format!("LP bound {}", money(self.lp_bound.cost)))
        };
        format!(
            "shop schedule: {} — {} shifts, {} paid hours, cost {}{with_penalty}; {bound} ({} paid hours), gap {}{}",
            self.scenario,
            self.roster.agents,
            f1(self.roster.paid_hours),
            money(self.roster.cost),
            f1(self.lp_bound.paid_hours),
            gap(self.roster.gap),
            if self.repairs.is_empty() {
                String::new()
            } else {
                format!(" ({} over the repaired requirement's bound)", gap(self.gap_repaired))
            }
        )
    }

    fn cost_section(&self) -> Section {
        let soft = self.soft;
        let mut header: Vec<String> = [
            "pool",
            "LP bound",
            "LP paid h",
            "covering",
            "covering paid h",
            "roster",
            "paid h",
            "shifts",
            "gap",
            "repaired LP bound",
            "LP paid h",
            "gap",
        ]
        .map(String::from)
        .to_vec();
        if soft {
            header[1] = "LP bound (cost + penalty)".into();
            header.extend(["penalty / agent-h short", "roster with penalty"].map(String::from));
        }
        type Rep = Option<(f64, f64, f64)>;
        let row =
            |name: &str, lp_obj: f64, lp_cost: f64, lp_h: f64, cov: &Roster, r: &Roster, rep: Rep, pen: Option<f64>| {
                let mut v = vec![
                    name.to_string(),
                    money(if soft { lp_obj } else { lp_cost }),
                    f1(lp_h),
                    money(cov.cost),
                    f1(cov.paid_hours),
                    money(r.cost),
                    f1(r.paid_hours),
                    r.agents.to_string(),
                    gap(r.gap),
                ];
                v.extend(match rep {
                    Some(b) => [money(b.0), f1(b.1), gap(b.2)],
                    None => ["-".into(), "-".into(), "-".into()],
                });
                if soft {
                    v.extend([pen.map_or("-".into(), money), money(r.objective)]);
                }
                v
            };
        let mut rows: Vec<Vec<String>> = self
            .pools
            .iter()
            .map(|p| {
                row(
                    &p.pool,
                    p.lp_bound.objective,
                    p.lp_bound.cost,
                    p.lp_bound.paid_hours,
                    &p.covering,
                    &p.roster,
                    p.lp_bound_repaired.as_ref().map(|b| (b.cost, b.paid_hours, p.gap_repaired.unwrap_or(0.0))),
                    p.penalty_per_agent_hour,
                )
            })
            .collect();
        if self.pools.len() > 1 {
            let b = &self.lp_bound;
            let rb = &self.lp_bound_repaired;
            let rep = Some((rb.cost, rb.paid_hours, self.gap_repaired));
            rows.push(row("all pools", b.objective, b.cost, b.paid_hours, &self.covering, &self.roster, rep, None));
        }
        let what = if soft { "cost plus the penalty of the agent-slots left short" } else { "cost" };
        Section {
            title: "Cost against the LP bound".into(),
            header,
            rows,
            worst: vec![8, 11],
            note: Some(format!(
                "LP bound: the linear relaxation's optimum ({what}), below every roster's; covering: the roster rounded \
                 and repaired to cover the requirement in every {} slot; roster: after the simulation's repairs. gap = \
                 (roster − LP bound) / LP bound: the answer is at most this far from the best roster. The repaired LP \
                 bound is the relaxation of the requirement the simulation raised: the best any roster meeting it can \
                 cost. Breaks are paid.",
                secs(Some(self.slot))
            )),
        }
    }

    fn shifts_section(&self) -> Section {
        let several = self.pools.len() > 1;
        let mut header: Vec<String> = Vec::new();
        if several {
            header.push("pool".into());
        }
        header.extend(["shift", "start", "end", "agents", "breaks", "paid h", "cost"].map(String::from));
        let rows = self
            .shifts
            .iter()
            .map(|s| {
                let mut v = Vec::new();
                if several {
                    v.push(s.pool.clone());
                }
                let breaks: Vec<String> = s
                    .breaks
                    .iter()
                    .map(|b| format!("{} {}", b.label, crate::scenario::rewrite::offset(b.length)))
                    .collect();
                v.extend([
                    s.shift_type.clone(),
                    s.start_label.clone(),
                    s.end_label.clone(),
                    s.count.to_string(),
                    if breaks.is_empty() { "-".into() } else { breaks.join(", ") },
                    f1(s.paid_hours),
                    money(s.cost),
                ]);
                v
            })
            .collect();
        Section {
            title: "Shifts".into(),
            header,
            rows,
            worst: Vec::new(),
            note: Some("Each row: this many agents start then, each taking these breaks (clock time, length).".into()),
        }
    }

    fn coverage_section(&self) -> Section {
        let names: Vec<String> = self.pools.iter().map(|p| p.pool.clone()).collect();
        let several = names.len() > 1;
        let mut header: Vec<String> = vec!["interval".into()];
        for n in &names {
            let pre = if several { format!("{n} ") } else { String::new() };
            header.extend([format!("{pre}required"), format!("{pre}on phones"), format!("{pre}mean")]);
        }
        header.push("short".into());
        let rows = self
            .intervals
            .iter()
            .map(|i| {
                let mut v = vec![i.label.clone()];
                for n in &names {
                    v.extend([
                        f1(i.required.get(n).copied().unwrap_or(0.0)),
                        i.scheduled.get(n).copied().unwrap_or(0).to_string(),
                        f1(i.mean.get(n).copied().unwrap_or(0.0)),
                    ]);
                }
                let short: Vec<String> = i.short.iter().map(|(p, x)| format!("{p} {x:.0}")).collect();
                v.push(if short.is_empty() { "-".into() } else { short.join(", ") });
                v
            })
            .collect();
        Section {
            title: format!("Coverage against the requirement ({})", self.requirement),
            header,
            rows,
            worst: vec![names.len() * 3 + 1],
            note: Some(
                "required: agents on the phones the interval needs; on phones: the fewest on the phones in any slot of \
                 the interval (on shift and not on a planned break); mean: over the interval."
                    .into(),
            ),
        }
    }

    fn repairs_section(&self) -> Option<Section> {
        if self.repairs.is_empty() {
            return None;
        }
        let header = ["round", "interval", "pool", "target missed", "figure", "shift added"].map(String::from).to_vec();
        let rows = self
            .repairs
            .iter()
            .map(|r| {
                vec![
                    r.round.to_string(),
                    r.label.clone(),
                    r.pool.clone(),
                    r.target.clone(),
                    r.figure.clone(),
                    r.added.clone(),
                ]
            })
            .collect();
        Some(Section {
            title: "Repairs after simulation".into(),
            header,
            rows,
            worst: Vec::new(),
            note: Some(
                "The roster simulated on the scenario's seed missed a target here: the cheapest shift covering the \
                 interval was added, and the roster simulated again."
                    .into(),
            ),
        })
    }

    fn confirmed_section(&self) -> Option<Section> {
        let c = self.confirmed.as_ref()?;
        let header = ["interval", "target", "figure", "95% interval", "verdict"].map(String::from).to_vec();
        let rows = c
            .intervals
            .iter()
            .map(|x| {
                vec![
                    x.label.clone(),
                    super::confirmed_subject(x),
                    super::confirmed(x, x.figure),
                    super::confirmed_interval(x),
                    x.verdict.as_str().to_string(),
                ]
            })
            .collect();
        Some(Section {
            title: format!("Confirmed on a fresh seed (seed {}, {} replications)", c.seed, c.replications),
            header,
            rows,
            worst: vec![4],
            note: Some(format!(
                "The roster simulated on seed {} (`shop run --seed {} --replications {}` on the written scenario reruns \
                 it): met {}, within noise {}, MISSED {}.",
                c.seed, c.seed, c.replications, c.met, c.within_noise, c.missed
            )),
        })
    }

    fn sections(&self) -> Vec<Section> {
        let mut v = vec![self.cost_section(), self.shifts_section(), self.coverage_section()];
        v.extend(self.repairs_section());
        v.extend(self.confirmed_section());
        v
    }

    fn notes(&self) -> Vec<String> {
        let mut n = vec![format!(
            "Targets: {}. Requirement: {}. Rules: {}.",
            self.targets.join(", "),
            self.requirement,
            self.rules
        )];
        for a in &self.added_targets {
            n.push(format!("Targets added: {a}."));
        }
        if !self.short.is_empty() {
            let list: Vec<String> = self
                .short
                .iter()
                .map(|s| {
                    format!("{} {} short by {:.0} ({} of {})", s.label, s.pool, s.short, s.scheduled, f1(s.required))
                })
                .collect();
            let why = if self.soft { "left short by --soft" } else { "short" };
            n.push(format!("Intervals {why}: {}.", list.join("; ")));
        } else {
            n.push("Every interval has at least the agents it requires on the phones.".into());
        }
        if let Some(s) = &self.simulated
            && !s.unmet.is_empty()
        {
            let list: Vec<String> =
                s.unmet.iter().map(|u| format!("{} {} ({})", u.label, u.target, u.figure)).collect();
            n.push(format!("After {} rounds on seed {}, still missed: {}.", s.rounds, s.seed, list.join("; ")));
        }
        if let Some(s) = &self.simulated
            && !s.left.is_empty()
        {
            let list: Vec<String> = s
                .left
                .iter()
                .map(|l| format!("{} {} ({} at {}, round {})", l.label, l.pool, l.target, l.figure, l.round))
                .collect();
            n.push(format!(
                "Left short by the repairs: {}: no shift within the rules' count and share limits adds an agent there \
                 (help: raise max_count or max_share).",
                list.join("; ")
            ));
        }
        if let Some(c) = &self.confirmed {
            let missed = super::confirmed_missed(c);
            if missed.is_empty() {
                n.push(format!("On the fresh seed {} no target is missed in any interval.", c.seed));
            } else {
                n.push(format!("MISSED on the fresh seed {}: {}.", c.seed, missed.join("; ")));
            }
        }
        if let Some(w) = &self.written {
            n.push(format!("Wrote the scenario with this roster as `shifts:` to {w}."));
        }
        n
    }

    pub(crate) fn render(&self, format: Format) -> String {
        match format {
            Format::Html => self.html(),
            Format::Table | Format::Csv => {
                let mut out = format!("{}\n", self.title());
                for s in self.sections() {
                    out.push_str(&format!("\n{}\n{}\n", s.title, text_table(&s, false)));
                    if let Some(n) = &s.note {
                        out.push_str(&format!("{n}\n"));
                    }
                }
                out.push('\n');
                for n in self.notes() {
                    out.push_str(&format!("{n}\n"));
                }
                out
            }
            Format::Markdown => markdown_document(&self.title(), &self.sections(), &self.notes()),
            Format::Json => {
                // Plain structs of numbers and strings: serialising cannot fail.
                let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
                s.push('\n');
                s
            }
        }
    }

    /// `--format html`: requirement vs agents on the phones through the day, then the tables.
    fn html(&self) -> String {
        use super::charts::staffing::{self, Line};
        use super::html::Page;
        let mut page = Page::new(&self.title());
        page.list(&self.notes());
        let labels: Vec<&str> = self.intervals.iter().map(|i| i.label.as_str()).collect();
        let names: Vec<&str> = self.pools.iter().map(|p| p.pool.as_str()).collect();
        let required: Vec<Vec<f64>> = names
            .iter()
            .map(|n| self.intervals.iter().map(|i| i.required.get(*n).copied().unwrap_or(0.0)).collect())
            .collect();
        let scheduled: Vec<Vec<f64>> = names
            .iter()
            .map(|n| self.intervals.iter().map(|i| f64::from(i.scheduled.get(*n).copied().unwrap_or(0))).collect())
            .collect();
        let mut lines = Vec::new();
        for (k, n) in names.iter().enumerate() {
            lines.push(Line { label: format!("{n}: scheduled"), values: &scheduled[k], pool: k, current: false });
            lines.push(Line { label: format!("{n}: required"), values: &required[k], pool: k, current: true });
        }
        page.heading("Requirement vs agents scheduled");
        page.figure(
            "schedule-day",
            "Agents on the phones per pool and interval: the fewest the roster has in any slot of the interval, \
             breaks as planned (solid), beside the requirement (lighter).",
            staffing::chart(&labels, &lines),
            "No interval to draw.",
        );
        for s in self.sections() {
            page.section(&s);
        }
        page.finish()
    }
}

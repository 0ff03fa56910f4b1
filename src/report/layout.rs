//! The report as titled tables of text cells, shared by the terminal table
//! and markdown writers so both show the same figures in the same order.

use super::{money_or_dash, pct, secs};
use crate::stats::Report;
use crate::stats::figures::{CallerFigures, Durations};

/// One table of the report.
pub struct Section {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns that show worst experiences (emphasised where the format can).
    pub worst: Vec<usize>,
    /// A sentence under the table.
    pub note: Option<String>,
}

impl Section {
    /// Whether cell `v` of column `i` is emphasised: a worst-case column's
    /// figure, but never an empty cell or a verdict that says nothing changed
    /// (bold is kept for real changes).
    pub fn emphasised(&self, i: usize, v: &str) -> bool {
        self.worst.contains(&i) && !matches!(v, "-" | "" | "no real difference" | "too few replications" | "pass")
    }

    /// The rows as every format shows them: a table's durations at one
    /// precision. Those under an hour show a tenth of a second when one of
    /// them does: `24.0s` beside `24.1s` and `2m 00.0s` beside `3m 37.5s`,
    /// not `24s` and `2m 00s`, which read as rounded when they are not.
    /// Zero stays `0s`, and a cell is a duration only when all of it is one
    /// (or an interval of two).
    pub fn shown_rows(&self) -> Vec<Vec<String>> {
        let mut rows = self.rows.clone();
        crate::time::one_precision(rows.iter_mut().flatten());
        rows
    }
}

pub(super) fn callers(report: &Report) -> Vec<(&str, &CallerFigures)> {
    let mut v: Vec<(&str, &CallerFigures)> = report.by_caller.iter().map(|(k, f)| (k.as_str(), f)).collect();
    if report.by_caller.len() > 1 {
        v.push((ALL_CALLERS, &report.overall));
    }
    v
}

pub(super) fn ci(c: Option<[f64; 2]>) -> String {
    c.map_or_else(|| "-".into(), |[a, b]| crate::time::human_interval(a, b))
}

fn durations_section(
    report: &Report,
    title: &str,
    pick: fn(&CallerFigures) -> &Durations,
    note: Option<String>,
) -> Section {
    let header = ["caller", "n", "mean", "mean 95% CI", "p50", "p90", "p95", "p99", "max"];
    let rows = callers(report)
        .into_iter()
        .map(|(name, f)| {
            let d = pick(f);
            vec![
                name.to_string(),
                d.count.to_string(),
                secs(d.mean),
                ci(d.mean_ci95),
                secs(d.p50),
                secs(d.p90),
                secs(d.p95),
                secs(d.p99),
                secs(d.max),
            ]
        })
        .collect();
    Section { title: title.into(), header: header.map(String::from).to_vec(), rows, worst: vec![6, 7, 8], note }
}

/// The worst experiences of the day, in words: per caller type the worst
/// holds and hang-ups on hold, the callers lost in the phone menu, the
/// longest waits for an email answer or a callback; then the worst interval.
pub fn headline(report: &Report) -> String {
    let mut lines = Vec::new();
    if let Some(i) = &report.intraday {
        lines.extend(intraday_lines(i));
    }
    for (name, f) in callers(report) {
        if let (Some(p95), Some(max)) = (f.wait.p95, f.wait.max) {
            lines.push(format!(
                "{name}: {}, the longest hold was {}; {} hung up on hold, {} got a busy signal",
                one_in_20_held(p95),
                human(max),
                pct(f.abandon_rate),
                f.blocked
            ));
        }
        if let Some(line) = days_line(name, f) {
            lines.push(line);
        }
        if let Some(line) = menu_hang_ups(name, f) {
            lines.push(line);
        }
        // Emails and callbacks per caller type only: "all callers" would repeat them.
        if name != ALL_CALLERS {
            lines.extend(email_answers(name, f));
            lines.extend(callbacks(name, f));
        }
    }
    if let Some(line) = worst_interval_line(report) {
        lines.push(line);
    }
    lines.extend(report.warnings.iter().map(|w| format!("warning: {}", w.message)));
    let calls = report.overall.calls;
    if calls == 0 {
        return "No calls: no caller dialed in this run (check the arrival rates and the horizon).".into();
    }
    let waited_apart = report
        .by_caller
        .values()
        .filter_map(|f| f.channels.as_ref())
        .any(|c| c.response_time.count > 0 || c.callbacks.accepted > 0 || c.open_at_end > 0);
    if report.overall.wait.count == 0 && !waited_apart {
        lines.insert(0, format!("No caller reached a queue: none of the {calls} calls held (all ended in the menu)."));
    }
    lines.join("\n")
}

/// The name of the "all callers" row.
const ALL_CALLERS: &str = "all callers";

/// "1 in 20 held longer than 2m 33s" (the 95th percentile hold); when that
/// percentile is nothing at all, "fewer than 1 in 20 held at all".
fn one_in_20_held(p95: f64) -> String {
    if human(p95) == "0s" {
        "fewer than 1 in 20 held at all".to_string()
    } else {
        format!("1 in 20 held longer than {}", human(p95))
    }
}

/// An email caller type's longest waits for an agent to start on their email.
fn email_answers(name: &str, f: &CallerFigures) -> Option<String> {
    let c = f.channels.as_ref().filter(|c| c.channel == "email")?;
    let open = match c.open_at_end {
        0 => String::new(),
        1 => ", 1 still open when the run ended".to_string(),
        n => format!(", {n} still open when the run ended"),
    };
    let (Some(p95), Some(max)) = (c.response_time.p95, c.response_time.max) else {
        return (c.open_at_end > 0).then(|| format!("{name}: no email was started{open}"));
    };
    let pending = match &c.emails {
        Some(e) if e.pending > 0 => format!(" ({} pending: open, not yet due)", pct(c.pending)),
        _ => String::new(),
    };
    Some(format!(
        "{name}: 1 in 20 emails waited longer than {} for an agent to start on them, the longest {}; {} of the emails that arrived started within the response target{pending}{open}",
        human(p95),
        human(max),
        pct(c.within_target)
    ))
}

/// A caller type's callbacks: how many accepted one, how long the longest
/// waited to be called back, and how many were never reached.
fn callbacks(name: &str, f: &CallerFigures) -> Option<String> {
    let c = f.channels.as_ref()?;
    let cb = &c.callbacks;
    if cb.accepted == 0 {
        return None;
    }
    let wait = match (c.time_to_callback.p95, c.time_to_callback.max) {
        (Some(p95), Some(max)) => {
            format!("; 1 in 20 waited longer than {} to be called back, the longest {}", human(p95), human(max))
        }
        _ => String::new(),
    };
    let failed = if cb.failed == 1 { "1 was".to_string() } else { format!("{} were", cb.failed) };
    Some(format!(
        "{name}: {} of {} offered a callback accepted it{wait}; {failed} never reached",
        cb.accepted, cb.offered
    ))
}

/// The calls of a caller type that hung up in the phone menu (menu patience
/// ran out, the IVR hung up after no key, or too many steps), in words with
/// the menu's long tail: none when no call did.
fn menu_hang_ups(name: &str, f: &CallerFigures) -> Option<String> {
    if f.abandoned_menu == 0 {
        return None;
    }
    // A menu's longest path is often taken by more than 1 in 20 callers: then
    // its p95 is that path's time, and nobody spent longer.
    let tail = match (f.menu_time.p95, f.menu_time.max) {
        (Some(p95), Some(max)) if human(p95) == human(max) => {
            format!("; 1 in 20 calls or more spent the longest time in it, {}", human(max))
        }
        (Some(p95), _) => format!("; 1 in 20 calls spent longer than {} in it", human(p95)),
        _ => String::new(),
    };
    Some(format!(
        "{name}: {} of {} calls ({}) hung up in the menu{tail}",
        f.abandoned_menu,
        f.calls,
        pct(crate::stats::ratio(f.abandoned_menu, f.calls))
    ))
}

/// The 1-in-10 day, in words (only when the design sets a `volume_spread`).
fn days_line(name: &str, f: &CallerFigures) -> Option<String> {
    let d = f.days.as_ref()?;
    let sl = d.p10_day.service_level?;
    Some(format!(
        "{name}: on 1 day in 10, service level was {} or worse (worst day {}), {} or more hung up on hold (worst day {})",
        pct(Some(sl)),
        pct(d.worst_day.service_level),
        pct(d.p90_day.abandon_rate),
        pct(d.worst_day.abandon_rate)
    ))
}

/// The days of the run beside the pooled figures: the 1-in-10 day and the
/// worst day (only when the design sets a `volume_spread`).
fn days_section(report: &Report) -> Option<Section> {
    report.overall.days.as_ref()?;
    let rows = callers(report)
        .into_iter()
        .filter_map(|(name, f)| {
            let d = f.days.as_ref()?;
            let hold = |v: Option<f64>| v.map_or_else(|| "-".to_string(), human);
            Some(vec![
                name.to_string(),
                pct(f.service_level),
                pct(d.p10_day.service_level),
                pct(d.worst_day.service_level),
                pct(f.abandon_rate),
                pct(d.p90_day.abandon_rate),
                pct(d.worst_day.abandon_rate),
                hold(f.wait.p95),
                hold(d.p90_day.wait.p95),
                hold(d.worst_day.wait.p95),
            ])
        })
        .collect();
    Some(Section {
        title: "Days".into(),
        header: [
            "caller",
            "service level",
            "1-in-10 day",
            "worst day",
            "abandon rate",
            "1-in-10 day",
            "worst day",
            "p95 hold",
            "1-in-10 day",
            "worst day",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        worst: vec![3, 6, 9],
        note: Some(format!(
            "Over {} simulated days: the pooled figure, the 1-in-10 day (10% of days were that bad or worse: \
             the 10th percentile of daily service level, the 90th of abandon rate and p95 hold) and the worst day.",
            report.by_day.len()
        )),
    })
}

/// The worst interval of the day, in words (only with more than one interval).
fn worst_interval_line(report: &Report) -> Option<String> {
    let w = report.worst_interval.as_ref().filter(|_| report.by_interval.len() > 1)?;
    let i = &report.by_interval[w.index];
    let ci = w
        .service_level_ci95
        .map_or(String::new(), |[lo, hi]| format!(" (95% interval {}–{})", pct(Some(lo)), pct(Some(hi))));
    let close = match w.within_noise.as_slice() {
        [] => String::new(),
        many if many.len() > 4 => format!(
            "; {} other intervals are within its noise ({}, ...): more replications tell them apart",
            many.len(),
            many[..3].join(", ")
        ),
        few => format!("; within its noise: {} (more replications tell them apart)", few.join(", ")),
    };
    Some(format!(
        "worst interval {} (lowest service level; ties: highest p95 hold): service level {}{ci}, {}, {} hung up on hold{close}",
        w.label,
        pct(i.service_level),
        i.wait.p95.map_or_else(|| "no hold".to_string(), one_in_20_held),
        pct(i.abandon_rate)
    ))
}

pub use crate::time::human_secs as human;

/// The "Through the day" table: one row per interval, all callers.
fn through_the_day(report: &Report) -> Section {
    let mut header: Vec<String> = [
        "interval",
        "calls",
        "answered",
        "hung up",
        "service level",
        "abandon rate",
        "mean hold",
        "p95 hold",
        "max hold",
        "agents on duty",
        "occupancy",
    ]
    .map(String::from)
    .to_vec();
    if report.by_interval.iter().any(|i| i.agents_on_phones.is_some()) {
        header.insert(10, "on the phones".into());
    }
    // Channel columns only where the design has them.
    let email = report.by_interval.iter().any(|i| i.channels.response_time.is_some());
    let callbacks = report.by_interval.iter().any(|i| i.channels.time_to_callback.is_some());
    if email {
        header.push("p95 email response".into());
    }
    if callbacks {
        header.push("p95 time to callback".into());
    }
    let rows = report
        .by_interval
        .iter()
        .map(|i| {
            let mut row = vec![
                i.label.clone(),
                i.calls.to_string(),
                i.answered.to_string(),
                i.abandoned_queue.to_string(),
                pct(i.service_level),
                pct(i.abandon_rate),
                secs(i.wait.mean),
                secs(i.wait.p95),
                secs(i.wait.max),
                format!("{:.1}", i.agents),
            ];
            if let Some(n) = i.agents_on_phones {
                row.push(format!("{n:.1}"));
            }
            row.push(pct(i.occupancy));
            if email {
                row.push(secs(i.channels.response_time.as_ref().and_then(|t| t.p95)));
            }
            if callbacks {
                row.push(secs(i.channels.time_to_callback.as_ref().and_then(|t| t.p95)));
            }
            row
        })
        .collect();
    let worst = report.worst_interval.as_ref().map_or(String::new(), |w| format!(" Worst interval: {}.", w.label));
    let channels = match (email, callbacks) {
        (false, false) => "",
        _ => {
            " Email response and time to callback count in the interval the email arrived in, or the call that accepted the callback was dialed in (nights included)."
        }
    };
    Section {
        title: "Through the day".into(),
        header,
        rows,
        worst: vec![7, 8],
        note: Some(format!(
            "A call counts in the interval it was dialed in, whatever happened later; hung up = on hold. \
             Agents on duty (mean) and occupancy are time-weighted within the interval.{channels}{worst}"
        )),
    }
}

/// The "Cost" table: per pool and for all pools.
fn cost(report: &Report) -> Section {
    let c = &report.cost;
    let hours = |x: Option<f64>| x.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"));
    let mut rows: Vec<Vec<String>> = c
        .by_pool
        .iter()
        .map(|(name, p)| {
            let f = &p.figures;
            vec![
                name.clone(),
                money_or_dash(p.cost_per_hour),
                pct(Some(p.shrinkage)),
                hours(f.agent_hours),
                hours(f.paid_hours),
                money_or_dash(f.cost_per_day),
                money_or_dash(f.cost_per_call),
                money_or_dash(f.cost_per_resolved_call),
            ]
        })
        .collect();
    if c.by_pool.len() > 1 {
        let t = &c.total;
        rows.push(vec![
            "all pools".into(),
            "".into(),
            "".into(),
            hours(t.agent_hours),
            hours(t.paid_hours),
            money_or_dash(t.cost_per_day),
            money_or_dash(t.cost_per_call),
            money_or_dash(t.cost_per_resolved_call),
        ]);
    }
    let header = [
        "pool",
        "cost per hour",
        "shrinkage",
        "agent-hours a day",
        "paid hours a day",
        "cost a day",
        "per call",
        "per resolved call",
    ];
    let mut note =
        "Agent-hours: on duty during opening hours (staffed time, an `availability` pool's off-phone spells included); paid hours = agent-hours / (1 − shrinkage); \
                    cost a day = paid hours × cost per hour; per call: over every call offered (redials included)."
            .to_string();
    if !c.has_money() {
        note.push_str(" Give pools a `cost_per_hour` to see money.");
    } else if c.total.cost_per_day.is_none() {
        note.push_str(" The total needs a `cost_per_hour` on every pool.");
    }
    Section { title: "Cost".into(), header: header.map(String::from).to_vec(), rows, worst: vec![], note: Some(note) }
}

pub fn title(report: &Report) -> String {
    let days = report.days.filter(|d| *d > 1).map_or(String::new(), |d| format!(" a day for {d} days"));
    format!(
        "{} — {} replication{} of {}{days}, seed {}",
        report.scenario,
        report.replications,
        if report.replications == 1 { "" } else { "s" },
        human(report.horizon),
        report.seed
    )
}

pub fn sections(report: &Report) -> Vec<Section> {
    let mut out = Vec::new();
    out.push(Section {
        title: "Calls".into(),
        header: [
            "caller",
            "calls",
            "callers",
            "answered",
            "resolved",
            "hung up in menu",
            "hung up on hold",
            "busy signal",
            "unresolved",
        ]
        .map(String::from)
        .to_vec(),
        rows: callers(report)
            .into_iter()
            .map(|(name, f)| {
                [
                    f.calls,
                    f.callers,
                    f.answered,
                    f.resolved,
                    f.abandoned_menu,
                    f.abandoned_queue,
                    f.blocked,
                    f.unresolved,
                ]
                .iter()
                .fold(vec![name.to_string()], |mut row, n| {
                    row.push(n.to_string());
                    row
                })
            })
            .collect(),
        worst: vec![5, 6, 7],
        note: Some("Counts are totals over all replications; a redial is a new call of the same caller.".into()),
    });
    out.push(Section {
        title: "Service".into(),
        header: ["caller", "service level", "abandon rate", "first-contact resolution", "transfers per call"].map(String::from).to_vec(),
        rows: callers(report)
            .into_iter()
            .map(|(name, f)| {
                vec![
                    name.to_string(),
                    pct(f.service_level),
                    pct(f.abandon_rate),
                    pct(f.first_contact_resolution),
                    f.transfers_per_call.map_or("-".into(), |v| format!("{v:.2}")),
                ]
            })
            .collect(),
        worst: vec![],
        note: Some(format!(
            "Service level: share of calls reaching a queue answered within {}. Abandon rate: hung up on hold / calls reaching a queue.",
            human(report.service_level_threshold)
        )),
    });
    out.extend(days_section(report));
    out.push(durations_section(
        report,
        "Time on hold, per call that reached a queue",
        |f| &f.wait,
        Some(
            "p95, p99 and max are the holds callers remember; callers who hung up count their time until they hung up."
                .into(),
        ),
    ));
    out.push(durations_section(
        report,
        "Time to answer, dial to first human (menu included)",
        |f| &f.time_to_answer,
        None,
    ));
    // A line whose callers all go straight to a queue (chat, email) has no menu to show.
    if report.overall.menu_time.max.is_some_and(|m| m > 0.0) {
        out.push(durations_section(report, "Time in the menu, per call", |f| &f.menu_time, None));
    }
    out.push(durations_section(
        report,
        "Time to resolution, first dial to resolution, per resolved caller",
        |f| &f.time_to_resolution,
        None,
    ));
    if !report.by_queue.is_empty() {
        out.push(Section {
            title: "Queues".into(),
            header: [
                "queue",
                "calls",
                "answered",
                "hung up",
                "busy signal",
                "service level",
                "abandon rate",
                "mean hold",
                "p95 hold",
                "max hold",
            ]
            .map(String::from)
            .to_vec(),
            rows: report
                .by_queue
                .iter()
                .map(|(name, q)| {
                    vec![
                        name.clone(),
                        q.calls.to_string(),
                        q.answered.to_string(),
                        q.abandoned.to_string(),
                        q.blocked.to_string(),
                        pct(q.service_level),
                        pct(q.abandon_rate),
                        secs(q.wait.mean),
                        secs(q.wait.p95),
                        secs(q.wait.max),
                    ]
                })
                .collect(),
            worst: vec![8, 9],
            note: Some("A transferred call counts once in each queue it reaches.".into()),
        });
    }
    out.extend(super::channels::sections(report));
    if !report.by_pool.is_empty() {
        out.push(Section {
            title: "Agent pools".into(),
            header: {
                let mut h = ["pool", "agents on duty (avg)", "calls handled", "occupancy"].map(String::from).to_vec();
                if report.by_pool.values().any(|p| p.agents_on_phones.is_some()) {
                    h.insert(2, "on the phones (avg)".into());
                }
                if report.by_pool.values().any(|p| p.concurrency.is_some()) {
                    h.push("chats held (mean)".into());
                }
                h
            },
            rows: report
                .by_pool
                .iter()
                .map(|(name, p)| {
                    let mut row = vec![name.clone(), format!("{:.1}", p.agents)];
                    if let Some(n) = p.agents_on_phones {
                        row.push(format!("{n:.1}"));
                    }
                    row.extend([p.calls_handled.to_string(), pct(p.occupancy)]);
                    if let Some(c) = p.concurrency {
                        row.push(c.map_or("-".into(), |c| format!("{c:.2}")));
                    }
                    row
                })
                .collect(),
            worst: vec![],
            note: Some("Occupancy: busy share (talk, warm-transfer hold and wrap-up) of staffed agent time during opening hours.".into()),
        });
    }
    if !report.by_interval.is_empty() {
        out.push(through_the_day(report));
    }
    if !report.by_pool.is_empty() {
        out.push(cost(report));
    }
    out
}

/// A run from a snapshot: where it started, and when the queue clears.
fn intraday_lines(i: &crate::intraday::figures::IntradayFigures) -> Vec<String> {
    let s = &i.snapshot;
    let mut lines = vec![format!(
        "from the snapshot at {}: {} on hold, {} in talk, {} callbacks promised, {} emails open",
        i.from, s.on_hold, s.in_talk, s.callbacks, s.emails
    )];
    match &i.queue_clears_at {
        Some(c) => lines.push(format!(
            "the queue clears at {} on average ({}), by {} on 9 days in 10{}",
            c.mean,
            c.ci95.as_ref().map_or("one replication".to_string(), |[a, b]| format!("95% CI {a}–{b}")),
            c.p90,
            if i.queue_never_cleared > 0 {
                format!("; never on {} replications", i.queue_never_cleared)
            } else {
                String::new()
            }
        )),
        None => lines.push("the queue never clears: callers are still on hold at the end of the day".to_string()),
    }
    for (name, r) in &i.rescaled {
        lines.push(format!(
            "{name}: {} calls so far against {:.1} planned: the rest of the day's arrivals \u{d7} {:.3}",
            r.arrived, r.planned, r.factor
        ));
    }
    lines
}

//! `--format csv`: one figure per line (`scope,name,metric,value`), easy to
//! load into a spreadsheet or a dataframe and to join across runs.

use super::Exporter;
use super::records::Records;
use crate::stats::Report;
use crate::stats::cost::CostLine;
use crate::stats::days::DayCounts;
use crate::stats::figures::{CallerFigures, Durations};
use crate::stats::intervals::{Holds, IntervalChannels};

pub struct CsvExporter;

fn num(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| v.to_string())
}

/// The rows, quoted by the `csv` crate: names (and metrics naming a caller
/// type or pool, `by_caller.NAME.calls`) come from the user's file.
struct Rows(Records);

impl Rows {
    fn add(&mut self, scope: &str, name: &str, metric: &str, value: String) {
        self.0.row([scope, name, metric, value.as_str()]);
    }

    fn durations(&mut self, scope: &str, name: &str, metric: &str, d: &Durations) {
        for (k, v) in [("mean", d.mean), ("p50", d.p50), ("p90", d.p90), ("p95", d.p95), ("p99", d.p99), ("max", d.max)]
        {
            self.add(scope, name, &format!("{metric}.{k}"), num(v));
        }
        for (k, v) in [("mean_ci95", d.mean_ci95), ("p95_ci95", d.p95_ci95)] {
            self.add(scope, name, &format!("{metric}.{k}.lo"), num(v.map(|c| c[0])));
            self.add(scope, name, &format!("{metric}.{k}.hi"), num(v.map(|c| c[1])));
        }
    }

    fn holds(&mut self, scope: &str, name: &str, metric: &str, d: &Holds) {
        for (k, v) in [("mean", d.mean), ("p50", d.p50), ("p90", d.p90), ("p95", d.p95), ("p99", d.p99), ("max", d.max)]
        {
            self.add(scope, name, &format!("{metric}.{k}"), num(v));
        }
    }

    /// An interval's channel times, where the design has them; `prefix` ends with a dot or is empty.
    fn channels(&mut self, scope: &str, name: &str, prefix: &str, ch: &IntervalChannels) {
        if ch.response_time.is_some() {
            self.add(scope, name, &format!("{prefix}within_target"), num(ch.within_target));
            self.add(scope, name, &format!("{prefix}pending"), num(ch.pending));
        }
        for (metric, t) in [("response_time", &ch.response_time), ("time_to_callback", &ch.time_to_callback)] {
            let Some(t) = t else { continue };
            self.add(scope, name, &format!("{prefix}{metric}.count"), t.count.to_string());
            for (k, v) in [("mean", t.mean), ("p95", t.p95), ("max", t.max)] {
                self.add(scope, name, &format!("{prefix}{metric}.{k}"), num(v));
            }
        }
    }

    fn cost(&mut self, scope: &str, name: &str, c: &CostLine) {
        for (k, v) in [
            ("agent_hours", c.agent_hours),
            ("paid_hours", c.paid_hours),
            ("cost_per_day", c.cost_per_day),
            ("cost_per_call", c.cost_per_call),
            ("cost_per_resolved_call", c.cost_per_resolved_call),
        ] {
            self.add(scope, name, k, num(v));
        }
    }

    fn caller(&mut self, scope: &str, name: &str, f: &CallerFigures) {
        for (k, v) in [
            ("calls", f.calls),
            ("callers", f.callers),
            ("answered", f.answered),
            ("resolved", f.resolved),
            ("abandoned_menu", f.abandoned_menu),
            ("abandoned_queue", f.abandoned_queue),
            ("blocked", f.blocked),
            ("unresolved", f.unresolved),
        ] {
            self.add(scope, name, k, v.to_string());
        }
        self.durations(scope, name, "wait", &f.wait);
        self.durations(scope, name, "menu_time", &f.menu_time);
        self.durations(scope, name, "time_to_answer", &f.time_to_answer);
        self.durations(scope, name, "time_to_resolution", &f.time_to_resolution);
        for (k, v) in [
            ("service_level", f.service_level),
            ("abandon_rate", f.abandon_rate),
            ("first_contact_resolution", f.first_contact_resolution),
            ("transfers_per_call", f.transfers_per_call),
        ] {
            self.add(scope, name, k, num(v));
        }
        if let Some(c) = &f.channels {
            self.add(scope, name, "channel", c.channel.clone());
            self.durations(scope, name, "response_time", &c.response_time);
            self.add(scope, name, "within_target", num(c.within_target));
            self.add(scope, name, "pending", num(c.pending));
            if let Some(e) = &c.emails {
                for (k, v) in [
                    ("emails.arrived", e.arrived),
                    ("emails.met", e.met),
                    ("emails.missed", e.missed),
                    ("emails.pending", e.pending),
                ] {
                    self.add(scope, name, k, v.to_string());
                }
            }
            let cb = &c.callbacks;
            for (k, v) in [
                ("callbacks.offered", cb.offered),
                ("callbacks.accepted", cb.accepted),
                ("callbacks.completed", cb.completed),
                ("callbacks.failed", cb.failed),
                ("left_on_ewt", c.left_on_ewt),
                ("open_at_end", c.open_at_end),
            ] {
                self.add(scope, name, k, v.to_string());
            }
            self.durations(scope, name, "time_to_callback", &c.time_to_callback);
            self.add(scope, name, "ewt_error.mean_abs", num(c.ewt_error.mean_abs));
            self.add(scope, name, "ewt_error.p90_abs", num(c.ewt_error.p90_abs));
            self.add(scope, name, "ewt_error.underestimated", num(c.ewt_error.underestimated));
            self.add(scope, name, "backlog_end_of_day", num(c.backlog_end_of_day));
            self.add(scope, name, "oldest_open", num(c.oldest_open));
        }
        if let Some(d) = &f.days {
            for (k, v) in [
                ("worst_day.service_level", d.worst_day.service_level),
                ("worst_day.abandon_rate", d.worst_day.abandon_rate),
                ("worst_day.wait.p95", d.worst_day.wait.p95),
                ("p10_day.service_level", d.p10_day.service_level),
                ("p90_day.abandon_rate", d.p90_day.abandon_rate),
                ("p90_day.wait.p95", d.p90_day.wait.p95),
            ] {
                self.add(scope, name, k, num(v));
            }
        }
    }

    /// One simulated day's figures (scope `day`, name `r3.d0`: replication 3, day 0).
    fn day(&mut self, name: &str, prefix: &str, d: &DayCounts) {
        self.add("day", name, &format!("{prefix}calls"), d.calls.to_string());
        self.add("day", name, &format!("{prefix}service_level"), num(d.service_level));
        self.add("day", name, &format!("{prefix}abandon_rate"), num(d.abandon_rate));
        self.add("day", name, &format!("{prefix}wait.p95"), num(d.wait.p95));
        self.add("day", name, &format!("{prefix}wait.max"), num(d.wait.max));
    }
}

impl Exporter for CsvExporter {
    fn render(&self, r: &Report) -> String {
        let mut rows = Rows(Records::new(["scope", "name", "metric", "value"]));
        rows.caller("overall", "all", &r.overall);
        for (name, f) in &r.by_caller {
            rows.caller("caller", name, f);
        }
        for (name, q) in &r.by_queue {
            rows.add("queue", name, "calls", q.calls.to_string());
            rows.add("queue", name, "answered", q.answered.to_string());
            rows.add("queue", name, "abandoned", q.abandoned.to_string());
            rows.add("queue", name, "blocked", q.blocked.to_string());
            rows.durations("queue", name, "wait", &q.wait);
            rows.add("queue", name, "service_level", num(q.service_level));
            rows.add("queue", name, "abandon_rate", num(q.abandon_rate));
        }
        if let Some(i) = &r.intraday {
            rows.add("intraday", "all", "from", i.from.clone());
            rows.add("intraday", "all", "from_seconds", i.from_seconds.to_string());
            if let Some(c) = &i.queue_clears_at {
                let s = &c.after_seconds;
                rows.add("intraday", "all", "queue_clears_at.mean", c.mean.clone());
                for (k, v) in [("mean", Some(s.mean)), ("p10", Some(s.p10)), ("p50", Some(s.p50)), ("p90", Some(s.p90))]
                {
                    rows.add("intraday", "all", &format!("queue_clears_at.after_seconds.{k}"), num(v));
                }
                rows.add("intraday", "all", "queue_clears_at.after_seconds.ci95.lo", num(s.ci95.map(|c| c[0])));
                rows.add("intraday", "all", "queue_clears_at.after_seconds.ci95.hi", num(s.ci95.map(|c| c[1])));
            }
            rows.add("intraday", "all", "queue_never_cleared", i.queue_never_cleared.to_string());
            for (name, x) in &i.rescaled {
                rows.add("intraday", name, "rescale_factor", x.factor.to_string());
            }
        }
        for (name, p) in &r.by_pool {
            rows.add("pool", name, "occupancy", num(p.occupancy));
            rows.add("pool", name, "calls_handled", p.calls_handled.to_string());
            rows.add("pool", name, "agents", p.agents.to_string());
            if let Some(n) = p.agents_on_phones {
                rows.add("pool", name, "agents_on_phones", n.to_string());
            }
            if let Some(c) = p.concurrency {
                rows.add("pool", name, "concurrency", num(c));
            }
        }
        for i in &r.by_interval {
            let name = &i.label;
            rows.add("interval", name, "from", i.from.to_string());
            rows.add("interval", name, "to", i.to.to_string());
            for (k, v) in [
                ("calls", i.calls),
                ("answered", i.answered),
                ("abandoned_queue", i.abandoned_queue),
                ("blocked", i.blocked),
            ] {
                rows.add("interval", name, k, v.to_string());
            }
            rows.add("interval", name, "service_level", num(i.service_level));
            rows.add("interval", name, "abandon_rate", num(i.abandon_rate));
            rows.holds("interval", name, "wait", &i.wait);
            rows.add("interval", name, "agents", i.agents.to_string());
            if let Some(n) = i.agents_on_phones {
                rows.add("interval", name, "agents_on_phones", n.to_string());
            }
            rows.add("interval", name, "occupancy", num(i.occupancy));
            rows.channels("interval", name, "", &i.channels);
            for (caller, c) in &i.by_caller {
                let m = |k: &str| format!("by_caller.{caller}.{k}");
                rows.add("interval", name, &m("calls"), c.calls.to_string());
                rows.add("interval", name, &m("service_level"), num(c.service_level));
                rows.add("interval", name, &m("abandon_rate"), num(c.abandon_rate));
                rows.holds("interval", name, &m("wait"), &c.wait);
                rows.channels("interval", name, &m(""), &c.channels);
            }
            for (pool, p) in &i.by_pool {
                rows.add("interval", name, &format!("by_pool.{pool}.agents"), p.agents.to_string());
                if let Some(n) = p.agents_on_phones {
                    rows.add("interval", name, &format!("by_pool.{pool}.agents_on_phones"), n.to_string());
                }
                rows.add("interval", name, &format!("by_pool.{pool}.occupancy"), num(p.occupancy));
            }
        }
        for (name, p) in &r.cost.by_pool {
            rows.add("cost", name, "cost_per_hour", num(p.cost_per_hour));
            rows.add("cost", name, "shrinkage", p.shrinkage.to_string());
            rows.cost("cost", name, &p.figures);
        }
        rows.cost("cost", "total", &r.cost.total);
        for w in &r.warnings {
            rows.add("warning", w.kind, "message", w.message.clone());
        }
        for d in &r.by_day {
            let name = format!("r{}.d{}", d.replication, d.day);
            rows.day(&name, "", &d.figures);
            for (caller, c) in &d.by_caller {
                rows.day(&name, &format!("by_caller.{caller}."), c);
            }
        }
        rows.0.finish()
    }
}

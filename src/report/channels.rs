//! The report's sections for part 2's channels (shown only when a design uses
//! them): each caller type's channel and email response, and callbacks with
//! the estimated wait's error.

use super::layout::{Section, callers, ci};
use super::{pct, secs};
use crate::stats::Report;

pub fn sections(report: &Report) -> Vec<Section> {
    let rows: Vec<_> = callers(report).into_iter().filter_map(|(n, f)| f.channels.as_ref().map(|c| (n, c))).collect();
    if rows.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Section {
        title: "Channels".into(),
        header: [
            "caller",
            "channel",
            "response p50",
            "response p95",
            "response max",
            "within target",
            "pending",
            "backlog at day end",
            "oldest open",
            "open at end",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|(name, c)| {
                vec![
                    name.to_string(),
                    c.channel.clone(),
                    secs(c.response_time.p50),
                    secs(c.response_time.p95),
                    secs(c.response_time.max),
                    pct(c.within_target),
                    pct(c.pending),
                    c.backlog_end_of_day.map_or("-".into(), |b| format!("{b:.1}")),
                    secs(c.oldest_open),
                    c.open_at_end.to_string(),
                ]
            })
            .collect(),
        worst: vec![3, 4, 8],
        note: Some(
            "Response: email arrival to an agent starting on it. Within target and pending: shares of every email that arrived (started late, or still open past the target at the end: missed; still open, not yet due: pending). Backlog: emails and promised callbacks open at the end of a day (mean over days)."
                .into(),
        ),
    }];
    if rows.iter().any(|(_, c)| c.callbacks.offered > 0 || c.ewt_error.count > 0 || c.left_on_ewt > 0) {
        out.push(Section {
            title: "Callbacks and estimated waits".into(),
            header: [
                "caller",
                "offered",
                "accepted",
                "completed",
                "failed",
                "time to callback (mean)",
                "95% CI",
                "p95",
                "max",
                "left on hearing EWT",
                "EWT error (mean)",
                "EWT error (p90)",
                "underestimated",
            ]
            .map(String::from)
            .to_vec(),
            rows: rows
                .iter()
                .map(|(name, c)| {
                    let cb = &c.callbacks;
                    vec![
                        name.to_string(),
                        cb.offered.to_string(),
                        cb.accepted.to_string(),
                        cb.completed.to_string(),
                        cb.failed.to_string(),
                        secs(c.time_to_callback.mean),
                        ci(c.time_to_callback.mean_ci95),
                        secs(c.time_to_callback.p95),
                        secs(c.time_to_callback.max),
                        c.left_on_ewt.to_string(),
                        secs(c.ewt_error.mean_abs),
                        secs(c.ewt_error.p90_abs),
                        pct(c.ewt_error.underestimated),
                    ]
                })
                .collect(),
            worst: vec![7, 8],
            note: Some(
                "Time to callback: accepting to the agent reaching the caller (not hold time). EWT error: |estimate − wait that followed|."
                    .into(),
            ),
        });
    }
    out
}

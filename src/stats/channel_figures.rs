//! The report's figures for part 2's channels, added to a [`Report`] when the
//! design uses them (a voice-only design's report is unchanged byte for byte).
//! Every value comes from the [`Metric`] catalogue.

use serde::Serialize;

use super::collect::{CallerStats, Runs};
use super::figures::{CallerFigures, Durations, Report};
use super::metric::{EwtStat, Metric, Rate, Span};
use super::r6;
use super::summary::Summary;
use crate::scenario::{Channel, Scenario};

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CallbackCounts {
    pub offered: u64,
    pub accepted: u64,
    /// The agent reached the caller.
    pub completed: u64,
    /// Every attempt made without reaching the caller.
    pub failed: u64,
}

/// What became of the emails that arrived: `met + missed + pending = arrived`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EmailCounts {
    pub arrived: u64,
    /// Started within the response target.
    pub met: u64,
    /// Started late, or still open at the end of the run past the target.
    pub missed: u64,
    /// Still open at the end of the run, not yet due.
    pub pending: u64,
}

/// The estimated wait against the wait that followed, for calls told an
/// estimate (announced or with a callback offer) whose wait ended in service.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct EwtError {
    /// Mean |estimate − wait|, seconds.
    pub mean_abs: Option<f64>,
    /// 90th percentile of |estimate − wait|, seconds.
    pub p90_abs: Option<f64>,
    /// Share of waits longer than their estimate.
    pub underestimated: Option<f64>,
    pub count: u64,
}

/// Channel figures of a caller type (or all callers).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ChannelFigures {
    /// voice, chat or email (`mixed` for all callers of several channels).
    pub channel: String,
    /// Email: arrival to an agent starting on it, seconds.
    pub response_time: Durations,
    /// Email: share of the emails that arrived started within the response
    /// target (started late, or still open at the end past it: missed).
    pub within_target: Option<f64>,
    /// Email: share of the emails that arrived still open at the end and not
    /// yet due (neither met nor missed); `1 − within_target − pending` missed.
    pub pending: Option<f64>,
    /// Email: the emails that arrived, each met, missed or pending (counts).
    pub emails: Option<EmailCounts>,
    pub callbacks: CallbackCounts,
    /// Accepting a callback to the agent reaching the caller, seconds.
    pub time_to_callback: Durations,
    pub ewt_error: EwtError,
    /// Callers who hung up at once on hearing the estimated wait.
    pub left_on_ewt: u64,
    /// Mean open items (emails not started, callbacks not yet made) at the end of a day.
    pub backlog_end_of_day: Option<f64>,
    /// The oldest item open at the end of any day, seconds.
    pub oldest_open: Option<f64>,
    /// Items still open when the run ended (counted in `calls`, not answered).
    pub open_at_end: u64,
}

fn fig(m: Metric, c: &CallerStats) -> Option<f64> {
    m.of_callers(c).map(r6)
}

fn build(channel: &str, pooled: &CallerStats, per_rep: &[&CallerStats]) -> ChannelFigures {
    let d = |f: fn(&CallerStats) -> &Summary| {
        Durations::build(f(pooled), &per_rep.iter().map(|c| f(c)).collect::<Vec<_>>())
    };
    let ch = &pooled.ch;
    ChannelFigures {
        channel: channel.to_string(),
        response_time: d(|c| Span::ResponseTime.of(c)),
        within_target: fig(Metric::Rate(Rate::WithinTarget), pooled),
        pending: fig(Metric::Rate(Rate::Pending), pooled),
        emails: (ch.emails_arrived() > 0).then(|| EmailCounts {
            arrived: ch.emails_arrived(),
            met: ch.within_target,
            missed: ch.emails_arrived() - ch.within_target - ch.open_pending,
            pending: ch.open_pending,
        }),
        callbacks: CallbackCounts {
            offered: ch.callbacks_offered,
            accepted: ch.callbacks_accepted,
            completed: ch.callbacks_completed,
            failed: ch.callbacks_failed,
        },
        time_to_callback: d(|c| Span::TimeToCallback.of(c)),
        ewt_error: EwtError {
            mean_abs: fig(Metric::EwtError(EwtStat::MeanAbs), pooled),
            p90_abs: fig(Metric::EwtError(EwtStat::P90Abs), pooled),
            underestimated: fig(Metric::EwtError(EwtStat::Underestimated), pooled),
            count: ch.ewt_abs_error.count,
        },
        left_on_ewt: ch.left_on_ewt,
        backlog_end_of_day: fig(Metric::BacklogEndOfDay, pooled),
        oldest_open: fig(Metric::OldestOpen, pooled),
        open_at_end: ch.open_at_end,
    }
}

/// Adds the channel figures to every caller type and to all callers.
pub(super) fn add(report: &mut Report, sc: &Scenario, runs: &Runs, overall: &CallerStats, per_rep: &[&CallerStats]) {
    report.days = Some(sc.days);
    for (i, c) in sc.callers.iter().enumerate() {
        let per: Vec<&CallerStats> = runs.per_rep.iter().map(|r| &r.by_caller[i]).collect();
        if let Some(f) = report.by_caller.get_mut(&c.name) {
            f.channels = Some(build(c.channel.as_str(), &runs.pooled.by_caller[i], &per));
        }
    }
    let first = sc.callers.first().map_or(Channel::Voice, |c| c.channel);
    let all = if sc.callers.iter().all(|c| c.channel == first) { first.as_str() } else { "mixed" };
    let overall_ch = build(all, overall, per_rep);
    report.overall.channels = Some(overall_ch);
    report.warnings = super::backlog::warnings(sc, runs);
}

impl CallerFigures {
    /// The channel figures, when the design uses channels.
    pub fn channel_figures(&self) -> Option<&ChannelFigures> {
        self.channels.as_ref()
    }
}

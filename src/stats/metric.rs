//! Named figures (`wait.p95`, `abandon_rate`, ...) that `compare` and `check`
//! evaluate on any set of counts: one replication's, or all of them pooled.
//! The names are the JSON report's keys joined by dots.

use super::collect::{CallerStats, QueueStats};
use super::ratio;
use super::summary::Summary;

/// A statistic of a duration summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stat {
    Mean,
    P50,
    P90,
    P95,
    P99,
    Max,
}

const STATS: [(&str, Stat); 6] = [
    ("mean", Stat::Mean),
    ("p50", Stat::P50),
    ("p90", Stat::P90),
    ("p95", Stat::P95),
    ("p99", Stat::P99),
    ("max", Stat::Max),
];

/// A duration block of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    Wait,
    MenuTime,
    TimeToAnswer,
    TimeToResolution,
}

const SPANS: [(&str, Span); 4] = [
    ("wait", Span::Wait),
    ("menu_time", Span::MenuTime),
    ("time_to_answer", Span::TimeToAnswer),
    ("time_to_resolution", Span::TimeToResolution),
];

/// A share or a per-call figure of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rate {
    ServiceLevel,
    AbandonRate,
    FirstContactResolution,
    TransfersPerCall,
    /// Resolved calls / calls (not a report key, but what a manager asks first).
    ResolvedShare,
}

const RATES: [(&str, Rate); 5] = [
    ("service_level", Rate::ServiceLevel),
    ("abandon_rate", Rate::AbandonRate),
    ("first_contact_resolution", Rate::FirstContactResolution),
    ("transfers_per_call", Rate::TransfersPerCall),
    ("resolved_share", Rate::ResolvedShare),
];

/// One comparable figure about callers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Duration(Span, Stat),
    Rate(Rate),
}

impl Metric {
    /// Every metric, in the order comparisons list them: worst cases first,
    /// then typical waits, then shares, then the rest.
    pub fn all() -> Vec<Metric> {
        use Metric::{Duration as D, Rate as R};
        use Span::*;
        use Stat::*;
        let mut v = vec![D(Wait, P95), D(Wait, P99), D(Wait, Max), D(TimeToAnswer, P95)];
        v.extend([D(Wait, Mean), D(Wait, P50), D(Wait, P90)]);
        v.extend([R(Rate::AbandonRate), R(Rate::ServiceLevel), R(Rate::FirstContactResolution)]);
        v.extend([R(Rate::ResolvedShare), R(Rate::TransfersPerCall)]);
        for span in [TimeToAnswer, TimeToResolution, MenuTime] {
            for (_, stat) in STATS {
                if !v.contains(&D(span, stat)) {
                    v.push(D(span, stat));
                }
            }
        }
        v
    }

    /// The metrics that also exist per queue.
    pub fn for_queues() -> Vec<Metric> {
        use Span::Wait;
        use Stat::*;
        [P95, P99, Max, Mean]
            .map(|s| Metric::Duration(Wait, s))
            .into_iter()
            .chain([Metric::Rate(Rate::AbandonRate), Metric::Rate(Rate::ServiceLevel)])
            .collect()
    }

    pub fn name(self) -> String {
        match self {
            Metric::Duration(span, stat) => {
                let s = SPANS.iter().find(|(_, x)| *x == span).map_or("?", |(n, _)| n);
                let t = STATS.iter().find(|(_, x)| *x == stat).map_or("?", |(n, _)| n);
                format!("{s}.{t}")
            }
            Metric::Rate(rate) => RATES.iter().find(|(_, x)| *x == rate).map_or("?", |(n, _)| n).to_string(),
        }
    }

    /// Parses a metric name; `None` when it is not one (see [`Metric::names`]).
    pub fn parse(name: &str) -> Option<Metric> {
        if let Some((span, stat)) = name.split_once('.') {
            let span = SPANS.iter().find(|(n, _)| *n == span)?.1;
            let stat = STATS.iter().find(|(n, _)| *n == stat)?.1;
            return Some(Metric::Duration(span, stat));
        }
        RATES.iter().find(|(n, _)| *n == name).map(|(_, r)| Metric::Rate(*r))
    }

    pub fn names() -> Vec<String> {
        Metric::all().into_iter().map(Metric::name).collect()
    }

    /// Whether a larger value is better for callers (service level, resolution).
    pub fn higher_is_better(self) -> bool {
        matches!(self, Metric::Rate(Rate::ServiceLevel | Rate::FirstContactResolution | Rate::ResolvedShare))
    }

    /// Seconds (durations) or a plain number (shares, transfers per call).
    pub fn is_duration(self) -> bool {
        matches!(self, Metric::Duration(..))
    }

    /// Shares are shown as percentages.
    pub fn is_share(self) -> bool {
        matches!(self, Metric::Rate(r) if r != Rate::TransfersPerCall)
    }

    /// The value on a caller type's counts; `None` when nothing was measured.
    pub fn of_callers(self, c: &CallerStats) -> Option<f64> {
        match self {
            Metric::Duration(span, stat) => stat_of(
                match span {
                    Span::Wait => &c.wait,
                    Span::MenuTime => &c.menu_time,
                    Span::TimeToAnswer => &c.time_to_answer,
                    Span::TimeToResolution => &c.time_to_resolution,
                },
                stat,
            ),
            Metric::Rate(r) => match r {
                Rate::ServiceLevel => ratio(c.answered_within, c.reached_queue),
                Rate::AbandonRate => ratio(c.abandoned_queue, c.reached_queue),
                Rate::FirstContactResolution => ratio(c.first_contact_resolved, c.callers),
                Rate::TransfersPerCall => ratio(c.transfers, c.calls),
                Rate::ResolvedShare => ratio(c.resolved, c.calls),
            },
        }
    }

    /// The value on a queue's counts; `None` for metrics queues do not have.
    pub fn of_queue(self, q: &QueueStats) -> Option<f64> {
        match self {
            Metric::Duration(Span::Wait, stat) => stat_of(&q.wait, stat),
            Metric::Rate(Rate::ServiceLevel) => ratio(q.answered_within, q.calls),
            Metric::Rate(Rate::AbandonRate) => ratio(q.abandoned, q.calls),
            _ => None,
        }
    }
}

fn stat_of(s: &Summary, stat: Stat) -> Option<f64> {
    match stat {
        Stat::Mean => s.mean(),
        Stat::P50 => s.quantile(0.5),
        Stat::P90 => s.quantile(0.9),
        Stat::P95 => s.quantile(0.95),
        Stat::P99 => s.quantile(0.99),
        Stat::Max => s.max_secs(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_metric() {
        let all = Metric::all();
        assert_eq!(all.len(), 4 * 6 + 5);
        for m in all {
            assert_eq!(Metric::parse(&m.name()), Some(m));
        }
        assert_eq!(Metric::parse("wait.p42"), None);
        assert_eq!(Metric::parse("wiat.p95"), None);
    }

    #[test]
    fn worst_cases_come_first() {
        let names = Metric::names();
        assert_eq!(names[..4], ["wait.p95", "wait.p99", "wait.max", "time_to_answer.p95"]);
    }
}

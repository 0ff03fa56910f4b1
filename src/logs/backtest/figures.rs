//! The figures a backtest sets side by side, and what one interval's row
//! holds: each figure computed by the metric catalogue from the same counts
//! the engine keeps, whichever side they describe.

use crate::stats::collect::{CallerStats, IntervalStats, ServiceCounts};
use crate::stats::metric::{ABANDON_RATE, Metric, SERVICE_LEVEL, Span, Stat};

/// A figure set side by side, in the order reports show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// Calls dialed (redials included), per day.
    Calls,
    /// Calls answered by an agent, per day.
    Answered,
    AbandonRate,
    ServiceLevel,
    WaitMean,
    WaitP90,
    WaitP95,
}

pub const FIGURES: [Figure; 7] = [
    Figure::Calls,
    Figure::Answered,
    Figure::AbandonRate,
    Figure::ServiceLevel,
    Figure::WaitMean,
    Figure::WaitP90,
    Figure::WaitP95,
];

/// The counts a figure is computed from: a day's interval or a whole day.
pub trait Counted: ServiceCounts {
    fn calls(&self) -> u64;
    fn answered(&self) -> u64;
}

impl Counted for IntervalStats {
    fn calls(&self) -> u64 {
        self.calls
    }
    fn answered(&self) -> u64 {
        self.answered
    }
}

impl Counted for CallerStats {
    fn calls(&self) -> u64 {
        self.calls
    }
    fn answered(&self) -> u64 {
        self.answered
    }
}

impl Figure {
    /// The JSON key (`wait.mean` is `wait: {mean}` in JSON).
    pub fn name(self) -> &'static str {
        match self {
            Figure::Calls => "calls",
            Figure::Answered => "answered",
            Figure::AbandonRate => "abandon_rate",
            Figure::ServiceLevel => "service_level",
            Figure::WaitMean => "wait.mean",
            Figure::WaitP90 => "wait.p90",
            Figure::WaitP95 => "wait.p95",
        }
    }

    /// The catalogue's metric; `None` for the counts.
    pub fn metric(self) -> Option<Metric> {
        match self {
            Figure::Calls | Figure::Answered => None,
            Figure::AbandonRate => Some(ABANDON_RATE),
            Figure::ServiceLevel => Some(SERVICE_LEVEL),
            Figure::WaitMean => Some(Metric::Duration(Span::Wait, Stat::Mean)),
            Figure::WaitP90 => Some(Metric::Duration(Span::Wait, Stat::P90)),
            Figure::WaitP95 => Some(Metric::Duration(Span::Wait, Stat::P95)),
        }
    }

    pub fn is_share(self) -> bool {
        self.metric().is_some_and(Metric::is_share)
    }

    pub fn is_duration(self) -> bool {
        self.metric().is_some_and(Metric::is_duration)
    }

    /// The figure on counts covering `days` days (counts are per day).
    pub fn of<C: Counted>(self, c: &C, days: f64) -> Option<f64> {
        match (self, self.metric()) {
            (_, Some(m)) => m.of_service(c),
            (Figure::Calls, None) => (days > 0.0).then(|| c.calls() as f64 / days),
            (_, None) => (days > 0.0).then(|| c.answered() as f64 / days),
        }
    }
}

/// One side's figures, in [`FIGURES`] order; `ci95` only for the simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct Side {
    pub values: [Option<f64>; 7],
    pub ci95: Option<[Option<[f64; 2]>; 7]>,
}

impl Side {
    pub fn get(&self, f: Figure) -> Option<f64> {
        self.values[index(f)]
    }

    pub fn ci(&self, f: Figure) -> Option<[f64; 2]> {
        self.ci95.as_ref().and_then(|c| c[index(f)])
    }
}

fn index(f: Figure) -> usize {
    FIGURES.iter().position(|x| *x == f).unwrap_or(0)
}

/// One interval (or the whole day): `[from, to)` in seconds from time 0.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub from: f64,
    pub to: f64,
    pub label: String,
    pub actual: Side,
    pub simulated: Side,
    /// The log's index of dispersion of its calls here across its days
    /// (variance / mean; the whole day's row: of the daily totals); `None`
    /// with fewer than two days or no call.
    pub dispersion: Option<f64>,
}

/// How far the simulation is from the log, for one figure. Scored intervals
/// are those with a call in the log where both sides have the figure; a
/// near-empty after-hours interval weighs as little as its calls.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureError {
    pub figure: Figure,
    /// Mean absolute error over the scored intervals, |simulated − log|,
    /// weighted by the log's calls there, in the figure's unit.
    pub mae: Option<f64>,
    /// The whole day's pooled simulated figure − the pooled log figure: the
    /// simulation's lean (negative: the simulation shows less).
    pub bias: Option<f64>,
    /// Share of scored intervals whose log value lies inside the simulation's 95% interval.
    pub within_ci95: Option<f64>,
    /// Intervals scored.
    pub intervals: usize,
}

/// How much the log's days differ from one another in calls: the index of
/// dispersion, variance / mean of the calls across the log's days (1 for
/// Poisson days; above 1, the days vary more than Poisson).
#[derive(Clone, Debug, PartialEq)]
pub struct Dispersion {
    /// Days the spread is over.
    pub days: usize,
    /// Of the calls of the whole day (the daily totals).
    pub whole_day: Option<f64>,
    /// The intervals' indexes, weighted by their calls.
    pub intervals_mean: Option<f64>,
}

/// Variance / mean of a count across days (sample variance); `None` with
/// fewer than two days or a mean of zero.
pub fn index_of_dispersion(counts: &[u64]) -> Option<f64> {
    let n = counts.len();
    if n < 2 {
        return None;
    }
    let mean = counts.iter().sum::<u64>() as f64 / n as f64;
    if mean <= 0.0 {
        return None;
    }
    let var = counts.iter().map(|&c| (c as f64 - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
    Some(var / mean)
}

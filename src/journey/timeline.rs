//! A recorded journey as a timeline: what the caller was doing from the first
//! dial on (in the menu, on hold, talking, or between calls before a redial),
//! beside the narration's lines. The HTML report draws it as proportional bars.

use super::narrate::{self, Told};
use super::{LongWait, RecordedJourney, WaitKind};
use crate::scenario::Scenario;
use crate::sim::Step;
use crate::stats::Report;
use crate::time::SimTime;

/// What the caller is doing during a segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Listening to prompts and pressing keys.
    Menu,
    /// Waiting in a queue for an agent.
    Hold,
    /// Talking to an agent.
    Talk,
    /// Off the phone, before a redial.
    Between,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Menu => "menu",
            Phase::Hold => "hold",
            Phase::Talk => "talk",
            Phase::Between => "between",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Phase::Menu => "in the menu",
            Phase::Hold => "on hold",
            Phase::Talk => "talking to an agent",
            Phase::Between => "between calls",
        }
    }
}

/// `[from, to)` in seconds from the journey's first dial.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    pub phase: Phase,
    pub from: f64,
    pub to: f64,
}

/// One journey, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// The narration's first line (`#1 longest hold 10m 02s: a customer caller ...`).
    pub heading: String,
    /// When the journey started, in the simulated day (seconds from the opening).
    pub start: SimTime,
    /// First dial to the end of the last call, in seconds.
    pub span: f64,
    pub segments: Vec<Segment>,
    /// The rest of the narration, one line per step, as `shop journey` prints it.
    pub lines: Vec<String>,
    /// What the ranked call's caller waited for (`--worst`): a hold, an email's
    /// response, a callback.
    pub waited_for: Option<WaitKind>,
}

/// What a step starts: `Some(phase)`, or `Some(None)` for the end of the
/// current phase (the call is over or between agents), `None` for no change.
fn phase_after(step: Step) -> Option<Option<Phase>> {
    Some(match step {
        Step::Dialed => Some(Phase::Menu),
        Step::Queued { .. } => Some(Phase::Hold),
        Step::Answered { .. } => Some(Phase::Talk),
        Step::Talked { .. }
        | Step::Ended { .. }
        | Step::HungUp { .. }
        | Step::HungUpInMenu { .. }
        | Step::BusySignal { .. }
        | Step::SelfServed { .. }
        | Step::WanderedOff => None,
        _ => return None,
    })
}

/// The segments of a journey, from its steps.
pub fn segments(j: &RecordedJourney) -> Vec<Segment> {
    let start = j.steps.first().map_or(SimTime::ZERO, |s| s.0);
    let secs = |t: SimTime| t.since(start).as_secs_f64();
    let mut out: Vec<Segment> = Vec::new();
    let mut open: Option<(Phase, f64)> = None;
    let mut last_end: Option<f64> = None;
    for &(time, _, step) in &j.steps {
        let now = secs(time);
        if step == Step::Dialed {
            if let Some(end) = last_end.take() {
                out.push(Segment { phase: Phase::Between, from: end, to: now });
            }
        }
        if let Step::Ended { .. } = step {
            last_end = Some(now);
        }
        let Some(next) = phase_after(step) else { continue };
        if let Some((phase, from)) = open.take() {
            if now > from {
                out.push(Segment { phase, from, to: now });
            }
        }
        open = next.map(|p| (p, now));
    }
    out
}

/// How many of the run's longest waits the HTML page tells as timelines.
pub const WORST_ON_PAGE: usize = 3;

/// The run's longest waits (best first, see `pipeline::worst_journeys`) told
/// as the HTML page tells them: ranked, each with the wait that earned its place.
pub fn worst_timelines(sc: &Scenario, report: &Report, worst: &[(RecordedJourney, LongWait)]) -> Vec<Timeline> {
    let told: Vec<Told> =
        worst.iter().enumerate().map(|(i, (j, h))| Told { journey: j, rank: Some(i + 1), worst: Some(*h) }).collect();
    timelines(sc, report, &told)
}

/// The journeys told as timelines: the narration `shop journey` prints, and
/// the segments it describes.
pub fn timelines(sc: &Scenario, report: &Report, told: &[Told]) -> Vec<Timeline> {
    told.iter()
        .map(|t| {
            let text = narrate::text(sc, report, std::slice::from_ref(t));
            let mut lines = text.lines().map(str::to_string);
            let heading = lines.next().unwrap_or_default();
            let segments = segments(t.journey);
            Timeline {
                heading,
                start: t.journey.steps.first().map_or(SimTime::ZERO, |s| s.0),
                span: segments.last().map_or(0.0, |s| s.to),
                segments,
                lines: lines.collect(),
                waited_for: t.worst.map(|w| w.kind),
            }
        })
        .collect()
}

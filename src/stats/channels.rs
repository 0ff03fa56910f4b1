//! What the channels of part 2 count, per caller type: email response times,
//! callbacks, the estimated wait beside the wait that followed, and what was
//! still open at the end of each day. Kept apart from `collect` so voice
//! counting stays as it was; `CallerStats` holds one of these.

use super::summary::Summary;
use crate::time::SimDuration;

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ChannelStats {
    /// Emails and callbacks still open when the run ended (outcome `Open`).
    pub open_at_end: u64,
    /// Emails an agent started on.
    pub emails_started: u64,
    /// Email: arrival to an agent starting on it.
    pub response_time: Summary,
    /// Emails started within their `response_target`.
    pub within_target: u64,
    /// Emails open at the end of the run already past their target (they count as missed).
    pub open_past_target: u64,
    /// Emails never started, open at the end of the run and not yet due
    /// (neither met nor missed: `pending`).
    pub open_pending: u64,
    pub callbacks_offered: u64,
    pub callbacks_accepted: u64,
    /// Callbacks that reached the caller.
    pub callbacks_completed: u64,
    /// Callbacks that used every attempt without reaching the caller.
    pub callbacks_failed: u64,
    /// Accepting a callback to the agent reaching the caller.
    pub time_to_callback: Summary,
    /// |estimate − wait that followed|, for calls told an estimate whose wait ended in service.
    pub ewt_abs_error: Summary,
    /// ... of which the wait was longer than the estimate.
    pub ewt_underestimated: u64,
    /// Callers who left at once on hearing the estimated wait.
    pub left_on_ewt: u64,
    /// Day ends seen (days × replications) and the open items summed over them.
    pub day_ends: u64,
    pub open_items: u64,
    /// The oldest item open at any day's end.
    pub oldest_open: SimDuration,
    /// Open items at the close of each day of the chain (index = day), summed
    /// over the replications merged: whether a backlog grows day over day.
    pub open_by_day: Vec<u64>,
}

impl ChannelStats {
    pub fn record_ewt(&mut self, estimate: SimDuration, actual: SimDuration) {
        let err = if actual > estimate { actual.saturating_sub(estimate) } else { estimate.saturating_sub(actual) };
        self.ewt_abs_error.record(err);
        if actual > estimate {
            self.ewt_underestimated += 1;
        }
    }

    pub fn merge(&mut self, o: &ChannelStats) {
        self.open_at_end += o.open_at_end;
        self.emails_started += o.emails_started;
        self.response_time.merge(&o.response_time);
        self.within_target += o.within_target;
        self.open_past_target += o.open_past_target;
        self.open_pending += o.open_pending;
        self.callbacks_offered += o.callbacks_offered;
        self.callbacks_accepted += o.callbacks_accepted;
        self.callbacks_completed += o.callbacks_completed;
        self.callbacks_failed += o.callbacks_failed;
        self.time_to_callback.merge(&o.time_to_callback);
        self.ewt_abs_error.merge(&o.ewt_abs_error);
        self.ewt_underestimated += o.ewt_underestimated;
        self.left_on_ewt += o.left_on_ewt;
        self.day_ends += o.day_ends;
        self.open_items += o.open_items;
        self.oldest_open = self.oldest_open.max(o.oldest_open);
        if self.open_by_day.len() < o.open_by_day.len() {
            self.open_by_day.resize(o.open_by_day.len(), 0);
        }
        for (a, b) in self.open_by_day.iter_mut().zip(&o.open_by_day) {
            *a += b;
        }
    }

    /// Emails that arrived: started, or still open at the end (past their
    /// target or not yet due). Every email is one of met, missed or pending.
    pub fn emails_arrived(&self) -> u64 {
        self.emails_started + self.open_past_target + self.open_pending
    }

    pub fn frozen(&self) -> ChannelStats {
        ChannelStats {
            response_time: self.response_time.frozen(),
            time_to_callback: self.time_to_callback.frozen(),
            ewt_abs_error: self.ewt_abs_error.frozen(),
            ..self.clone_counts()
        }
    }

    fn clone_counts(&self) -> ChannelStats {
        ChannelStats {
            open_at_end: self.open_at_end,
            emails_started: self.emails_started,
            response_time: Summary::default(),
            within_target: self.within_target,
            open_past_target: self.open_past_target,
            open_pending: self.open_pending,
            callbacks_offered: self.callbacks_offered,
            callbacks_accepted: self.callbacks_accepted,
            callbacks_completed: self.callbacks_completed,
            callbacks_failed: self.callbacks_failed,
            time_to_callback: Summary::default(),
            ewt_abs_error: Summary::default(),
            ewt_underestimated: self.ewt_underestimated,
            left_on_ewt: self.left_on_ewt,
            day_ends: self.day_ends,
            open_items: self.open_items,
            oldest_open: self.oldest_open,
            open_by_day: self.open_by_day.clone(),
        }
    }
}

/// A pool's chat time integrals: chats held and agents holding at least one,
/// over opening hours (their ratio is the mean chats held while busy with chat).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ChatTime {
    pub held: u128,
    pub busy: u128,
}

impl ChatTime {
    pub fn merge(&mut self, o: &ChatTime) {
        self.held += o.held;
        self.busy += o.busy;
    }
}

/// The channel times of the items of one caller type that arrived in an interval.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ChannelTimes {
    /// Email: arrival to an agent starting on it.
    pub response_time: Summary,
    /// Accepting a callback to the agent reaching the caller.
    pub time_to_callback: Summary,
    /// Emails started within their `response_target`.
    pub within_target: u64,
    /// Emails still open at the end of the run already past their target.
    pub open_past_target: u64,
    /// Emails never started, still open at the end of the run, not yet due.
    pub open_pending: u64,
}

impl Default for ChannelTimes {
    fn default() -> Self {
        ChannelTimes {
            response_time: Summary::coarse(),
            time_to_callback: Summary::coarse(),
            within_target: 0,
            open_past_target: 0,
            open_pending: 0,
        }
    }
}

impl ChannelTimes {
    pub fn merge(&mut self, o: &ChannelTimes) {
        self.response_time.merge(&o.response_time);
        self.time_to_callback.merge(&o.time_to_callback);
        self.within_target += o.within_target;
        self.open_past_target += o.open_past_target;
        self.open_pending += o.open_pending;
    }

    /// Emails that arrived in the interval (started, or open at the end).
    pub fn emails_arrived(&self) -> u64 {
        self.response_time.count + self.open_past_target + self.open_pending
    }
}

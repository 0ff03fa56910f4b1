//! Which engine a scenario runs on. A scenario using none of part 2's keys
//! (one day, voice only, no callbacks or announced waits) runs on
//! [`VoiceOnly`]: every channel check is a constant there and compiles away,
//! so voice-only designs keep the speed they had before channels existed.
//! Anything else runs on [`Channels`]. Both give the same figures for a
//! voice-only scenario; `VoiceOnly` only skips what cannot happen.

/// The engine's variant, fixed at compile time.
pub(super) trait Mode {
    /// Chat, email, callbacks, announced waits or chained days may occur.
    const CHANNELS: bool;
    /// A log's calls arrive instead of the Poisson streams (`shop replay`, see `replay`).
    const REPLAY: bool = false;
}

/// Voice only, one day.
pub(super) struct VoiceOnly;

/// Everything of part 2.
pub(super) struct Channels;

impl Mode for VoiceOnly {
    const CHANNELS: bool = false;
}

impl Mode for Channels {
    const CHANNELS: bool = true;
}

/// The channel engine with a log's calls as the arrivals (`shop replay`).
pub(super) struct Replay;

impl Mode for Replay {
    const CHANNELS: bool = true;
    const REPLAY: bool = true;
}

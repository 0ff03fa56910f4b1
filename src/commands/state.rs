//! `shop state LOG --at 10:40`: a snapshot of the center from a call log;
//! `shop state --schema`: the snapshot's JSON Schema.

use super::Failure;
use crate::cli::StateArgs;
use crate::intraday::from_log::{Moment, snapshot};
use crate::logs::schema;

pub fn run(args: &StateArgs) -> Result<(), Failure> {
    let (Some(log), Some(at)) = (&args.log, &args.at) else {
        let mut text = serde_json::to_string_pretty(&crate::intraday::snapshot::schema())
            .map_err(|e| Failure::Input(e.to_string()))?;
        text.push('\n');
        crate::output::write_output(args.out.as_deref(), &text)?;
        return Ok(());
    };
    let layout = match args.schema {
        Some(Some(s)) => s.into(),
        _ => schema::detect(log)?,
    };
    let read = schema::read(log, layout)?;
    let file = log.display().to_string();
    let m = Moment { at, date: args.date.as_deref(), opens: args.opens.as_deref() };
    let (s, note) = snapshot(&read, layout, &file, &m)?;
    if let Some(note) = note {
        eprintln!("{note}");
    }
    let mut text = serde_json::to_string_pretty(&s).map_err(|e| Failure::Input(e.to_string()))?;
    text.push('\n');
    crate::output::write_output(args.out.as_deref(), &text)?;
    Ok(())
}

//! `shop example [NAME]`: a bundled design to start from (`shop example support_line > my.yaml`),
//! or, with no name, the list of them with what each shows.

use super::Failure;
use crate::cli::ExampleArgs;
use crate::scenario::bundled::{self, BUNDLED};

pub fn run(args: &ExampleArgs) -> Result<(), Failure> {
    let text = match &args.name {
        None => listing(),
        Some(name) => match bundled::find(name) {
            Some(b) => b.text.to_string(),
            None => return Err(Failure::Input(unknown(name))),
        },
    };
    crate::output::write_output(args.out.as_deref(), &text)?;
    Ok(())
}

/// One line per bundled design: its name and the first paragraph of its opening comment.
fn listing() -> String {
    let width = BUNDLED.iter().map(|b| b.name.len()).max().unwrap_or(0);
    let mut text = String::from("Bundled designs (write one to start from: `shop example NAME > my.yaml`):\n");
    for b in BUNDLED {
        text.push_str(&format!("  {:width$}  {}\n", b.name, b.description()));
    }
    text
}

fn unknown(name: &str) -> String {
    let names: Vec<&str> = BUNDLED.iter().map(|b| b.name).collect();
    let hint = match crate::scenario::error::did_you_mean(name, names.iter().copied()) {
        Some(close) => format!("did you mean '{close}'?"),
        None => format!("the bundled designs are {}", names.join(", ")),
    };
    format!("error: no bundled design is called '{name}'\n  help: {hint} (`shop example` lists them)")
}

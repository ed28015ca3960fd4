//! `cargo xtask sandbox`: which sandbox layers this machine gives the code
//! it grades, and why any is missing. An instructor setting up a CI runner
//! or an autograder image runs it first; `results.json` records the same
//! list for every grade.

use anyhow::Result;
use clap::ValueEnum;
use grader::sandbox::SandboxReport;

#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// `human` (a table) or `json` (the `environment.sandbox` object of
    /// results.json).
    #[arg(long, value_enum, default_value_t = SandboxFormat::Human)]
    format: SandboxFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SandboxFormat {
    Human,
    Json,
}

pub fn run(course: &grader::course::Course, args: SandboxArgs) -> Result<u8> {
    grader::sandbox::check_switches()?;
    let report = grader::sandbox::host().report_for(&course.root);
    match args.format {
        SandboxFormat::Human => print!("{}", render(&report)),
        SandboxFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(crate::EXIT_ALL_PASSED)
}

fn render(report: &SandboxReport) -> String {
    let mut text = format!(
        "sandbox layers for tests and submission builds on this machine ({} active, {} missing):\n",
        report.active.len(),
        report.missing.len()
    );
    for layer in &report.active {
        text.push_str(&format!("  active   {layer}\n"));
    }
    for missing in &report.missing {
        text.push_str(&format!(
            "  missing  {}: {}\n",
            missing.layer, missing.reason
        ));
    }
    text.push_str(&format!(
        "switch layers off for a run with {}=<comma list of: {}>\n",
        grader::sandbox::DISABLE_ENV,
        grader::sandbox::Switch::ALL
            .iter()
            .map(|switch| switch.name())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    text
}

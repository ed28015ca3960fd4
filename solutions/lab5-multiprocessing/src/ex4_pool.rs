//! Placeholder: a helper is writing this exercise.

use crate::worker::Subcommand;

/// The worker program's sub-commands of this exercise.
pub(crate) const SUBCOMMANDS: &[Subcommand] = &[];

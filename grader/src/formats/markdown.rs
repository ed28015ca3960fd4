//! Placeholder: being written (issue 7).

use crate::results::LabResults;

pub(super) fn render(_results: &LabResults) -> String {
    String::new()
}

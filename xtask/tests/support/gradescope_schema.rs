//! Gradescope's results specification as checks: the keys it knows, their
//! types, the status and visibility values, and a score that is the sum of
//! the tests' scores. Shared by the format tests and the autograder bundle's
//! test (`#[path]` from each); not every test uses every function.

#![allow(dead_code)]

use std::collections::BTreeSet;

use grader::results::LabResults;
use serde_json::Value;

const TOP_LEVEL_KEYS: [&str; 11] = [
    "score",
    "execution_time",
    "output",
    "output_format",
    "test_output_format",
    "test_name_format",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
    "leaderboard",
];
const TEST_KEYS: [&str; 11] = [
    "score",
    "max_score",
    "status",
    "name",
    "name_format",
    "number",
    "output",
    "output_format",
    "tags",
    "visibility",
    "extra_data",
];
const VISIBILITIES: [&str; 4] = ["hidden", "after_due_date", "after_published", "visible"];
const OUTPUT_FORMATS: [&str; 5] = ["text", "html", "simple_format", "md", "ansi"];

/// The document follows the rules of Gradescope's results specification
/// (whoever wrote it). Returns the document.
pub fn check_schema(document: &str) -> Value {
    let value: Value = serde_json::from_str(document)
        .unwrap_or_else(|err| panic!("not JSON ({err}):\n{document}"));
    let top = value.as_object().expect("the document is an object");
    for key in top.keys() {
        assert!(
            TOP_LEVEL_KEYS.contains(&key.as_str()),
            "`{key}` is not in Gradescope's schema"
        );
    }
    let score = top["score"].as_f64().expect("score is a number");
    assert!(
        top["execution_time"].is_u64(),
        "execution_time is a whole number of seconds: {}",
        top["execution_time"]
    );
    check_text(top["output"].as_str().expect("output is a string"));
    for key in ["visibility", "stdout_visibility"] {
        let visibility = top[key].as_str().expect("visibility is a string");
        assert!(VISIBILITIES.contains(&visibility), "{key}: {visibility}");
    }
    assert_eq!(
        top["stdout_visibility"], "hidden",
        "the grader's stdout names hidden tests, so students must not see it"
    );
    if let Some(format) = top.get("output_format") {
        assert!(OUTPUT_FORMATS.contains(&format.as_str().unwrap()));
    }

    let tests = top["tests"].as_array().expect("tests is an array");
    let mut numbers = BTreeSet::new();
    let mut sum_of_scores = 0.0;
    for test in tests {
        let test = test.as_object().expect("a test is an object");
        for key in test.keys() {
            assert!(
                TEST_KEYS.contains(&key.as_str()),
                "test key `{key}` is not in Gradescope's schema"
            );
        }
        assert!(test["name"].is_string());
        let number = test["number"].as_str().expect("number is a string");
        let (lab, position) = number.split_once('.').expect("number is lab.position");
        assert!(lab.parse::<u32>().is_ok(), "number {number}");
        assert!(position.parse::<u32>().is_ok(), "number {number}");
        assert!(numbers.insert(number.to_owned()), "number {number} twice");
        let test_score = test["score"].as_f64().expect("score is a number");
        let max_score = test["max_score"].as_f64().expect("max_score is a number");
        assert!((0.0..=max_score).contains(&test_score));
        sum_of_scores += test_score;
        match test["status"].as_str().expect("status is a string") {
            "passed" => assert_eq!(test_score, max_score),
            "failed" => assert_eq!(test_score, 0.0),
            other => panic!("status `{other}` is neither passed nor failed"),
        }
        check_text(test["output"].as_str().expect("output is a string"));
        let visibility = test["visibility"].as_str().expect("visibility is a string");
        assert!(VISIBILITIES.contains(&visibility), "{visibility}");
        if let Some(format) = test.get("output_format") {
            assert!(OUTPUT_FORMATS.contains(&format.as_str().unwrap()));
        }
    }
    assert_eq!(
        score, sum_of_scores,
        "score is the sum of the tests' scores"
    );
    value
}

/// The document follows the schema and says what the results say: the same
/// tests in the same order, their points, verdicts and visibility.
pub fn check(document: &str, results: &LabResults) -> Value {
    let value = check_schema(document);
    assert_eq!(value["score"], f64::from(results.totals.points));
    let tests = value["tests"].as_array().unwrap();
    assert_eq!(tests.len(), results.tests.len());
    for (test, expected) in tests.iter().zip(&results.tests) {
        assert_eq!(test["name"], expected.name.as_str());
        let number = test["number"].as_str().unwrap();
        assert!(
            number.starts_with(&format!("{}.", results.lab.number)),
            "{number}"
        );
        assert_eq!(test["score"], f64::from(expected.points));
        assert_eq!(test["max_score"], f64::from(expected.max_points));
        assert_eq!(
            test["status"] == "passed",
            expected.status.is_pass(),
            "{}",
            expected.name
        );
        assert_eq!(
            test["visibility"],
            serde_json::to_value(expected.visibility).unwrap(),
            "{}",
            expected.name
        );
    }
    value
}

/// No NUL or other control character (but tab, newline, carriage return)
/// reaches Gradescope.
fn check_text(text: &str) {
    assert!(
        !text
            .chars()
            .any(|ch| ch.is_control() && !matches!(ch, '\t' | '\n' | '\r')),
        "a control character in {text:?}"
    );
}

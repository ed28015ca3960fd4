//! Exercise 9: converting a folder of JSON documents to text, serially and
//! with the pool; the text files are the same either way.

use std::fs;

use lab5_multiprocessing::{
    Document, Pool, convert_document, convert_documents_serial, convert_documents_with_pool,
    document_to_text, generate_documents, plan_conversion,
};

use super::worker_program;

#[test]
fn one_document_becomes_its_text() {
    let folder = tempfile::tempdir().unwrap();
    generate_documents(&folder.path().join("json"), 1, 7).unwrap();
    let tasks = plan_conversion(&folder.path().join("json"), &folder.path().join("text")).unwrap();
    assert_eq!(tasks.len(), 1);

    let bytes_written = convert_document(&tasks[0]).unwrap();

    let document: Document =
        serde_json::from_str(&fs::read_to_string(&tasks[0].input).unwrap()).unwrap();
    let text = fs::read_to_string(&tasks[0].output).unwrap();
    assert_eq!(text, document_to_text(&document));
    assert_eq!(bytes_written, text.len() as u64);
}

#[test]
fn the_pool_writes_the_same_text_files_as_the_serial_version() {
    let folder = tempfile::tempdir().unwrap();
    let json = folder.path().join("json");
    generate_documents(&json, 30, 2024).unwrap();

    let serial_tasks = plan_conversion(&json, &folder.path().join("serial")).unwrap();
    let serial = convert_documents_serial(&serial_tasks);

    let pool_tasks = plan_conversion(&json, &folder.path().join("pool")).unwrap();
    let mut pool = Pool::new(worker_program(), 2).unwrap();
    let with_pool = convert_documents_with_pool(&mut pool, &pool_tasks, 4).unwrap();

    assert_eq!(serial, with_pool);
    for (serial_task, pool_task) in serial_tasks.iter().zip(&pool_tasks) {
        assert_eq!(
            fs::read(&serial_task.output).unwrap(),
            fs::read(&pool_task.output).unwrap(),
            "{} differs",
            pool_task.output.display()
        );
    }
}

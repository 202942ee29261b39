//! A field whose formatting emits a record of its own. Whether tracing dispatches such a
//! nested record depends on its version: tracing-core 0.1.30 (Debian's) drops it at the
//! dispatcher, later versions pass it on when the subscriber is the global default. Either
//! way the layer must neither deadlock nor write a broken line. In its own test binary
//! because it installs the process's global subscriber.

use std::io::{self, Write};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio_wakes_collector::WakeRecordLayer;
use tracing_subscriber::prelude::*;

#[derive(Clone, Default)]
struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Emits a tracing event of its own while being formatted.
struct Chatty;

impl std::fmt::Debug for Chatty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        tracing::info!(inner = true, "from inside a field");
        f.write_str("chatty")
    }
}

#[test]
fn a_field_that_emits_records_while_formatted_neither_deadlocks_nor_loses_them() {
    let buf = SharedBuf::default();
    let layer = WakeRecordLayer::writer(buf.clone())
        .source("reentrant")
        .build()
        .unwrap();
    let handle = layer.handle();
    tracing_subscriber::registry().with(layer.filtered()).init();

    // On a thread of its own, so that a deadlock fails the test instead of hanging it.
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        tracing::info!(value = ?Chatty, "outer");
        done_tx.send(()).unwrap();
    });
    done_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("emitting the outer event never returned");

    handle.flush();
    let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let outer = records.last().expect("the outer event");
    assert_eq!(outer["fields"]["value"], "chatty", "{text}");
    assert_eq!(outer["fields"]["message"], "outer", "{text}");
    match records.len() {
        1 => {}
        // Dispatched: the inner event is complete, and numbered before the outer one,
        // whose number is taken only once its fields are formatted.
        2 => {
            assert_eq!(records[0]["fields"]["inner"], true, "{text}");
            assert!(records[0]["seq"].as_u64() < outer["seq"].as_u64(), "{text}");
        }
        n => panic!("{n} records: {text}"),
    }
    assert_eq!(handle.dropped(), 0);
}

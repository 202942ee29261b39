use std::collections::BTreeSet;
use std::io::{self, Write};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tracing::dispatcher::{self, Dispatch};
use tracing::Level;
use tracing_subscriber::prelude::*;

use crate::{Builder, Handle, WakeRecordLayer};

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

impl SharedBuf {
    fn records(&self) -> Vec<Value> {
        let bytes = self.0.lock().unwrap().clone();
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

/// Runs `f` with the layer as the thread's subscriber and returns what it wrote.
fn capture(configure: impl FnOnce(Builder) -> Builder, f: impl FnOnce()) -> Vec<Value> {
    let buf = SharedBuf::default();
    let layer = configure(WakeRecordLayer::writer(buf.clone()).source("test-src"))
        .build()
        .unwrap();
    let handle = layer.handle();
    let dispatch = Dispatch::new(tracing_subscriber::registry().with(layer.filtered()));
    dispatcher::with_default(&dispatch, f);
    handle.flush();
    assert_eq!(handle.dropped(), 0);
    buf.records()
}

fn keys(r: &Value) -> BTreeSet<&str> {
    r.as_object().unwrap().keys().map(String::as_str).collect()
}

fn set(keys: &[&'static str]) -> BTreeSet<&'static str> {
    keys.iter().copied().collect()
}

fn of_type<'a>(records: &'a [Value], t: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["type"] == t).collect()
}

fn task_span(name: &str, task_id: u64) -> tracing::Span {
    tracing::trace_span!(target: "tokio::task", "runtime.spawn",
        kind = %"task", task.name = %name, task.id = task_id, loc.file = "src/main.rs", loc.line = 12u32, loc.col = 5u32)
}

fn waker_event(op: &str, wakee: u64) {
    tracing::trace!(target: "tokio::task::waker", op = %op, task.id = wakee);
}

#[test]
fn records_have_the_v1_shape() {
    let records = capture(
        |b| b,
        || {
            let span = task_span("receiver", 3);
            let id = span.id().unwrap().into_u64();
            {
                let _entered = span.enter();
                waker_event("waker.wake_by_ref", id);
            }
            drop(span);
            waker_event("waker.wake", 99);
        },
    );

    let types: Vec<&str> = records
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "span_new",
            "span_enter",
            "event",
            "span_exit",
            "span_close",
            "event"
        ]
    );

    let span_keys = set(&[
        "seq",
        "source",
        "span_id",
        "thread.id",
        "thread.name",
        "ts_nanos",
        "type",
    ]);
    let new_keys = set(&[
        "fields",
        "level",
        "name",
        "parent_id",
        "seq",
        "source",
        "span_id",
        "target",
        "thread.id",
        "thread.name",
        "ts_nanos",
        "type",
    ]);
    let event_keys = set(&[
        "fields",
        "level",
        "name",
        "parent_id",
        "seq",
        "source",
        "target",
        "thread.id",
        "thread.name",
        "ts_nanos",
        "type",
    ]);
    for r in &records {
        let expected = match r["type"].as_str().unwrap() {
            "span_new" => &new_keys,
            "event" => &event_keys,
            _ => &span_keys,
        };
        assert_eq!(&keys(r), expected, "{r}");
        assert_eq!(r["source"], "test-src");
        assert!(r["ts_nanos"].is_u64());
        let thread_id = r["thread.id"].as_str().unwrap();
        assert!(
            thread_id.starts_with("ThreadId(") && thread_id.ends_with(')'),
            "{thread_id}"
        );
        assert_eq!(r["thread.name"], std::thread::current().name().unwrap());
    }

    let seqs: Vec<u64> = records.iter().map(|r| r["seq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert_eq!(seqs[0], 0);

    let new = &records[0];
    let span_id = new["span_id"].as_u64().unwrap();
    assert_eq!(new["name"], "runtime.spawn");
    assert_eq!(new["target"], "tokio::task");
    assert_eq!(new["level"], "TRACE");
    assert!(new["parent_id"].is_null());
    assert_eq!(new["fields"]["kind"], "task");
    assert_eq!(new["fields"]["task.name"], "receiver");
    assert!(new["fields"]["task.id"].is_u64());
    assert_eq!(new["fields"]["task.id"], 3);
    assert_eq!(new["fields"]["loc.file"], "src/main.rs");
    assert_eq!(new["fields"]["loc.line"], 12);
    for r in &records[1..5] {
        if r["type"] != "event" {
            assert_eq!(r["span_id"], span_id);
        }
    }

    let inside = &records[2];
    assert_eq!(inside["target"], "tokio::task::waker");
    assert_eq!(inside["parent_id"], span_id);
    assert_eq!(inside["fields"]["op"], "waker.wake_by_ref");
    assert_eq!(inside["fields"]["task.id"], span_id);
    assert!(inside["name"].as_str().unwrap().starts_with("event "));

    let root = &records[5];
    assert!(root["parent_id"].is_null());
    assert_eq!(root["fields"]["op"], "waker.wake");
    assert!(root["fields"]["task.id"].is_u64());
}

#[test]
fn field_values_keep_their_json_types() {
    let records = capture(
        |b| b.app_level(Level::DEBUG),
        || {
            let shown = "shown";
            tracing::debug!(neg = -3i64, big = u64::MAX, flag = true, ratio = 0.5, text = "plain",
            disp = %shown, dbg = ?Some(1), "hello {}", 7);
        },
    );
    assert_eq!(records.len(), 1);
    let f = &records[0]["fields"];
    assert_eq!(f["neg"], -3);
    assert_eq!(f["big"].as_u64(), Some(u64::MAX));
    assert_eq!(f["flag"], true);
    assert_eq!(f["ratio"], 0.5);
    assert_eq!(f["text"], "plain");
    assert_eq!(f["disp"], "shown");
    assert_eq!(f["dbg"], "Some(1)");
    assert_eq!(f["message"], "hello 7");
    assert_eq!(records[0]["level"], "DEBUG");
}

#[test]
fn unnamed_threads_have_an_empty_name() {
    let buf = SharedBuf::default();
    let layer = WakeRecordLayer::writer(buf.clone()).build().unwrap();
    let handle = layer.handle();
    let dispatch = Dispatch::new(tracing_subscriber::registry().with(layer.filtered()));
    std::thread::spawn(move || {
        dispatcher::with_default(&dispatch, || waker_event("waker.wake", 1));
    })
    .join()
    .unwrap();
    handle.flush();
    let records = buf.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["thread.name"], "");
    assert_ne!(
        records[0]["thread.id"],
        format!("{:?}", std::thread::current().id())
    );
    let source = records[0]["source"].as_str().unwrap();
    assert!(
        source.ends_with(&format!("-{}", std::process::id())),
        "{source}"
    );
}

#[test]
fn default_filter_keeps_tasks_wakers_and_app_records() {
    let records = capture(
        |b| b,
        || {
            let task = task_span("t", 1);
            let task_id = task.id().unwrap().into_u64();
            let _in_task = task.enter();
            let resource = tracing::trace_span!(target: "tokio::sync::oneshot", "runtime.resource", kind = "Sync");
            let _in_resource = resource.enter();
            tracing::trace!(target: "runtime::resource::state_update", permits = 1);
            waker_event("waker.clone", task_id);
            tracing::debug!("too verbose for the default app level");
            let user = tracing::info_span!("ping.round", round = 1);
            let _in_user = user.enter();
            tracing::info!("app");
            waker_event("waker.wake", task_id);
        },
    );
    let names: Vec<&str> = of_type(&records, "span_new")
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["runtime.spawn", "ping.round"]);
    let task_id = records[0]["span_id"].as_u64().unwrap();
    let user_id = of_type(&records, "span_new")[1]["span_id"]
        .as_u64()
        .unwrap();
    // The resource span in between is not written: the user span hangs off the task.
    assert_eq!(of_type(&records, "span_new")[1]["parent_id"], task_id);
    let events = of_type(&records, "event");
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(events[0]["fields"]["op"], "waker.clone");
    assert_eq!(events[0]["parent_id"], task_id);
    assert_eq!(events[1]["fields"]["message"], "app");
    assert_eq!(events[1]["parent_id"], user_id);
    assert_eq!(events[2]["parent_id"], user_id);
    // Only the written spans are entered, exited and closed.
    for t in ["span_enter", "span_exit", "span_close"] {
        let ids: BTreeSet<u64> = of_type(&records, t)
            .iter()
            .map(|r| r["span_id"].as_u64().unwrap())
            .collect();
        assert_eq!(ids, [task_id, user_id].into_iter().collect(), "{t}");
    }
}

#[test]
fn resources_keeps_resource_spans_new_and_close() {
    let records = capture(
        |b| b.resources(),
        || {
            let task = task_span("t", 1);
            let task_id = task.id().unwrap().into_u64();
            let _in_task = task.enter();
            let resource = tracing::trace_span!(target: "tokio::sync::oneshot", "runtime.resource", kind = "Sync");
            let _in_resource = resource.enter();
            tracing::trace!(target: "runtime::resource::state_update", permits = 1);
            waker_event("waker.clone", task_id);
            tracing::debug!("too verbose for the default app level");
            let user = tracing::info_span!("ping.round", round = 1);
            let _in_user = user.enter();
            tracing::info!("app");
            waker_event("waker.wake", task_id);
        },
    );
    let names: Vec<&str> = of_type(&records, "span_new")
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["runtime.spawn", "runtime.resource", "ping.round"]);
    let task_id = records[0]["span_id"].as_u64().unwrap();
    let resource_id = of_type(&records, "span_new")[1]["span_id"]
        .as_u64()
        .unwrap();
    let user_id = of_type(&records, "span_new")[2]["span_id"]
        .as_u64()
        .unwrap();
    assert_eq!(of_type(&records, "span_new")[1]["parent_id"], task_id);
    // The resource span is written: the clone inside it registers the task with it.
    assert_eq!(of_type(&records, "span_new")[2]["parent_id"], resource_id);
    let events = of_type(&records, "event");
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(events[0]["fields"]["op"], "waker.clone");
    assert_eq!(events[0]["parent_id"], resource_id);
    assert_eq!(events[1]["fields"]["message"], "app");
    assert_eq!(events[1]["parent_id"], user_id);
    assert_eq!(events[2]["parent_id"], user_id);
    // Written spans are closed; only task and user spans are entered and exited.
    for (t, spans) in [
        ("span_enter", vec![task_id, user_id]),
        ("span_exit", vec![task_id, user_id]),
        ("span_close", vec![task_id, resource_id, user_id]),
    ] {
        let ids: BTreeSet<u64> = of_type(&records, t)
            .iter()
            .map(|r| r["span_id"].as_u64().unwrap())
            .collect();
        assert_eq!(ids, spans.into_iter().collect(), "{t}");
    }
}

#[test]
fn all_keeps_everything() {
    let records = capture(
        |b| b.all(),
        || {
            let task = task_span("t", 1);
            let task_id = task.id().unwrap().into_u64();
            let _in_task = task.enter();
            let resource = tracing::trace_span!(target: "tokio::sync::oneshot", "runtime.resource", kind = "Sync");
            let _in_resource = resource.enter();
            tracing::trace!(target: "runtime::resource::state_update", permits = 1);
            waker_event("waker.clone", task_id);
        },
    );
    let news = of_type(&records, "span_new");
    assert_eq!(news.len(), 2);
    let resource_id = news[1]["span_id"].as_u64().unwrap();
    assert_eq!(news[1]["parent_id"], news[0]["span_id"]);
    let events = of_type(&records, "event");
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e["parent_id"] == resource_id));
}

#[test]
fn explicit_parents_and_span_records() {
    let records = capture(
        |b| b,
        || {
            let task = task_span("t", 1);
            let user = tracing::info_span!(parent: &task, "work", n = tracing::field::Empty);
            user.record("n", 5u64);
            tracing::info!(parent: &task, "explicit");
            tracing::info!(parent: None, "root");
        },
    );
    let news = of_type(&records, "span_new");
    assert_eq!(news[1]["parent_id"], news[0]["span_id"]);
    let rec = of_type(&records, "span_record");
    assert_eq!(rec.len(), 1);
    assert_eq!(
        keys(rec[0]),
        set(&[
            "fields",
            "seq",
            "source",
            "span_id",
            "thread.id",
            "thread.name",
            "ts_nanos",
            "type"
        ])
    );
    assert_eq!(rec[0]["span_id"], news[1]["span_id"]);
    assert_eq!(rec[0]["fields"]["n"], 5);
    let events = of_type(&records, "event");
    assert_eq!(events[0]["parent_id"], news[0]["span_id"]);
    assert!(events[1]["parent_id"].is_null());
}

#[test]
fn rotating_file_moves_full_files_aside() {
    let dir = std::env::temp_dir().join(format!("wake-rotate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("wakes.jsonl");
    let layer = WakeRecordLayer::rotating_file(&path, 2_000)
        .unwrap()
        .source("rot")
        .build()
        .unwrap();
    let handle = layer.handle();
    let dispatch = Dispatch::new(tracing_subscriber::registry().with(layer.filtered()));
    dispatcher::with_default(&dispatch, || {
        for i in 0..100u64 {
            waker_event("waker.wake", i);
        }
    });
    handle.flush();
    let current = std::fs::read_to_string(&path).unwrap();
    let rotated = std::fs::read_to_string(dir.join("wakes.jsonl.1")).unwrap();
    assert!(current.len() <= 2_000 && rotated.len() <= 2_000);
    let seqs: Vec<u64> = rotated
        .lines()
        .chain(current.lines())
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["seq"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1));
    assert_eq!(*seqs.last().unwrap(), 99);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Blocks its first write until released, to fill the queue behind it.
struct StuckWriter {
    stuck: Option<(mpsc::Sender<()>, mpsc::Receiver<()>)>,
    out: SharedBuf,
}

impl Write for StuckWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some((stuck, release)) = self.stuck.take() {
            stuck.send(()).unwrap();
            let _ = release.recv();
        }
        self.out.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_full_queue_drops_and_counts_instead_of_blocking() {
    let out = SharedBuf::default();
    let (stuck_tx, stuck_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel();
    let layer = WakeRecordLayer::writer(StuckWriter {
        stuck: Some((stuck_tx, release_rx)),
        out: out.clone(),
    })
    .capacity(4)
    .build()
    .unwrap();
    let handle: Handle = layer.handle();
    let dispatch = Dispatch::new(tracing_subscriber::registry().with(layer.filtered()));
    dispatcher::with_default(&dispatch, || {
        waker_event("waker.wake", 0);
        stuck_rx.recv().unwrap();
        for i in 1..=10u64 {
            waker_event("waker.wake", i);
        }
    });
    assert_eq!(handle.dropped(), 6);
    release_tx.send(()).unwrap();
    handle.flush();
    let seqs: Vec<u64> = out
        .records()
        .iter()
        .map(|r| r["seq"].as_u64().unwrap())
        .collect();
    // Dropped records leave gaps in seq.
    assert_eq!(seqs, [0, 1, 2, 3, 4]);
}

#[test]
fn records_of_concurrent_threads_come_out_in_seq_order_without_gaps() {
    const THREADS: u64 = 4;
    const EACH: u64 = 20_000;
    let buf = SharedBuf::default();
    // A small capacity makes the threads wake the writer often; none may be lost.
    let layer = WakeRecordLayer::writer(buf.clone())
        .app_level(Level::DEBUG)
        .capacity(EACH as usize)
        .build()
        .unwrap();
    let handle = layer.handle();
    let dispatch = Dispatch::new(tracing_subscriber::registry().with(layer.filtered()));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let dispatch = dispatch.clone();
            std::thread::spawn(move || {
                dispatcher::with_default(&dispatch, || {
                    for i in 0..EACH {
                        tracing::debug!(t, i);
                    }
                })
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    handle.flush();
    assert_eq!(handle.dropped(), 0);
    let records = buf.records();
    assert_eq!(records.len() as u64, THREADS * EACH);
    // The file is in seq order across threads, and seq has no gap.
    let seqs: Vec<u64> = records.iter().map(|r| r["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (0..THREADS * EACH).collect::<Vec<_>>());
    // Each thread's own records are in the order it emitted them.
    for t in 0..THREADS {
        let own: Vec<u64> = records
            .iter()
            .filter(|r| r["fields"]["t"] == t)
            .map(|r| r["fields"]["i"].as_u64().unwrap())
            .collect();
        assert_eq!(own, (0..EACH).collect::<Vec<_>>(), "thread {t}");
    }
    // The threads did run side by side: their records interleave.
    let switches = records
        .windows(2)
        .filter(|w| w[0]["thread.id"] != w[1]["thread.id"])
        .count();
    assert!(
        switches > THREADS as usize,
        "only {switches} switches between threads"
    );
}

#[test]
fn records_reach_the_output_without_a_flush() {
    let buf = SharedBuf::default();
    let layer = WakeRecordLayer::writer(buf.clone())
        .flush_interval(std::time::Duration::from_millis(5))
        .build()
        .unwrap();
    let _handle = layer.handle();
    let dispatch = Dispatch::new(tracing_subscriber::registry().with(layer.filtered()));
    dispatcher::with_default(&dispatch, || waker_event("waker.wake", 1));
    // Only the writer's own rounds can write it: nothing asks for a flush.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while buf.0.lock().unwrap().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "nothing written within 5 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert_eq!(buf.records().len(), 1);
}

#[test]
fn dropping_the_layer_writes_what_is_left() {
    let buf = SharedBuf::default();
    let layer = WakeRecordLayer::writer(buf.clone())
        .flush_interval(std::time::Duration::from_secs(3600))
        .build()
        .unwrap();
    let dispatch = Dispatch::new(tracing_subscriber::registry().with(layer.filtered()));
    dispatcher::with_default(&dispatch, || {
        for i in 0..10 {
            waker_event("waker.wake", i);
        }
    });
    // No handle, no flush: the last owner of the layer going away must write it all.
    drop(dispatch);
    assert_eq!(buf.records().len(), 10);
}

#[test]
fn full_buffers_drop_and_count_on_every_thread_and_leave_seq_gaps() {
    let out = SharedBuf::default();
    let (stuck_tx, stuck_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel();
    let layer = WakeRecordLayer::writer(StuckWriter {
        stuck: Some((stuck_tx, release_rx)),
        out: out.clone(),
    })
    .capacity(8)
    .build()
    .unwrap();
    let handle = layer.handle();
    let dispatch = Dispatch::new(tracing_subscriber::registry().with(layer.filtered()));
    dispatcher::with_default(&dispatch, || waker_event("waker.wake", 0));
    stuck_rx.recv().unwrap();
    // The writer is stuck: each thread keeps 8 records and drops the rest, without waiting.
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let dispatch = dispatch.clone();
            std::thread::spawn(move || {
                dispatcher::with_default(&dispatch, || {
                    for i in 0..20 {
                        waker_event("waker.wake", i);
                    }
                })
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(handle.dropped(), 3 * 12);
    release_tx.send(()).unwrap();
    handle.flush();
    let seqs: Vec<u64> = out
        .records()
        .iter()
        .map(|r| r["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs.len(), 1 + 3 * 8);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    // Every record emitted took a number, kept or not: the numbers missing from the
    // output are exactly the dropped records.
    let emitted = 1 + 3 * 20;
    assert!(seqs.iter().all(|&s| s < emitted), "{seqs:?}");
    assert_eq!(emitted - seqs.len() as u64, handle.dropped());
}

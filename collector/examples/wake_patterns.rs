//! Produces each kind of wake and the two anomalies the tokio-wakes job reports, in a
//! fixed order, and writes the trace to a file.
//!
//! Usage: wake_patterns TRACE_FILE [SOURCE]
//!
//! - `receiver`: SELF (wake_by_ref), TASK (from `sender-task`), EXTERNAL (from a std thread)
//! - `ticker`: RUNTIME (interval timer)
//! - `awaits-blocking`: BLOCKING (a `spawn_blocking` closure sends on a channel)
//! - `ext-only-consumer`: every wake from a std thread -> EXTERNAL_ONLY_WAKES
//! - `lost-waker`: drops its only waker and stays pending -> LOST_WAKER
//!
//! The sleeps order the steps so that each wake finds its task waiting.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_wakes_collector::WakeRecordLayer;
use tracing::Level;
use tracing_subscriber::prelude::*;

const STEP: Duration = Duration::from_millis(10);
const TICK: Duration = Duration::from_millis(10);
const TICKS: u32 = 20;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = match args.next() {
        Some(path) => path,
        None => {
            eprintln!("usage: wake_patterns TRACE_FILE [SOURCE]");
            std::process::exit(2);
        }
    };
    let source = args.next().unwrap_or_else(|| "collector-example".to_owned());

    // One run is one trace: a second run appended under the same source would reuse its span IDs.
    std::fs::File::create(&path).unwrap_or_else(|e| fail(&path, e));
    let layer = WakeRecordLayer::file(&path)
        .and_then(|b| b.source(source).app_level(Level::DEBUG).build())
        .unwrap_or_else(|e| fail(&path, e));
    let wakes = layer.handle();
    // Installed before the runtime exists, so the workers' own spans are recorded too.
    tracing_subscriber::registry().with(layer.filtered()).init();

    run();

    // The runtime is gone by now: its shutdown records are queued as well.
    wakes.flush();
    if wakes.dropped() > 0 || wakes.write_errors() > 0 {
        eprintln!("lost records: {} dropped, {} not written", wakes.dropped(), wakes.write_errors());
        std::process::exit(1);
    }
}

fn fail(path: &str, e: std::io::Error) -> ! {
    eprintln!("cannot write {path}: {e}");
    std::process::exit(1);
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn run() {
    // Runs through every other step, and past the lost waker's grace period.
    let ticker = spawn_named("ticker", async {
        let mut interval = tokio::time::interval(TICK);
        for _ in 0..TICKS {
            interval.tick().await;
        }
    });

    seed_cases().await;
    blocking_wake().await;
    external_only().await;

    // Never joined: nothing is left to wake it.
    drop(spawn_named("lost-waker", LoseWaker));
    tokio::time::sleep(Duration::from_millis(60)).await;

    ticker.await.unwrap();
    tracing::debug!("done; lost-waker is dropped with the runtime");
}

/// The seed post's program: self wake, wake from another task, wake from another thread.
async fn seed_cases() {
    let (tx, mut rx) = mpsc::channel(1);

    let receiver = spawn_named("receiver", async move {
        tracing::debug!("self-wake: wake from same task (async)");
        self_wake().await;
        while rx.recv().await.is_some() {
            tracing::debug!("received message");
        }
        tracing::debug!("received None");
    });

    tokio::time::sleep(STEP).await;
    let task_tx = tx.clone();
    spawn_named("sender-task", async move {
        tracing::debug!("wake from another task (async)");
        task_tx.send(()).await.unwrap();
    })
    .await
    .unwrap();

    let thread_tx = tx.clone();
    std::thread::spawn(move || {
        std::thread::sleep(STEP);
        tracing::debug!("wake from another thread (non-async)");
        thread_tx.try_send(()).unwrap();
    })
    .join()
    .unwrap();

    drop(tx);
    receiver.await.unwrap();
}

/// A `spawn_blocking` closure wakes a task through a channel.
async fn blocking_wake() {
    let (tx, mut rx) = mpsc::channel(1);
    spawn_named("awaits-blocking", async move {
        let blocking = tokio::task::spawn_blocking(move || {
            std::thread::sleep(STEP);
            tracing::debug!("wake from a blocking task");
            tx.try_send(42u32).unwrap();
        });
        let value = rx.recv().await;
        tracing::debug!(?value, "received from blocking task");
        blocking.await.unwrap();
    })
    .await
    .unwrap();
}

/// A task fed only by a std thread: each of its wakes comes from outside the runtime.
async fn external_only() {
    let (tx, mut rx) = mpsc::channel(8);
    let consumer = spawn_named("ext-only-consumer", async move {
        let mut received = 0u32;
        while let Some(n) = rx.recv().await {
            received += 1;
            tracing::debug!(n, "received from the feeder thread");
        }
        tracing::debug!(received, "feeder closed the channel");
    });
    let feeder = std::thread::spawn(move || {
        for n in 0..3u32 {
            std::thread::sleep(STEP);
            tx.try_send(n).unwrap();
        }
        // Closing the channel is the fourth external wake.
        std::thread::sleep(STEP);
        drop(tx);
    });
    consumer.await.unwrap();
    feeder.join().unwrap();
}

/// Clones its waker, drops the clone and stays pending: nothing can wake it again.
struct LoseWaker;

impl Future for LoseWaker {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let waker = cx.waker().clone();
        drop(waker);
        Poll::Pending
    }
}

#[track_caller]
fn spawn_named<F>(name: &str, future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::task::Builder::new()
        .name(name)
        .spawn(future)
        .unwrap_or_else(|e| panic!("spawning task '{name}' failed: {e}"))
}

fn self_wake() -> impl Future<Output = ()> {
    struct SelfWake {
        yielded: bool,
    }

    impl Future for SelfWake {
        type Output = ();

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.yielded {
                return Poll::Ready(());
            }
            self.yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    SelfWake { yielded: false }
}

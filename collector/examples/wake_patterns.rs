//! Produces each kind of wake and the two anomalies the tokio-wakes job reports, in a
//! fixed order, and writes the trace to a file.
//!
//! Usage: wake_patterns TRACE_FILE [SOURCE]
//!
//! - `receiver`: SELF (wake_by_ref), TASK (from `sender-task`), EXTERNAL (from a std thread)
//! - `ticker`: RUNTIME (interval timer), waiting on its interval's timer `Sleep`
//! - `awaits-blocking`: BLOCKING (a `spawn_blocking` closure sends on a channel)
//! - `ext-only-consumer`: every wake from a std thread -> EXTERNAL_ONLY_WAKES
//! - `lost-waker`: drops its only waker and stays pending -> LOST_WAKER
//!
//! Each step waits until the task to be woken has registered its waker and gone idle
//! (`SignalPending`), so every run shows the same wakes even on a loaded machine.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc as std_mpsc, Arc};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;
use tokio_wakes_collector::WakeRecordLayer;
use tracing::Level;
use tracing_subscriber::prelude::*;

const TICK: Duration = Duration::from_millis(10);
/// Well beyond the job's lost-waker grace period (5 ms of trace time).
const LOST_WAKER_WAIT: Duration = Duration::from_millis(60);

fn main() {
    let mut args = std::env::args().skip(1);
    let path = match args.next() {
        Some(path) => path,
        None => {
            eprintln!("usage: wake_patterns TRACE_FILE [SOURCE]");
            std::process::exit(2);
        }
    };
    let source = args
        .next()
        .unwrap_or_else(|| "collector-example".to_owned());

    // One run is one trace: a second run appended under the same source would reuse its span IDs.
    std::fs::File::create(&path).unwrap_or_else(|e| fail(&path, e));
    let layer = WakeRecordLayer::file(&path)
        // With Tokio's resource spans: the ticker's wakes name its interval's timer Sleep.
        .and_then(|b| b.source(source).app_level(Level::DEBUG).resources().build())
        .unwrap_or_else(|e| fail(&path, e));
    let wakes = layer.handle();
    // Installed before the runtime exists, so the workers' own spans are recorded too.
    tracing_subscriber::registry().with(layer.filtered()).init();

    run();

    // The runtime is gone by now: its shutdown records are queued as well.
    wakes.flush();
    if wakes.dropped() > 0 || wakes.write_errors() > 0 {
        eprintln!(
            "lost records: {} dropped, {} not written",
            wakes.dropped(),
            wakes.write_errors()
        );
        std::process::exit(1);
    }
}

fn fail(path: &str, e: std::io::Error) -> ! {
    eprintln!("cannot write {path}: {e}");
    std::process::exit(1);
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn run() {
    // Ticks through every other step and past the lost waker's grace period, so the
    // trace's clock keeps moving.
    let stop = Arc::new(AtomicBool::new(false));
    let ticking = stop.clone();
    let ticker = spawn_named("ticker", async move {
        let mut interval = tokio::time::interval(TICK);
        // Burst would catch up on late ticks by re-arming a past deadline, which fires
        // inside the poll: a self-wake instead of a timer wake.
        interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
        while !ticking.load(Ordering::Relaxed) {
            interval.tick().await;
        }
    });

    seed_cases().await;
    blocking_wake().await;
    external_only().await;

    let (pending_tx, pending_rx) = std_mpsc::channel();
    // Never joined: nothing is left to wake it.
    drop(spawn_named(
        "lost-waker",
        LoseWaker {
            pending: pending_tx,
        },
    ));
    wait_pending(&pending_rx);
    tokio::time::sleep(LOST_WAKER_WAIT).await;

    stop.store(true, Ordering::Relaxed);
    ticker.await.unwrap();
    tracing::debug!("done; lost-waker is dropped with the runtime");
}

/// The seed post's program: self wake, wake from another task, wake from another thread.
async fn seed_cases() {
    let (tx, mut rx) = mpsc::channel(1);
    let (pending_tx, pending_rx) = std_mpsc::channel();

    let receiver = spawn_named("receiver", async move {
        tracing::debug!("self-wake: wake from same task (async)");
        self_wake().await;
        while SignalPending::new(rx.recv(), &pending_tx).await.is_some() {
            tracing::debug!("received message");
        }
        tracing::debug!("received None");
    });

    wait_pending(&pending_rx);
    let task_tx = tx.clone();
    spawn_named("sender-task", async move {
        tracing::debug!("wake from another task (async)");
        task_tx.send(()).await.unwrap();
    })
    .await
    .unwrap();

    wait_pending(&pending_rx);
    let thread_tx = tx.clone();
    std::thread::spawn(move || {
        tracing::debug!("wake from another thread (non-async)");
        thread_tx.try_send(()).unwrap();
    })
    .join()
    .unwrap();

    // Closing the channel wakes the waiting receiver from main's block_on task.
    wait_pending(&pending_rx);
    drop(tx);
    receiver.await.unwrap();
}

/// A `spawn_blocking` closure wakes a task through a channel.
async fn blocking_wake() {
    let (tx, mut rx) = mpsc::channel(1);
    let (pending_tx, pending_rx) = std_mpsc::channel();
    spawn_named("awaits-blocking", async move {
        let blocking = tokio::task::spawn_blocking(move || {
            wait_pending(&pending_rx);
            tracing::debug!("wake from a blocking task");
            tx.try_send(42u32).unwrap();
            // Return only once the task awaits this JoinHandle: completing then wakes it
            // from the blocking thread outside any task span (a RUNTIME wake).
            wait_pending(&pending_rx);
        });
        let value = SignalPending::new(rx.recv(), &pending_tx).await;
        tracing::debug!(?value, "received from blocking task");
        SignalPending::new(blocking, &pending_tx).await.unwrap();
    })
    .await
    .unwrap();
}

/// A task fed only by a std thread: each of its wakes comes from outside the runtime.
async fn external_only() {
    let (tx, mut rx) = mpsc::channel(8);
    let (pending_tx, pending_rx) = std_mpsc::channel();
    let consumer = spawn_named("ext-only-consumer", async move {
        let mut received = 0u32;
        while let Some(n) = SignalPending::new(rx.recv(), &pending_tx).await {
            received += 1;
            tracing::debug!(n, "received from the feeder thread");
        }
        tracing::debug!(received, "feeder closed the channel");
    });
    let feeder = std::thread::spawn(move || {
        for n in 0..3u32 {
            wait_pending(&pending_rx);
            tx.try_send(n).unwrap();
        }
        // Closing the channel is the fourth external wake.
        wait_pending(&pending_rx);
        drop(tx);
    });
    consumer.await.unwrap();
    feeder.join().unwrap();
}

/// Reports each `Poll::Pending` of the wrapped future, i.e. each time the task has
/// registered its waker and is about to go idle. A std channel, so that reporting wakes
/// no task itself.
struct SignalPending<F> {
    inner: Pin<Box<F>>,
    pending: std_mpsc::Sender<()>,
}

impl<F: Future> SignalPending<F> {
    fn new(inner: F, pending: &std_mpsc::Sender<()>) -> Self {
        SignalPending {
            inner: Box::pin(inner),
            pending: pending.clone(),
        }
    }
}

impl<F: Future> Future for SignalPending<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let poll = self.inner.as_mut().poll(cx);
        if poll.is_pending() {
            let _ = self.pending.send(());
        }
        poll
    }
}

/// Blocks the calling thread (never a worker) until the watched task went pending.
fn wait_pending(pending: &std_mpsc::Receiver<()>) {
    pending
        .recv_timeout(Duration::from_secs(10))
        .expect("the watched task never went pending");
}

/// Clones its waker, drops the clone and stays pending: nothing can wake it again.
struct LoseWaker {
    pending: std_mpsc::Sender<()>,
}

impl Future for LoseWaker {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let waker = cx.waker().clone();
        drop(waker);
        let _ = self.pending.send(());
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

//! A [`tracing_subscriber::Layer`] that writes Tokio's task spans and waker events as
//! *trace record v1* JSON lines, the input of the tokio-wakes Kafka Streams job.
//!
//! ```no_run
//! use tokio_wakes_collector::WakeRecordLayer;
//! use tracing_subscriber::prelude::*;
//!
//! # fn main() -> std::io::Result<()> {
//! let layer = WakeRecordLayer::file("/var/log/my-service/wakes.jsonl")?
//!     .source("my-service")
//!     .build()?;
//! let wakes = layer.handle(); // flushes the trace when dropped
//! tracing_subscriber::registry().with(layer.filtered()).init();
//! // ... build the Tokio runtime *after* this, so its worker spans are recorded ...
//! # drop(wakes);
//! # Ok(())
//! # }
//! ```
//!
//! One record is written per tracing callback (`span_new`, `span_enter`, `span_exit`,
//! `span_close`, `span_record`, `event`). Records are handed to a background writer
//! thread through a bounded channel: when the channel is full the record is dropped and
//! counted ([`Handle::dropped`]) instead of blocking the runtime's threads. A dropped
//! record still consumed its `seq`, so gaps in `seq` show where records were lost.

mod filter;
mod record;
mod writer;

pub use filter::WakeFilter;

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use tracing_core::span::{Attributes, Id, Record as SpanValues};
use tracing_core::{Event, Level, Subscriber};
use tracing_subscriber::filter::Filtered;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

use record::{FieldVisitor, Fields, Kind, Record, ThreadInfo};
use writer::{Msg, Sink};

/// Records queued for the writer thread before new ones are dropped.
pub const DEFAULT_CAPACITY: usize = 64 * 1024;

/// Writes trace record v1 lines for the spans and events it is given.
///
/// Used as is, it writes everything it sees. [`WakeRecordLayer::filtered`] wraps it in its
/// [`WakeFilter`] (a per-layer filter, so other layers are not affected), which keeps only
/// what the wake analysis needs; that is the intended way to install it.
pub struct WakeRecordLayer {
    shared: Arc<Shared>,
    filter: WakeFilter,
}

/// Configures a [`WakeRecordLayer`]; made by [`WakeRecordLayer::stdout`],
/// [`WakeRecordLayer::file`], [`WakeRecordLayer::rotating_file`] or [`WakeRecordLayer::writer`].
pub struct Builder {
    sink: Sink,
    source: Option<String>,
    filter: WakeFilter,
    capacity: usize,
}

/// Flushes and inspects a layer's output after the layer itself was handed to the
/// subscriber. Dropping a handle flushes: keep one alive until the end of `main`, since a
/// global subscriber (and so the layer) is never dropped.
pub struct Handle {
    shared: Arc<Shared>,
}

struct Shared {
    /// One lock both numbers a record and queues it, so the file is in `seq` order.
    queue: Mutex<Queue>,
    dropped: AtomicU64,
    stats: Arc<writer::Stats>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

struct Queue {
    next_seq: u64,
    tx: Option<SyncSender<Msg>>,
}

impl WakeRecordLayer {
    /// Writes to standard output.
    pub fn stdout() -> Builder {
        Builder::new(Sink::plain(io::stdout()))
    }

    /// Appends to the file at `path`, creating it if needed.
    pub fn file(path: impl Into<PathBuf>) -> io::Result<Builder> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path.into())?;
        Ok(Builder::new(Sink::plain(file)))
    }

    /// Appends to the file at `path`; once it would grow beyond `max_bytes` it is renamed
    /// to `<path>.1` (replacing an older one) and a new file is started.
    pub fn rotating_file(path: impl Into<PathBuf>, max_bytes: u64) -> io::Result<Builder> {
        Ok(Builder::new(Sink::rotating(path.into(), max_bytes)?))
    }

    /// Writes to any writer; it is buffered and used only by the writer thread.
    pub fn writer<W: Write + Send + 'static>(writer: W) -> Builder {
        Builder::new(Sink::plain(writer))
    }

    /// A handle to flush the output and read its counters.
    pub fn handle(&self) -> Handle {
        Handle {
            shared: self.shared.clone(),
        }
    }

    /// This layer behind its [`WakeFilter`], ready for `registry().with(..)`.
    pub fn filtered<S>(self) -> Filtered<Self, WakeFilter, S>
    where
        S: Subscriber + for<'a> LookupSpan<'a>,
    {
        let filter = self.filter;
        self.with_filter(filter)
    }

    /// The filter [`WakeRecordLayer::filtered`] applies.
    pub fn wake_filter(&self) -> WakeFilter {
        self.filter
    }

    fn emit(
        &self,
        kind: Kind,
        span_id: Option<u64>,
        parent_id: Option<Option<u64>>,
        meta: Option<&'static tracing_core::Metadata<'static>>,
        fields: Option<Fields>,
    ) {
        let thread = ThreadInfo::current();
        let mut queue = self.shared.lock_queue();
        let seq = queue.next_seq;
        queue.next_seq += 1;
        let record = Record {
            kind,
            seq,
            ts_nanos: now_nanos(),
            thread,
            span_id,
            parent_id,
            meta,
            fields,
        };
        let sent = match &queue.tx {
            Some(tx) => match tx.try_send(Msg::Record(record)) {
                Ok(()) => true,
                Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => false,
            },
            None => false,
        };
        drop(queue);
        if !sent {
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Builder {
    fn new(sink: Sink) -> Self {
        Builder {
            sink,
            source: None,
            filter: WakeFilter::default(),
            capacity: DEFAULT_CAPACITY,
        }
    }

    /// The `source` of every record; default `"<binary name>-<pid>"`. Span IDs are unique
    /// only within one source, so two processes must not share a name.
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Keep every span and event ([`WakeFilter::all`]), e.g. to record a full trace.
    pub fn all(mut self) -> Self {
        self.filter = WakeFilter::all();
        self
    }

    /// The least severe level of application spans and events to keep (default `INFO`);
    /// see [`WakeFilter`].
    pub fn app_level(mut self, level: Level) -> Self {
        self.filter = self.filter.with_app_level(level);
        self
    }

    /// Use this filter instead.
    pub fn filter(mut self, filter: WakeFilter) -> Self {
        self.filter = filter;
        self
    }

    /// How many records may wait for the writer thread before new ones are dropped.
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity.max(1);
        self
    }

    /// Starts the writer thread.
    pub fn build(self) -> io::Result<WakeRecordLayer> {
        let source = self.source.unwrap_or_else(default_source);
        let (tx, rx) = mpsc::sync_channel(self.capacity);
        let stats = Arc::new(writer::Stats::default());
        let thread = writer::spawn(rx, self.sink, source, stats.clone())?;
        let shared = Shared {
            queue: Mutex::new(Queue {
                next_seq: 0,
                tx: Some(tx),
            }),
            dropped: AtomicU64::new(0),
            stats,
            thread: Mutex::new(Some(thread)),
        };
        Ok(WakeRecordLayer {
            shared: Arc::new(shared),
            filter: self.filter,
        })
    }
}

impl Handle {
    /// Waits until every record queued so far is written and the writer flushed.
    pub fn flush(&self) {
        self.shared.flush();
    }

    /// Records dropped because the queue was full (or the writer thread was gone).
    pub fn dropped(&self) -> u64 {
        self.shared.dropped.load(Ordering::Relaxed)
    }

    /// Records the writer could not write (I/O errors).
    pub fn write_errors(&self) -> u64 {
        self.shared.stats.write_errors.load(Ordering::Relaxed)
    }

    /// Records written so far.
    pub fn written(&self) -> u64 {
        self.shared.stats.written.load(Ordering::Relaxed)
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.shared.flush();
    }
}

impl Shared {
    fn lock_queue(&self) -> MutexGuard<'_, Queue> {
        // A panic while holding the lock cannot leave the queue half-updated.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn flush(&self) {
        let tx = match &self.lock_queue().tx {
            Some(tx) => tx.clone(),
            None => return,
        };
        let (ack_tx, ack_rx) = mpsc::channel();
        // Blocking here is fine: flushing is the caller's explicit wish.
        if tx.send(Msg::Flush(ack_tx)).is_ok() {
            let _ = ack_rx.recv();
        }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // Closing the channel makes the writer drain, flush and exit.
        self.lock_queue().tx = None;
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

impl<S> Layer<S> for WakeRecordLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let parent = if attrs.is_root() {
            None
        } else if attrs.is_contextual() {
            // The innermost entered span on this thread that this layer writes.
            ctx.lookup_current().map(|span| span.id().into_u64())
        } else {
            // An explicit parent, or its nearest ancestor this layer writes.
            ctx.span(id)
                .and_then(|span| span.parent())
                .map(|p| p.id().into_u64())
        };
        let mut fields = Fields::new();
        attrs.record(&mut FieldVisitor(&mut fields));
        self.emit(
            Kind::SpanNew,
            Some(id.into_u64()),
            Some(parent),
            Some(attrs.metadata()),
            Some(fields),
        );
    }

    fn on_record(&self, id: &Id, values: &SpanValues<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::new();
        values.record(&mut FieldVisitor(&mut fields));
        self.emit(
            Kind::SpanRecord,
            Some(id.into_u64()),
            None,
            None,
            Some(fields),
        );
    }

    fn on_enter(&self, id: &Id, _ctx: Context<'_, S>) {
        self.emit(Kind::SpanEnter, Some(id.into_u64()), None, None, None);
    }

    fn on_exit(&self, id: &Id, _ctx: Context<'_, S>) {
        self.emit(Kind::SpanExit, Some(id.into_u64()), None, None, None);
    }

    fn on_close(&self, id: Id, _ctx: Context<'_, S>) {
        self.emit(Kind::SpanClose, Some(id.into_u64()), None, None, None);
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let parent = if event.is_root() {
            None
        } else if event.is_contextual() {
            ctx.lookup_current().map(|span| span.id().into_u64())
        } else {
            // The filtered context cannot see past an explicit parent this layer does not
            // write, so such an event names that parent as it is.
            event.parent().map(Id::into_u64)
        };
        let mut fields = Fields::new();
        event.record(&mut FieldVisitor(&mut fields));
        self.emit(
            Kind::Event,
            None,
            Some(parent),
            Some(event.metadata()),
            Some(fields),
        );
    }
}

fn now_nanos() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

fn default_source() -> String {
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "unknown".to_owned());
    format!("{}-{}", binary, std::process::id())
}

#[cfg(test)]
mod tests;

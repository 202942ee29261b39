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
//! `span_close`, `span_record`, `event`). Each thread stores its records in a buffer of its
//! own, which a background writer thread sweeps into the output every few milliseconds,
//! turning them into JSON lines in `seq` order across threads; no lock is shared by all
//! threads on a record's way. When a thread's buffer is full (the writer cannot keep up) the record is
//! dropped and counted ([`Handle::dropped`]) instead of blocking the runtime's threads. A
//! dropped record still consumed its `seq`, so gaps in `seq` show where records were lost.

mod buffer;
mod filter;
mod record;
mod writer;

pub use filter::WakeFilter;

use std::cell::Cell;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tracing_core::field::Visit;
use tracing_core::span::{Attributes, Id, Record as SpanValues};
use tracing_core::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::filter::Filtered;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

use buffer::Buffers;
use record::{Head, Kind};
use writer::{Sink, Writer};

/// Records each thread may hold for the writer thread before its new ones are dropped.
pub const DEFAULT_CAPACITY: usize = 64 * 1024;

/// How often the writer thread writes what the threads have buffered, when none of them
/// fills up sooner.
pub const DEFAULT_FLUSH_INTERVAL: Duration = Duration::from_millis(10);

/// Writes trace record v1 lines for the spans and events it is given.
///
/// Used as is, it writes everything it sees but the enters and exits of Tokio's resource
/// spans (unless its filter is [`WakeFilter::all`]). [`WakeRecordLayer::filtered`] wraps it
/// in its [`WakeFilter`] (a per-layer filter, so other layers are not affected), which keeps
/// only what the wake analysis needs; that is the intended way to install it.
pub struct WakeRecordLayer {
    writer: Arc<Writer>,
    filter: WakeFilter,
}

/// Configures a [`WakeRecordLayer`]; made by [`WakeRecordLayer::stdout`],
/// [`WakeRecordLayer::file`], [`WakeRecordLayer::rotating_file`] or [`WakeRecordLayer::writer`].
pub struct Builder {
    sink: Sink,
    source: Option<String>,
    filter: WakeFilter,
    capacity: usize,
    flush_interval: Duration,
}

/// Flushes and inspects a layer's output after the layer itself was handed to the
/// subscriber. Dropping a handle flushes: keep one alive until the end of `main`, since a
/// global subscriber (and so the layer) is never dropped.
pub struct Handle {
    writer: Arc<Writer>,
}

impl WakeRecordLayer {
    /// Writes to standard output.
    pub fn stdout() -> Builder {
        Builder::new(Sink::plain(io::stdout()))
    }

    /// Appends to the file at `path`, creating it if needed.
    ///
    /// # Errors
    /// The file cannot be opened for appending.
    pub fn file(path: impl Into<PathBuf>) -> io::Result<Builder> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path.into())?;
        Ok(Builder::new(Sink::plain(file)))
    }

    /// Appends to the file at `path`; once it would grow beyond `max_bytes` it is renamed
    /// to `<path>.1` (replacing an older one) and a new file is started. A line is never
    /// split across the two.
    ///
    /// # Errors
    /// The file cannot be opened for appending or its size read.
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
            writer: self.writer.clone(),
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

    /// Whether an enter or exit of this span is written (see [`WakeFilter::writes_enter_exit`]).
    fn writes_enter_exit<S>(&self, id: &Id, ctx: &Context<'_, S>) -> bool
    where
        S: Subscriber + for<'a> LookupSpan<'a>,
    {
        ctx.metadata(id)
            .map_or(true, |meta| self.filter.writes_enter_exit(meta))
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
        meta: Option<&'static Metadata<'static>>,
    ) {
        self.writer.append(&Head {
            kind,
            span_id,
            parent_id,
            meta,
            fields: None,
        });
    }

    fn emit_with_fields(
        &self,
        kind: Kind,
        span_id: Option<u64>,
        parent_id: Option<Option<u64>>,
        meta: Option<&'static Metadata<'static>>,
        record: impl FnOnce(&mut dyn Visit),
    ) {
        thread_local! {
            static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
        }
        // The fields are encoded before the record is appended: that runs the values' own
        // formatting code, which may itself emit tracing records. Taken out of the cell, the
        // scratch buffer is never in use twice.
        let mut fields = SCRATCH.try_with(Cell::take).unwrap_or_default();
        record::encode_fields(&mut fields, record);
        self.writer.append(&Head {
            kind,
            span_id,
            parent_id,
            meta,
            fields: Some(&fields),
        });
        // A rare huge record does not keep its memory for the thread's lifetime.
        if fields.capacity() <= 64 * 1024 {
            let _ = SCRATCH.try_with(|cell| cell.set(fields));
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
            flush_interval: DEFAULT_FLUSH_INTERVAL,
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

    /// Also keep Tokio's resource spans, their creation and close only
    /// ([`WakeFilter::with_resources`]): the job then names what each woken task waited on.
    pub fn resources(mut self) -> Self {
        self.filter = self.filter.with_resources();
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

    /// How many records each thread may hold for the writer thread before its new ones
    /// are dropped (at least 1; default [`DEFAULT_CAPACITY`]). A thread's buffer grows only
    /// as far as the writer falls behind.
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity.max(1);
        self
    }

    /// How long records may wait in their thread's buffer before the writer thread writes
    /// them (default [`DEFAULT_FLUSH_INTERVAL`]); a thread with many records waiting wakes
    /// the writer sooner. The output is flushed after every such round that wrote
    /// something, so a follower of the file sees a record within about two intervals.
    pub fn flush_interval(mut self, interval: Duration) -> Self {
        self.flush_interval = interval;
        self
    }

    /// Starts the writer thread.
    ///
    /// # Errors
    /// The thread cannot be spawned.
    pub fn build(self) -> io::Result<WakeRecordLayer> {
        let source = self.source.unwrap_or_else(default_source);
        let buffers = Buffers::new(&source, self.capacity);
        let writer = Writer::start(buffers, self.sink, self.flush_interval)?;
        Ok(WakeRecordLayer {
            writer: Arc::new(writer),
            filter: self.filter,
        })
    }
}

impl Handle {
    /// Waits until every record emitted before the call is written and the output
    /// flushed. Blocks the calling thread (for a few milliseconds, or as long as the
    /// output takes to accept the data): call it at the end, not from a busy task.
    pub fn flush(&self) {
        self.writer.flush();
    }

    /// Records dropped because their thread's buffer was full (the writer thread could
    /// not keep up, or is gone).
    pub fn dropped(&self) -> u64 {
        self.writer.dropped()
    }

    /// Records the writer could not write (I/O errors).
    pub fn write_errors(&self) -> u64 {
        self.writer.write_errors()
    }

    /// Records written so far.
    pub fn written(&self) -> u64 {
        self.writer.written()
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.writer.flush();
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
        self.emit_with_fields(
            Kind::SpanNew,
            Some(id.into_u64()),
            Some(parent),
            Some(attrs.metadata()),
            |visitor| attrs.record(visitor),
        );
    }

    fn on_record(&self, id: &Id, values: &SpanValues<'_>, _ctx: Context<'_, S>) {
        self.emit_with_fields(
            Kind::SpanRecord,
            Some(id.into_u64()),
            None,
            None,
            |visitor| values.record(visitor),
        );
    }

    fn on_enter(&self, id: &Id, ctx: Context<'_, S>) {
        // Resources are entered on every poll of them: most of their traffic, not needed.
        if self.writes_enter_exit(id, &ctx) {
            self.emit(Kind::SpanEnter, Some(id.into_u64()), None, None);
        }
    }

    fn on_exit(&self, id: &Id, ctx: Context<'_, S>) {
        if self.writes_enter_exit(id, &ctx) {
            self.emit(Kind::SpanExit, Some(id.into_u64()), None, None);
        }
    }

    fn on_close(&self, id: Id, _ctx: Context<'_, S>) {
        self.emit(Kind::SpanClose, Some(id.into_u64()), None, None);
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
        self.emit_with_fields(
            Kind::Event,
            None,
            Some(parent),
            Some(event.metadata()),
            |visitor| event.record(visitor),
        );
    }
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

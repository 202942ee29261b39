//! The writer thread: sweeps the threads' buffers into the output and answers flushes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{JoinHandle, Thread};
use std::time::Duration;

use crate::buffer::{Buffers, Merger};
use crate::record::Head;

const BUFFER_BYTES: usize = 64 * 1024;

/// Where the lines go, through a 64 KiB buffer (written when full and after every sweep
/// that wrote something).
pub(crate) enum Sink {
    Plain(BufWriter<Box<dyn Write + Send>>),
    Rotating(Rotating),
}

pub(crate) struct Rotating {
    path: PathBuf,
    max_bytes: u64,
    file: BufWriter<File>,
    size: u64,
}

impl Sink {
    pub(crate) fn plain<W: Write + Send + 'static>(w: W) -> Sink {
        Sink::Plain(BufWriter::with_capacity(BUFFER_BYTES, Box::new(w)))
    }

    pub(crate) fn rotating(path: PathBuf, max_bytes: u64) -> io::Result<Sink> {
        let file = open_append(&path)?;
        let size = file.metadata()?.len();
        Ok(Sink::Rotating(Rotating {
            path,
            max_bytes: max_bytes.max(1),
            file: BufWriter::with_capacity(BUFFER_BYTES, file),
            size,
        }))
    }

    fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        match self {
            Sink::Plain(w) => w.write_all(line),
            Sink::Rotating(r) => r.write_line(line),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Rotating(r) => r.file.flush(),
        }
    }
}

impl Rotating {
    fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        // Rotate before the line so that no line is split across files.
        if self.size > 0 && self.size + line.len() as u64 > self.max_bytes {
            self.file.flush()?;
            let mut rotated = self.path.clone().into_os_string();
            rotated.push(".1");
            fs::rename(&self.path, rotated)?;
            self.file = BufWriter::with_capacity(BUFFER_BYTES, open_append(&self.path)?);
            self.size = 0;
        }
        self.file.write_all(line)?;
        self.size += line.len() as u64;
        Ok(())
    }
}

fn open_append(path: &PathBuf) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

/// The buffers, the writer thread that drains them, and its counters. Dropping it makes
/// the writer write what is left, flush and exit, and waits for that.
pub(crate) struct Writer {
    inner: Arc<Inner>,
    thread: Thread,
    join: Mutex<Option<JoinHandle<()>>>,
}

struct Inner {
    buffers: Buffers,
    written: AtomicU64,
    write_errors: AtomicU64,
    interval: Duration,
    control: Mutex<Control>,
    /// Signalled when a flush is done and when the writer thread exits.
    changed: Condvar,
}

#[derive(Default)]
struct Control {
    /// Flushes asked for, and the last one done (a count each).
    requested: u64,
    done: u64,
    stop: bool,
    exited: bool,
}

impl Inner {
    fn control(&self) -> MutexGuard<'_, Control> {
        self.control.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Writer {
    /// Starts the writer thread; it sweeps the buffers every `interval`, and sooner when a
    /// thread's buffer fills up or a flush is asked for.
    pub(crate) fn start(buffers: Buffers, sink: Sink, interval: Duration) -> io::Result<Writer> {
        let inner = Arc::new(Inner {
            buffers,
            written: AtomicU64::new(0),
            write_errors: AtomicU64::new(0),
            interval,
            control: Mutex::new(Control::default()),
            changed: Condvar::new(),
        });
        let for_thread = inner.clone();
        let join = std::thread::Builder::new()
            .name("wake-records".to_owned())
            .spawn(move || run(&for_thread, sink))?;
        Ok(Writer {
            inner,
            thread: join.thread().clone(),
            join: Mutex::new(Some(join)),
        })
    }

    /// Appends a record to the calling thread's buffer (or counts it dropped).
    pub(crate) fn append(&self, head: &Head<'_>) {
        if self.inner.buffers.append(head) {
            self.thread.unpark();
        }
    }

    /// Waits until every record appended before the call is written and the output
    /// flushed (or the writer thread is gone).
    pub(crate) fn flush(&self) {
        let mut control = self.inner.control();
        control.requested += 1;
        let target = control.requested;
        self.thread.unpark();
        while control.done < target && !control.exited {
            control = self
                .inner
                .changed
                .wait(control)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    pub(crate) fn dropped(&self) -> u64 {
        self.inner.buffers.dropped()
    }

    pub(crate) fn written(&self) -> u64 {
        self.inner.written.load(Ordering::Relaxed)
    }

    pub(crate) fn write_errors(&self) -> u64 {
        self.inner.write_errors.load(Ordering::Relaxed)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.inner.control().stop = true;
        self.thread.unpark();
        let join = self.join.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(join) = join {
            let _ = join.join();
        }
    }
}

fn run(inner: &Inner, mut sink: Sink) {
    /// Tells waiting flushes that the thread is gone, even if it panicked.
    struct Exit<'a>(&'a Inner);
    impl Drop for Exit<'_> {
        fn drop(&mut self) {
            self.0.control().exited = true;
            self.0.changed.notify_all();
        }
    }
    let _exit = Exit(inner);

    let mut merger = Merger::new();
    let mut done = 0;
    loop {
        // Read before the sweep: a flush asked for by now is covered by it.
        let (requested, stop) = {
            let control = inner.control();
            (control.requested, control.stop)
        };
        let mut errors = 0;
        let lines = merger.sweep(&inner.buffers, stop, |line| {
            if sink.write_line(line).is_err() {
                errors += 1;
            }
        });
        inner.written.fetch_add(lines - errors, Ordering::Relaxed);
        inner.write_errors.fetch_add(errors, Ordering::Relaxed);
        // Flushed after every sweep that wrote: a follower of the file sees records within
        // about two sweep intervals, and a busy service's writes are still batched.
        if lines > 0 || requested != done {
            let _ = sink.flush();
        }
        if requested != done {
            done = requested;
            inner.control().done = done;
            inner.changed.notify_all();
        }
        if stop {
            return;
        }
        std::thread::park_timeout(inner.interval);
    }
}

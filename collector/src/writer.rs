use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::record::Record;

pub(crate) enum Msg {
    Record(Record),
    Flush(Sender<()>),
}

#[derive(Default)]
pub(crate) struct Stats {
    pub written: AtomicU64,
    pub write_errors: AtomicU64,
}

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
        Sink::Plain(BufWriter::with_capacity(64 * 1024, Box::new(w)))
    }

    pub(crate) fn rotating(path: PathBuf, max_bytes: u64) -> io::Result<Sink> {
        let file = open_append(&path)?;
        let size = file.metadata()?.len();
        Ok(Sink::Rotating(Rotating {
            path,
            max_bytes: max_bytes.max(1),
            file: BufWriter::new(file),
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
            self.file = BufWriter::new(open_append(&self.path)?);
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

pub(crate) fn spawn(
    rx: Receiver<Msg>,
    sink: Sink,
    source: String,
    stats: Arc<Stats>,
) -> io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("wake-records".to_owned())
        .spawn(move || run(rx, sink, source, stats))
}

fn run(rx: Receiver<Msg>, mut sink: Sink, source: String, stats: Arc<Stats>) {
    let source_json = serde_json::to_string(&source).unwrap_or_else(|_| "\"\"".to_owned());
    let mut line = Vec::with_capacity(1024);
    let mut handle = |msg: Msg, sink: &mut Sink| match msg {
        Msg::Record(record) => {
            line.clear();
            record.write_line(&source_json, &mut line);
            match sink.write_line(&line) {
                Ok(()) => stats.written.fetch_add(1, Ordering::Relaxed),
                Err(_) => stats.write_errors.fetch_add(1, Ordering::Relaxed),
            };
        }
        Msg::Flush(ack) => {
            let _ = sink.flush();
            let _ = ack.send(());
        }
    };
    // Write what is queued, then flush whenever the queue runs empty: batches under
    // load, and a follower of the file sees records promptly when it is quiet.
    while let Ok(msg) = rx.recv() {
        handle(msg, &mut sink);
        loop {
            match rx.try_recv() {
                Ok(msg) => handle(msg, &mut sink),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    let _ = sink.flush();
                    return;
                }
            }
        }
        let _ = sink.flush();
    }
    let _ = sink.flush();
}

//! Per-thread record buffers, and the merge that writes them out in `seq` order.
//!
//! Each thread that emits records appends them to a buffer of its own, under a lock of its
//! own that only the writer thread ever contends for (to swap the buffer for an empty one,
//! taking no longer than a few pointer swaps). No lock is shared by all threads on the way
//! of a record: the one value all threads touch is the atomic `seq` counter. A thread
//! stores a record as numbers and its encoded fields ([`Stored`]); the writer thread
//! encodes the rest, so the threads being watched pay as little as possible.
//!
//! The writer sweeps all buffers from time to time. Every record numbered below the
//! counter's value at the start of a sweep is in a buffer by the time the sweep has locked
//! it (a thread takes its number and appends its record under its buffer's lock), so the
//! writer writes exactly those, merged by `seq`, and keeps the rest for the next sweep.
//! The output is therefore in `seq` order across threads, as if one lock had serialized
//! them, at the cost of holding the newest records back until the next sweep.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing_core::Metadata;

use crate::record::{self, Head, Stored};

/// Records a thread appends before it wakes the writer instead of letting it come on its
/// own schedule: bounds the buffers' size and keeps each batch in cache.
const WAKE_RECORDS: usize = 1024;

/// Emptied batches kept for reuse, and the largest kept (bytes).
const SPARES: usize = 16;
const SPARE_MAX_BYTES: usize = 4 << 20;

static NEXT_BUFFERS_ID: AtomicU64 = AtomicU64::new(0);

/// Records of one thread (or of the fallback), in `seq` order.
#[derive(Default)]
struct Batch {
    records: Vec<Stored>,
    /// The records' variable parts (see [`Stored::end`]).
    bytes: Vec<u8>,
}

impl Batch {
    fn clear(&mut self) {
        self.records.clear();
        self.bytes.clear();
    }
}

struct ThreadBuffer {
    slot: Mutex<Slot>,
    /// The thread's [`record::origin_members`] for the layer's source; empty for the
    /// fallback, whose records carry their own.
    origin: Vec<u8>,
}

struct Slot {
    batch: Batch,
    /// The thread is gone: nothing more will be appended.
    exited: bool,
    /// The writer is gone: nothing more will be written.
    closed: bool,
}

impl ThreadBuffer {
    fn new(origin: Vec<u8>) -> Arc<ThreadBuffer> {
        Arc::new(ThreadBuffer {
            slot: Mutex::new(Slot {
                batch: Batch::default(),
                exited: false,
                closed: false,
            }),
            origin,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Slot> {
        // Nothing under this lock panics short of running out of memory; a poisoned lock
        // is taken over as it is.
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Keeps a value alone in its cache line(s): the `seq` counter changes with every record
/// of every thread, and must not drag the fields read next to it from core to core.
#[repr(align(128))]
struct CacheLine<T>(T);

/// What all threads of one layer share.
pub(crate) struct Buffers {
    /// Tells this layer's buffers apart from another layer's in a thread's list.
    id: u64,
    next_seq: CacheLine<AtomicU64>,
    /// Every buffer the writer sweeps: one per thread that has emitted records and not
    /// exited, and the fallback.
    threads: Mutex<Vec<Arc<ThreadBuffer>>>,
    /// For records of threads whose thread-locals are already destroyed (emitted while the
    /// thread exits): shared, but used only then.
    fallback: Arc<ThreadBuffer>,
    capacity: usize,
    wake_at: usize,
    dropped: AtomicU64,
    source: String,
}

/// What a thread keeps: its buffer of each layer.
struct Local {
    buffers: Vec<Entry>,
}

struct Entry {
    /// [`Buffers::id`] of the layer.
    layer: u64,
    buffer: Arc<ThreadBuffer>,
}

impl Drop for Local {
    fn drop(&mut self) {
        for entry in &self.buffers {
            entry.buffer.lock().exited = true;
        }
    }
}

thread_local! {
    static LOCAL: RefCell<Local> = const { RefCell::new(Local { buffers: Vec::new() }) };
}

/// The encoded [`record::callsite_members`] of the callsites written lately: a small
/// direct-mapped table keyed by the callsite's address (a callsite's metadata is a
/// `static`, so the address identifies it for the life of the process).
struct CallsiteCache {
    slots: Vec<(usize, Vec<u8>)>,
}

impl CallsiteCache {
    const BITS: u32 = 8;

    fn new() -> CallsiteCache {
        CallsiteCache {
            slots: (0..1 << Self::BITS).map(|_| (0, Vec::new())).collect(),
        }
    }

    fn get(&mut self, meta: &'static Metadata<'static>) -> &[u8] {
        let address = meta as *const Metadata<'static> as usize;
        // Fibonacci hashing: the top bits of the product spread nearby addresses apart.
        let index = (address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::BITS);
        let slot = &mut self.slots[index as usize];
        if slot.0 != address {
            slot.0 = address;
            slot.1.clear();
            record::callsite_members(meta, &mut slot.1);
        }
        &slot.1
    }
}

impl Buffers {
    /// Buffers for the records of `source`, at most `capacity` (at least 1) waiting per thread.
    pub(crate) fn new(source: &str, capacity: usize) -> Buffers {
        let capacity = capacity.max(1);
        let fallback = ThreadBuffer::new(Vec::new());
        Buffers {
            id: NEXT_BUFFERS_ID.fetch_add(1, Ordering::Relaxed),
            next_seq: CacheLine(AtomicU64::new(0)),
            threads: Mutex::new(vec![fallback.clone()]),
            fallback,
            capacity,
            wake_at: WAKE_RECORDS.min((capacity / 2).max(1)),
            dropped: AtomicU64::new(0),
            source: source.to_owned(),
        }
    }

    /// Numbers, stamps and appends one record to the calling thread's buffer, or drops and
    /// counts it when that buffer is full. Never waits for the writer, except for the few
    /// instructions of a swap. Returns true when the writer should be woken now.
    pub(crate) fn append(&self, head: &Head<'_>) -> bool {
        let appended = LOCAL.try_with(|local| {
            // Nothing below emits tracing records, so the cell is never borrowed twice;
            // should it be, the fallback takes the record.
            let mut local = local.try_borrow_mut().ok()?;
            let buffers = &mut local.buffers;
            let index = match buffers.iter().position(|entry| entry.layer == self.id) {
                Some(index) => index,
                None => self.register(buffers),
            };
            Some(self.append_to(&buffers[index].buffer, &[], head))
        });
        match appended {
            Ok(Some(wake)) => wake,
            _ => {
                let origin = record::origin_members(&self.source);
                self.append_to(&self.fallback, &origin, head)
            }
        }
    }

    /// A new buffer for the calling thread, known to the writer before its first record;
    /// returns its index in `buffers`.
    fn register(&self, buffers: &mut Vec<Entry>) -> usize {
        // Forget the buffers of layers that are gone.
        buffers.retain(|entry| !entry.buffer.lock().closed);
        let buffer = ThreadBuffer::new(record::origin_members(&self.source));
        self.lock_threads().push(buffer.clone());
        buffers.push(Entry {
            layer: self.id,
            buffer,
        });
        buffers.len() - 1
    }

    /// `origin`: the record's own origin members when `buffer` is not its thread's.
    fn append_to(&self, buffer: &ThreadBuffer, origin: &[u8], head: &Head<'_>) -> bool {
        let mut guard = buffer.lock();
        let slot = &mut *guard;
        // Taken under the buffer's lock: see the module's docs for why the output then
        // stays in seq order. Relaxed is enough: the lock orders it against the writer.
        let seq = self.next_seq.0.fetch_add(1, Ordering::Relaxed);
        let batch = &mut slot.batch;
        if batch.records.len() >= self.capacity || slot.closed {
            drop(guard);
            // The number is used up all the same: the gap in seq marks the loss.
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        let ts_nanos = now_nanos();
        batch.bytes.extend_from_slice(origin);
        if let Some(fields) = head.fields {
            batch.bytes.extend_from_slice(fields);
        }
        let end = batch.bytes.len();
        batch
            .records
            .push(Stored::new(head, seq, ts_nanos, origin.len(), end));
        batch.records.len() == self.wake_at
    }

    /// Records dropped because their thread's buffer was full.
    pub(crate) fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    fn lock_threads(&self) -> MutexGuard<'_, Vec<Arc<ThreadBuffer>>> {
        self.threads.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The writer's side: batches taken from the threads, not yet written through.
pub(crate) struct Merger {
    runs: Vec<Run>,
    spares: Vec<Batch>,
    heap: BinaryHeap<Reverse<(u64, usize)>>,
    callsites: CallsiteCache,
    line: Vec<u8>,
}

struct Run {
    batch: Batch,
    /// The thread the batch came from (for its origin members).
    thread: Arc<ThreadBuffer>,
    /// Index in `batch.records` of the next record to write.
    next: usize,
}

impl Run {
    fn head_seq(&self) -> Option<u64> {
        self.batch.records.get(self.next).map(|r| r.seq)
    }

    /// Encodes the next record into `line` (cleared first) and moves past it.
    fn take_line(&mut self, callsites: &mut CallsiteCache, line: &mut Vec<u8>) {
        let records = &self.batch.records;
        let record = &records[self.next];
        let start = match self.next {
            0 => 0,
            n => records[n - 1].end,
        };
        let bytes = &self.batch.bytes[start..record.end];
        let (origin, fields) = match record.origin_len as usize {
            0 => (&self.thread.origin[..], bytes),
            n => bytes.split_at(n),
        };
        let callsite = record.meta.map_or(&[][..], |meta| callsites.get(meta));
        line.clear();
        record.write_line(origin, callsite, fields, line);
        self.next += 1;
    }
}

impl Merger {
    pub(crate) fn new() -> Merger {
        Merger {
            runs: Vec::new(),
            spares: Vec::new(),
            heap: BinaryHeap::new(),
            callsites: CallsiteCache::new(),
            line: Vec::with_capacity(1024),
        }
    }

    /// Takes every thread's buffer and passes `write` each line numbered below the `seq`
    /// counter's value at the start, in `seq` order; later ones wait for the next sweep.
    /// With `last`, the buffers are closed for good. Returns the number of lines passed.
    pub(crate) fn sweep(
        &mut self,
        buffers: &Buffers,
        last: bool,
        mut write: impl FnMut(&[u8]),
    ) -> u64 {
        let below = buffers.next_seq.0.load(Ordering::SeqCst);
        {
            let mut threads = buffers.lock_threads();
            let spares = &mut self.spares;
            let runs = &mut self.runs;
            threads.retain(|buffer| {
                let mut slot = buffer.lock();
                if !slot.batch.records.is_empty() {
                    let empty = spares.pop().unwrap_or_default();
                    let batch = std::mem::replace(&mut slot.batch, empty);
                    runs.push(Run {
                        batch,
                        thread: buffer.clone(),
                        next: 0,
                    });
                }
                slot.closed |= last;
                // A thread marks its buffer exited under this lock as it ends, so what it
                // wrote is all in the batch just taken.
                !(slot.exited || slot.closed)
            });
        }

        let mut written = 0;
        let heap = &mut self.heap;
        heap.clear();
        for (i, run) in self.runs.iter().enumerate() {
            if let Some(seq) = run.head_seq() {
                if seq < below {
                    heap.push(Reverse((seq, i)));
                }
            }
        }
        while let Some(Reverse((_, i))) = heap.pop() {
            let run = &mut self.runs[i];
            // The run's records up to the next other run's head can go in one go.
            let limit = match heap.peek() {
                Some(Reverse((other, _))) => (*other).min(below),
                None => below,
            };
            loop {
                run.take_line(&mut self.callsites, &mut self.line);
                write(&self.line);
                written += 1;
                match run.head_seq() {
                    Some(seq) if seq < limit => continue,
                    Some(seq) if seq < below => {
                        heap.push(Reverse((seq, i)));
                        break;
                    }
                    _ => break,
                }
            }
        }

        // Runs written out are emptied and kept for the threads' next batches.
        let spares = &mut self.spares;
        self.runs.retain_mut(|run| {
            if run.next < run.batch.records.len() {
                return true;
            }
            let size = run.batch.bytes.capacity()
                + run.batch.records.capacity() * std::mem::size_of::<Stored>();
            if spares.len() < SPARES && size <= SPARE_MAX_BYTES {
                let mut batch = std::mem::take(&mut run.batch);
                batch.clear();
                spares.push(batch);
            }
            false
        });
        written
    }
}

/// Wall-clock time, nanoseconds since the Unix epoch (0 for a clock set before 1970).
fn now_nanos() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() * 1_000_000_000 + u64::from(d.subsec_nanos()))
        .unwrap_or(0)
}

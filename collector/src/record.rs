use std::fmt;
use std::io::Write;
use std::sync::Arc;

use serde_json::{Map, Number, Value};
use tracing_core::field::{Field, Visit};
use tracing_core::Metadata;

pub(crate) type Fields = Map<String, Value>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    SpanNew,
    SpanEnter,
    SpanExit,
    SpanClose,
    SpanRecord,
    Event,
}

impl Kind {
    fn wire(self) -> &'static str {
        match self {
            Kind::SpanNew => "span_new",
            Kind::SpanEnter => "span_enter",
            Kind::SpanExit => "span_exit",
            Kind::SpanClose => "span_close",
            Kind::SpanRecord => "span_record",
            Kind::Event => "event",
        }
    }
}

/// The emitting thread, formatted once per thread.
pub(crate) struct ThreadInfo {
    id: String,
    name: String,
}

impl ThreadInfo {
    pub(crate) fn current() -> Arc<ThreadInfo> {
        thread_local! {
            static CURRENT: Arc<ThreadInfo> = Arc::new(ThreadInfo::new());
        }
        // During thread teardown the thread-local may already be gone.
        CURRENT
            .try_with(Arc::clone)
            .unwrap_or_else(|_| Arc::new(ThreadInfo::new()))
    }

    fn new() -> ThreadInfo {
        let thread = std::thread::current();
        ThreadInfo {
            id: format!("{:?}", thread.id()),
            name: thread.name().unwrap_or("").to_owned(),
        }
    }
}

/// One tracing callback, serialized later on the writer thread.
pub(crate) struct Record {
    pub kind: Kind,
    pub seq: u64,
    pub ts_nanos: u64,
    pub thread: Arc<ThreadInfo>,
    pub span_id: Option<u64>,
    /// `Some(None)` is a root (`null`); `None` leaves the key out.
    pub parent_id: Option<Option<u64>>,
    pub meta: Option<&'static Metadata<'static>>,
    pub fields: Option<Fields>,
}

impl Record {
    /// Appends the record as one JSON line. Keys are in the same (sorted) order as the
    /// reference fixtures.
    pub(crate) fn write_line(&self, source_json: &str, out: &mut Vec<u8>) {
        let mut obj = JsonObject::start(out);
        if let Some(fields) = &self.fields {
            obj.key("fields");
            let _ = serde_json::to_writer(&mut *obj.out, fields);
        }
        if let Some(meta) = self.meta {
            obj.key("level");
            obj.string(meta.level().as_str());
            obj.key("name");
            obj.string(meta.name());
        }
        if let Some(parent) = self.parent_id {
            obj.key("parent_id");
            match parent {
                Some(id) => obj.number(id),
                None => obj.out.extend_from_slice(b"null"),
            }
        }
        obj.key("seq");
        obj.number(self.seq);
        obj.key("source");
        obj.out.extend_from_slice(source_json.as_bytes());
        if let Some(id) = self.span_id {
            obj.key("span_id");
            obj.number(id);
        }
        if let Some(meta) = self.meta {
            obj.key("target");
            obj.string(meta.target());
        }
        obj.key("thread.id");
        obj.string(&self.thread.id);
        obj.key("thread.name");
        obj.string(&self.thread.name);
        obj.key("ts_nanos");
        obj.number(self.ts_nanos);
        obj.key("type");
        obj.string(self.kind.wire());
        obj.out.extend_from_slice(b"}\n");
    }
}

struct JsonObject<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> JsonObject<'a> {
    fn start(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        JsonObject { out, first: true }
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.string(key);
        self.out.push(b':');
    }

    fn string(&mut self, s: &str) {
        let _ = serde_json::to_writer(&mut *self.out, s);
    }

    fn number(&mut self, n: u64) {
        let _ = write!(self.out, "{}", n);
    }
}

/// Records field values with their JSON types: integers and booleans as such,
/// everything formatted (`%x`, `?x`, messages) as strings.
pub(crate) struct FieldVisitor<'a>(pub &'a mut Fields);

impl FieldVisitor<'_> {
    fn put(&mut self, field: &Field, value: Value) {
        self.0.insert(field.name().to_owned(), value);
    }
}

impl Visit for FieldVisitor<'_> {
    fn record_f64(&mut self, field: &Field, value: f64) {
        // JSON has no NaN or infinity.
        let value = Number::from_f64(value)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(value.to_string()));
        self.put(field, value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Value::from(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, Value::from(value));
    }

    fn record_i128(&mut self, field: &Field, value: i128) {
        let value = match i64::try_from(value) {
            Ok(v) => Value::from(v),
            Err(_) => match u64::try_from(value) {
                Ok(v) => Value::from(v),
                Err(_) => Value::String(value.to_string()),
            },
        };
        self.put(field, value);
    }

    fn record_u128(&mut self, field: &Field, value: u128) {
        let value = u64::try_from(value)
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(value.to_string()));
        self.put(field, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Value::Bool(value));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, Value::String(value.to_owned()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.put(field, Value::String(format!("{:?}", value)));
    }
}

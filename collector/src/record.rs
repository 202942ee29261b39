//! Trace record v1 lines, encoded straight into byte buffers: no intermediate map or
//! value tree, no allocation per record once the buffers have grown. Members are written
//! in a fixed order (JSON objects are unordered; readers look members up by name).

use std::fmt::{self, Write as _};

use tracing_core::field::{Field, Visit};
use tracing_core::Metadata;

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
    /// The start of a record of this kind, up to its `seq` value.
    fn opening(self) -> &'static [u8] {
        match self {
            Kind::SpanNew => b"{\"type\":\"span_new\",\"seq\":",
            Kind::SpanEnter => b"{\"type\":\"span_enter\",\"seq\":",
            Kind::SpanExit => b"{\"type\":\"span_exit\",\"seq\":",
            Kind::SpanClose => b"{\"type\":\"span_close\",\"seq\":",
            Kind::SpanRecord => b"{\"type\":\"span_record\",\"seq\":",
            Kind::Event => b"{\"type\":\"event\",\"seq\":",
        }
    }
}

/// One tracing callback, as the layer hands it over.
pub(crate) struct Head<'a> {
    pub kind: Kind,
    pub span_id: Option<u64>,
    /// `Some(None)` is a root (`null`); `None` leaves the key out.
    pub parent_id: Option<Option<u64>>,
    pub meta: Option<&'static Metadata<'static>>,
    /// The `fields` object, already encoded (see [`encode_fields`]).
    pub fields: Option<&'a [u8]>,
}

/// One record as its thread stores it for the writer: numbers and a reference to its
/// callsite, 56 bytes, plus its `fields` (and for some its origin) kept apart as bytes.
/// The writer thread turns it into JSON, so the thread that emitted it does not.
#[derive(Clone, Copy)]
pub(crate) struct Stored {
    pub seq: u64,
    pub ts_nanos: u64,
    /// 0 for none: tracing's span IDs are never 0.
    pub span_id: u64,
    pub parent_id: u64,
    pub meta: Option<&'static Metadata<'static>>,
    /// Where the record's bytes end in its batch. They start where the previous record's
    /// end: first `origin_len` bytes of its own origin members (for records not stored by
    /// their own thread), then its `fields` object if `has_fields`.
    pub end: usize,
    pub origin_len: u32,
    pub kind: Kind,
    pub parent: Parent,
    pub has_fields: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parent {
    /// No `parent_id` member.
    Absent,
    /// `"parent_id":null`.
    Root,
    /// `"parent_id":<Stored::parent_id>`.
    Span,
}

impl Stored {
    /// The record `head` becomes, numbered `seq` at `ts_nanos`, its bytes ending at `end`.
    pub(crate) fn new(
        head: &Head<'_>,
        seq: u64,
        ts_nanos: u64,
        origin_len: usize,
        end: usize,
    ) -> Stored {
        let (parent, parent_id) = match head.parent_id {
            None => (Parent::Absent, 0),
            Some(None) => (Parent::Root, 0),
            Some(Some(id)) => (Parent::Span, id),
        };
        Stored {
            seq,
            ts_nanos,
            span_id: head.span_id.unwrap_or(0),
            parent_id,
            meta: head.meta,
            end,
            origin_len: origin_len as u32,
            kind: head.kind,
            parent,
            has_fields: head.fields.is_some(),
        }
    }

    /// Appends the record as one JSON line:
    /// `{"type":…,"seq":…,"ts_nanos":…[,"span_id":…],<origin>[<callsite>][,"parent_id":…][,"fields":{…}]}`.
    /// `origin` is what [`origin_members`] encodes, `callsite` what [`callsite_members`]
    /// encodes for `self.meta` (empty without one), `fields` the encoded fields (ignored
    /// unless the record has them). The members that stay the same for a thread or a
    /// callsite are encoded once and copied in one piece.
    pub(crate) fn write_line(
        &self,
        origin: &[u8],
        callsite: &[u8],
        fields: &[u8],
        out: &mut Vec<u8>,
    ) {
        out.reserve(128 + origin.len() + callsite.len() + fields.len());
        out.extend_from_slice(self.kind.opening());
        push_u64(out, self.seq);
        out.extend_from_slice(b",\"ts_nanos\":");
        push_u64(out, self.ts_nanos);
        if self.span_id != 0 {
            out.extend_from_slice(b",\"span_id\":");
            push_u64(out, self.span_id);
        }
        out.extend_from_slice(origin);
        out.extend_from_slice(callsite);
        match self.parent {
            Parent::Absent => {}
            Parent::Root => out.extend_from_slice(b",\"parent_id\":null"),
            Parent::Span => {
                out.extend_from_slice(b",\"parent_id\":");
                push_u64(out, self.parent_id);
            }
        }
        if self.has_fields {
            out.extend_from_slice(b",\"fields\":");
            out.extend_from_slice(fields);
        }
        out.extend_from_slice(b"}\n");
    }
}

/// `,"source":"<source>","thread.id":"ThreadId(3)","thread.name":"<name>"` for the calling
/// thread (name `""` when it has none): what is the same in all its records of one layer.
pub(crate) fn origin_members(source: &str) -> Vec<u8> {
    let thread = std::thread::current();
    let mut out = b",\"source\":".to_vec();
    push_str(&mut out, source);
    out.extend_from_slice(b",\"thread.id\":");
    push_str(&mut out, &format!("{:?}", thread.id()));
    out.extend_from_slice(b",\"thread.name\":");
    push_str(&mut out, thread.name().unwrap_or(""));
    out
}

/// `,"level":"TRACE","name":"<name>","target":"<target>"`: what is the same in all records
/// of one callsite.
pub(crate) fn callsite_members(meta: &Metadata<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(b",\"level\":");
    push_str(out, meta.level().as_str());
    out.extend_from_slice(b",\"name\":");
    push_str(out, meta.name());
    out.extend_from_slice(b",\"target\":");
    push_str(out, meta.target());
}

/// Encodes the fields `record` visits as one JSON object into `out` (cleared first).
/// Integers and booleans keep their JSON types; everything formatted (`%x`, `?x`,
/// messages) becomes a string. Runs the values' own `Debug`/`Display` code, so it must not
/// be called while holding anything a tracing callback could need.
pub(crate) fn encode_fields(out: &mut Vec<u8>, record: impl FnOnce(&mut dyn Visit)) {
    out.clear();
    out.push(b'{');
    let mut visitor = FieldVisitor { out, first: true };
    record(&mut visitor);
    visitor.out.push(b'}');
}

struct FieldVisitor<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl FieldVisitor<'_> {
    fn key(&mut self, field: &Field) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        push_str(self.out, field.name());
        self.out.push(b':');
    }
}

impl Visit for FieldVisitor<'_> {
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.key(field);
        if value.is_finite() {
            // serde_json writes the shortest representation that reads back exactly.
            let _ = serde_json::to_writer(&mut *self.out, &value);
        } else {
            // JSON has no NaN or infinity.
            push_str(self.out, &value.to_string());
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.key(field);
        push_i64(self.out, value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.key(field);
        push_u64(self.out, value);
    }

    fn record_i128(&mut self, field: &Field, value: i128) {
        self.key(field);
        if let Ok(v) = i64::try_from(value) {
            push_i64(self.out, v);
        } else if let Ok(v) = u64::try_from(value) {
            push_u64(self.out, v);
        } else {
            push_str(self.out, &value.to_string());
        }
    }

    fn record_u128(&mut self, field: &Field, value: u128) {
        self.key(field);
        match u64::try_from(value) {
            Ok(v) => push_u64(self.out, v),
            Err(_) => push_str(self.out, &value.to_string()),
        }
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.key(field);
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.key(field);
        push_str(self.out, value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.key(field);
        self.out.push(b'"');
        // Formatted piece by piece straight into the buffer, escaped on the way.
        let _ = write!(Escaped(self.out), "{:?}", value);
        self.out.push(b'"');
    }
}

/// A `fmt::Write` that appends JSON-string-escaped text.
struct Escaped<'a>(&'a mut Vec<u8>);

impl fmt::Write for Escaped<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        push_escaped(self.0, s);
        Ok(())
    }
}

/// Appends `s` as a JSON string, quotes included.
pub(crate) fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    push_escaped(out, s);
    out.push(b'"');
}

fn push_escaped(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Nearly every string (levels, names, targets, keys, paths, ops) needs no escaping:
    // checked 8 bytes at a time and copied in one piece.
    if is_clean(bytes) {
        out.extend_from_slice(bytes);
        return;
    }
    let mut clean = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[clean..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        } else {
            out.extend_from_slice(escape);
        }
        clean = i + 1;
    }
    out.extend_from_slice(&bytes[clean..]);
}

/// Whether no byte of `bytes` needs escaping in a JSON string.
fn is_clean(bytes: &[u8]) -> bool {
    let word_at = |i: usize| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[i..i + 8]);
        u64::from_le_bytes(word)
    };
    if bytes.len() < 8 {
        return bytes.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\');
    }
    let mut i = 0;
    while i + 8 <= bytes.len() {
        if needs_escape(word_at(i)) {
            return false;
        }
        i += 8;
    }
    // The tail as the last eight bytes, overlapping bytes already checked.
    i == bytes.len() || !needs_escape(word_at(bytes.len() - 8))
}

/// Whether any byte of `word` is a control character, `"` or `\\` (exact, not a
/// heuristic: the classic "has zero byte" / "has byte less than" word tricks).
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS != 0;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0;
    below_space || has_zero(word ^ (ONES * b'"' as u64)) || has_zero(word ^ (ONES * b'\\' as u64))
}

/// Appends `n` in decimal. Runs three or four times per record, so it converts eight
/// digits at a time with a few multiplications instead of a division per digit.
pub(crate) fn push_u64(out: &mut Vec<u8>, n: u64) {
    const E8: u64 = 100_000_000;
    if n < E8 {
        push_leading(out, n as u32);
    } else if n < E8 * E8 {
        push_leading(out, (n / E8) as u32);
        push_eight(out, (n % E8) as u32);
    } else {
        let high = n / E8;
        push_leading(out, (high / E8) as u32);
        push_eight(out, (high % E8) as u32);
        push_eight(out, (n % E8) as u32);
    }
}

const ASCII_ZEROS: u64 = 0x3030_3030_3030_3030;

/// `x` (below 10^8) as exactly eight digits.
fn push_eight(out: &mut Vec<u8>, x: u32) {
    out.extend_from_slice(&(digits(x) + ASCII_ZEROS).to_le_bytes());
}

/// `x` (below 10^8) without leading zeros.
fn push_leading(out: &mut Vec<u8>, x: u32) {
    let digits = digits(x);
    // The first digit is the lowest byte: leading zeros are trailing zero bits.
    let zeros = (digits.trailing_zeros() / 8).min(7) as usize;
    let ascii = (digits + ASCII_ZEROS) >> (8 * zeros);
    let len = out.len();
    // A fixed 8-byte copy and a truncation are cheaper than a copy of variable length.
    out.extend_from_slice(&ascii.to_le_bytes());
    out.truncate(len + 8 - zeros);
}

/// The eight decimal digits of `x` (below 10^8) as byte values 0-9, most significant in
/// the lowest byte: split in 4-digit halves, each into 2-digit pairs, each into digits,
/// the lanes side by side in one word (multiplying by 10486 and shifting by 20 divides a
/// lane below 10^4 by 100; by 103 and 10, a lane below 100 by 10).
fn digits(x: u32) -> u64 {
    let halves = u64::from(x / 10_000) | (u64::from(x % 10_000) << 32);
    let hundreds = ((halves * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let pairs = (hundreds | ((halves - 100 * hundreds) << 16)) & 0x007f_007f_007f_007f;
    let tens = ((pairs * 103) >> 10) & 0x000f_000f_000f_000f;
    tens | ((pairs - 10 * tens) << 8)
}

fn push_i64(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    push_u64(out, n.unsigned_abs());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_record_is_as_small_as_documented() {
        assert!(std::mem::size_of::<Stored>() <= 56);
    }

    #[test]
    fn strings_are_escaped_as_json() {
        let nasty = "quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7} é ✓ \u{1f} and a long clean tail";
        let mut out = Vec::new();
        push_str(&mut out, nasty);
        let back: String = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, nasty);
    }

    #[test]
    fn every_byte_that_needs_escaping_is_found_next_to_any_other() {
        let escaped = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        // Every pair of byte values side by side at every position: the word tricks must
        // not be fooled by borrows between neighbouring bytes, nor by UTF-8 bytes >= 0x80.
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for pos in 0..7 {
                    let mut word = *b"abcdefgh";
                    word[pos] = a;
                    word[pos + 1] = b;
                    assert_eq!(
                        needs_escape(u64::from_le_bytes(word)),
                        escaped(a) || escaped(b),
                        "{a:#x} {b:#x} at {pos}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_byte_to_escape_is_found_at_any_position_of_any_length() {
        for len in 0..20 {
            let clean = "é".repeat(len / 2) + &"x".repeat(len % 2);
            let mut out = Vec::new();
            push_str(&mut out, &clean);
            assert_eq!(out, format!("\"{clean}\"").into_bytes());
            for pos in 0..len {
                for bad in ["\"", "\\", "\n", "\u{1}"] {
                    let mut chars: Vec<char> = "x".repeat(len).chars().collect();
                    chars[pos] = bad.chars().next().unwrap();
                    let s: String = chars.into_iter().collect();
                    let mut out = Vec::new();
                    push_str(&mut out, &s);
                    let back: String = serde_json::from_slice(&out).unwrap();
                    assert_eq!(back, s);
                }
            }
        }
    }

    #[test]
    fn integers_are_written_in_full() {
        let mut samples = vec![0u64, u64::MAX, u64::MAX - 1];
        // Every power of ten and its neighbours, and a spread of values of every length.
        let mut p = 1u64;
        loop {
            samples.extend([p - 1, p, p + 1, p.wrapping_mul(7) / 3]);
            match p.checked_mul(10) {
                Some(next) => p = next,
                None => break,
            }
        }
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            samples.push(x >> (x % 64));
        }
        for n in samples {
            let mut out = b"x".to_vec();
            push_u64(&mut out, n);
            assert_eq!(out, format!("x{n}").into_bytes());
        }
        for x in (0..100_000u32).chain((0..100_000_000).step_by(9_973)) {
            let mut out = Vec::new();
            push_eight(&mut out, x);
            assert_eq!(out, format!("{x:08}").into_bytes());
        }
        for n in [i64::MIN, -1, 0, i64::MAX] {
            let mut out = Vec::new();
            push_i64(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
    }
}

use tracing_core::subscriber::Interest;
use tracing_core::{Level, LevelFilter, Metadata};
use tracing_subscriber::layer::{Context, Filter};

/// Decides which spans and events a [`crate::WakeRecordLayer`] writes.
///
/// The default keeps:
/// - every span named `runtime.spawn` (Tokio's task spans, all kinds: `task`, `local`,
///   `blocking`, `block_on`), with their enter/exit/close;
/// - every event with target `tokio::task::waker`;
/// - spans and events of the application (any target outside Tokio's own `tokio::*` and
///   `runtime::*`) at the app level or more severe, `INFO` by default. These give wakes
///   their context, e.g. a user span entered inside a task.
///
/// Everything else Tokio emits (resource and async-op spans, state updates, poll-op
/// events) is most of the volume and is not needed to tell who woke whom.
///
/// The decision depends on the callsite alone, so it is cached per callsite and a span
/// or event nobody wants is not even created. Enter, exit, record and close of a span
/// that is not kept are not written either, and `parent_id` then names the nearest
/// ancestor (or innermost entered span) that is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WakeFilter {
    all: bool,
    app_level: Level,
}

impl Default for WakeFilter {
    fn default() -> Self {
        WakeFilter {
            all: false,
            app_level: Level::INFO,
        }
    }
}

impl WakeFilter {
    /// Keeps every span and event.
    pub fn all() -> Self {
        WakeFilter {
            all: true,
            ..WakeFilter::default()
        }
    }

    /// Keeps application spans and events at `level` or more severe.
    pub fn with_app_level(self, level: Level) -> Self {
        WakeFilter {
            app_level: level,
            ..self
        }
    }

    /// Whether spans and events of this callsite are written.
    pub fn keeps(&self, meta: &Metadata<'_>) -> bool {
        if self.all {
            return true;
        }
        if meta.is_span() && meta.name() == "runtime.spawn" {
            return true;
        }
        let target = meta.target();
        if meta.is_event() && target == "tokio::task::waker" {
            return true;
        }
        let tokio_internal =
            target == "tokio" || target.starts_with("tokio::") || target.starts_with("runtime::");
        // tracing orders levels by verbosity: TRACE is the greatest.
        !tokio_internal && *meta.level() <= self.app_level
    }
}

impl<S> Filter<S> for WakeFilter {
    fn enabled(&self, meta: &Metadata<'_>, _cx: &Context<'_, S>) -> bool {
        self.keeps(meta)
    }

    fn callsite_enabled(&self, meta: &'static Metadata<'static>) -> Interest {
        if self.keeps(meta) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        // Tokio's task spans and waker events are all TRACE.
        Some(LevelFilter::TRACE)
    }
}

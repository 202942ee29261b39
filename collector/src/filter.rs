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
/// [`WakeFilter::with_resources`] also keeps Tokio's resource spans (`runtime.resource`,
/// `runtime.resource.async_op`, `runtime.resource.async_op.poll`), of which the layer then
/// writes the creation and the close only, not the enters and exits: a waker clone inside
/// them registers its task with the resource, which the job names as what the woken task
/// waited on (a timer's `Sleep`, a `Semaphore`...). It is not the default because it costs:
/// the registry then creates those spans, and Tokio makes several per resource operation.
///
/// The decision depends on the callsite alone, so it is cached per callsite and a span
/// or event nobody wants is not even created. Enter, exit, record and close of a span
/// that is not kept are not written either, and `parent_id` then names the nearest
/// ancestor (or innermost entered span) that is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WakeFilter {
    all: bool,
    resources: bool,
    app_level: Level,
}

impl Default for WakeFilter {
    fn default() -> Self {
        WakeFilter {
            all: false,
            resources: false,
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

    /// Also keeps Tokio's resource spans, their creation and close (see above).
    pub fn with_resources(self) -> Self {
        WakeFilter {
            resources: true,
            ..self
        }
    }

    /// Keeps application spans and events at `level` or more severe.
    pub fn with_app_level(self, level: Level) -> Self {
        WakeFilter {
            app_level: level,
            ..self
        }
    }

    /// Whether the enters and exits of a kept span of this callsite are written: not those of
    /// Tokio's resource spans, unless everything is kept.
    pub fn writes_enter_exit(&self, meta: &Metadata<'_>) -> bool {
        self.all || !is_resource_span(meta.name())
    }

    /// Whether spans and events of this callsite are written.
    pub fn keeps(&self, meta: &Metadata<'_>) -> bool {
        if self.all {
            return true;
        }
        if meta.is_span()
            && (meta.name() == "runtime.spawn" || (self.resources && is_resource_span(meta.name())))
        {
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

/// A span of Tokio's resource instrumentation (`tokio/src/util/trace.rs`): its enters and
/// exits are written only when everything is.
pub(crate) fn is_resource_span(name: &str) -> bool {
    matches!(
        name,
        "runtime.resource" | "runtime.resource.async_op" | "runtime.resource.async_op.poll"
    )
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

//! What the collector costs a busy Tokio runtime.
//!
//! ```sh
//! cargo bench --offline --bench overhead -- [--runs 5] [--work-us 20,100,250,500] [--run-ms 1500]
//!     [--tasks N] [--variants noop,filter-only,default,resources,all] [--dir DIR]
//! ```
//!
//! Every run of every variant is a fresh process (this program started again with
//! `--child`): a global subscriber can be installed only once per process, and Tokio's
//! callsites cache whether anyone listens. The variants take turns, run by run, so drift of
//! a shared machine spreads over all of them. Each child runs the same workload on a
//! multi-thread runtime with one worker per core:
//!
//! - short tasks, spawned by one task per worker, at most 1,024 in flight: each computes
//!   about `--work-us` microseconds in two halves (a fixed loop, calibrated once by the
//!   parent so every child does the same work), sends a request over an `mpsc` channel to
//!   one of 4 server tasks and awaits the reply on a `oneshot`, yields once (`yield_now`),
//!   and one task in 8 sleeps 1 ms on a timer. As many tasks as keep the cores busy for
//!   about `--run-ms` (or `--tasks`);
//!
//! and the variants differ only in the subscriber (all builds have `--cfg tokio_unstable`
//! and Tokio's `tracing` feature, so Tokio's instrumentation is compiled in):
//!
//! - `noop`: tracing's `NoSubscriber` (what the instrumentation costs with nobody listening);
//! - `filter-only`: a `Registry` with a layer that does nothing behind the collector's
//!   default `WakeFilter` (what `tracing-subscriber` itself costs for the spans the collector
//!   keeps);
//! - `default`: the collector layer, default filter, writing to a file;
//! - `resources`: the same with `.resources()` (Tokio's resource spans, created and closed);
//! - `all`: the collector layer with `.all()`, writing to a file.
//!
//! A child reports the workload's wall time (runtime started to last task done; building
//! and dropping the runtime are not in it), the process's CPU time (user + system, all
//! threads, measured after the collector's final flush) and the part of it spent on the
//! collector's writer thread, the records written and the records dropped. The parent
//! prints, per work size and variant, tasks/s and records/s, and the overhead against
//! `noop` run by run (the variant's wall or CPU time over that of the `noop` run of the
//! same round, minus one): median, and min to max.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;
use tokio_wakes_collector::{WakeFilter, WakeRecordLayer};
use tracing_subscriber::layer::Layer;
use tracing_subscriber::prelude::*;

const VARIANTS: [&str; 5] = ["noop", "filter-only", "default", "resources", "all"];
const IN_FLIGHT: usize = 1024;
const SERVERS: usize = 4;
/// What Tokio itself spends per task of this workload besides its work (spawn, channels,
/// timer, scheduling), roughly, on the machines this ran on: only to size the runs.
const RUNTIME_US_PER_TASK: f64 = 6.0;

struct Config {
    runs: usize,
    work_us: Vec<f64>,
    run_ms: f64,
    tasks: Option<u64>,
    variants: Vec<String>,
    dir: PathBuf,
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(&args[1..]);
        return;
    }
    let config = parse(&args).unwrap_or_else(|e| {
        eprintln!("{e}");
        eprintln!(
            "usage: overhead [--runs N] [--work-us U,U..] [--run-ms MS] [--tasks N] [--variants noop,filter-only,default,resources,all] [--dir DIR]"
        );
        std::process::exit(2);
    });
    parent(&config);
}

fn parse(args: &[String]) -> Result<Config, String> {
    let mut config = Config {
        runs: 5,
        work_us: vec![20.0, 100.0, 250.0, 500.0],
        run_ms: 1500.0,
        tasks: None,
        variants: VARIANTS.iter().map(|v| v.to_string()).collect(),
        dir: env::temp_dir(),
    };
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        // `cargo bench` passes `--bench` to every bench target.
        if flag == "--bench" {
            i += 1;
            continue;
        }
        let value = args
            .get(i + 1)
            .ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = || format!("bad value for {flag}: {value}");
        match flag {
            "--runs" => config.runs = value.parse().map_err(|_| bad())?,
            "--work-us" => {
                config.work_us = value
                    .split(',')
                    .map(|w| w.parse::<f64>().ok().filter(|w| *w >= 0.0))
                    .collect::<Option<_>>()
                    .ok_or_else(bad)?
            }
            "--run-ms" => config.run_ms = value.parse().map_err(|_| bad())?,
            "--tasks" => config.tasks = Some(value.parse().map_err(|_| bad())?),
            "--variants" => {
                config.variants = value.split(',').map(str::to_owned).collect();
                if let Some(v) = config
                    .variants
                    .iter()
                    .find(|v| !VARIANTS.contains(&v.as_str()))
                {
                    return Err(format!("unknown variant {v}"));
                }
            }
            "--dir" => config.dir = PathBuf::from(value),
            _ => return Err(format!("unknown flag {flag}")),
        }
        i += 2;
    }
    if config.runs == 0 || config.tasks == Some(0) || config.work_us.is_empty() {
        return Err("--runs, --tasks and --work-us need at least one".to_owned());
    }
    Ok(config)
}

/// One child's report.
#[derive(Clone, Copy, Default)]
struct Run {
    wall: Duration,
    cpu: Duration,
    writer_cpu: Duration,
    records: u64,
    dropped: u64,
}

fn parent(config: &Config) {
    let iters_per_us = calibrate();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!(
        "{} cores, {} worker threads; {} runs per variant and work size; spin loop: {:.0} iterations per microsecond",
        cores, cores, config.runs, iters_per_us
    );
    for &work_us in &config.work_us {
        let tasks = config.tasks.unwrap_or_else(|| {
            let tasks = config.run_ms * 1e3 * cores as f64 / (work_us + RUNTIME_US_PER_TASK);
            ((tasks / 1000.0).ceil() * 1000.0) as u64
        });
        let work_iters = (work_us * iters_per_us / 2.0).round() as u64;
        println!();
        println!("== {work_us} us of work per task, {tasks} tasks per run");
        let results = measure(config, tasks, work_iters);
        report(config, tasks, &results);
    }
}

fn measure(config: &Config, tasks: u64, work_iters: u64) -> Vec<Vec<Run>> {
    let exe = env::current_exe().expect("own path");
    let mut results: Vec<Vec<Run>> = vec![Vec::new(); config.variants.len()];
    for round in 0..config.runs {
        for (v, variant) in config.variants.iter().enumerate() {
            let out = config.dir.join(format!(
                "wake-overhead-{}-{variant}.jsonl",
                std::process::id()
            ));
            let _ = fs::remove_file(&out);
            let output = Command::new(&exe)
                .args(["--child", variant])
                .arg(tasks.to_string())
                .arg(work_iters.to_string())
                .arg(&out)
                .output()
                .expect("start a child run");
            let _ = fs::remove_file(&out);
            let stdout = String::from_utf8_lossy(&output.stdout);
            if !output.status.success() {
                eprintln!(
                    "run {} of {variant} failed: {}\n{}{}",
                    round + 1,
                    output.status,
                    stdout,
                    String::from_utf8_lossy(&output.stderr)
                );
                std::process::exit(1);
            }
            let run = parse_run(&stdout).unwrap_or_else(|| {
                eprintln!(
                    "run {} of {variant}: unreadable report: {stdout}",
                    round + 1
                );
                std::process::exit(1);
            });
            eprintln!(
                "run {} {variant:>11}: {:>8.1} ms wall, {:>8.1} ms cpu ({:.1} ms writer), {} records, {} dropped",
                round + 1,
                ms(run.wall),
                ms(run.cpu),
                ms(run.writer_cpu),
                run.records,
                run.dropped
            );
            results[v].push(run);
        }
    }
    results
}

fn report(config: &Config, tasks: u64, results: &[Vec<Run>]) {
    let base = config.variants.iter().position(|v| v == "noop");
    println!(
        "{:<11} | {:>22} | {:>28} | {:>21} | {:>21} | {:>13} | dropped",
        "variant", "tasks/s", "records/s", "wall overhead %", "CPU overhead %", "writer CPU %"
    );
    for (v, variant) in config.variants.iter().enumerate() {
        let runs = &results[v];
        let tasks_per_s: Vec<f64> = runs
            .iter()
            .map(|r| tasks as f64 / r.wall.as_secs_f64())
            .collect();
        let records_per_s: Vec<f64> = runs
            .iter()
            .map(|r| r.records as f64 / r.wall.as_secs_f64())
            .collect();
        let (wall_overhead, cpu_overhead, writer_share) = match base {
            Some(b) if b != v => (
                overhead(runs, &results[b], |r| r.wall),
                overhead(runs, &results[b], |r| r.cpu),
                // The writer thread's CPU time, in % of the noop run's CPU time.
                spread(
                    &runs
                        .iter()
                        .zip(&results[b])
                        .map(|(r, b)| r.writer_cpu.as_secs_f64() / b.cpu.as_secs_f64() * 100.0)
                        .collect::<Vec<_>>(),
                    1,
                ),
            ),
            _ => ("-".to_owned(), "-".to_owned(), "-".to_owned()),
        };
        let dropped = runs.iter().map(|r| r.dropped).max().unwrap_or(0);
        println!(
            "{:<11} | {:>22} | {:>28} | {:>21} | {:>21} | {:>13} | {}",
            variant,
            spread(&tasks_per_s, 0),
            spread(&records_per_s, 0),
            wall_overhead,
            cpu_overhead,
            writer_share,
            dropped
        );
    }
}

/// `variant / base - 1` per round, in percent.
fn overhead(runs: &[Run], base: &[Run], measure: impl Fn(&Run) -> Duration) -> String {
    let ratios: Vec<f64> = runs
        .iter()
        .zip(base)
        .map(|(r, b)| (measure(r).as_secs_f64() / measure(b).as_secs_f64() - 1.0) * 100.0)
        .collect();
    spread(&ratios, 1)
}

/// `median (min to max)`.
fn spread(values: &[f64], decimals: usize) -> String {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = if sorted.len() % 2 == 1 {
        sorted[sorted.len() / 2]
    } else {
        (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) / 2.0
    };
    format!(
        "{:.*} ({:.*} to {:.*})",
        decimals,
        median,
        decimals,
        sorted[0],
        decimals,
        sorted[sorted.len() - 1]
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn parse_run(stdout: &str) -> Option<Run> {
    let line = stdout.lines().find(|l| l.starts_with("result "))?;
    let mut run = Run::default();
    for pair in line.split_whitespace().skip(1) {
        let (key, value) = pair.split_once('=')?;
        let n: u64 = value.parse().ok()?;
        match key {
            "wall_ns" => run.wall = Duration::from_nanos(n),
            "cpu_ns" => run.cpu = Duration::from_nanos(n),
            "writer_cpu_ns" => run.writer_cpu = Duration::from_nanos(n),
            "records" => run.records = n,
            "dropped" => run.dropped = n,
            _ => {}
        }
    }
    Some(run)
}

/// Loop iterations of [`spin`] per microsecond on this machine (best of a few tries, so
/// that a busy moment does not make every child's work longer than asked).
fn calibrate() -> f64 {
    let iters = 2_000_000;
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        spin(iters);
        best = best.min(start.elapsed().as_secs_f64());
    }
    iters as f64 / (best * 1e6)
}

/// CPU work that the optimizer cannot remove: `iters` rounds of xorshift.
fn spin(iters: u64) -> u64 {
    let mut x = opaque(0x9E37_79B9_7F4A_7C15u64);
    for _ in 0..iters {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    opaque(x)
}

/// `x`, through a read the compiler must perform (so it can neither precompute the loop
/// nor drop its result).
fn opaque(x: u64) -> u64 {
    // SAFETY: reads a live, aligned local.
    unsafe { std::ptr::read_volatile(&x) }
}

/// A layer that does nothing: with the collector's filter in front, what remains is the
/// registry's own work for the spans and events the collector would keep.
struct Nothing;

impl<S: tracing_core::Subscriber> Layer<S> for Nothing {}

fn child(args: &[String]) {
    let variant = args[0].as_str();
    let tasks: u64 = args[1].parse().expect("tasks");
    let work_iters: u64 = args[2].parse().expect("work iterations");
    let out = PathBuf::from(&args[3]);

    let handle = match variant {
        "noop" => {
            tracing::subscriber::set_global_default(
                tracing_core::subscriber::NoSubscriber::default(),
            )
            .expect("install the subscriber");
            None
        }
        "filter-only" => {
            tracing_subscriber::registry()
                .with(Nothing.with_filter(WakeFilter::default()))
                .init();
            None
        }
        "default" | "resources" | "all" => {
            let mut builder = WakeRecordLayer::file(&out)
                .expect("open the output")
                .source("overhead-bench");
            if variant == "all" {
                builder = builder.all();
            } else if variant == "resources" {
                builder = builder.resources();
            }
            let layer = builder.build().expect("start the writer");
            let handle = layer.handle();
            tracing_subscriber::registry().with(layer.filtered()).init();
            Some(handle)
        }
        _ => panic!("unknown variant {variant}"),
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let start = Instant::now();
    runtime.block_on(workload(tasks, work_iters));
    let wall = start.elapsed();
    drop(runtime);

    let (records, dropped) = match &handle {
        Some(h) => {
            h.flush();
            assert_eq!(h.write_errors(), 0, "write errors on {}", out.display());
            (h.written(), h.dropped())
        }
        None => (0, 0),
    };
    let cpu = process_cpu_time();
    let writer_cpu = thread_cpu_time("wake-records");
    println!(
        "result wall_ns={} cpu_ns={} writer_cpu_ns={} records={records} dropped={dropped}",
        wall.as_nanos(),
        cpu.as_nanos(),
        writer_cpu.as_nanos()
    );
    // The global subscriber is never dropped: the handle is what flushes.
    drop(handle);
    remove(&out);
}

fn remove(path: &Path) {
    let _ = fs::remove_file(path);
}

/// User + system CPU time of this process, all threads.
fn process_cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return Duration::ZERO;
        }
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// CPU time of this process's threads named `name` (Linux: their schedstat), zero if
/// there are none or it cannot be read.
fn thread_cpu_time(name: &str) -> Duration {
    let mut total = Duration::ZERO;
    let tasks = match fs::read_dir("/proc/self/task") {
        Ok(tasks) => tasks,
        Err(_) => return total,
    };
    for task in tasks.flatten() {
        let comm = fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim_end() != name {
            continue;
        }
        // The first number is the time spent on a CPU, in nanoseconds.
        let schedstat = fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
        if let Some(ns) = schedstat
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
        {
            total += Duration::from_nanos(ns);
        }
    }
    total
}

type Request = (u64, oneshot::Sender<u64>);

async fn workload(tasks: u64, work_iters: u64) {
    let mut servers = Vec::with_capacity(SERVERS);
    let mut server_tasks = Vec::with_capacity(SERVERS);
    for _ in 0..SERVERS {
        let (tx, mut rx) = mpsc::channel::<Request>(256);
        servers.push(tx);
        server_tasks.push(tokio::spawn(async move {
            while let Some((n, reply)) = rx.recv().await {
                let _ = reply.send(n.wrapping_mul(31));
            }
        }));
    }

    // One spawning task per worker, inside the runtime (as an accept loop would be), so
    // that spawning keeps up with the workers even for the shortest tasks.
    let spawners = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1) as u64;
    let mut spawning = Vec::new();
    for first in 0..spawners {
        let servers = servers.clone();
        spawning.push(tokio::spawn(async move {
            let mut in_flight = JoinSet::new();
            // Tasks first, first + spawners, ...: the spawners share the count.
            for n in (first..tasks).step_by(spawners as usize) {
                if in_flight.len() >= IN_FLIGHT / spawners as usize {
                    in_flight.join_next().await.unwrap().unwrap();
                }
                let server = servers[n as usize % SERVERS].clone();
                in_flight.spawn(async move {
                    let mut acc = spin(work_iters);
                    let (tx, rx) = oneshot::channel();
                    if server.send((n, tx)).await.is_ok() {
                        acc ^= rx.await.unwrap_or(0);
                    }
                    tokio::task::yield_now().await;
                    if n % 8 == 0 {
                        tokio::time::sleep(Duration::from_millis(1)).await;
                    }
                    acc ^= spin(work_iters);
                    opaque(acc);
                });
            }
            while let Some(done) = in_flight.join_next().await {
                done.unwrap();
            }
        }));
    }
    for spawner in spawning {
        spawner.await.unwrap();
    }
    drop(servers);
    for server in server_tasks {
        server.await.unwrap();
    }
}

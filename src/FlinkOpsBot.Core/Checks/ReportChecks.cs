using System.Globalization;
using System.Text;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;

namespace FlinkOpsBot.Core.Checks;

// The checks of the read-only reports (status, restart-loop, checkpoint-failures, savepoints): each reads the cluster and
// answers with evidence a person on call can act on. Their outcome reads as "healthy" (pass), "look here" (fail) or
// "could not tell" (unknown). With `scope: cluster` a check answers for the whole cluster (a report without a job).

/// <summary><c>job-state</c>: the job's status, for how long, and its parallelism; passes while RUNNING.</summary>
internal sealed class JobStateCheck : CheckBase
{
    public override string Id => "job-state";

    protected override string Title => "State";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        if (context.JobIdFor(null) is not { } jobId) return Unknown("no JobID is known for the job");
        if (await context.JobAsync(jobId, cancellationToken) is not { } job) return Unknown($"JobID {jobId} is not known to cluster {context.Cluster.Name}");
        var since = job.StatusTimestamps.GetValueOrDefault(job.Status.Value, job.StartTime);
        var evidence = $"{job.Status} for {Durations.Format(context.Now - since)} (submitted {Durations.Ago(context.Now, job.StartTime)}), parallelism {job.Parallelism}";
        return job.Status == JobStatus.Running ? Pass(evidence) : Fail(evidence);
    }
}

/// <summary>
/// <c>restarts</c>: restarts over time windows (<c>windows</c>, default <c>1h</c>; e.g. <c>10m,1h</c>) counted from the
/// exception history's timestamps, and Flink's <c>numRestarts</c> since submission. Fails when the first window holds
/// more than <c>max</c> (default 0).
/// </summary>
internal sealed class RestartsCheck : CheckBase
{
    /// <summary>Enough history entries to cover an hour of a fast loop (Flink keeps 16 by default: web.exception-history-size).</summary>
    private const int HistoryRead = 100;

    public override string Id => "restarts";

    protected override string Title => "Restarts";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        if (context.JobIdFor(null) is not { } jobId) return Unknown("no JobID is known for the job");
        var windows = Windows(spec);
        var exceptions = await context.Platform.GetExceptionsAsync(jobId, HistoryRead, cancellationToken);
        var restarts = await context.Platform.GetRestartCountAsync(jobId, cancellationToken);
        var counts = windows.Select(w => (Window: w, Count: exceptions.Count(e => context.Now - e.At <= w))).ToList();
        var text = string.Join(", ", counts.Select(c => $"{c.Count} in the last {Durations.Format(c.Window)}"));
        var total = restarts is { } n ? $"; numRestarts {n.ToString(CultureInfo.InvariantCulture)} since submission" : "; numRestarts not reported";
        var truncated = exceptions.Count >= HistoryRead ? $" (history holds the newest {HistoryRead})" : "";
        var evidence = text + total + truncated;
        return counts[0].Count > IntParameter(spec, "max", 0) ? Fail(evidence) : Pass(evidence);
    }

    private static List<TimeSpan> Windows(CheckSpec spec)
    {
        var windows = (spec.With.GetValueOrDefault("windows") ?? "1h")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => Durations.TryParse(w, out var d) ? d : TimeSpan.Zero)
            .Where(d => d > TimeSpan.Zero)
            .ToList();
        return windows.Count > 0 ? windows : [TimeSpan.FromHours(1)];
    }
}

/// <summary>
/// <c>checkpoint-health</c>: the latest completed checkpoint's age, duration and size, and failures among the last
/// <c>last</c> (default 10) attempts. Fails when the latest is older than three intervals or any of those attempts failed.
/// </summary>
internal sealed class CheckpointHealthCheck : CheckBase
{
    public override string Id => "checkpoint-health";

    protected override string Title => "Checkpoints";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        if (context.JobIdFor(null) is not { } jobId) return Unknown("no JobID is known for the job");
        var stats = await context.CheckpointsAsync(jobId, cancellationToken);
        var config = await context.CheckpointConfigAsync(jobId, cancellationToken);
        if (stats is null || config is null) return Fail("checkpointing is not enabled for this job: a failure loses all state since it started");
        var attempts = stats.History.Where(c => c.Status is "COMPLETED" or "FAILED").Take(IntParameter(spec, "last", 10)).ToList();
        var failed = attempts.Count(c => c.Status == "FAILED");
        var failures = $"{failed} of the last {attempts.Count} failed ({stats.Failed} since the job started)";
        if (stats.LatestCompleted is not { CompletedAt: { } completedAt } latest)
        {
            return Fail($"none completed yet (interval {Durations.Format(config.Interval)}); {failures}");
        }
        var size = latest.StateSizeBytes is { } bytes ? $", {Sizes.Format(bytes)}" : "";
        var evidence = $"last #{latest.Id} {Durations.Ago(context.Now, completedAt)}, took {Durations.Format(completedAt - latest.TriggeredAt)}{size}; {failures}";
        var stale = context.Now - completedAt > 3 * config.Interval;
        return stale || failed > 0 ? Fail(evidence) : Pass(evidence);
    }
}

/// <summary>
/// <c>vertex-load</c>: the busiest vertex's busy time, the most back-pressured vertex, and the source's records lag when
/// reported. Fails when a vertex is back-pressured HIGH or busier than <c>busy-limit</c> ms/s (default 800).
/// </summary>
internal sealed class VertexLoadCheck : CheckBase
{
    public override string Id => "vertex-load";

    protected override string Title => "Load";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        if (context.JobIdFor(null) is not { } jobId) return Unknown("no JobID is known for the job");
        var loads = await context.Platform.GetVertexLoadAsync(jobId, cancellationToken);
        if (loads.Count == 0 || loads.All(l => l.BusyTimeMsPerSecond is null && l.BackpressureLevel == "unknown"))
        {
            return Unknown("no task metrics: the job is not running, or Flink has not sampled it yet");
        }
        var limit = IntParameter(spec, "busy-limit", 800);
        var evidence = ReportFormat.Load(loads);
        var hot = loads.Any(l => l.BackpressureLevel == "high" || l.BusyTimeMsPerSecond > limit);
        return hot ? Fail(evidence + $" → bottleneck at the busiest vertex (limit {limit} ms/s)") : Pass(evidence);
    }
}

/// <summary>
/// <c>exceptions</c>: how many failures the exception history holds, the newest one's first line and age. Fails when
/// the newest is younger than <c>window</c> (default 1h).
/// </summary>
internal sealed class ExceptionsCheck : CheckBase
{
    public override string Id => "exceptions";

    protected override string Title => "Exceptions";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        if (context.JobIdFor(null) is not { } jobId) return Unknown("no JobID is known for the job");
        var exceptions = await context.Platform.GetExceptionsAsync(jobId, 100, cancellationToken);
        if (exceptions.Count == 0) return Pass("none since the job started");
        var window = Durations.TryParse(spec.With.GetValueOrDefault("window"), out var w) ? w : TimeSpan.FromHours(1);
        var newest = exceptions[0];
        var evidence = $"{exceptions.Count} in history; newest {Durations.Ago(context.Now, newest.At)}: {ReportFormat.Cut(newest.ExceptionName, 120)}";
        return context.Now - newest.At <= window ? Fail(evidence) : Pass(evidence);
    }
}

/// <summary>
/// <c>jobs-overview</c> (scope cluster): one line per job (running first): name, state, uptime, parallelism, last
/// checkpoint age and the busiest vertex's busy time; the cluster's version and free slots first. Fails when a job that
/// has not ended is not RUNNING or is back-pressured HIGH.
/// </summary>
internal sealed class JobsOverviewCheck : CheckBase
{
    /// <summary>Jobs that get their load and checkpoints read; more are listed by state only (a cluster of hundreds).</summary>
    private const int DetailedJobs = 20;

    public override string Id => "jobs-overview";

    protected override string Title => "Jobs";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var overview = await context.OverviewAsync(cancellationToken);
        var jobs = (await context.Platform.ListJobsAsync(cancellationToken))
            .OrderBy(j => j.Status.IsGloballyTerminal).ThenBy(j => j.Name, StringComparer.Ordinal).ThenByDescending(j => j.StartTime)
            .ToList();
        var text = new StringBuilder($"Flink {overview.FlinkVersion}, {overview.SlotsAvailable} of {overview.SlotsTotal} slots free, {jobs.Count(j => !j.Status.IsGloballyTerminal)} jobs live");
        var healthy = true;
        var detailed = 0;
        foreach (var job in jobs)
        {
            text.Append("\n• ").Append(job.Name).Append(' ').Append(job.Status.Value);
            if (job.Status.IsGloballyTerminal)
            {
                text.Append(job.EndTime is { } end ? $", ended {Durations.Ago(context.Now, end)}" : "");
                continue;
            }
            healthy &= job.Status == JobStatus.Running;
            text.Append($", up {Durations.Format(context.Now - job.StartTime)}");
            if (++detailed > DetailedJobs) continue;
            try
            {
                if (await context.JobAsync(job.JobId, cancellationToken) is { } details) text.Append($", p{details.Parallelism}");
                var checkpoints = await context.CheckpointsAsync(job.JobId, cancellationToken);
                text.Append(checkpoints?.LatestCompleted is { CompletedAt: { } at } ? $", ckpt {Durations.Ago(context.Now, at)}" : ", no ckpt");
                var loads = await context.Platform.GetVertexLoadAsync(job.JobId, cancellationToken);
                if (loads.Where(l => l.BusyTimeMsPerSecond is not null).MaxBy(l => l.BusyTimeMsPerSecond) is { } busiest)
                {
                    text.Append($", busiest {busiest.BusyTimeMsPerSecond:0} ms/s");
                    if (loads.Any(l => l.BackpressureLevel == "high"))
                    {
                        text.Append(" (backpressure HIGH)");
                        healthy = false;
                    }
                }
            }
            catch (PlatformException e)
            {
                text.Append($" (details unreadable: {e.Message})");
            }
        }
        if (jobs.Count == 0) text.Append("\n• no jobs");
        return healthy ? Pass(text.ToString()) : Fail(text.ToString());
    }
}

/// <summary>Formatting shared by the report checks.</summary>
internal static class ReportFormat
{
    /// <summary>"busiest KeyedProcess -> Map 950 ms/s (p6); backpressure HIGH at Source: … (86 %); lag 1 234 567 records".</summary>
    public static string Load(IReadOnlyList<VertexLoad> loads)
    {
        var parts = new List<string>();
        if (loads.Where(l => l.BusyTimeMsPerSecond is not null).MaxBy(l => l.BusyTimeMsPerSecond) is { } busiest)
        {
            parts.Add($"busiest {busiest.Name} {busiest.BusyTimeMsPerSecond:0} ms/s busy (p{busiest.Parallelism})");
        }
        var pressured = loads.Where(l => l.BackpressureLevel is "high" or "low").MaxBy(l => l.BackpressuredRatio ?? 0);
        parts.Add(pressured is null
            ? "no backpressure"
            : $"backpressure {pressured.BackpressureLevel.ToUpperInvariant()} at {pressured.Name} ({(pressured.BackpressuredRatio ?? 0) * 100:0} % of the time)");
        var lag = loads.Where(l => l.RecordsLag is not null).Sum(l => l.RecordsLag!.Value);
        if (loads.Any(l => l.RecordsLag is not null)) parts.Add($"source lag {lag.ToString("N0", CultureInfo.InvariantCulture)} records");
        return string.Join("; ", parts);
    }

    /// <summary>The text cut to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}

/// <summary>Byte sizes in binary units: <c>512 B</c>, <c>64.5 MiB</c>, <c>1.2 GiB</c>.</summary>
internal static class Sizes
{
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}

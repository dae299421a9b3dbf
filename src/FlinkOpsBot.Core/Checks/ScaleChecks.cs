using System.Globalization;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Checks;

/// <summary>
/// <c>scaling-evidence</c>: the evidence for scaling: per job vertex, the back-pressure level and ratio, busy time (ms per
/// second) and, where the source reports it, records lag. Passes with the evidence (values a vertex does not report show
/// as "unknown"; a platform that reports none passes with that said), and records it as the baseline the
/// <c>load-improved</c> validation compares with. Flink REST <c>GET /jobs/:jobid/vertices/:vertexid/backpressure</c> and
/// subtask metrics, through <see cref="IFlinkPlatform.GetVertexLoadAsync"/>.
/// </summary>
internal sealed class ScalingEvidenceCheck : CheckBase
{
    public override string Id => "scaling-evidence";

    protected override string Title => "Load per vertex (backpressure, busy time, lag)";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var jobId = context.JobIdFor(spec.With.GetValueOrDefault("job"));
        if (jobId is null) return Fail("no JobID is known for the job");
        IReadOnlyList<VertexLoad> load;
        try
        {
            load = await context.Platform.GetVertexLoadAsync(jobId, cancellationToken);
        }
        catch (PlatformUnsupportedException)
        {
            context.Run.Vars.Remove(LoadBaseline.Key);
            return Pass($"unknown: cluster {context.Cluster.Name} does not report backpressure or busy time; scale on other evidence");
        }
        if (load.Count == 0) return Pass("unknown: the job has no running vertices to measure");
        LoadBaseline.Save(context.Run, load);
        return Pass(LoadBaseline.Describe(load));
    }
}

/// <summary>
/// <c>scheduler-known</c>: reads the cluster's <c>jobmanager.scheduler</c> and sets the run flag <c>scheduler-adaptive</c>
/// when it is <c>adaptive</c> (then the job can be rescaled in place through its resource requirements; otherwise it is
/// stopped with a savepoint and resubmitted; always so on <c>cmf</c>, see <see cref="CmfScheduler"/>). Flink REST <c>GET /jobmanager/config</c>.
/// </summary>
internal sealed class SchedulerKnownCheck : CheckBase
{
    public override string Id => "scheduler-known";

    protected override string Title => "Scheduler is known";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var config = await context.Platform.GetClusterConfigurationAsync(cancellationToken);
        var scheduler = config.GetValueOrDefault("jobmanager.scheduler") ?? "default";
        var adaptive = string.Equals(scheduler, "adaptive", StringComparison.OrdinalIgnoreCase);
        if (CmfScheduler.InPlaceRefused(context.Cluster, adaptive) is { } onCmf)
        {
            StepConditions.Set(context.Run, StepConditions.SchedulerAdaptive, false);
            return Pass($"jobmanager.scheduler: {scheduler}{onCmf}") with { Basis = $"scheduler={scheduler}; cmf" };
        }
        StepConditions.Set(context.Run, StepConditions.SchedulerAdaptive, adaptive);
        var how = adaptive
            ? "rescale in place (PUT /jobs/:jobid/resource-requirements; the job restarts from its latest checkpoint)"
            : "stop with a savepoint, then resubmit the same jar with the new parallelism";
        var source = config.ContainsKey("jobmanager.scheduler") ? "" : " (not set)";
        return Pass($"jobmanager.scheduler: {scheduler}{source} → {how}") with { Basis = $"scheduler={scheduler}" };
    }
}

/// <summary>
/// <c>current-jar-known</c>: for a change that keeps the code (scale): the jar the job runs now, as
/// <c>rollback-target-known</c> resolves it (<c>--rollback-jar</c> or the bot's record for the running JobID), becomes the
/// target jar too. Records <see cref="RunVars.RollbackJarId"/> and <see cref="RunVars.TargetJarId"/>.
/// </summary>
internal sealed class CurrentJarKnownCheck : CheckBase
{
    private readonly RollbackTargetKnownCheck _rollback = new();

    public override string Id => "current-jar-known";

    protected override string Title => "The job's jar is known";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var result = await _rollback.EvaluateAsync(context, spec, cancellationToken);
        if (result.Outcome == CheckOutcome.Pass && context.Run.Vars.GetValueOrDefault(RunVars.RollbackJarId) is { } jar)
        {
            context.Run.Vars[RunVars.TargetJarId] = jar;
        }
        return result with { Id = Id, Title = Title };
    }
}

/// <summary>
/// <c>load-improved</c> (validation): compares the job's load now (parameter <c>job</c>, default new) with the baseline
/// <c>scaling-evidence</c> recorded before the change. After a scale-up: the busiest vertex's busy time fell, no more vertices are
/// back-pressured HIGH than before, and no vertex that was not saturated before is saturated now (a new bottleneck,
/// busy ≥ <see cref="LoadBaseline.SaturatedMsPerSecond"/> ms/s). After a scale-down: no vertex saturated and none HIGH.
/// Passes with "unknown" evidence when the baseline or the current load is not reported.
/// </summary>
internal sealed class LoadImprovedCheck : CheckBase
{
    public override string Id => "load-improved";

    protected override string Title => "Load fell, no new bottleneck";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var jobId = context.JobIdFor(spec.With.GetValueOrDefault("job") ?? "new");
        if (jobId is null) return Fail("no JobID is known for the job");
        var before = LoadBaseline.Read(run);
        IReadOnlyList<VertexLoad> now;
        try
        {
            now = await context.Platform.GetVertexLoadAsync(jobId, cancellationToken);
        }
        catch (PlatformUnsupportedException)
        {
            return Pass("unknown: the cluster does not report busy time or backpressure");
        }
        if (before.Count == 0 || now.Count == 0) return Pass("unknown: no load was reported " + (before.Count == 0 ? "before the change" : "yet"));

        var scaledDown = int.TryParse(run.Vars.GetValueOrDefault(RunVars.TargetParallelism), NumberStyles.None, CultureInfo.InvariantCulture, out var target)
            && int.TryParse(run.Vars.GetValueOrDefault(RunVars.PreviousParallelism), NumberStyles.None, CultureInfo.InvariantCulture, out var previous)
            && target < previous;
        var busyBefore = before.Max(v => v.BusyTimeMsPerSecond ?? 0);
        var busyNow = now.Max(v => v.BusyTimeMsPerSecond ?? 0);
        var highBefore = before.Count(v => v.BackpressureLevel == "high");
        var highNow = now.Count(v => v.BackpressureLevel == "high");
        var saturatedBefore = before.Where(Saturated).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var newBottlenecks = now.Where(v => Saturated(v) && (scaledDown || !saturatedBefore.Contains(v.Name))).Select(v => v.Name).ToList();
        var evidence = $"busiest vertex {Ms(busyBefore)} → {Ms(busyNow)}; vertices back-pressured HIGH {highBefore} → {highNow}; now: {LoadBaseline.Describe(now)}";

        if (newBottlenecks.Count > 0) return Fail($"new bottleneck: {string.Join(", ", newBottlenecks)} saturated; {evidence}");
        if (scaledDown)
        {
            return highNow == 0 ? Pass($"scaled down without saturating a vertex; {evidence}") : Fail($"{highNow} vertex(es) back-pressured HIGH after the scale-down; {evidence}");
        }
        if (highNow > highBefore) return Fail($"more back-pressure than before; {evidence}");
        if (busyBefore > 0 && busyNow >= busyBefore) return Fail($"busy time did not fall; {evidence}");
        return Pass(evidence);
    }

    private static bool Saturated(VertexLoad v) => v.BusyTimeMsPerSecond >= LoadBaseline.SaturatedMsPerSecond;

    private static string Ms(double value) => $"{value.ToString("0", CultureInfo.InvariantCulture)} ms/s";
}

/// <summary>The vertex load recorded before a change, kept in the run's vars, and how load is shown.</summary>
internal static class LoadBaseline
{
    /// <summary>The run var that holds the baseline: one vertex a line, <c>name|parallelism|level|ratio|busy|lag</c>.</summary>
    public const string Key = "scale.baseline";

    /// <summary>Busy time from which a vertex counts as saturated, the bottleneck: 900 ms per second.</summary>
    public const double SaturatedMsPerSecond = 900;

    public static void Save(Run run, IReadOnlyList<VertexLoad> load) => run.Vars[Key] = string.Join('\n', load.Select(v => string.Join('|',
        v.Name.Replace('|', '/').Replace('\n', ' '), v.Parallelism.ToString(CultureInfo.InvariantCulture), v.BackpressureLevel,
        Num(v.BackpressuredRatio), Num(v.BusyTimeMsPerSecond), v.RecordsLag?.ToString(CultureInfo.InvariantCulture) ?? "")));

    public static IReadOnlyList<VertexLoad> Read(Run run) => run.Vars.GetValueOrDefault(Key) is not { Length: > 0 } text ? [] : text.Split('\n')
        .Select(line => line.Split('|'))
        .Where(p => p.Length == 6)
        .Select(p => new VertexLoad("", p[0], int.Parse(p[1], CultureInfo.InvariantCulture), p[2], Dbl(p[3]), Dbl(p[4]),
            p[5].Length == 0 ? null : long.Parse(p[5], CultureInfo.InvariantCulture)))
        .ToList();

    /// <summary>e.g. "Source: clicks (p6): backpressure high (0.86), busy 45 ms/s, lag 12,345 records; Sessionize (p6): …".</summary>
    public static string Describe(IReadOnlyList<VertexLoad> load) => string.Join("; ", load.Select(v =>
        $"{v.Name} (p{v.Parallelism}): backpressure {v.BackpressureLevel}{(v.BackpressuredRatio is { } r ? $" ({r.ToString("0.00", CultureInfo.InvariantCulture)})" : "")}, " +
        $"busy {(v.BusyTimeMsPerSecond is { } b ? b.ToString("0", CultureInfo.InvariantCulture) + " ms/s" : "unknown")}" +
        (v.RecordsLag is { } lag ? $", lag {lag.ToString("N0", CultureInfo.InvariantCulture)} records" : "")));

    private static string Num(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static double? Dbl(string text) => text.Length == 0 ? null : double.Parse(text, CultureInfo.InvariantCulture);
}

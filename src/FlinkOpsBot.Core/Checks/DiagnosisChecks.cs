using System.Globalization;
using System.Text;
using FlinkOpsBot.Core.Recipes;

namespace FlinkOpsBot.Core.Checks;

// The diagnosis checks of cookbook 7.1 (restart loop) and 7.2 (checkpoint failures), and the savepoint list.

/// <summary>
/// <c>root-exception</c>: the newest failure's exception line and root cause (innermost <c>Caused by:</c>), classified as
/// data, external system, code or resources (<see cref="DiagnosisClassifier"/>) with what usually helps. Fails when there
/// is a failure to show; passes with "none" otherwise.
/// </summary>
internal sealed class RootExceptionCheck : CheckBase
{
    public override string Id => "root-exception";

    protected override string Title => "Root exception";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        if (context.JobIdFor(null) is not { } jobId) return Unknown("no JobID is known for the job");
        var exceptions = await context.Platform.GetExceptionsAsync(jobId, 20, cancellationToken);
        if (exceptions.Count == 0) return Pass("the job has not failed since it started");
        var newest = exceptions[0];
        var same = exceptions.Count(e => e.ExceptionName == newest.ExceptionName);
        var classification = DiagnosisClassifier.Classify(newest.ExceptionName, newest.RootCause);
        var text = new StringBuilder(ReportFormat.Cut(newest.ExceptionName, 160));
        if (newest.RootCause is { } root && root != newest.ExceptionName) text.Append(" ← caused by ").Append(ReportFormat.Cut(root, 160));
        text.Append($" ({Durations.Ago(context.Now, newest.At)}")
            .Append(newest.TaskName is { } task ? $", in {ReportFormat.Cut(task, 60)}" : "")
            .Append(same > 1 ? $"; {same} of the last {exceptions.Count} failures are the same" : "")
            .Append(')')
            .Append($"\n  → {classification.Label}: {classification.Advice}");
        return Fail(text.ToString()) with { Basis = $"category={classification.Category}; matched={classification.Matched}" };
    }
}

/// <summary><c>restart-strategy</c>: the job's restart strategy as Flink describes it, and the cluster's default.</summary>
internal sealed class RestartStrategyCheck : CheckBase
{
    public override string Id => "restart-strategy";

    protected override string Title => "Restart strategy";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        if (context.JobIdFor(null) is not { } jobId) return Unknown("no JobID is known for the job");
        var job = await context.Platform.GetJobConfigurationAsync(jobId, cancellationToken);
        var cluster = await context.Platform.GetClusterConfigurationAsync(cancellationToken);
        var type = cluster.GetValueOrDefault("restart-strategy.type") ?? cluster.GetValueOrDefault("restart-strategy");
        var clusterText = type is null ? "" : $"; cluster default {type}" + type switch
        {
            "fixed-delay" or "fixeddelay" =>
                $" ({cluster.GetValueOrDefault("restart-strategy.fixed-delay.attempts") ?? "?"} attempts, delay {cluster.GetValueOrDefault("restart-strategy.fixed-delay.delay") ?? "?"})",
            _ => "",
        };
        if (job?.RestartStrategy is not { } strategy) return Unknown("the job's restart strategy is not reported" + clusterText);
        return Pass(strategy.TrimEnd('.') + clusterText);
    }
}

/// <summary>
/// <c>checkpoint-failure-reasons</c>: the failure messages of the failed attempts in the checkpoint history, grouped with
/// counts, newest group first, with the tolerable-failure setting. Fails when any attempt in the history failed.
/// </summary>
internal sealed class CheckpointFailureReasonsCheck : CheckBase
{
    public override string Id => "checkpoint-failure-reasons";

    protected override string Title => "Failure reasons";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        if (context.JobIdFor(null) is not { } jobId) return Unknown("no JobID is known for the job");
        var stats = await context.CheckpointsAsync(jobId, cancellationToken);
        var config = await context.CheckpointConfigAsync(jobId, cancellationToken);
        if (stats is null) return Fail("checkpointing is not enabled for this job");
        var finished = stats.History.Where(c => c.Status is "COMPLETED" or "FAILED").ToList();
        var failed = finished.Where(c => c.Status == "FAILED").ToList();
        var tolerable = config is null ? ""
            : $"; tolerable failed checkpoints {(config.TolerableFailedCheckpoints == int.MaxValue ? "unlimited" : config.TolerableFailedCheckpoints.ToString(CultureInfo.InvariantCulture))}";
        if (failed.Count == 0)
        {
            return Pass($"none of the last {finished.Count} attempts failed; {stats.Failed} failed since the job started{tolerable}");
        }
        var groups = failed
            .GroupBy(c => ReportFormat.Cut(c.FailureMessage ?? "no reason given", 140))
            .Select(g => $"{g.Count()}× {g.Key} (newest {Durations.Ago(context.Now, g.Max(c => c.TriggeredAt))})");
        return Fail($"{failed.Count} of the last {finished.Count} attempts failed ({stats.Failed} since the job started{tolerable}): " +
            string.Join("; ", groups));
    }
}

/// <summary>
/// <c>checkpoint-durations</c>: p50 and max duration of the completed checkpoints in the history against the interval and
/// the timeout. Fails when the median takes longer than the interval or the slowest came within 20 % of the timeout.
/// </summary>
internal sealed class CheckpointDurationsCheck : CheckBase
{
    public override string Id => "checkpoint-durations";

    protected override string Title => "Durations";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        if (context.JobIdFor(null) is not { } jobId) return Unknown("no JobID is known for the job");
        var stats = await context.CheckpointsAsync(jobId, cancellationToken);
        var config = await context.CheckpointConfigAsync(jobId, cancellationToken);
        if (stats is null || config is null) return Fail("checkpointing is not enabled for this job");
        var durations = stats.History
            .Where(c => c is { Status: "COMPLETED", IsSavepoint: false, CompletedAt: not null })
            .Select(c => c.CompletedAt!.Value - c.TriggeredAt)
            .Order()
            .ToList();
        var settings = $"interval {Durations.Format(config.Interval)}; timeout {Durations.Format(config.Timeout)}";
        if (durations.Count == 0) return Unknown($"no completed checkpoint in the history; {settings}");
        var p50 = durations[(durations.Count - 1) / 2];
        var max = durations[^1];
        var verdicts = new List<string>();
        if (p50 > config.Interval) verdicts.Add("checkpoints take longer than the interval (they queue: raise the interval or find the slow vertex)");
        if (max >= config.Timeout * 0.8) verdicts.Add("the slowest came close to the timeout (the next slow one fails)");
        var evidence = $"p50 {Durations.Format(p50)}, max {Durations.Format(max)} over {durations.Count}; {settings}";
        return verdicts.Count == 0 ? Pass(evidence) : Fail(evidence + " → " + string.Join("; ", verdicts));
    }
}

/// <summary>
/// <c>state-size-trend</c>: the state size over the last <c>last</c> (default 10) completed checkpoints, oldest to newest.
/// Fails when it grew by more than <c>max-growth-percent</c> (default 50) over them: state that only grows (missing TTL,
/// unbounded keys) makes every checkpoint slower.
/// </summary>
internal sealed class StateSizeTrendCheck : CheckBase
{
    public override string Id => "state-size-trend";

    protected override string Title => "State size";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        if (context.JobIdFor(null) is not { } jobId) return Unknown("no JobID is known for the job");
        var stats = await context.CheckpointsAsync(jobId, cancellationToken);
        if (stats is null) return Fail("checkpointing is not enabled for this job");
        var sizes = stats.History
            .Where(c => c is { Status: "COMPLETED", StateSizeBytes: not null })
            .Take(IntParameter(spec, "last", 10))
            .Reverse()
            .Select(c => c.StateSizeBytes!.Value)
            .ToList();
        if (sizes.Count == 0) return Unknown("no completed checkpoint reports its size");
        if (sizes.Count == 1) return Pass($"{Sizes.Format(sizes[0])} (one completed checkpoint: no trend yet)");
        var growth = sizes[0] == 0 ? 0 : (sizes[^1] - sizes[0]) * 100.0 / sizes[0];
        var evidence = $"{Sizes.Format(sizes[0])} → {Sizes.Format(sizes[^1])} over the last {sizes.Count} completed ({growth.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)} %)";
        return growth > IntParameter(spec, "max-growth-percent", 50) ? Fail(evidence + " → state keeps growing: check state TTL and key cardinality") : Pass(evidence);
    }
}

/// <summary>
/// <c>savepoint-list</c>: the job's savepoints, newest first (at most <c>max</c>, default 10): from the platform's own
/// catalog when it keeps one (CMF), else from the bot's savepoint ledger. Passes when at least one is usable (completed,
/// not deleted); fails when there is none.
/// </summary>
internal sealed class SavepointListCheck : CheckBase
{
    public override string Id => "savepoint-list";

    protected override string Title => "Savepoints";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var max = Math.Max(1, IntParameter(spec, "max", 10));
        var jobName = context.Run.JobName;
        if (await context.Platform.ListSavepointsAsync(jobName, cancellationToken) is { } catalog)
        {
            if (catalog.Count == 0) return Fail($"cluster {context.Cluster.Name} keeps no savepoint of {jobName}");
            var lines = catalog.Take(max).Select(s =>
                $"• {s.Name} {s.State}{(s.CreatedAt is { } at ? ", " + Durations.Ago(context.Now, at) : "")}, {s.Source}" +
                $"{(s.Uid is { } uid ? $", uid {uid}" : "")}{(s.Path is { } path ? $"\n    {path}" : "")}");
            var usable = catalog.Count(s => s.State.Equals("COMPLETED", StringComparison.OrdinalIgnoreCase));
            var text = $"{catalog.Count} in the {context.Cluster.Platform} catalog, {usable} completed:\n" + string.Join("\n", lines);
            return usable > 0 ? Pass(text) : Fail(text);
        }

        if (context.Savepoints is not { } ledger) return Unknown("this bot keeps no savepoint ledger here, and the cluster keeps no savepoint catalog");
        var records = await ledger.ListAsync(context.Cluster.Name, jobName, max, cancellationToken);
        if (records.Count == 0)
        {
            return Fail($"the bot has taken no savepoint of {jobName} on {context.Cluster.Name} (Apache Flink keeps no savepoint catalog; the bot's ledger is the record)");
        }
        var listed = records.Select(r =>
        {
            var state = r.DeletedAt is { } deleted ? $"deleted {Durations.Ago(context.Now, deleted)}" : r.Path is null ? "not completed" : "completed";
            var kind = r.Kind == Storage.SavepointKind.Stop ? "stop-with-savepoint" : "savepoint";
            return $"• {Durations.Ago(context.Now, r.At)} {kind}, {state}{(r.RunId is { } run ? $", {run}" : "")}, of {Short(r.JobId)}" +
                (r.Path is { } path ? $"\n    {path}" : "");
        });
        var usableCount = records.Count(r => r.Path is not null && r.DeletedAt is null);
        var summary = $"{usableCount} usable of the newest {records.Count} in the bot's ledger:\n" + string.Join("\n", listed);
        return usableCount > 0 ? Pass(summary) : Fail(summary);
    }
}

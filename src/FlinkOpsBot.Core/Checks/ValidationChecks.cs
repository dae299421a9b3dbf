using System.Globalization;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Checks;

/// <summary><c>still-running</c>: the job (parameter <c>job</c>, default current) is RUNNING.</summary>
internal sealed class StillRunningCheck : CheckBase
{
    public override string Id => "still-running";

    protected override string Title => "Job is still RUNNING";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var jobId = context.JobIdFor(spec.With.GetValueOrDefault("job"));
        if (jobId is null) return Fail("no JobID is known for the job");
        var job = await context.JobAsync(jobId, cancellationToken);
        if (job is null) return Fail($"JobID {jobId} is no longer known to the cluster");
        var evidence = $"{jobId} is {job.Status}";
        return job.Status == JobStatus.Running ? Pass(evidence) : Fail(evidence);
    }
}

/// <summary><c>no-restarts</c>: the job (parameter <c>job</c>) has no entry in its exception history and never restarted.</summary>
internal sealed class NoRestartsCheck : CheckBase
{
    public override string Id => "no-restarts";

    protected override string Title => "No restarts or exceptions";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var jobId = context.JobIdFor(spec.With.GetValueOrDefault("job"));
        if (jobId is null) return Fail("no JobID is known for the job");
        var exceptions = await context.Platform.GetExceptionsAsync(jobId, 5, cancellationToken);
        if (exceptions.Count > 0)
        {
            var newest = exceptions[0];
            return Fail($"{exceptions.Count} exception(s); newest {Ago(context.Now, newest.At)}{(newest.TaskName is null ? "" : " in " + newest.TaskName)}: {newest.ExceptionName}");
        }
        var job = await context.JobAsync(jobId, cancellationToken);
        if (job is null) return Fail($"JobID {jobId} is no longer known to the cluster");
        if (job.StatusTimestamps.TryGetValue(JobStatus.Restarting.Value, out var restartedAt) && restartedAt >= job.StartTime)
        {
            return Fail($"the job restarted {Ago(context.Now, restartedAt)}");
        }
        return Pass("no exceptions, no restarts");
    }
}

/// <summary>
/// <c>checkpoints-completing</c>: the job (parameter <c>job</c>) completed a checkpoint within <c>max-intervals</c>
/// (default 3) checkpoint intervals and none failed since validation began.
/// </summary>
internal sealed class CheckpointsCompletingCheck : CheckBase
{
    public override string Id => "checkpoints-completing";

    protected override string Title => "Checkpoints are completing";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var jobId = context.JobIdFor(spec.With.GetValueOrDefault("job"));
        if (jobId is null) return Fail("no JobID is known for the job");
        var config = await context.CheckpointConfigAsync(jobId, cancellationToken);
        var stats = await context.CheckpointsAsync(jobId, cancellationToken);
        if (config is null || stats is null) return Fail("checkpointing is not enabled for the job");
        var since = context.Run.Vars.TryGetValue(RunVars.ValidationStartedAt, out var text)
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture)
            : context.Now;
        if (stats.LatestFailed is { } failed && failed.TriggeredAt >= since)
        {
            return Fail($"checkpoint #{failed.Id} failed {Ago(context.Now, failed.TriggeredAt)}: {failed.FailureMessage ?? "no reason given"}");
        }
        var limit = config.Interval * IntParameter(spec, "max-intervals", 3);
        if (stats.LatestCompleted is not { CompletedAt: { } completedAt } latest)
        {
            return context.Now - since <= limit
                ? Pass($"no checkpoint yet; the first is due within {Durations.Format(limit)}")
                : Fail($"no checkpoint completed within {Durations.Format(limit)}");
        }
        var age = context.Now - completedAt;
        var evidence = $"{stats.Completed} completed, latest #{latest.Id} {Durations.Ago(context.Now, completedAt)} (limit {Durations.Format(limit)})";
        return age <= limit ? Pass(evidence) : Fail(evidence);
    }
}

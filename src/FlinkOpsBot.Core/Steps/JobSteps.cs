using System.Globalization;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Steps;

/// <summary>
/// <c>stop-with-savepoint</c>: stops the run's job with a savepoint (no drain). The trigger id is chosen and
/// persisted before the request, so a repeated request is the same operation (Flink REST <c>POST /jobs/:jobid/stop</c>,
/// polled with <c>GET /jobs/:jobid/savepoints/:triggerid</c>). Records <see cref="RunVars.SavepointPath"/>.
/// </summary>
internal sealed class StopWithSavepointStep : IStep
{
    public string Kind => "stop-with-savepoint";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with) =>
        $"Stop {run.JobName} with a savepoint (no drain) into {run.Vars.GetValueOrDefault(RunVars.SavepointDirectory) ?? "the cluster's savepoint directory"}";

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var jobId = run.JobId ?? throw new InvalidOperationException("The run has no JobID to stop.");
        if (!run.Vars.TryGetValue(RunVars.StopTriggerId, out var triggerId))
        {
            // The first start of the step bounds the savepoint evidence, even after a person chose to retry it.
            context.SetScratch("since", (context.Step.StartedAt ?? context.Now).ToString("O", CultureInfo.InvariantCulture));
            run.Vars[RunVars.StopTriggerId] = JobIds.NewHex32();
            return new StepResult.Wait(TimeSpan.Zero, "trigger id chosen");
        }
        if (!run.Vars.ContainsKey(RunVars.StopRequested))
        {
            await SavepointRecords.RecordAsync(context, jobId, triggerId, null, Storage.SavepointKind.Stop, cancellationToken);
            await context.Platform.StopWithSavepointAsync(jobId, triggerId, run.Vars.GetValueOrDefault(RunVars.SavepointDirectory), cancellationToken);
            run.Vars[RunVars.StopRequested] = "true";
            return new StepResult.Wait(context.Cluster.EffectivePollInterval, $"stop requested (trigger id {triggerId})");
        }

        var operation = await context.Platform.GetSavepointOperationAsync(jobId, triggerId, cancellationToken);
        switch (operation.Status)
        {
            case SavepointOperationStatus.InProgress:
                return new StepResult.Wait(context.Cluster.EffectivePollInterval, "savepoint in progress");
            case SavepointOperationStatus.Completed when operation.Location is { } location:
                run.Vars[RunVars.SavepointPath] = location;
                await SavepointRecords.RecordAsync(context, jobId, triggerId, location, Storage.SavepointKind.Stop, cancellationToken);
                return StepResult.Ok($"savepoint at {location}; {jobId} stopped", ("jobId", jobId), ("triggerId", triggerId), ("savepointPath", location));
            case SavepointOperationStatus.Failed or SavepointOperationStatus.Completed:
                var job = await context.Platform.GetJobAsync(jobId, cancellationToken);
                if (job?.Status == JobStatus.Running)
                {
                    return StepResult.Fail($"stop-with-savepoint failed: {operation.Failure ?? "no savepoint location reported"}; JobID {jobId} is {job.Status}",
                        ("jobId", jobId), ("triggerId", triggerId));
                }
                // The operation failed but the job is no longer running (e.g. an earlier request with this trigger id
                // stopped it): the job's own evidence decides, never "left as it was".
                return await ReconcileStoppedJobAsync(context, jobId, triggerId, job, $"the stop reported a failure ({operation.Failure ?? "no savepoint location"})", cancellationToken);
            default:
                return await RecoverUnknownTriggerAsync(context, jobId, triggerId, cancellationToken);
        }
    }

    /// <summary>How many times a forgotten stop is requested again (same trigger id) while the job still runs.</summary>
    internal const int MaxStopResends = 3;

    // Flink keeps operation results for rest.async.store-duration (5 min by default) in the JobManager; after a
    // JobManager failover or a long pause the trigger id is forgotten. Then the job's own state and its checkpoint
    // statistics decide: still RUNNING → it was not stopped, so the stop is requested again with the same trigger id;
    // FINISHED with a completed savepoint taken since the step started → that is the stop's savepoint; anything else
    // cannot be decided safely, so the run is parked for a person with the evidence.
    private static async Task<StepResult> RecoverUnknownTriggerAsync(StepContext context, string jobId, string triggerId, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var job = await context.Platform.GetJobAsync(jobId, cancellationToken);
        if (job?.Status == JobStatus.Running)
        {
            var resent = int.TryParse(context.Scratch("resent"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            if (resent >= MaxStopResends)
            {
                return StepResult.Fail($"Flink forgot the stop's trigger id {triggerId} {resent} times and JobID {jobId} still RUNNING; the job was not stopped",
                    ("jobId", jobId), ("triggerId", triggerId), ("jobStatus", job.Status.Value));
            }
            context.SetScratch("resent", (resent + 1).ToString(CultureInfo.InvariantCulture));
            run.Vars.Remove(RunVars.StopRequested);
            return new StepResult.Wait(TimeSpan.Zero, $"Flink no longer knows trigger id {triggerId} and the job still runs; requesting the stop again with the same trigger id");
        }

        return await ReconcileStoppedJobAsync(context, jobId, triggerId, job, $"Flink no longer knows the stop's trigger id {triggerId}", cancellationToken);
    }

    /// <summary>
    /// Decides a stop whose operation result is lost or contradicts the job: FINISHED with a completed savepoint taken
    /// since the step first started (under the run's savepoint directory, if one was given) → Done with that path;
    /// anything else → Uncertain with the evidence.
    /// </summary>
    private static async Task<StepResult> ReconcileStoppedJobAsync(StepContext context, string jobId, string triggerId, JobDetails? job, string what,
        CancellationToken cancellationToken)
    {
        var run = context.Run;
        if (job is not null && !job.Status.IsGloballyTerminal && job.Status != JobStatus.Running)
        {
            return new StepResult.Wait(context.Cluster.EffectivePollInterval, $"{what}; JobID {jobId} is {job.Status}, waiting for it to settle");
        }
        var directory = run.Vars.GetValueOrDefault(RunVars.SavepointDirectory);
        var since = DateTimeOffset.TryParse(context.Scratch("since"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var s)
            ? s : context.Step.StartedAt ?? DateTimeOffset.MinValue;
        CheckpointInfo? savepoint = null;
        if (job is not null)
        {
            var stats = await context.Platform.GetCheckpointStatsAsync(jobId, cancellationToken);
            savepoint = stats is null ? null : LatestSavepoint(stats);
        }
        var state = job is null ? "is no longer known to the cluster" : $"is {job.Status}";
        var evidence = new List<(string, string)> { ("jobId", jobId), ("triggerId", triggerId), ("jobStatus", job?.Status.Value ?? "unknown to the cluster") };
        if (job?.EndTime is { } ended) evidence.Add(("jobEndedAt", ended.ToString("O", CultureInfo.InvariantCulture)));
        if (savepoint is { ExternalPath: { } found })
        {
            evidence.Add(("latestSavepoint", found));
            evidence.Add(("latestSavepointTriggeredAt", savepoint.TriggeredAt.ToString("O", CultureInfo.InvariantCulture)));
        }
        evidence.Add(("stepStartedAt", since.ToString("O", CultureInfo.InvariantCulture)));

        if (job?.Status == JobStatus.Finished && savepoint is { ExternalPath: { } path } && savepoint.TriggeredAt >= since
            && (directory is null || path.StartsWith(directory, StringComparison.Ordinal)))
        {
            run.Vars[RunVars.SavepointPath] = path;
            await SavepointRecords.RecordAsync(context, jobId, triggerId, path, Storage.SavepointKind.Stop, cancellationToken);
            evidence.Add(("savepointPath", path));
            evidence.Add(("reconciled", $"{what}; job FINISHED with a savepoint completed after the step started"));
            return StepResult.Ok($"savepoint at {path}; {jobId} stopped ({what}; found by the job's checkpoint statistics)", [.. evidence]);
        }

        var why = savepoint is null
            ? "and no completed savepoint is recorded for it"
            : savepoint.TriggeredAt < since
                ? $"and its newest savepoint {savepoint.ExternalPath} is older than this step"
                : $"and its newest savepoint {savepoint.ExternalPath} is not under {directory}";
        return StepResult.Unsure(
            $"{what}; JobID {jobId} {state} {why}. Check for a savepoint under " +
            $"{directory ?? "the savepoint directory"} written since {since:HH:mm:ss} UTC",
            [.. evidence]);
    }

    /// <summary>The newest completed savepoint with a path in the statistics (history and latest), or null.</summary>
    private static CheckpointInfo? LatestSavepoint(CheckpointStats stats) => stats.History
        .Append(stats.LatestCompleted)
        .OfType<CheckpointInfo>()
        .Where(c => c.IsSavepoint && c.ExternalPath is not null && string.Equals(c.Status, "COMPLETED", StringComparison.OrdinalIgnoreCase))
        .OrderByDescending(c => c.Id)
        .FirstOrDefault();
}

/// <summary>
/// <c>submit-from-savepoint</c>: runs a jar (<c>jar: target|rollback</c>) as a new job (<c>job: new|rollback</c>) from the
/// run's savepoint. The JobID is chosen and persisted before the request and the cluster is asked whether it already
/// knows it before any submission, so a resumed run never submits twice (Flink REST <c>POST /jars/:jarid/run</c>).
/// </summary>
internal sealed class SubmitFromSavepointStep : IStep
{
    public string Kind => "submit-from-savepoint";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with)
    {
        var target = with.GetValueOrDefault("jar") != "rollback";
        var jar = target ? run.Inputs.GetValueOrDefault("jar") : JarNames.Display(run.Vars.GetValueOrDefault(RunVars.RollbackJarId));
        var parallelism = run.Vars.GetValueOrDefault(target ? RunVars.TargetParallelism : RunVars.PreviousParallelism) ?? "unchanged";
        var nonRestored = target && run.Inputs.ContainsKey("allow-non-restored-state") ? ", allowNonRestoredState" : "";
        if (target && FromScratch(run)) return $"Start {jar} without state (--from-scratch), parallelism {parallelism}";
        return $"Start {jar} from the savepoint, parallelism {parallelism}{nonRestored}";
    }

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var target = context.Parameter("jar") != "rollback";
        var jobVar = context.Parameter("job") == "rollback" ? RunVars.RollbackJobId : RunVars.NewJobId;
        var jarId = run.Vars.GetValueOrDefault(target ? RunVars.TargetJarId : RunVars.RollbackJarId);
        if (jarId is null) return StepResult.Fail("no jar was resolved for this step");
        if (run.Vars.GetValueOrDefault(RunVars.SavepointPath) is not { } savepoint) return StepResult.Fail("no savepoint was taken, so there is nothing to start from");

        var parallelism = int.TryParse(run.Vars.GetValueOrDefault(target ? RunVars.TargetParallelism : RunVars.PreviousParallelism),
            NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : (int?)null;
        var allowNonRestored = target && run.Inputs.ContainsKey("allow-non-restored-state");
        var restoreFrom = target && FromScratch(run) ? null : savepoint;
        return await JobSubmission.SubmitOnceAsync(context, jobVar, jarId,
            jobId => new JarRunRequest(jobId, parallelism, restoreFrom, allowNonRestored, JobName: run.JobName),
            (jobId, how) => Submitted(jobId, jarId, savepoint, how), [("jarId", jarId), ("savepointPath", savepoint)], cancellationToken);
    }

    /// <summary>True when the run asked for the new version to start without state (upgrade <c>--from-scratch</c>, cookbook 2.2).</summary>
    internal static bool FromScratch(Run run) => run.Inputs.ContainsKey("from-scratch");

    private static StepResult Submitted(string jobId, string jarId, string savepoint, string how) =>
        StepResult.Ok($"JobID {jobId} {how} from {savepoint}", ("jobId", jobId), ("jarId", jarId), ("savepointPath", savepoint));
}

/// <summary><c>await-running</c>: waits until the job (<c>job: new|rollback</c>) is RUNNING with an empty exception history.</summary>
internal sealed class AwaitRunningStep : IStep
{
    public string Kind => "await-running";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with) =>
        $"Wait until the {Role(with)} job is RUNNING with no exceptions";

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var jobId = context.JobIdFor(context.Parameter("job")) ?? throw new InvalidOperationException("No JobID to wait for.");
        var job = await context.Platform.GetJobAsync(jobId, cancellationToken);
        if (job is null) return new StepResult.Wait(context.Cluster.EffectivePollInterval, $"waiting for {jobId} to appear");
        if (await JobHealth.ProblemAsync(context, job, cancellationToken) is { } problem) return StepResult.Fail(problem, ("jobId", jobId));
        return job.Status == JobStatus.Running
            ? StepResult.Ok($"{jobId} is RUNNING", ("jobId", jobId))
            : new StepResult.Wait(context.Cluster.EffectivePollInterval, $"{jobId} is {job.Status}");
    }

    internal static string Role(IReadOnlyDictionary<string, string> with) => with.GetValueOrDefault("job") ?? "current";
}

/// <summary>
/// <c>await-checkpoint-after-restore</c>: waits until the job (<c>job: new|rollback</c>) has restored from the run's savepoint
/// and completed a checkpoint after the restore.
/// </summary>
internal sealed class AwaitCheckpointAfterRestoreStep : IStep
{
    public string Kind => "await-checkpoint-after-restore";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with) =>
        $"Wait for the {AwaitRunningStep.Role(with)} job to complete a checkpoint after the restore";

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var jobId = context.JobIdFor(context.Parameter("job")) ?? throw new InvalidOperationException("No JobID to wait for.");
        var job = await context.Platform.GetJobAsync(jobId, cancellationToken);
        if (job is null) return StepResult.Fail($"JobID {jobId} is no longer known to the cluster", ("jobId", jobId));
        if (await JobHealth.ProblemAsync(context, job, cancellationToken) is { } problem) return StepResult.Fail(problem, ("jobId", jobId));
        var stats = await context.Platform.GetCheckpointStatsAsync(jobId, cancellationToken);
        if (stats is null) return StepResult.Fail($"checkpointing is not enabled for {jobId}", ("jobId", jobId));
        var savepoint = context.Run.Vars.GetValueOrDefault(RunVars.SavepointPath);
        if (context.Parameter("job") == "new" && SubmitFromSavepointStep.FromScratch(context.Run))
        {
            // Started without state (--from-scratch): there is no restore to wait for, only a first checkpoint.
            return stats.LatestCompleted is { CompletedAt: { } first } done && first >= job.StartTime
                ? StepResult.Ok($"checkpoint #{done.Id} completed; started without state", ("jobId", jobId), ("checkpointId", done.Id.ToString(CultureInfo.InvariantCulture)))
                : new StepResult.Wait(context.Cluster.EffectivePollInterval, "started without state; waiting for the first checkpoint");
        }
        if (stats.RestoredFrom is null || stats.RestoredAt is not { } restoredAt)
        {
            return new StepResult.Wait(context.Cluster.EffectivePollInterval, "waiting for the restore to be reported");
        }
        if (savepoint is not null && stats.RestoredFrom != savepoint)
        {
            return StepResult.Fail($"{jobId} restored from {stats.RestoredFrom}, not from the run's savepoint {savepoint}", ("jobId", jobId));
        }
        if (stats.LatestCompleted is { CompletedAt: { } completedAt } latest && completedAt > restoredAt)
        {
            return StepResult.Ok($"checkpoint #{latest.Id} completed after the restore from {stats.RestoredFrom}",
                ("jobId", jobId), ("checkpointId", latest.Id.ToString(CultureInfo.InvariantCulture)), ("restoredFrom", stats.RestoredFrom));
        }
        return new StepResult.Wait(context.Cluster.EffectivePollInterval, "restored; waiting for the first checkpoint");
    }
}

/// <summary><c>cancel-job</c>: cancels the job (<c>job: new|rollback</c>) if it was submitted and still runs (Flink REST <c>PATCH /jobs/:jobid?mode=cancel</c>).</summary>
internal sealed class CancelJobStep : IStep
{
    public string Kind => "cancel-job";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with) =>
        $"Cancel the {AwaitRunningStep.Role(with)} job if it runs";

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.JobIdFor(context.Parameter("job")) is not { } jobId) return new StepResult.Skipped("no job was submitted");
        var job = await context.Platform.GetJobAsync(jobId, cancellationToken);
        if (job is null) return new StepResult.Skipped($"{jobId} is not known to the cluster");
        if (job.Status.IsGloballyTerminal)
        {
            return context.Scratch("requested") is null
                ? new StepResult.Skipped($"{jobId} had already ended ({job.Status})")
                : StepResult.Ok($"{jobId} is {job.Status}", ("jobId", jobId));
        }
        if (context.Scratch("requested") is null)
        {
            try
            {
                await context.Platform.CancelJobAsync(jobId, cancellationToken);
            }
            catch (PlatformException e) when (e.StatusCode == 409)
            {
                // The job reached FINISHED or FAILED between the read and the cancel: nothing left to cancel.
            }
            context.SetScratch("requested", "true");
            return new StepResult.Wait(context.Cluster.EffectivePollInterval, $"cancel requested for {jobId}");
        }
        return new StepResult.Wait(context.Cluster.EffectivePollInterval, $"{jobId} is {job.Status}");
    }
}

/// <summary>What makes a starting job unhealthy: a failure state or an exception in its history.</summary>
internal static class JobHealth
{
    public static async Task<string?> ProblemAsync(StepContext context, JobDetails job, CancellationToken cancellationToken)
    {
        var exceptions = await context.Platform.GetExceptionsAsync(job.JobId, 1, cancellationToken);
        var newest = exceptions.Count > 0 ? $": {exceptions[0].ExceptionName}" : "";
        if (job.Status == JobStatus.Failed || job.Status == JobStatus.Failing || job.Status == JobStatus.Restarting ||
            job.Status == JobStatus.Canceled || job.Status == JobStatus.Cancelling || job.Status == JobStatus.Finished)
        {
            return $"{job.JobId} is {job.Status}{newest}";
        }
        return exceptions.Count > 0 ? $"{job.JobId} reported an exception{newest}" : null;
    }
}

/// <summary>Jar ids as people know them.</summary>
public static class JarNames
{
    /// <summary>The file name part of a Flink jar id (<c>&lt;uuid&gt;_orders-2.4.jar</c> → <c>orders-2.4.jar</c>), or the id itself.</summary>
    public static string Display(string? jarId)
    {
        if (jarId is null) return "(unknown jar)";
        var underscore = jarId.IndexOf('_', StringComparison.Ordinal);
        return underscore == 36 ? jarId[(underscore + 1)..] : jarId;
    }
}

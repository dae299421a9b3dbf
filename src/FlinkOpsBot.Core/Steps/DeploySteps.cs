using System.Globalization;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Steps;

/// <summary>
/// <c>submit-job</c>: runs a jar as a new job named after the run (<see cref="JarRunRequest.JobName"/>), with or without
/// state. Parameters: <c>jar: target|rollback</c> (default target), <c>job: new|rollback</c> (the role whose JobID it
/// chooses, default new), <c>parallelism: target|previous</c> (default: target for the target jar, previous for the
/// rollback jar), <c>restore: savepoint|none</c> (default: from <see cref="RunVars.SavepointPath"/> when a precondition or an
/// earlier step set one, else without state). The target jar gets the run's program arguments
/// (<see cref="DeployVars.ProgramArgs"/>) and <c>--allow-non-restored-state</c>. The JobID is chosen and persisted before
/// the request, and the cluster is asked whether it knows it before any submission, so a resumed run never submits
/// twice. Flink REST <c>POST /jars/:jarid/run</c>.
/// </summary>
internal sealed class SubmitJobStep : IStep
{
    public string Kind => "submit-job";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with)
    {
        var target = with.GetValueOrDefault("jar") != "rollback";
        var jar = JarNames.Display(run.Vars.GetValueOrDefault(target ? RunVars.TargetJarId : RunVars.RollbackJarId) ?? run.Inputs.GetValueOrDefault("jar"));
        var parallelism = run.Vars.GetValueOrDefault(ParallelismVar(with)) ?? "the jar's default";
        var from = Restore(run, with) is { } path ? $"from {path}" : "without state";
        var args = target && DeployVars.Args(run) is { Count: > 0 } a ? $", arguments {string.Join(' ', a)}" : "";
        var nonRestored = target && run.Inputs.ContainsKey("allow-non-restored-state") ? ", allowNonRestoredState" : "";
        return $"Start {jar} as {run.JobName} {from}, parallelism {parallelism}{args}{nonRestored}";
    }

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var with = context.Step.With;
        var target = context.Parameter("jar") != "rollback";
        var jobVar = context.Parameter("job") == "rollback" ? RunVars.RollbackJobId : RunVars.NewJobId;
        var jarId = run.Vars.GetValueOrDefault(target ? RunVars.TargetJarId : RunVars.RollbackJarId);
        if (jarId is null) return StepResult.Fail("no jar was resolved for this step");
        var restore = Restore(run, with);
        if (restore is null && context.Parameter("restore") == "required") return StepResult.Fail("no restore point was resolved, and this job must not start without state");

        var parallelism = int.TryParse(run.Vars.GetValueOrDefault(ParallelismVar(with)), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : (int?)null;
        var args = target && DeployVars.Args(run) is { Count: > 0 } a ? a : null;
        var allowNonRestored = target && run.Inputs.ContainsKey("allow-non-restored-state");
        return await JobSubmission.SubmitOnceAsync(context, jobVar, jarId,
            jobId => new JarRunRequest(jobId, parallelism, restore, allowNonRestored, args, run.JobName),
            (jobId, how) => Submitted(jobId, jarId, restore, how), [("jarId", jarId), ("restoreFrom", restore ?? "none")], cancellationToken);
    }

    private static string? Restore(Run run, IReadOnlyDictionary<string, string> with) =>
        with.GetValueOrDefault("restore") == "none" ? null : run.Vars.GetValueOrDefault(RunVars.SavepointPath);

    private static string ParallelismVar(IReadOnlyDictionary<string, string> with) => with.GetValueOrDefault("parallelism") switch
    {
        "previous" => RunVars.PreviousParallelism,
        "target" => RunVars.TargetParallelism,
        _ => with.GetValueOrDefault("jar") == "rollback" ? RunVars.PreviousParallelism : RunVars.TargetParallelism,
    };

    private static StepResult Submitted(string jobId, string jarId, string? restore, string how) =>
        StepResult.Ok($"JobID {jobId} {how} {(restore is null ? "without state" : "from " + restore)}",
            ("jobId", jobId), ("jarId", jarId), ("restoreFrom", restore ?? "none"));
}

/// <summary>
/// <c>await-checkpoint</c>: waits until the job (<c>job: new|rollback</c>) completes a checkpoint: after its restore when it
/// started from <see cref="RunVars.SavepointPath"/> (as <c>await-checkpoint-after-restore</c>), else a checkpoint completed
/// since both the job and this step started (a job rescaled in place keeps its start time). Flink REST <c>GET /jobs/:jobid/checkpoints</c>.
/// </summary>
internal sealed class AwaitCheckpointStep : IStep
{
    private readonly AwaitCheckpointAfterRestoreStep _afterRestore = new();

    public string Kind => "await-checkpoint";

    // A restore point resolved only after a cancel (redeploy --from last-checkpoint) is announced by the from-savepoint flag.
    public string Describe(Run run, IReadOnlyDictionary<string, string> with) =>
        run.Vars.ContainsKey(RunVars.SavepointPath) || Engine.StepConditions.IsSet(run, Engine.StepConditions.FromSavepoint)
        ? _afterRestore.Describe(run, with)
        : $"Wait for the {AwaitRunningStep.Role(with)} job to complete its first checkpoint";

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.Run.Vars.ContainsKey(RunVars.SavepointPath)) return await _afterRestore.ExecuteAsync(context, cancellationToken);
        var jobId = context.JobIdFor(context.Parameter("job")) ?? throw new InvalidOperationException("No JobID to wait for.");
        var job = await context.Platform.GetJobAsync(jobId, cancellationToken);
        if (job is null) return StepResult.Fail($"JobID {jobId} is no longer known to the cluster", ("jobId", jobId));
        if (await JobHealth.ProblemAsync(context, job, cancellationToken) is { } problem) return StepResult.Fail(problem, ("jobId", jobId));
        var stats = await context.Platform.GetCheckpointStatsAsync(jobId, cancellationToken);
        if (stats is null) return StepResult.Fail($"checkpointing is not enabled for {jobId}", ("jobId", jobId));
        // After the job started and after this step started: a job rescaled in place keeps its JobID and start time.
        var since = context.Step.StartedAt is { } stepStart && stepStart > job.StartTime ? stepStart : job.StartTime;
        if (stats.LatestCompleted is { CompletedAt: { } completedAt } latest && completedAt >= since)
        {
            return StepResult.Ok($"checkpoint #{latest.Id} completed {Recipes.Durations.Format(completedAt - since)} after {(since == job.StartTime ? "the start" : "the change")}",
                ("jobId", jobId), ("checkpointId", latest.Id.ToString(CultureInfo.InvariantCulture)));
        }
        return new StepResult.Wait(context.Cluster.EffectivePollInterval, "running; waiting for the first checkpoint");
    }
}

/// <summary>
/// <c>pin-restore-point</c>: after the current job was cancelled, takes its newest retained checkpoint (the one Flink keeps on
/// cancellation) as <see cref="RunVars.SavepointPath"/>, the point the next steps restore from; skipped when a precondition
/// already resolved one (an explicit path or a savepoint). Fails when the job retained no checkpoint. Flink REST
/// <c>GET /jobs/:jobid/checkpoints</c>.
/// </summary>
internal sealed class PinRestorePointStep : IStep
{
    public string Kind => "pin-restore-point";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with) => run.Vars.GetValueOrDefault(RunVars.SavepointPath) is { } path
        ? $"Restore from {path}"
        : $"Take the checkpoint {run.JobName} retained on cancellation as the restore point";

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        if (run.Vars.GetValueOrDefault(RunVars.SavepointPath) is { } resolved) return new StepResult.Skipped($"resolved before the gate: {resolved}");
        var jobId = run.JobId ?? throw new InvalidOperationException("The run has no JobID.");
        var stats = await context.Platform.GetCheckpointStatsAsync(jobId, cancellationToken);
        var retained = stats?.History.Append(stats.LatestCompleted).OfType<CheckpointInfo>()
            .Where(c => !c.IsSavepoint && c.ExternalPath is not null && string.Equals(c.Status, "COMPLETED", StringComparison.OrdinalIgnoreCase))
            .MaxBy(c => c.Id);
        if (retained is null)
        {
            return StepResult.Fail($"JobID {jobId} retained no checkpoint; nothing to restore from", ("jobId", jobId));
        }
        run.Vars[RunVars.SavepointPath] = retained.ExternalPath!;
        return StepResult.Ok($"restoring from checkpoint #{retained.Id} at {retained.ExternalPath}",
            ("jobId", jobId), ("checkpointId", retained.Id.ToString(CultureInfo.InvariantCulture)), ("restoreFrom", retained.ExternalPath!));
    }
}

/// <summary>The one-submission rule every step that runs a jar follows.</summary>
internal static class JobSubmission
{
    /// <summary>
    /// Submits a jar at most once per run role: the JobID is chosen and persisted in <paramref name="jobVar"/> first (the
    /// step returns a zero wait so the run is written), the cluster is asked whether it already knows that JobID before
    /// any submission, and a refused submission is checked again by JobID (a duplicate means an earlier attempt got
    /// through). <paramref name="submitted"/> builds the success from the JobID and how it was submitted; a real refusal
    /// fails with <paramref name="refusalEvidence"/>. Flink REST <c>GET /jobs/:jobid</c>, <c>POST /jars/:jarid/run</c>.
    /// </summary>
    public static async Task<StepResult> SubmitOnceAsync(StepContext context, string jobVar, string jarId, Func<string, JarRunRequest> request,
        Func<string, string, StepResult> submitted, (string Key, string Value)[] refusalEvidence, CancellationToken cancellationToken)
    {
        var run = context.Run;
        if (!run.Vars.TryGetValue(jobVar, out var jobId))
        {
            run.Vars[jobVar] = JobIds.NewHex32();
            return new StepResult.Wait(TimeSpan.Zero, "JobID chosen");
        }
        if (await context.Platform.GetJobAsync(jobId, cancellationToken) is { } existing)
        {
            return submitted(jobId, $"already submitted ({existing.Status})");
        }
        try
        {
            await context.Platform.RunJarAsync(jarId, request(jobId), cancellationToken);
        }
        catch (PlatformException e) when (!e.IsTransient)
        {
            if (await context.Platform.GetJobAsync(jobId, cancellationToken) is { } found)
            {
                return submitted(jobId, $"already submitted ({found.Status})");
            }
            return StepResult.Fail($"the cluster refused to start {JarNames.Display(jarId)}: {e.Message}", refusalEvidence);
        }
        return submitted(jobId, "submitted");
    }
}

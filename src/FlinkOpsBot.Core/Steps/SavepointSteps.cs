using System.Globalization;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Steps;

/// <summary>
/// <c>trigger-savepoint</c>: takes a savepoint of the run's job while it keeps running. The trigger id is chosen and
/// persisted (and recorded in the savepoint ledger as an intent) before the request, so a repeated request is the same
/// operation; the path is recorded once the savepoint completed. If Flink forgets the trigger id (its operation cache
/// expired, or the JobManager failed over) the request is sent again with the same id while the job still runs, at most
/// <see cref="MaxResends"/> times. Flink REST <c>POST /jobs/:jobid/savepoints</c>, polled with
/// <c>GET /jobs/:jobid/savepoints/:triggerid</c>. Records <see cref="RunVars.SavepointPath"/>.
/// </summary>
internal sealed class TriggerSavepointStep : IStep
{
    /// <summary>How many times a forgotten trigger is requested again (same trigger id).</summary>
    internal const int MaxResends = 3;

    public string Kind => "trigger-savepoint";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with) =>
        $"Take a savepoint of {run.JobName} into {run.Vars.GetValueOrDefault(RunVars.SavepointDirectory) ?? "the cluster's savepoint directory"} (the job keeps running)";

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var jobId = run.JobId ?? throw new InvalidOperationException("The run has no JobID to take a savepoint of.");
        if (!run.Vars.TryGetValue(DeployVars.SavepointTriggerId, out var triggerId))
        {
            run.Vars[DeployVars.SavepointTriggerId] = JobIds.NewHex32();
            return new StepResult.Wait(TimeSpan.Zero, "trigger id chosen");
        }
        if (!run.Vars.ContainsKey(DeployVars.SavepointRequested))
        {
            await SavepointRecords.RecordAsync(context, jobId, triggerId, null, SavepointKind.Savepoint, cancellationToken);
            await context.Platform.TriggerSavepointAsync(jobId, triggerId, run.Vars.GetValueOrDefault(RunVars.SavepointDirectory), cancellationToken);
            run.Vars[DeployVars.SavepointRequested] = "true";
            return new StepResult.Wait(context.Cluster.EffectivePollInterval, $"savepoint requested (trigger id {triggerId})");
        }

        var operation = await context.Platform.GetSavepointOperationAsync(jobId, triggerId, cancellationToken);
        switch (operation.Status)
        {
            case SavepointOperationStatus.InProgress:
                return new StepResult.Wait(context.Cluster.EffectivePollInterval, "savepoint in progress");
            case SavepointOperationStatus.Completed when operation.Location is { } location:
                run.Vars[RunVars.SavepointPath] = location;
                await SavepointRecords.RecordAsync(context, jobId, triggerId, location, SavepointKind.Savepoint, cancellationToken);
                return StepResult.Ok($"savepoint at {location}; {jobId} keeps running", ("jobId", jobId), ("triggerId", triggerId), ("savepointPath", location));
            case SavepointOperationStatus.Failed or SavepointOperationStatus.Completed:
                return StepResult.Fail($"the savepoint failed: {operation.Failure ?? "no savepoint location reported"}; JobID {jobId} was not stopped",
                    ("jobId", jobId), ("triggerId", triggerId));
            default:
                var job = await context.Platform.GetJobAsync(jobId, cancellationToken);
                var resent = int.TryParse(context.Scratch("resent"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
                if (job?.Status != JobStatus.Running || resent >= MaxResends)
                {
                    return StepResult.Fail($"Flink no longer knows trigger id {triggerId} and JobID {jobId} is {job?.Status.Value ?? "unknown to the cluster"}; " +
                                           "no savepoint was confirmed, the job was not changed", ("jobId", jobId), ("triggerId", triggerId));
                }
                context.SetScratch("resent", (resent + 1).ToString(CultureInfo.InvariantCulture));
                run.Vars.Remove(DeployVars.SavepointRequested);
                return new StepResult.Wait(TimeSpan.Zero, $"Flink no longer knows trigger id {triggerId}; requesting the savepoint again with the same trigger id");
        }
    }
}

/// <summary>Writes the savepoints steps take into the bot's savepoint ledger.</summary>
internal static class SavepointRecords
{
    /// <summary>
    /// Records the savepoint <paramref name="triggerId"/> of <paramref name="jobId"/> under the run's job name: an intent when
    /// <paramref name="path"/> is null, the completed savepoint otherwise (the same name replaces the intent). Does nothing
    /// without a ledger.
    /// </summary>
    public static Task RecordAsync(StepContext context, string jobId, string triggerId, string? path, SavepointKind kind, CancellationToken cancellationToken) =>
        context.Savepoints?.RecordAsync(new SavepointRecord(context.Run.Cluster, context.Run.JobName, jobId, triggerId, path, kind, context.Run.Id,
            context.Step.StartedAt ?? context.Now), cancellationToken) ?? Task.CompletedTask;
}

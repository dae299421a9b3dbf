using System.Globalization;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Steps;

/// <summary>
/// <c>await-caught-up</c>: watches a backfill job (<c>job: new</c>) until it is done: FINISHED (a bounded backfill), or
/// RUNNING with its sources' records lag (FLIP-33 <c>pendingRecords</c>, summed over source vertices) at or below
/// <c>max-lag</c> records (default 0). Shows the lag and how it moved since the step started; fails when the job fails.
/// Without a lag report the step waits for FINISHED, up to its <c>timeout</c>. Flink REST <c>GET /jobs/:jobid</c> and the
/// vertex metrics behind <see cref="IFlinkPlatform.GetVertexLoadAsync"/>.
/// </summary>
internal sealed class AwaitCaughtUpStep : IStep
{
    public string Kind => "await-caught-up";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with) =>
        $"Wait until the backfill has caught up (records lag ≤ {MaxLag(with).ToString("N0", CultureInfo.InvariantCulture)}) or FINISHED";

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var jobId = context.JobIdFor(context.Parameter("job")) ?? throw new InvalidOperationException("No JobID to watch.");
        var job = await context.Platform.GetJobAsync(jobId, cancellationToken);
        if (job is null) return StepResult.Fail($"JobID {jobId} is no longer known to the cluster", ("jobId", jobId));
        if (job.Status == JobStatus.Finished)
        {
            context.Run.Vars[DeployVars.Outcome] = $"Backfill {context.Run.JobName} (JobID {jobId}) FINISHED: it read its whole range; the production job was not touched.";
            return StepResult.Ok($"{jobId} FINISHED: the bounded backfill read its whole range", ("jobId", jobId), ("jobStatus", job.Status.Value));
        }
        if (await JobHealth.ProblemAsync(context, job, cancellationToken) is { } problem) return StepResult.Fail(problem, ("jobId", jobId));
        if (job.Status != JobStatus.Running) return new StepResult.Wait(context.Cluster.EffectivePollInterval, $"{jobId} is {job.Status}");

        long? lag;
        try
        {
            var load = await context.Platform.GetVertexLoadAsync(jobId, cancellationToken);
            var reported = load.Where(v => v.RecordsLag is not null).ToList();
            lag = reported.Count == 0 ? null : reported.Sum(v => v.RecordsLag!.Value);
        }
        catch (PlatformUnsupportedException)
        {
            lag = null;
        }
        if (lag is not { } now)
        {
            return new StepResult.Wait(context.Cluster.EffectivePollInterval, "RUNNING; the sources report no records lag, so waiting for FINISHED");
        }
        if (context.Scratch("firstLag") is null) context.SetScratch("firstLag", now.ToString(CultureInfo.InvariantCulture));
        var first = long.Parse(context.Scratch("firstLag")!, CultureInfo.InvariantCulture);
        var shown = $"records lag {now.ToString("N0", CultureInfo.InvariantCulture)} (was {first.ToString("N0", CultureInfo.InvariantCulture)} when watching began)";
        if (now <= MaxLag(context.Step.With))
        {
            context.Run.Vars[DeployVars.Outcome] = $"Backfill {context.Run.JobName} (JobID {jobId}) caught up ({shown}) and was then cancelled; the production job was not touched.";
        }
        return now <= MaxLag(context.Step.With)
            ? StepResult.Ok($"caught up: {shown}", ("jobId", jobId), ("recordsLag", now.ToString(CultureInfo.InvariantCulture)))
            : new StepResult.Wait(context.Cluster.EffectivePollInterval, shown);
    }

    private static long MaxLag(IReadOnlyDictionary<string, string> with) =>
        long.TryParse(with.GetValueOrDefault("max-lag"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}

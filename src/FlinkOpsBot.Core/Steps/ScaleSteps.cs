using System.Globalization;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Steps;

/// <summary>
/// <c>rescale-in-place</c>: rescales the run's job without a resubmission, for the adaptive scheduler: sets every vertex's
/// parallelism bounds to 1..N (<c>to: target</c>, default, or <c>to: previous</c> for a rollback) and waits until the job is
/// RUNNING with parallelism N (it restarts from its latest checkpoint). The request is idempotent, so it is simply sent
/// again after a crash. The JobID stays the same; it becomes the run's <c>new</c> (or <c>rollback</c>) job. Flink REST
/// <c>GET</c>/<c>PUT /jobs/:jobid/resource-requirements</c>, then <c>GET /jobs/:jobid</c>.
/// </summary>
internal sealed class RescaleInPlaceStep : IStep
{
    public string Kind => "rescale-in-place";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with)
    {
        var (from, to) = with.GetValueOrDefault("to") == "previous"
            ? (RunVars.TargetParallelism, RunVars.PreviousParallelism)
            : (RunVars.PreviousParallelism, RunVars.TargetParallelism);
        return $"Rescale {run.JobName} in place from parallelism {run.Vars.GetValueOrDefault(from) ?? "?"} to {run.Vars.GetValueOrDefault(to) ?? "?"} (adaptive scheduler)";
    }

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var back = context.Parameter("to") == "previous";
        var jobId = run.JobId ?? throw new InvalidOperationException("The run has no JobID to rescale.");
        if (!int.TryParse(run.Vars.GetValueOrDefault(back ? RunVars.PreviousParallelism : RunVars.TargetParallelism), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return StepResult.Fail("no parallelism was resolved for this step");
        }
        if (context.Scratch("requested") is null)
        {
            var current = await context.Platform.GetResourceRequirementsAsync(jobId, cancellationToken);
            if (current is null)
            {
                return StepResult.Fail($"JobID {jobId} has no resource requirements: the cluster does not run the adaptive scheduler, so it cannot be rescaled in place", ("jobId", jobId));
            }
            await context.Platform.SetResourceRequirementsAsync(jobId, current.Select(r => new ResourceRequirement(r.VertexId, 1, n)).ToList(), cancellationToken);
            context.SetScratch("requested", "true");
            return new StepResult.Wait(context.Cluster.EffectivePollInterval, $"resource requirements set to 1..{n} for {current.Count} vertices");
        }
        var job = await context.Platform.GetJobAsync(jobId, cancellationToken);
        if (job is null) return StepResult.Fail($"JobID {jobId} is no longer known to the cluster", ("jobId", jobId));
        if (job.Status.IsGloballyTerminal || job.Status == JobStatus.Failing) return StepResult.Fail($"{jobId} is {job.Status} after the rescale request", ("jobId", jobId));
        if (job.Status == JobStatus.Running && job.Parallelism == n)
        {
            run.Vars[back ? RunVars.RollbackJobId : RunVars.NewJobId] = jobId;
            return StepResult.Ok($"{jobId} RUNNING with parallelism {n}", ("jobId", jobId), ("parallelism", n.ToString(CultureInfo.InvariantCulture)));
        }
        return new StepResult.Wait(context.Cluster.EffectivePollInterval, $"{jobId} is {job.Status} with parallelism {job.Parallelism}, waiting for {n}");
    }
}

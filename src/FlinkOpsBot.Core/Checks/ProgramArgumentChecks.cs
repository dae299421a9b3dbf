using FlinkOpsBot.Core.Plans;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Checks;

/// <summary>
/// <c>program-arguments</c>: builds the new job's program arguments and shows them as the plan fact "Program arguments".
/// Parameters: <c>named</c>, a comma-separated list of inputs passed on as <c>--&lt;input&gt; &lt;value&gt;</c> first (a backfill's
/// <c>start-timestamp,start-offsets</c>); <c>one-of</c>, "exactly one of these inputs is required" (comma-separated). Then
/// the words of <c>--args</c>, split at spaces. Records <see cref="DeployVars.ProgramArgs"/>.
/// </summary>
internal sealed class ProgramArgumentsCheck : CheckBase
{
    public override string Id => "program-arguments";

    protected override string Title => "Program arguments";

    protected override Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var run = context.Run;
        if (List(spec, "one-of") is { Count: > 0 } oneOf)
        {
            var given = oneOf.Where(run.Inputs.ContainsKey).ToList();
            if (given.Count != 1)
            {
                var options = string.Join(" or ", oneOf.Select(o => "--" + o));
                return Task.FromResult(Fail(given.Count == 0 ? $"pass {options}" : $"pass only one of {options}, not {string.Join(" and ", given.Select(g => "--" + g))}"));
            }
        }
        var args = new List<string>();
        foreach (var input in List(spec, "named").Where(run.Inputs.ContainsKey))
        {
            args.Add("--" + input);
            args.Add(run.Inputs[input]);
        }
        if (run.Inputs.GetValueOrDefault("args") is { } free)
        {
            args.AddRange(free.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        DeployVars.SetArgs(run, args);
        var shown = args.Count == 0 ? "none" : string.Join(' ', args);
        PlanFacts.Set(run, "Program arguments", shown);
        return Task.FromResult(Pass(shown) with { Basis = "args=" + shown });
    }

    private static List<string> List(CheckSpec spec, string name) =>
        spec.With.GetValueOrDefault(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? [];
}

/// <summary><c>job-canceled</c>: the job (parameter <c>job</c>, default current) is CANCELED. Flink REST <c>GET /jobs/:jobid</c>.</summary>
internal sealed class JobCanceledCheck : CheckBase
{
    public override string Id => "job-canceled";

    protected override string Title => "Job is CANCELED";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var jobId = context.JobIdFor(spec.With.GetValueOrDefault("job"));
        if (jobId is null) return Fail("no JobID is known for the job");
        var job = await context.JobAsync(jobId, cancellationToken);
        if (job is null) return Fail($"JobID {jobId} is no longer known to the cluster");
        var when = job.EndTime is { } ended ? $" since {ended:HH:mm:ss} UTC" : "";
        var evidence = $"{job.Name} ({jobId}) is {job.Status}{when}";
        return job.Status == Platforms.JobStatus.Canceled ? Pass(evidence) : Fail(evidence);
    }
}

using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Plans;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Checks;

/// <summary>
/// <c>backfill-source</c>: resolves the production job a backfill copies (<c>--from</c>, by name or 32-hex JobID, among the
/// jobs that have not ended) and refuses a backfill named like it, so the backfill can never replace or touch it.
/// Resolves the jar: <c>--jar</c>, else the jar the bot's deployment ledger records for that very JobID. Records
/// <see cref="DeployVars.ProductionJobId"/>, <see cref="RunVars.TargetJarId"/> and the plan fact "Production job".
/// Flink REST <c>GET /jobs/overview</c>, <c>GET /jars</c>.
/// </summary>
internal sealed class BackfillSourceCheck : CheckBase
{
    public override string Id => "backfill-source";

    protected override string Title => "Production job and jar are known";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var run = context.Run;
        if (run.Inputs.GetValueOrDefault("from") is not { } from) return Fail("--from was not given: name the production job the backfill copies");
        var live = (await context.Platform.ListJobsAsync(cancellationToken)).Where(j => !j.Status.IsGloballyTerminal).ToList();
        var production = live.Where(j => j.JobId == from.ToLowerInvariant() || j.Name == from).ToList();
        if (production.Count != 1)
        {
            return Fail(production.Count == 0
                ? $"no running job '{from}' on cluster {context.Cluster.Name}; running: {string.Join(", ", live.Select(j => j.Name).Order(StringComparer.Ordinal))}"
                : $"{production.Count} running jobs are named {from}: {string.Join(", ", production.Select(j => j.JobId))}; pass --from with the JobID");
        }
        var job = production[0];
        if (string.Equals(job.Name, run.JobName, StringComparison.Ordinal))
        {
            return Fail($"the backfill would be named like the production job {job.Name} ({job.JobId}); give the backfill its own name, e.g. {job.Name}-backfill");
        }
        run.Vars[DeployVars.ProductionJobId] = job.JobId;
        PlanFacts.Set(run, "Production job (not touched)", $"{job.Name} ({job.JobId})");

        JarInfo? jar;
        string how;
        if (run.Inputs.GetValueOrDefault("jar") is { } given)
        {
            jar = await context.FindJarAsync(given, cancellationToken);
            how = "from --jar";
            if (jar is null && CmfJars.AcceptByForm(context.Cluster, given) is not null)
            {
                // CMF lists no artifacts before 2.4: a jar URI or file name is taken by its form, as jar-exists does.
                jar = new JarInfo(given, given, context.Now);
                how = "from --jar, accepted by its form: CMF cannot list artifacts";
            }
            if (jar is null) return Fail($"no jar '{given}' on cluster {context.Cluster.Name}");
        }
        else
        {
            var record = await context.Ledger.GetCurrentAsync(run.Cluster, job.Name, cancellationToken);
            if (record is null || record.JobId != job.JobId)
            {
                return Fail($"the bot has no record of the jar JobID {job.JobId} ({job.Name}) runs; pass --jar");
            }
            jar = await context.FindJarAsync(record.JarId, cancellationToken);
            if (jar is null) return Fail($"{record.JarName}, which {job.Name} runs, is no longer on the cluster; upload it or pass --jar");
            how = $"the jar {job.Name} runs";
        }
        run.Vars[RunVars.TargetJarId] = jar.Id;
        return Pass($"copies {job.Name} ({job.JobId}, {job.Status}) with {jar.Name} ({how}); the backfill runs as {run.JobName}")
            with { Basis = $"productionJobId={job.JobId}; jarId={jar.Id}" };
    }
}

/// <summary>
/// <c>production-untouched</c>: the production job a backfill copied (<see cref="DeployVars.ProductionJobId"/>) still runs
/// under the same JobID. Flink REST <c>GET /jobs/:jobid</c>.
/// </summary>
internal sealed class ProductionUntouchedCheck : CheckBase
{
    public override string Id => "production-untouched";

    protected override string Title => "Production job untouched";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        if (context.Run.Vars.GetValueOrDefault(DeployVars.ProductionJobId) is not { } jobId) return Fail("no production JobID was recorded");
        var job = await context.JobAsync(jobId, cancellationToken);
        if (job is null) return Fail($"JobID {jobId} is no longer known to the cluster");
        var evidence = $"{job.Name} ({jobId}) is {job.Status}, started {job.StartTime:HH:mm:ss} UTC";
        return job.Status == JobStatus.Running ? Pass(evidence) : Fail(evidence);
    }
}

using System.Globalization;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Plans;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Checks;

/// <summary>
/// <c>state-compatible</c>: compares the running job's vertices with the job graph the new jar would produce (cookbook
/// 2.2). State in a savepoint is restored to the vertex with the same id (derived from the operators' uids), so a vertex
/// of the running job that is missing from the new plan holds state that cannot be restored. Without
/// <c>--allow-non-restored-state</c> or <c>--from-scratch</c> such a plan fails with the list and the fixes; with
/// <c>--allow-non-restored-state</c> the listed state is dropped, with <c>--from-scratch</c> all of it (the new job starts
/// without state). Either way the plan fact "State dropped" lists it and the run flag <c>drops-state</c> asks for a second
/// confirmation after the approvals. Flink REST <c>GET /jobs/:jobid</c> and <c>POST /jars/:jarid/plan</c>.
/// </summary>
internal sealed class StateCompatibleCheck : CheckBase
{
    public override string Id => "state-compatible";

    protected override string Title => "State maps to the new version";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var run = context.Run;
        StepConditions.Set(run, StepConditions.DropsState, false);
        run.Vars.Remove("plan.State dropped");
        if (run.JobId is not { } jobId) return Unknown("no JobID is known for the job");
        if (run.Vars.GetValueOrDefault(RunVars.TargetJarId) is not { } jarId) return Unknown("the new jar was not resolved (see “New jar is on the cluster”)");
        var job = await context.JobAsync(jobId, cancellationToken);
        if (job is null) return Fail($"JobID {jobId} is not known to cluster {context.Cluster.Name}");
        var parallelism = int.TryParse(run.Vars.GetValueOrDefault(RunVars.TargetParallelism), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : (int?)null;
        JarPlan plan;
        try
        {
            plan = await context.Platform.GetJarPlanAsync(jarId, parallelism, null, cancellationToken);
        }
        catch (PlatformUnsupportedException)
        {
            return WithoutPlan(context, run, job);
        }
        var planned = plan.Nodes.Select(n => n.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = job.Vertices.Where(v => !planned.Contains(v.Id)).ToList();
        var fromScratch = run.Inputs.ContainsKey("from-scratch");
        var allowNonRestored = run.Inputs.ContainsKey("allow-non-restored-state");
        var listed = string.Join(", ", missing.Select(v => $"{v.Name} ({v.Id[..Math.Min(8, v.Id.Length)]})"));
        var basis = $"jarId={jarId}; unmatched={string.Join(",", missing.Select(v => v.Id).Order(StringComparer.Ordinal))}; fromScratch={fromScratch}";

        if (fromScratch)
        {
            Drops(run, $"all of it: the new job starts without state{(missing.Count > 0 ? $" (unmatched in the new version: {listed})" : "")}; the stop's savepoint is kept for the rollback");
            return Pass($"--from-scratch: {job.Name} starts without state; {job.Vertices.Count} vertices' state is not restored") with { Basis = basis };
        }
        if (missing.Count == 0)
        {
            return Pass($"all {job.Vertices.Count} vertices of {job.Name} map to the new version's plan ({plan.Nodes.Count} vertices)") with { Basis = basis };
        }
        if (allowNonRestored)
        {
            Drops(run, listed);
            return Pass($"--allow-non-restored-state: the state of {missing.Count} vertex(es) is dropped: {listed}") with { Basis = basis };
        }
        return Fail($"the state of {missing.Count} vertex(es) maps to no operator of {Steps.JarNames.Display(jarId)}: {listed}. " +
                    "Give those operators their old uids, or pass --allow-non-restored-state to drop that state, or --from-scratch to start without state") with { Basis = basis };
    }

    /// <summary>
    /// A platform that cannot compute a jar's job graph (CMF: no <c>/jars/:jarid/plan</c>): the state is not compared. That is
    /// safe to pass: Flink refuses to start from a savepoint whose state maps to no operator unless
    /// <c>allowNonRestoredState</c> is set, so an incompatible jar fails at the start and the rollback restores the old one;
    /// the manual checklist asks the approver to confirm compatibility.
    /// </summary>
    private CheckResult WithoutPlan(CheckContext context, Run run, JobDetails job)
    {
        var basis = "plan=unsupported";
        var why = $"cluster {context.Cluster.Name} cannot compute the new jar's job graph, so the state of {job.Name} is not compared";
        if (run.Inputs.ContainsKey("from-scratch"))
        {
            Drops(run, "all of it: the new job starts without state; the stop's savepoint is kept for the rollback");
            return Pass($"--from-scratch: {job.Name} starts without state ({why})") with { Basis = basis + "; fromScratch=True" };
        }
        if (run.Inputs.ContainsKey("allow-non-restored-state"))
        {
            Drops(run, "whatever state maps to no operator of the new version (not known in advance: " + why + ")");
            return Pass($"--allow-non-restored-state: state that maps to no operator is dropped; {why}") with { Basis = basis + "; allowNonRestored=True" };
        }
        return Pass($"unknown: {why}; Flink refuses to start the new job if state maps to no operator, and the rollback then restores the old jar")
            with { Basis = basis };
    }

    private static void Drops(Run run, string what)
    {
        StepConditions.Set(run, StepConditions.DropsState, true);
        PlanFacts.Set(run, "State dropped", what);
    }
}

using System.Globalization;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Checks;

/// <summary>
/// <c>savepoint-retention-plan</c>: decides which of the job's savepoints a cleanup deletes, from the platform's own
/// savepoint catalog (<see cref="IFlinkPlatform.ListSavepointsAsync"/>; CMF <c>GET …/applications/{app}/savepoints</c>).
/// Kept: the newest <c>keep</c> (input <c>--keep N</c>, else parameter <c>keep</c>, default 5), the newest COMPLETED one,
/// the one the job last restored from (Flink REST <c>GET /jobs/:jobid/checkpoints</c> <c>latest.restored.external_path</c>,
/// matched by path) and any that has not finished (IN_PROGRESS, PENDING: deleting one under way races the operator).
/// Everything else is deleted. Records the names in <see cref="RetentionVars.Delete"/> and <see cref="RetentionVars.Keep"/>
/// (comma-separated; CMF names hold no comma) and hashes them (the <see cref="CheckResult.Basis"/>), so a list that
/// changed between approval and execution voids the approvals. Fails when there is nothing to delete, so the run ends
/// before the gate; Unknown when the platform keeps no savepoint catalog (Apache Flink).
/// </summary>
internal sealed class SavepointRetentionPlanCheck : CheckBase
{
    /// <summary>How many newest savepoints are kept when neither the input nor the recipe says.</summary>
    public const int DefaultKeep = 5;

    public override string Id => "savepoint-retention-plan";

    protected override string Title => "Savepoints to delete";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var keep = IntParameter(spec, "keep", DefaultKeep);
        if (run.Inputs.GetValueOrDefault("keep") is { } given)
        {
            if (!int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out keep) || keep < 1)
            {
                return Fail($"--keep must be a whole number of savepoints to keep, at least 1 (got '{given}')");
            }
        }

        if (await context.Platform.ListSavepointsAsync(run.JobName, cancellationToken) is not { } catalog)
        {
            return Unknown($"cluster {context.Cluster.Name} ({context.Cluster.Platform}) keeps no savepoint catalog to clean up; delete savepoint files with your storage's tools");
        }

        string? restoredFrom = null;
        if (run.JobId is { } jobId && await context.CheckpointsAsync(jobId, cancellationToken) is { RestoredFrom: { } path })
        {
            restoredFrom = path;
        }

        var newestCompleted = catalog.FirstOrDefault(s => IsCompleted(s));
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (savepoint, i) in catalog.Select((s, i) => (s, i)))
        {
            var why = new List<string>();
            if (i < keep) why.Add($"among the newest {keep}");
            if (ReferenceEquals(savepoint, newestCompleted)) why.Add("newest completed");
            if (restoredFrom is not null && string.Equals(savepoint.Path, restoredFrom, StringComparison.Ordinal)) why.Add("the job last restored from it");
            if (!IsCompleted(savepoint) && !IsFailed(savepoint)) why.Add($"{savepoint.State}, not finished");
            if (why.Count > 0) reasons[savepoint.Name] = string.Join("; ", why);
        }
        var kept = catalog.Where(s => reasons.ContainsKey(s.Name)).ToList();
        var deleted = catalog.Where(s => !reasons.ContainsKey(s.Name)).ToList();

        run.Vars[RetentionVars.Delete] = string.Join(",", deleted.Select(s => s.Name));
        run.Vars[RetentionVars.Keep] = string.Join(",", kept.Select(s => s.Name));
        run.Vars[RetentionVars.DeletePaths] = string.Join("\n", deleted.Select(s => $"{s.Name}={s.Path}"));

        var keepLines = kept.Select(s => $"  • keep {Line(context, s)} ({reasons[s.Name]})");
        var deleteLines = deleted.Select(s => $"  • delete {Line(context, s)}");
        var header = $"{catalog.Count} savepoint(s) of {run.JobName} in the {context.Cluster.Platform} catalog; keeping the newest {keep}, the newest completed" +
                     (restoredFrom is null ? "" : $" and the one the job restored from ({restoredFrom})");
        var basis = $"keep={keep}; delete={run.Vars[RetentionVars.Delete]}; kept={run.Vars[RetentionVars.Keep]}; restoredFrom={restoredFrom ?? "none"}";

        if (deleted.Count == 0)
        {
            return Fail($"nothing to delete: {header}.\n" + string.Join("\n", keepLines)) with { Basis = basis };
        }
        var evidence = $"{deleted.Count} to delete (not restorable afterwards), {kept.Count} kept: {header}.\n" + string.Join("\n", deleteLines.Concat(keepLines));
        return Pass(evidence) with { Basis = basis };
    }

    private static bool IsCompleted(SavepointEntry savepoint) => savepoint.State.Equals("COMPLETED", StringComparison.OrdinalIgnoreCase);

    private static bool IsFailed(SavepointEntry savepoint) => savepoint.State.Equals("FAILED", StringComparison.OrdinalIgnoreCase);

    private static string Line(CheckContext context, SavepointEntry s) =>
        $"{s.Name} {s.State}{(s.CreatedAt is { } at ? ", " + Durations.Ago(context.Now, at) : "")}, source {s.Source}, {s.Path ?? "no path"}";
}

/// <summary>
/// <c>savepoints-deleted</c> (validation of a cleanup): none of the names in <see cref="RetentionVars.Delete"/> is in the
/// platform's savepoint catalog any more, and every name in <see cref="RetentionVars.Keep"/> still is.
/// </summary>
internal sealed class SavepointsDeletedCheck : CheckBase
{
    public override string Id => "savepoints-deleted";

    protected override string Title => "Savepoint cleanup";

    protected override async Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var toDelete = RetentionVars.Names(run, RetentionVars.Delete);
        var toKeep = RetentionVars.Names(run, RetentionVars.Keep);
        if (await context.Platform.ListSavepointsAsync(run.JobName, cancellationToken) is not { } catalog)
        {
            return Unknown($"cluster {context.Cluster.Name} keeps no savepoint catalog");
        }
        var present = catalog.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var remaining = toDelete.Where(present.Contains).ToList();
        var missing = toKeep.Where(n => !present.Contains(n)).ToList();
        if (remaining.Count > 0 || missing.Count > 0)
        {
            return Fail((remaining.Count > 0 ? $"still in the catalog: {string.Join(", ", remaining)}" : "") +
                        (remaining.Count > 0 && missing.Count > 0 ? "; " : "") +
                        (missing.Count > 0 ? $"kept savepoint(s) gone: {string.Join(", ", missing)}" : ""));
        }
        return Pass($"{toDelete.Count} deleted ({string.Join(", ", toDelete)}); {toKeep.Count} kept ({string.Join(", ", toKeep)}); {catalog.Count} left in the catalog");
    }
}

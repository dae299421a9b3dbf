namespace FlinkOpsBot.Core.Plans;

/// <summary>What changed between the plan that was approved and the plan as recomputed, in plain words. Pure.</summary>
public static class PlanDiff
{
    /// <summary>
    /// One line per difference, e.g. "JobID changed: 3f2a… → 9c1b… (the job was redeployed or replaced)" or "No recent
    /// checkpoint failures: failedSinceStart=0 → failedSinceStart=1"; empty when the plans hash alike.
    /// </summary>
    public static IReadOnlyList<string> Changes(RunPlan approved, RunPlan now)
    {
        ArgumentNullException.ThrowIfNull(approved);
        ArgumentNullException.ThrowIfNull(now);
        var changes = new List<string>();
        void Field(string label, string? before, string? after, string? why = null)
        {
            if (before == after) return;
            changes.Add($"{label} changed: {before ?? "unknown"} → {after ?? "unknown"}{(why is null ? "" : $" ({why})")}");
        }

        Field("JobID", approved.JobId, now.JobId, "the job was redeployed or replaced");
        Field("Current jar", approved.CurrentJar, now.CurrentJar, "someone else deployed");
        Field("Target jar", approved.TargetJar, now.TargetJar, "a newer upload of that jar, or a different one");
        Field("Current parallelism", Number(approved.CurrentParallelism), Number(now.CurrentParallelism), "the job was rescaled");
        Field("Target parallelism", Number(approved.TargetParallelism), Number(now.TargetParallelism));
        Field("Savepoint directory", approved.SavepointDirectory, now.SavepointDirectory);
        Field("allowNonRestoredState", approved.AllowNonRestoredState ? "true" : "false", now.AllowNonRestoredState ? "true" : "false");
        Field("Rollback target", approved.RollbackTarget, now.RollbackTarget);
        foreach (var gone in approved.Facts.Except(now.Facts, StringComparer.Ordinal)) changes.Add($"No longer: {gone}");
        foreach (var added in now.Facts.Except(approved.Facts, StringComparer.Ordinal)) changes.Add($"Now: {added}");
        if (!approved.Steps.SequenceEqual(now.Steps, StringComparer.Ordinal)) changes.Add("The procedure's steps changed");
        if (!approved.RollbackSteps.SequenceEqual(now.RollbackSteps, StringComparer.Ordinal)) changes.Add("The rollback's steps changed");

        var before = approved.Preconditions.ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var check in now.Preconditions)
        {
            if (!before.Remove(check.Id, out var old))
            {
                changes.Add($"{check.Title}: new check, {check.Outcome}");
            }
            else if (old.Outcome != check.Outcome)
            {
                changes.Add($"{check.Title}: {old.Outcome} → {check.Outcome}");
            }
            else if (old.Basis != check.Basis)
            {
                changes.Add($"{check.Title}: {old.Basis ?? "nothing"} → {check.Basis ?? "nothing"}");
            }
        }
        changes.AddRange(before.Values.Select(gone => $"{gone.Title}: no longer checked"));
        if (changes.Count == 0 && PlanHasher.Hash(approved) != PlanHasher.Hash(now)) changes.Add("The plan's details changed");
        return changes;
    }

    private static string? Number(int? n) => n?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

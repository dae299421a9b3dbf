using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Plans;

/// <summary>
/// Recipe-specific facts of a run's plan, beyond the upgrade-shaped fields of <see cref="RunPlan"/>: the restore point a
/// redeploy starts from, the program arguments of a backfill, the state an incompatible upgrade drops. Precondition
/// checks write them into <see cref="Run.Vars"/> (as <c>plan.&lt;label&gt;</c>); <see cref="PlanBuilder"/> puts them in the
/// plan, whose hash covers them, and the card shows them. A run without any keeps the hash it had before facts existed.
/// </summary>
public static class PlanFacts
{
    private const string Prefix = "plan.";

    /// <summary>Sets the fact <paramref name="label"/> (e.g. "Restore from") to <paramref name="value"/>.</summary>
    public static void Set(Run run, string label, string value) => run.Vars[Prefix + label] = value;

    /// <summary>
    /// Shows <paramref name="value"/> on the card as <paramref name="label"/> without making it part of the plan (and its
    /// hash): for facts that move while nothing the approver decides changes, such as the newest retained checkpoint.
    /// </summary>
    public static void Show(Run run, string label, string value) => run.Vars[ShownPrefix + label] = value;

    /// <summary>The facts set with <see cref="Show"/>, as (label, value), ordered by label.</summary>
    public static IReadOnlyList<(string Label, string Value)> Shown(Run run) => Read(run, ShownPrefix);

    /// <summary>The run's facts as (label, value), ordered by label (ordinal), so the plan's canonical form is stable.</summary>
    public static IReadOnlyList<(string Label, string Value)> All(Run run) => Read(run, Prefix);

    private const string ShownPrefix = "shown.";

    private static List<(string Label, string Value)> Read(Run run, string prefix) => run.Vars
        .Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
        .Select(kv => (Label: kv.Key[prefix.Length..], kv.Value))
        .OrderBy(f => f.Label, StringComparer.Ordinal)
        .ToList();
}

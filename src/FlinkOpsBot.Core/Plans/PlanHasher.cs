using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FlinkOpsBot.Core.Plans;

/// <summary>
/// The canonical form of a <see cref="RunPlan"/> and its short hash. Pure and stable across processes, versions of .NET
/// and cultures: the form is UTF-8 text, one <c>key=value</c> line per field in a fixed order (a missing value is
/// the bare <c>key</c>, so it differs from every present value, empty included), starting with the form's version, so a change of the form is a change of every hash.
/// </summary>
public static class PlanHasher
{
    /// <summary>The first line of the canonical form; bump it when the form changes.</summary>
    public const string FormVersion = "flinkopsbot-plan/1";

    /// <summary>How many hex characters the short hash has: 8 (32 bits, enough to tell one run's plans apart).</summary>
    public const int ShortHashLength = 8;

    /// <summary>
    /// The canonical form: every field that decides what the run does or what it rests on (target, jars, parallelism,
    /// savepoint directory, <c>allowNonRestoredState</c>, rollback target, steps, precondition outcomes and their
    /// <see cref="PlanCheck.Basis"/>). The downtime estimate and precondition titles are left out: they are how the plan
    /// is shown, not what it is.
    /// </summary>
    public static string Canonical(RunPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder(FormVersion).Append('\n');
        void Line(string key, string? value)
        {
            text.Append(key);
            if (value is not null) text.Append('=').Append(Escape(value));
            text.Append('\n');
        }
        Line("recipe", plan.RecipeId);
        Line("cluster", plan.Cluster);
        Line("job", plan.JobName);
        Line("jobId", plan.JobId);
        Line("currentJar", plan.CurrentJar);
        Line("targetJar", plan.TargetJar);
        Line("currentParallelism", plan.CurrentParallelism?.ToString(CultureInfo.InvariantCulture));
        Line("targetParallelism", plan.TargetParallelism?.ToString(CultureInfo.InvariantCulture));
        Line("savepointDirectory", plan.SavepointDirectory);
        Line("allowNonRestoredState", plan.AllowNonRestoredState ? "true" : "false");
        Line("rollbackTarget", plan.RollbackTarget);
        for (var i = 0; i < plan.Steps.Count; i++) Line($"step.{i}", plan.Steps[i]);
        for (var i = 0; i < plan.RollbackSteps.Count; i++) Line($"rollback.{i}", plan.RollbackSteps[i]);
        foreach (var check in plan.Preconditions) Line($"check.{check.Id}", $"{check.Outcome}|{check.Basis}");
        // Added with recipe facts; absent facts add no line, so plans without any hash as before.
        for (var i = 0; i < plan.Facts.Count; i++) Line($"fact.{i}", plan.Facts[i]);
        return text.ToString();
    }

    /// <summary>The first <see cref="ShortHashLength"/> lowercase hex characters of SHA-256 over the UTF-8 <see cref="Canonical"/> form.</summary>
    public static string Hash(RunPlan plan) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(plan))))[..ShortHashLength];

    /// <summary>True when <paramref name="text"/> looks like a short plan hash (8 hex characters, either case).</summary>
    public static bool IsShortHash(string? text) => text is { Length: ShortHashLength } && text.All(Uri.IsHexDigit);

    // A value never spans lines, so one field cannot pass for two.
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}

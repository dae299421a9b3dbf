using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Engine;

/// <summary>
/// Run flags and the step conditions that read them. A precondition check sets a flag (e.g. <c>scheduler-adaptive</c>
/// when the cluster runs Flink's adaptive scheduler); a step with <c>with: { if: scheduler-adaptive }</c> runs only when
/// the flag is set, one with <c>unless: scheduler-adaptive</c> only when it is not. A skipped step is recorded as
/// <see cref="StepStatus.Skipped"/> with the reason, on the card and the timeline.
/// </summary>
public static class StepConditions
{
    /// <summary>Set by <c>scheduler-known</c> when <c>jobmanager.scheduler</c> is <c>adaptive</c>: the job can be rescaled in place.</summary>
    public const string SchedulerAdaptive = "scheduler-adaptive";

    /// <summary>Set by <c>state-compatible</c> when the new version will start without some of the job's state (it is dropped).</summary>
    public const string DropsState = "drops-state";

    /// <summary>Set by <c>restore-point-known</c> (deploy) when the new job starts from a savepoint or retained checkpoint.</summary>
    public const string FromSavepoint = "from-savepoint";

    /// <summary>The flags recipes may name in <c>if</c> / <c>unless</c>; the recipe loader refuses any other.</summary>
    public static readonly IReadOnlyList<string> KnownFlags = [SchedulerAdaptive, DropsState, FromSavepoint];

    /// <summary>The step parameters that hold a condition.</summary>
    public static readonly IReadOnlyList<string> ConditionKeys = ["if", "unless"];

    /// <summary>True when <paramref name="flag"/> is set on the run.</summary>
    public static bool IsSet(Run run, string flag) => run.Vars.GetValueOrDefault(Key(flag)) == "true";

    /// <summary>Sets or clears <paramref name="flag"/> on the run (persisted with the run's next write).</summary>
    public static void Set(Run run, string flag, bool value)
    {
        if (value) run.Vars[Key(flag)] = "true";
        else run.Vars.Remove(Key(flag));
    }

    /// <summary>
    /// Why the step with parameters <paramref name="with"/> does not apply to <paramref name="run"/> (e.g. "not needed: the
    /// cluster does not run the adaptive scheduler (unless scheduler-adaptive)"), or null when it runs.
    /// </summary>
    public static string? SkipReason(Run run, IReadOnlyDictionary<string, string> with)
    {
        if (with.GetValueOrDefault("if") is { } required && !IsSet(run, required))
        {
            return $"not needed: {required} is not set for this run";
        }
        if (with.GetValueOrDefault("unless") is { } excluded && IsSet(run, excluded))
        {
            return $"not needed: {excluded} is set for this run";
        }
        return null;
    }

    private static string Key(string flag) => "flag." + flag;
}

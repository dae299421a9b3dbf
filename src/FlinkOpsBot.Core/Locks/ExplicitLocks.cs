using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Locks;

/// <summary>The rules of explicit locks (<c>/flink lock</c>) and how they read in chat.</summary>
public static class ExplicitLocks
{
    /// <summary>How long a lock lasts when <c>--for</c> is not given: 1 hour.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromHours(1);

    /// <summary>
    /// The longest <c>--for</c>: 24 hours. A lock forgotten after an incident blocks everyone else, so it must run out;
    /// the holder locks again to extend it.
    /// </summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    /// <summary>The shortest <c>--for</c>: 1 minute.</summary>
    public static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(1);

    /// <summary>The longest reason, in UTF-16 code units: 200.</summary>
    public const int MaxReasonLength = 200;

    /// <summary>
    /// Parses a <c>--for</c> value (<c>30m</c>, <c>2h</c>, <c>1d</c>) into a duration between <see cref="MinDuration"/> and
    /// <see cref="MaxDuration"/>; null when valid, otherwise the one-line problem.
    /// </summary>
    public static string? TryParseDuration(string text, out TimeSpan duration)
    {
        if (!Durations.TryParse(text, out duration) || duration <= TimeSpan.Zero)
        {
            return $"--for takes a duration such as 30m, 2h or 1d, not '{text}'";
        }
        if (duration < MinDuration) return "--for must be at least 1m";
        if (duration > MaxDuration) return "--for may be at most 24h (a lock must run out; lock again to extend it)";
        return null;
    }

    /// <summary>
    /// One line for a lock: <c>locked by @ana until 11:02 UTC (in 48 min): “deploy freeze”</c>; an expired lock reads
    /// <c>… expired 3 min ago</c>.
    /// </summary>
    public static string Describe(ExplicitLock value, DateTimeOffset now) =>
        $"locked by {value.Holder.Mention} until {value.ExpiresAt:HH:mm} UTC " +
        (value.IsExpiredAt(now) ? $"(expired {Durations.Ago(now, value.ExpiresAt)})" : $"(in {Durations.Format(value.ExpiresAt - now)})") +
        $": “{value.Reason}”";
}

/// <summary>
/// The built-in <c>steal-lock</c> recipe (<c>recipes/steal-lock.yaml</c>): a run that releases someone else's explicit
/// lock, or takes it over, once approved at the gate like any mutating action. The run carries the lock as the
/// requester saw it, so the approvers approve stealing that lock and no other.
/// </summary>
public static class StealLock
{
    /// <summary>The recipe id (and verb): <c>steal-lock</c>.</summary>
    public const string RecipeId = "steal-lock";

    /// <summary>The input that makes the steal take the lock over (for the requester) rather than release it.</summary>
    public const string TakeInput = "take";

    /// <summary>The input with the requester's reason (and, when taking, the new lock's reason).</summary>
    public const string ReasonInput = "reason";

    /// <summary>The input with how long a taken lock lasts (<c>2h</c>; default <see cref="ExplicitLocks.DefaultDuration"/>).</summary>
    public const string ForInput = "for";

    /// <summary>The <see cref="Run.Vars"/> key of the lock to steal (its JSON), written when the run is created.</summary>
    public const string ExpectedLockVar = "lock.expected";

    /// <summary>The lock the run was created to steal, or null if it names none.</summary>
    public static ExplicitLock? Expected(Run run) =>
        run.Vars.GetValueOrDefault(ExpectedLockVar) is { } json ? CoreJson.DeserializeExplicitLock(json) : null;

    /// <summary>True when the run takes the lock over rather than releasing it.</summary>
    public static bool Takes(Run run) => run.Inputs.ContainsKey(TakeInput);

    /// <summary>The lock the requester gets when the steal takes the lock over, as of <paramref name="now"/>.</summary>
    public static ExplicitLock Replacement(Run run, ExplicitLock expected, DateTimeOffset now)
    {
        var duration = run.Inputs.GetValueOrDefault(ForInput) is { } text && ExplicitLocks.TryParseDuration(text, out var d) is null ? d : ExplicitLocks.DefaultDuration;
        var reason = run.Inputs.GetValueOrDefault(ReasonInput) ?? $"taken over from {expected.Holder.Mention} ({run.Id})";
        return new ExplicitLock(run.Cluster, run.JobName, run.Requester, reason, now, now + duration);
    }
}

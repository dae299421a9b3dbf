using System.Globalization;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Approvals;

/// <summary>
/// Binds approvals to the plan they were given for, and times the gate's one reminder. Pure; the engine and the command
/// pipeline apply it.
/// </summary>
public static class PlanBinding
{
    /// <summary>When the gate last opened (ISO 8601, in <see cref="Run.Vars"/>): first after the preconditions, again after a plan change.</summary>
    public const string GateOpenedAtVar = "gate.openedAt";

    /// <summary>When the gate's reminder was posted (ISO 8601, in <see cref="Run.Vars"/>); absent until then. One per opening.</summary>
    public const string GateRemindedAtVar = "gate.remindedAt";

    /// <summary>The fraction of the gate's lifetime after which the reminder is due, unless <see cref="ReminderLead"/> is later: 0.8.</summary>
    public const double ReminderFraction = 0.8;

    /// <summary>The reminder is due at the latest this long before expiry, unless <see cref="ReminderFraction"/> is later: 5 minutes.</summary>
    public static readonly TimeSpan ReminderLead = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Null when a click on a card that showed plan <paramref name="shownHash"/> may approve <paramref name="run"/>;
    /// otherwise why not. A null <paramref name="shownHash"/> (a typed <c>approve</c>, or a card from before plans had
    /// hashes) approves the plan as it stands, and the approval records that plan's hash.
    /// </summary>
    public static string? StaleCardRefusal(Run run, string? shownHash)
    {
        if (shownHash is null || run.Plan is not { } plan) return null;
        var current = plan.Hash;
        return string.Equals(shownHash, current, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"The plan changed since this card was shown (it showed plan {shownHash}, the plan is now {current}); see the updated card, " +
              $"then approve again if it still looks right. Nothing was recorded for {run.Id}.";
    }

    /// <summary>
    /// When the gate's reminder is due: at <see cref="ReminderFraction"/> of its lifetime or <see cref="ReminderLead"/>
    /// before it expires, whichever is later (for the default 30 minutes: 25 minutes in). Never before it opened.
    /// </summary>
    public static DateTimeOffset ReminderAt(DateTimeOffset openedAt, DateTimeOffset expiresAt)
    {
        var lifetime = expiresAt - openedAt;
        if (lifetime <= TimeSpan.Zero) return expiresAt;
        var byFraction = openedAt + lifetime * ReminderFraction;
        var byLead = expiresAt - ReminderLead;
        var at = byFraction > byLead ? byFraction : byLead;
        return at < openedAt ? openedAt : at;
    }

    /// <summary>When the run's gate last opened: <see cref="GateOpenedAtVar"/>, or the run's creation for runs from before it was recorded.</summary>
    public static DateTimeOffset GateOpenedAt(Run run) =>
        run.Vars.GetValueOrDefault(GateOpenedAtVar) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : run.CreatedAt;

    /// <summary>Records that the gate opened at <paramref name="now"/> (its reminder is due again).</summary>
    public static void MarkGateOpened(Run run, DateTimeOffset now)
    {
        run.Vars[GateOpenedAtVar] = now.ToString("O", CultureInfo.InvariantCulture);
        run.Vars.Remove(GateRemindedAtVar);
    }
}

using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Approvals;

/// <summary>
/// The second, explicit confirmation a run needs when it will drop state (an upgrade with incompatible state under
/// <c>--allow-non-restored-state</c> or <c>--from-scratch</c>: the precondition <c>state-compatible</c> sets the run flag
/// <c>drops-state</c>). After the gate's approvals, an eligible approver types <c>/flink confirm R-XXXX</c>; the confirmation
/// is bound to the plan hash it was given for, so a changed plan needs a new one. Until then the run stays at the gate, and
/// it expires with the gate.
/// </summary>
public static class StateDropConfirmation
{
    private const string Prefix = "confirmed.";

    /// <summary>True when the run drops state and so needs a confirmation.</summary>
    public static bool Required(Run run) => StepConditions.IsSet(run, StepConditions.DropsState);

    /// <summary>Who confirmed the run's current plan (identity key), or null.</summary>
    public static string? ConfirmedBy(Run run) => run.Plan?.Hash is { } hash ? run.Vars.GetValueOrDefault(Prefix + hash) : null;

    /// <summary>True when no confirmation is needed, or the current plan has one.</summary>
    public static bool Satisfied(Run run) => !Required(run) || ConfirmedBy(run) is not null;

    /// <summary>Records <paramref name="actor"/>'s confirmation of the run's current plan.</summary>
    public static void Record(Run run, Actor actor) => run.Vars[Prefix + (run.Plan?.Hash ?? "none")] = actor.Key;

    /// <summary>
    /// Why <paramref name="actor"/> (already known to be a listed approver) may not confirm now, or null: nothing to confirm,
    /// the approvals are not complete yet, the requester on a gate without self-approval, or already confirmed.
    /// </summary>
    public static string? Refusal(Run run, Actor actor, GateSnapshot gate)
    {
        if (!Required(run)) return $"{run.Id} drops no state, so there is nothing to confirm; approve it instead.";
        if (!gate.AllowSelfApproval && actor.IsSamePersonAs(run.Requester))
        {
            return $"You requested {run.Id}, so your confirmation does not count; another approver must confirm it.";
        }
        var missing = gate.RequiredApprovals - Lifecycle.RunLifecycle.CountedApprovals(run);
        if (missing > 0) return $"{run.Id} needs {missing} more approval(s) first; confirm after approving.";
        return ConfirmedBy(run) is { } by ? $"{run.Id} is already confirmed ({by})." : null;
    }

    /// <summary>What the card says about the confirmation, or null when none is needed.</summary>
    public static string? Describe(Run run) => !Required(run) ? null
        : ConfirmedBy(run) is { } by ? $"confirmed by {by} for plan {run.Plan?.Hash}"
        : $"required: this run drops state. After the approval(s), an approver types `/flink confirm {run.Id}`";
}

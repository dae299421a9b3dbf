using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Approvals;

/// <summary>
/// The defaults of every gate, from configuration (section <c>Gate</c>): how many approvers, self-approval, expiry and
/// note. An <see cref="AuthorizationRule"/> overrides them for the runs it covers; unset values fall back to the
/// recipe's <c>gate:</c> section. Who may approve comes from the rules (<c>Authorization</c>).
/// </summary>
public sealed class GatePolicy
{
    /// <summary>Distinct approvers needed; null keeps the recipe's (default 1).</summary>
    public int? RequiredApprovals { get; set; }

    /// <summary>Whether the requester's own approval counts; null keeps the recipe's (default false).</summary>
    public bool? AllowSelfApproval { get; set; }

    /// <summary>
    /// Who may approve a gate no <see cref="AuthorizationRule"/> covers (kept from before <c>Authorization</c>; new
    /// policies name approvers in rules): Slack user ids (<c>U024BE7LH</c>), Entra object ids, UPNs
    /// (<c>ana@contoso.com</c>), or identity keys (<c>slack:T0001:U024BE7LH</c>). Empty: such a gate has no approver.
    /// </summary>
    public List<string> Approvers { get; set; } = [];

    /// <summary>How long a gate stays open; null keeps the recipe's (default 30 minutes).</summary>
    public TimeSpan? ExpiresAfter { get; set; }

    /// <summary>A note shown on every gate, e.g. why self-approval is allowed.</summary>
    public string? Note { get; set; }

    /// <summary>Freezes the policy for one run, opened at <paramref name="now"/>.</summary>
    public GateSnapshot Open(GateSpec recipeGate, DateTimeOffset now) => new(
        RequiredApprovals ?? recipeGate.Approvals,
        AllowSelfApproval ?? recipeGate.SelfApproval,
        Approvers.ToList(),
        now + (ExpiresAfter ?? recipeGate.Lifetime),
        string.IsNullOrWhiteSpace(Note) ? null : Note);
}

/// <summary>The decisions a person can take at a gate.</summary>
public enum GateAction
{
    /// <summary>Approve the plan.</summary>
    Approve,
    /// <summary>Reject the plan; ends the run.</summary>
    Reject,
    /// <summary>Withdraw the request (requester only); ends the run.</summary>
    Cancel,
    /// <summary>A parked run (<see cref="RunState.AwaitingDecision"/>): run the uncertain step again.</summary>
    Retry,
    /// <summary>A parked run: the uncertain step is marked done by a person; the phase goes on.</summary>
    Continue,
    /// <summary>A parked run: roll back now.</summary>
    RollBack,
    /// <summary>A parked run: end it and leave the cluster as it is.</summary>
    Abandon,
    /// <summary>
    /// After the approvals, confirm a run that drops state (<see cref="StateDropConfirmation"/>); only then does it execute.
    /// </summary>
    Confirm,
}

/// <summary>Decides whether an actor may take a gate action on a run. Pure.</summary>
public static class GateRules
{
    /// <summary>
    /// True when the gate names no approvers, or only <c>*</c> (anyone verified): cards and reminders then say "anyone in
    /// the channel" instead of listing entries.
    /// </summary>
    public static bool AnyoneMayApprove(GateSnapshot gate) => gate.Approvers.Count == 0 || gate.Approvers.All(a => a.Trim() == "*");

    /// <summary>The gate's approvers for people: "anyone in the channel", or the entries as the policy names them (<c>@flink-oncall-approvers, U024BE7LH</c>).</summary>
    public static string DescribeApprovers(GateSnapshot gate) =>
        AnyoneMayApprove(gate) ? "anyone in the channel" : string.Join(", ", gate.Approvers.Select(a => Authorization.Principal.Parse(a).Shown));

    /// <summary>
    /// Null when allowed; otherwise a plain reason that says what to do instead. <paramref name="who"/> is which of the
    /// gate's approvers name the actor through a group (<see cref="IAuthorizationPolicy.MatchAsync"/>); null counts
    /// direct entries only.
    /// </summary>
    public static string? Refusal(Run run, Actor actor, GateAction action, PrincipalMatch? who = null)
    {
        if (run.State.IsTerminal())
        {
            return $"{run.Id} already ended: {run.State}{(run.EndedAt is { } at ? $" at {at:HH:mm} UTC" : "")}.";
        }
        if (action == GateAction.Cancel)
        {
            if (!actor.IsSamePersonAs(run.Requester)) return $"Only the requester ({run.Requester.Mention}) can cancel {run.Id}; an approver can reject it.";
            return run.State.HasTouchedCluster() ? $"{run.Id} is {run.State}: it is already changing the cluster and cannot be cancelled." : null;
        }
        if (run.State != RunState.AwaitingApproval || run.Gate is not { } gate)
        {
            return $"{run.Id} is not waiting for approval: it is {run.State}.";
        }
        if (!IsListedApprover(gate, actor, who?.Matched))
        {
            var doing = action == GateAction.Reject ? "Rejecting" : action == GateAction.Confirm ? "Confirming" : "Approving";
            return AuthorizationPolicy.ApproverRefusal($"{doing} {run.RecipeId} on {run.Cluster} ({run.Id})", gate.Approvers, who ?? PrincipalMatch.None);
        }
        if (action == GateAction.Confirm) return StateDropConfirmation.Refusal(run, actor, gate);
        if (action == GateAction.Approve)
        {
            if (!gate.AllowSelfApproval && actor.IsSamePersonAs(run.Requester))
            {
                return $"You requested {run.Id}, so your approval does not count; another approver must approve it.";
            }
            if (run.Approvals.Any(a => a.Actor.IsSamePersonAs(actor)))
            {
                return $"You already approved {run.Id}; {gate.RequiredApprovals - Lifecycle.RunLifecycle.CountedApprovals(run)} more approval(s) needed.";
            }
        }
        return null;
    }

    /// <summary>
    /// True when the gate lists no approvers, or lists this actor directly (<see cref="Principal.MatchesDirectly"/>: a
    /// pattern such as <c>*</c>, platform id, identity key, or UPN the adapter verified), or lists a group that
    /// <paramref name="groupMatches"/> (entries the policy found naming the actor through a group) contains.
    /// </summary>
    public static bool IsListedApprover(GateSnapshot gate, Actor actor, IReadOnlySet<string>? groupMatches = null) =>
        gate.Approvers.Count == 0 || gate.Approvers.Any(a => Principal.Parse(a).MatchesDirectly(actor) || groupMatches?.Contains(a) == true);
}

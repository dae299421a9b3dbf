using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Lifecycle;

/// <summary>
/// The four choices a person has for a run parked in <see cref="RunState.AwaitingDecision"/>, who may take them, and
/// what each does to the run. Pure: the command pipeline persists the change and the engine does the I/O.
/// </summary>
public static class RunDecisions
{
    /// <summary>The prefix of <see cref="Run.Vars"/> keys holding the uncertain step's evidence (shown on the card).</summary>
    public const string EvidencePrefix = "decision.evidence.";

    /// <summary>When the run was parked (ISO 8601, in <see cref="Run.Vars"/>).</summary>
    public const string ParkedAtVar = "decision.parkedAt";

    /// <summary>
    /// Which parking the run is in or last left (ISO 8601 of when it was parked, in <see cref="Run.Vars"/>); unlike
    /// <see cref="ParkedAtVar"/> it stays after the decision, so a repeated click on that parking's buttons is known as one.
    /// </summary>
    public const string ParkingVar = "decision.parking";

    /// <summary>How often a parked run puts a reminder on its timeline (and so re-renders its card): every hour.</summary>
    public static readonly TimeSpan ReminderInterval = TimeSpan.FromHours(1);

    /// <summary>True for the gate actions that decide a parked run: retry, continue, roll back, abandon.</summary>
    public static bool IsDecision(GateAction action) => action is GateAction.Retry or GateAction.Continue or GateAction.RollBack or GateAction.Abandon;

    /// <summary>The command verb of a decision, e.g. <c>rollback</c>.</summary>
    public static string Verb(GateAction action) => action == GateAction.RollBack ? "rollback" : action.ToString().ToLowerInvariant();

    /// <summary>What each choice does, in plain words, for the card.</summary>
    public static IReadOnlyList<(GateAction Action, string Label, string Explanation)> Choices(Run run)
    {
        var inRollback = RunLifecycle.IsParkedInRollback(run);
        var choices = new List<(GateAction, string, string)>
        {
            (GateAction.Retry, "Retry step", "run the uncertain step again; it re-reads the cluster first and repeats nothing that already happened"),
            (GateAction.Continue, "Continue", UncertainStep(run)?.Kind == "stop-with-savepoint" && !run.Vars.ContainsKey(RunVars.SavepointPath)
                ? $"you found the savepoint: give its path, `/flink continue {run.Id} <savepoint path>`; the next step starts from it"
                : "you checked that the step took effect; it is marked done by you and the run goes on"),
        };
        if (!inRollback) choices.Add((GateAction.RollBack, "Roll back", "run the rollback plan now"));
        choices.Add((GateAction.Abandon, "Abandon", "end the run and leave the cluster exactly as it is; you take it from here"));
        return choices;
    }

    /// <summary>The step the run is parked on, or null.</summary>
    public static StepRecord? UncertainStep(Run run) =>
        run.Procedure.Concat(run.Rollback).FirstOrDefault(s => s.Status == StepStatus.Uncertain);

    /// <summary>The evidence recorded when the run was parked, by key.</summary>
    public static IReadOnlyDictionary<string, string> Evidence(Run run) => run.Vars
        .Where(kv => kv.Key.StartsWith(EvidencePrefix, StringComparison.Ordinal))
        .ToDictionary(kv => kv.Key[EvidencePrefix.Length..], kv => kv.Value, StringComparer.Ordinal);

    /// <summary>Records the evidence of a parked step on the run (replacing an earlier parking's).</summary>
    public static void Park(Run run, IReadOnlyDictionary<string, string> evidence, DateTimeOffset now)
    {
        ClearEvidence(run);
        foreach (var (key, value) in evidence) run.Vars[EvidencePrefix + key] = value;
        run.Vars[ParkedAtVar] = now.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        run.Vars[ParkingVar] = run.Vars[ParkedAtVar];
    }

    /// <summary>Removes the parking's evidence once a person decided.</summary>
    public static void ClearEvidence(Run run)
    {
        foreach (var key in run.Vars.Keys.Where(k => k.StartsWith(EvidencePrefix, StringComparison.Ordinal) || k == ParkedAtVar).ToList())
        {
            run.Vars.Remove(key);
        }
    }

    /// <summary>
    /// Null when <paramref name="actor"/> may take <paramref name="action"/> on <paramref name="run"/> now; otherwise a
    /// plain answer: the run ended or is not parked (nothing changes), or who may decide instead. Those who may decide
    /// are those who may approve at the run's gate (<see cref="GateRules.IsListedApprover"/>, and the requester only when
    /// the gate allows self-approval).
    /// </summary>
    /// <remarks><paramref name="who"/>: which of the gate's approvers name the actor through a group (null: direct entries only).</remarks>
    public static string? Refusal(Run run, Actor actor, GateAction action, string? comment, Authorization.PrincipalMatch? who = null)
    {
        if (run.State.IsTerminal()) return MovedOn(run);
        if (run.State != RunState.AwaitingDecision) return $"{run.Id} is not waiting for a decision: it is {run.State}. Nothing was changed.";
        if (run.Gate is not { } gate) return $"{run.Id} has no gate, so nobody may decide for it.";
        if (!GateRules.IsListedApprover(gate, actor, who?.Matched))
        {
            return Authorization.AuthorizationPolicy.ApproverRefusal($"Deciding for {run.Id} ({run.RecipeId} on {run.Cluster})", gate.Approvers,
                who ?? Authorization.PrincipalMatch.None) + " Nothing was changed.";
        }
        if (!gate.AllowSelfApproval && actor.IsSamePersonAs(run.Requester))
        {
            return $"You requested {run.Id}, so another approver must decide how it goes on.";
        }
        if (action == GateAction.RollBack && RunLifecycle.IsParkedInRollback(run))
        {
            return $"{run.Id} is already rolling back; choose `/flink retry {run.Id}`, `/flink continue {run.Id}` or `/flink abandon {run.Id}`.";
        }
        if (action == GateAction.Continue && UncertainStep(run) is { Kind: "stop-with-savepoint" } && !run.Vars.ContainsKey(RunVars.SavepointPath)
            && !LooksLikePath(comment))
        {
            return $"To continue {run.Id} the next step needs the savepoint: `/flink continue {run.Id} <savepoint path>` " +
                   "(e.g. s3://bucket/savepoints/savepoint-2da21a-0123456789ab). Nothing was changed.";
        }
        return null;
    }

    /// <summary>"R-7Q2K already ended: Succeeded at 14:02 UTC. Nothing was changed." for a terminal run.</summary>
    public static string MovedOn(Run run) =>
        $"{run.Id} already ended: {run.State}{(run.EndedAt is { } at ? $" at {at:HH:mm} UTC" : "")}. Nothing was changed.";

    /// <summary>
    /// Applies an allowed decision to the run: the step and the run's vars change, and the trigger to fire is returned
    /// with the reply's wording. The caller fires it (recording the actor) and persists.
    /// </summary>
    public static (RunTrigger Trigger, string Why, string Reply) Apply(Run run, Actor actor, GateAction action, string? comment, DateTimeOffset now)
    {
        var step = UncertainStep(run) ?? throw new InvalidOperationException($"Run {run.Id} is parked without an uncertain step.");
        var note = comment is null ? "" : ": " + comment;
        ClearEvidence(run);
        switch (action)
        {
            case GateAction.Retry:
                var (phase, index) = run.Procedure.Contains(step) ? ("procedure", run.Procedure.IndexOf(step)) : ("rollback", run.Rollback.IndexOf(step));
                foreach (var key in run.Vars.Keys.Where(k => k.StartsWith($"{phase}.{index}.", StringComparison.Ordinal) && !k.EndsWith(".since", StringComparison.Ordinal)).ToList())
                {
                    run.Vars.Remove(key); // the step's own scratch (e.g. resend counts); "since" keeps the step's first start
                }
                step.Status = StepStatus.Pending;
                step.StartedAt = null;
                step.EndedAt = null;
                step.Detail = $"retry requested by {actor.Mention}";
                run.Summary = $"{actor.Mention} chose to retry “{step.Title}”.";
                run.NextWakeAt = now;
                return (RunTrigger.RetryStep, $"{actor.Mention} chose to retry the step{note}", $"{run.Id}: retrying “{step.Title}”, as {actor.Mention} decided.");
            case GateAction.Continue:
                if (step.Kind == "stop-with-savepoint" && !run.Vars.ContainsKey(RunVars.SavepointPath) && LooksLikePath(comment))
                {
                    run.Vars[RunVars.SavepointPath] = comment!.Trim();
                }
                step.Status = StepStatus.Done;
                step.EndedAt = now;
                step.Detail = $"marked done by {actor.Mention}{note}";
                run.Summary = $"{actor.Mention} marked “{step.Title}” done; continuing.";
                run.NextWakeAt = now;
                return (RunTrigger.ContinueStep, $"{actor.Mention} marked the step done{note}", $"{run.Id}: “{step.Title}” marked done by {actor.Mention}; continuing.");
            case GateAction.RollBack:
                step.Status = StepStatus.Failed;
                step.EndedAt = now;
                step.Detail = $"{step.Detail} (rolled back by {actor.Mention}{note})";
                run.Summary = $"{actor.Mention} chose to roll back at “{step.Title}”.";
                run.NextWakeAt = now;
                return (RunTrigger.RollBack, $"{actor.Mention} chose to roll back{note}", $"{run.Id}: rolling back, as {actor.Mention} decided.");
            case GateAction.Abandon:
                run.Decline = new Approval(actor, now, comment);
                run.Summary = $"Abandoned by {actor.Mention}{note} at “{step.Title}”; the cluster was left as it is.";
                run.HumanActions = AbandonActions(run, step);
                run.EndedAt = now;
                run.NextWakeAt = null;
                return (RunTrigger.Abandon, $"abandoned by {actor.Mention}{note}; the cluster was left as it is", $"{run.Id} abandoned by {actor.Mention}; the cluster was left as it is.");
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "Not a decision on a parked run.");
        }
    }

    private static List<string> AbandonActions(Run run, StepRecord step)
    {
        var actions = new List<string> { $"Check the job by hand: `/flink status {run.JobName}`; the run stopped at “{step.Title}” ({step.Detail})." };
        if (run.JobId is { } jobId) actions.Add($"The original job was {jobId}: `GET /jobs/{jobId}` and `GET /jobs/{jobId}/checkpoints` show its state and newest savepoint.");
        if (run.Vars.GetValueOrDefault(RunVars.NewJobId) is { } newJob) actions.Add($"A new job {newJob} may run: `GET /jobs/{newJob}`.");
        if (run.Vars.GetValueOrDefault(RunVars.SavepointPath) is { } savepoint) actions.Add($"Keep the savepoint {savepoint} until the job runs as you want.");
        actions.Add($"Note what you did with `/flink timeline {run.Id}`.");
        return actions;
    }

    private static bool LooksLikePath(string? text) =>
        text is { } t && (t.Contains("://", StringComparison.Ordinal) || t.StartsWith('/')) && !t.Trim().Contains(' ', StringComparison.Ordinal);
}

using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Lifecycle;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Cards;

/// <summary>Builds the channel-neutral <see cref="RunCard"/> of a run. Pure.</summary>
public static class RunCardBuilder
{
    /// <summary>How many timeline lines a card carries.</summary>
    public const int TimelineTailLength = 5;

    /// <summary>Builds the card of <paramref name="run"/> from its recipe and timeline.</summary>
    public static RunCard Build(Run run, Recipe recipe, IReadOnlyList<TimelineEvent> timeline) => new()
    {
        RunId = run.Id,
        Title = $"{Capitalize(recipe.Id)} {run.JobName}",
        Subtitle = $"{run.Id} · {recipe.Title} · cluster {run.Cluster} · requested by {run.Requester.Mention}",
        State = run.State,
        StateLabel = StateLabel(run.State),
        Tone = Tone(run.State),
        Summary = run.Summary,
        Facts = Facts(run),
        Preconditions = run.Preconditions,
        Manual = recipe.Manual,
        Gate = Gate(run),
        PlanHash = run.Plan?.Hash,
        PlanChanges = run.State is RunState.AwaitingApproval or RunState.ConfirmingPlan ? run.PlanChanges : [],
        Procedure = run.Procedure.Select(ToCardStep).ToList(),
        Rollback = run.Rollback.Select(ToCardStep).ToList(),
        RollbackStarted = run.State is RunState.RollingBack or RunState.RolledBack or RunState.RollbackFailed
            || run.Rollback.Any(s => s.Status != StepStatus.Pending),
        Validations = run.Validations,
        Gotchas = run.State is RunState.AwaitingApproval ? recipe.Gotchas : [],
        Decision = Decision(run),
        HumanActions = run.HumanActions,
        TimelineTail = timeline.TakeLast(TimelineTailLength).Select(e => $"{e.At:HH:mm:ss} {e.Text}").ToList(),
    };

    /// <summary>The state in words.</summary>
    public static string StateLabel(RunState state) => state switch
    {
        RunState.Requested => "Requested",
        RunState.CheckingPreconditions => "Checking preconditions",
        RunState.PreconditionsFailed => "Preconditions failed",
        RunState.AwaitingApproval => "Waiting for approval",
        RunState.ConfirmingPlan => "Approved: re-checking the plan before executing",
        RunState.Rejected => "Rejected",
        RunState.Expired => "Expired",
        RunState.Cancelled => "Cancelled",
        RunState.Executing => "Executing",
        RunState.Validating => "Validating",
        RunState.Succeeded => "Succeeded",
        RunState.Failed => "Failed",
        RunState.RollingBack => "Rolling back",
        RunState.RolledBack => "Rolled back",
        RunState.RollbackFailed => "Rollback failed: a human must act",
        RunState.AwaitingDecision => "Parked: waiting for a decision",
        RunState.Abandoned => "Abandoned: the cluster was left as it is",
        _ => state.ToString(),
    };

    private static CardTone Tone(RunState state) => state switch
    {
        RunState.Succeeded => CardTone.Good,
        RunState.Failed or RunState.RollbackFailed or RunState.PreconditionsFailed or RunState.Abandoned => CardTone.Bad,
        RunState.AwaitingDecision => CardTone.Warning,
        RunState.RolledBack or RunState.Rejected or RunState.Expired or RunState.Cancelled or RunState.RollingBack => CardTone.Warning,
        _ => CardTone.Neutral,
    };

    private static List<CardFact> Facts(Run run)
    {
        var facts = new List<CardFact> { new("Job", run.JobId is null ? run.JobName : $"{run.JobName} ({run.JobId})") };
        var rollbackJar = run.Vars.GetValueOrDefault(RunVars.RollbackJarId);
        if (run.Inputs.GetValueOrDefault("jar") is { } jar)
        {
            facts.Add(new("Version", rollbackJar is null ? $"→ {jar}" : $"{JarNames.Display(rollbackJar)} → {jar}"));
        }
        if (run.Vars.GetValueOrDefault(RunVars.PreviousParallelism) is { } before && run.Vars.GetValueOrDefault(RunVars.TargetParallelism) is { } after)
        {
            facts.Add(new("Parallelism", before == after ? $"{after} (unchanged)" : $"{before} → {after}"));
        }
        if (run.Vars.GetValueOrDefault(RunVars.SavepointDirectory) is { } dir) facts.Add(new("Savepoint directory", dir));
        if (run.Inputs.ContainsKey("jar")) facts.Add(new("allowNonRestoredState", run.Inputs.ContainsKey("allow-non-restored-state") ? "true (state without an operator is dropped)" : "false"));
        if (Locks.StealLock.Expected(run) is { } stolen)
        {
            facts.Add(new("Lock", $"held by {stolen.Holder.Mention} since {stolen.AcquiredAt:HH:mm} UTC, until {stolen.ExpiresAt:HH:mm} UTC: “{stolen.Reason}”"));
            facts.Add(new("On approval", Locks.StealLock.Takes(run) ? $"the lock passes to {run.Requester.Mention}" : "the lock is released"));
        }
        if (run.Plan is { } plan && run.Inputs.ContainsKey("jar") && !run.State.HasTouchedCluster())
        {
            facts.Add(new("Expected downtime", plan.Downtime is { } d
                ? $"≈ {Durations.Format(TimeSpan.FromSeconds(d.Seconds))}: {d.How}"
                : "unknown: the job has no completed checkpoint to estimate from"));
        }
        if (rollbackJar is not null) facts.Add(new("Rollback target", $"{JarNames.Display(rollbackJar)} from the same savepoint"));
        if (run.Vars.GetValueOrDefault(RunVars.SavepointPath) is { } savepoint) facts.Add(new("Savepoint", savepoint));
        if (StateDropConfirmation.Describe(run) is { } confirmation) facts.Add(new("Second confirmation", confirmation));
        facts.AddRange(Plans.PlanFacts.All(run).Concat(Plans.PlanFacts.Shown(run)).Select(f => new CardFact(f.Label, f.Value)));
        if (run.Vars.GetValueOrDefault(RunVars.NewJobId) is { } newJob) facts.Add(new("New JobID", newJob));
        if (run.Vars.GetValueOrDefault(RunVars.RollbackJobId) is { } rollbackJob) facts.Add(new("Rollback JobID", rollbackJob));
        return facts;
    }

    private static CardGate? Gate(Run run)
    {
        if (run.Gate is not { } gate) return null;
        var who = GateRules.DescribeApprovers(gate);
        var self = gate.AllowSelfApproval ? "the requester may approve" : "not the requester";
        var policy = $"{gate.RequiredApprovals} approval(s) by {who} ({self}); expires {gate.ExpiresAt:HH:mm} UTC";
        var approvals = run.Approvals.Select(a => $"{a.Actor.Mention} at {a.At:HH:mm:ss} UTC").ToList();
        var decision = run.Decline is { } d
            ? $"{(run.State == RunState.Cancelled ? "Cancelled" : "Rejected")} by {d.Actor.Mention} at {d.At:HH:mm} UTC{(d.Comment is null ? "" : ": " + d.Comment)}"
            : run.State == RunState.Expired ? $"Expired at {gate.ExpiresAt:HH:mm} UTC"
            : RunLifecycle.HasQuorum(run) ? $"Approved ({RunLifecycle.CountedApprovals(run)} of {gate.RequiredApprovals})"
            : null;
        return new CardGate(policy, approvals, run.State == RunState.AwaitingApproval, gate.ExpiresAt, gate.Note, decision);
    }

    private static CardDecision? Decision(Run run)
    {
        if (run.State != RunState.AwaitingDecision || RunDecisions.UncertainStep(run) is not { } step) return null;
        var evidence = RunDecisions.Evidence(run).Select(kv => new CardFact(kv.Key, kv.Value)).ToList();
        var choices = RunDecisions.Choices(run).Select(c => new CardChoice(RunDecisions.Verb(c.Action), c.Label, c.Explanation)).ToList();
        var who = run.Gate is { } gate
            ? GateRules.DescribeApprovers(gate) + (gate.AllowSelfApproval ? "" : " (not the requester)")
            : "nobody (no gate)";
        return new CardDecision($"“{step.Title}” is uncertain: {step.Detail}", evidence, choices, who);
    }

    private static CardStep ToCardStep(StepRecord step) => new(step.Title, step.Status, step.Detail);

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}

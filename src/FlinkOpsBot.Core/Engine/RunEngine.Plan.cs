using System.Globalization;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Plans;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Core.Engine;

/// <summary>The gate → execute path: the plan shown at the gate, its one reminder, and the re-check before the first mutating step.</summary>
public sealed partial class RunEngine
{
    /// <summary>
    /// Builds the plan from the run's evaluated preconditions and planned steps, and opens the gate for it (its
    /// reminder timed by <see cref="PlanBinding.ReminderAt"/>). Reads the job's checkpoint statistics (cached in
    /// <paramref name="context"/>) for the downtime estimate.
    /// </summary>
    private async Task ShowPlanAsync(RunChange change, CheckContext context, CancellationToken cancellationToken)
    {
        var run = change.Run;
        run.Plan = PlanBuilder.Build(run, await CheckpointsOrNullAsync(context, cancellationToken));
        PlanBinding.MarkGateOpened(run, change.Now);
        run.NextWakeAt = NextGateWake(run);
        change.Record(Actor.System, TimelineEventKind.Note, $"Plan {run.Plan.Hash}: {PlanLine(run.Plan)}", PlanEvidence(run.Plan));
    }

    /// <summary>At the gate: expire it when its time is up; post the one reminder when it is due.</summary>
    private void AwaitApproval(RunChange change)
    {
        var run = change.Run;
        var gate = run.Gate!;
        if (change.Now >= gate.ExpiresAt)
        {
            run.Summary = $"Nobody approved within {Durations.Format(gate.ExpiresAt - PlanBinding.GateOpenedAt(run))}; nothing was changed.";
            Fire(change, RunTrigger.Expire, "the gate expired");
            return;
        }
        var remindAt = PlanBinding.ReminderAt(PlanBinding.GateOpenedAt(run), gate.ExpiresAt);
        if (!run.Vars.ContainsKey(PlanBinding.GateRemindedAtVar) && change.Now >= remindAt)
        {
            run.Vars[PlanBinding.GateRemindedAtVar] = change.Now.ToString("O", CultureInfo.InvariantCulture);
            var missing = Math.Max(1, gate.RequiredApprovals - Lifecycle.RunLifecycle.CountedApprovals(run));
            var who = GateRules.AnyoneMayApprove(gate) ? "any approver in the channel" : GateRules.DescribeApprovers(gate);
            change.Record(Actor.System, TimelineEventKind.Note,
                $"Reminder: {run.Id} still needs {missing} approval(s) from {who} for plan {run.Plan?.Hash ?? "(none)"}; " +
                $"the gate expires at {gate.ExpiresAt:HH:mm} UTC (in {Durations.Format(gate.ExpiresAt - change.Now)}) and then nothing is changed",
                new Dictionary<string, string> { ["reminder"] = "gate", ["expiresAt"] = gate.ExpiresAt.ToString("O", CultureInfo.InvariantCulture) });
        }
        run.NextWakeAt = NextGateWake(run);
    }

    /// <summary>
    /// Approved: evaluates the preconditions again and recomputes the plan, just before the first mutating step. The same
    /// plan goes on to execute; a changed one voids the approvals, says what changed and opens the gate again; a failed
    /// precondition ends the run with nothing changed.
    /// </summary>
    private async Task ConfirmPlanAsync(RunChange change, Recipe recipe, ClusterDefinition cluster, IFlinkPlatform platform, CancellationToken cancellationToken)
    {
        var run = change.Run;
        var approved = run.Plan;
        var context = NewCheckContext(run, recipe, cluster, platform);
        var results = new List<CheckResult>();
        foreach (var spec in recipe.Preconditions)
        {
            results.Add(await _checks[spec.Check].EvaluateAsync(context, spec, cancellationToken));
        }
        var before = run.Preconditions.ToDictionary(r => r.Id, r => r.Outcome, StringComparer.Ordinal);
        run.Preconditions = results;
        foreach (var result in results.Where(r => before.GetValueOrDefault(r.Id, (CheckOutcome)(-1)) != r.Outcome))
        {
            change.Record(Actor.System, TimelineEventKind.Check, $"{Symbol(result.Outcome)} {result.Title}: {result.Evidence}",
                new Dictionary<string, string> { ["check"] = result.Id, ["outcome"] = result.Outcome.ToString() });
        }

        var approvers = string.Join(", ", run.Approvals.Select(a => a.Actor.Mention));
        var notPassed = results.Where(r => r.Outcome != CheckOutcome.Pass).ToList();
        if (notPassed.Count > 0)
        {
            run.Summary = $"Approved, but the preconditions no longer hold, so the approval ({approvers}) is void and nothing was changed: " +
                          string.Join("; ", notPassed.Select(r => $"{r.Title}: {r.Evidence}"));
            VoidApprovals(change, $"the preconditions no longer hold ({string.Join("; ", notPassed.Select(r => r.Title))})", approved?.Hash, null);
            Fire(change, RunTrigger.PreconditionsNotMet, $"re-checked before executing: {notPassed.Count} of {results.Count} preconditions not met; approvals void");
            return;
        }

        run.Procedure = Plan(recipe.Procedure, run);
        run.Rollback = Plan(recipe.Rollback, run);
        var now = PlanBuilder.Build(run, await CheckpointsOrNullAsync(context, cancellationToken));
        if (approved is not null && approved.Hash == now.Hash)
        {
            run.Plan = now; // the same plan, with a fresher downtime estimate
            run.Summary = "Approved; executing.";
            run.NextWakeAt = change.Now;
            Fire(change, RunTrigger.PlanConfirmed, $"plan {now.Hash} confirmed: preconditions re-checked, nothing changed; executing");
            return;
        }

        var changes = approved is null ? ["The run had no recorded plan"] : PlanDiff.Changes(approved, now);
        VoidApprovals(change, $"Plan changed since it was approved ({approved?.Hash ?? "none"} → {now.Hash})", approved?.Hash, now.Hash, changes);
        run.PlanChanges = changes.ToList();
        run.Plan = now;
        var lifetime = run.Gate!.ExpiresAt - PlanBinding.GateOpenedAt(run);
        run.Gate = run.Gate with { ExpiresAt = change.Now + lifetime };
        PlanBinding.MarkGateOpened(run, change.Now);
        run.NextWakeAt = NextGateWake(run);
        run.Summary = $"The plan changed after approval, so the approvals are void; approve plan {now.Hash} again by {run.Gate.ExpiresAt:HH:mm} UTC.";
        Fire(change, RunTrigger.PlanChanged, $"plan changed ({string.Join("; ", changes)}); approvals void, the gate is open again");
        LogPlanChanged(_logger, run.Id.Value, approved?.Hash ?? "none", now.Hash);
    }

    /// <summary>
    /// Clears the run's approvals, recording on the timeline whose they were (verified identity keys in the evidence)
    /// and why they no longer count: <paramref name="why"/> is the reason when there is no new plan
    /// (<paramref name="planAfter"/> null), else the heading of the plan change, followed by <paramref name="changes"/>.
    /// </summary>
    private static void VoidApprovals(RunChange change, string why, string? planBefore, string? planAfter, IReadOnlyList<string>? changes = null)
    {
        var run = change.Run;
        var approvers = string.Join(", ", run.Approvals.Select(a => a.Actor.Mention));
        var what = changes is { Count: > 0 } ? ": " + string.Join("; ", changes) : "";
        var evidence = new Dictionary<string, string>
        {
            ["planBefore"] = planBefore ?? "",
            ["voided"] = string.Join(",", run.Approvals.Select(a => a.Actor.Key)),
        };
        if (planAfter is not null) evidence["planAfter"] = planAfter;
        change.Record(Actor.System, TimelineEventKind.Note,
            planAfter is null ? $"The approvals of {approvers} are void: {why}" : $"{why}; the approvals of {approvers} are void{what}", evidence);
        run.Approvals.Clear();
    }

    private static DateTimeOffset NextGateWake(Run run)
    {
        var gate = run.Gate!;
        if (run.Vars.ContainsKey(PlanBinding.GateRemindedAtVar)) return gate.ExpiresAt;
        var remindAt = PlanBinding.ReminderAt(PlanBinding.GateOpenedAt(run), gate.ExpiresAt);
        return remindAt < gate.ExpiresAt ? remindAt : gate.ExpiresAt;
    }

    private static async Task<CheckpointStats?> CheckpointsOrNullAsync(CheckContext context, CancellationToken cancellationToken)
    {
        if (context.Run.JobId is not { } jobId) return null;
        try
        {
            return await context.CheckpointsAsync(jobId, cancellationToken);
        }
        catch (PlatformException)
        {
            return null; // the estimate is then unknown; the plan itself does not depend on it
        }
    }

    private static string PlanLine(RunPlan plan)
    {
        var parts = new List<string>();
        if (plan.TargetJar is { } target) parts.Add($"{Steps.JarNames.Display(plan.CurrentJar)} → {Steps.JarNames.Display(target)}");
        if (plan.TargetParallelism is { } p) parts.Add(plan.CurrentParallelism == p ? $"parallelism {p}" : $"parallelism {plan.CurrentParallelism} → {p}");
        if (plan.SavepointDirectory is { } dir) parts.Add($"savepoint to {dir}");
        parts.Add($"allowNonRestoredState={(plan.AllowNonRestoredState ? "true" : "false")}");
        parts.Add(plan.Downtime is { } d ? $"expected downtime ≈ {Durations.Format(TimeSpan.FromSeconds(d.Seconds))}" : "expected downtime unknown");
        if (plan.RollbackTarget is { } rollback) parts.Add($"rollback to {rollback}");
        parts.AddRange(plan.Facts);
        return string.Join("; ", parts);
    }

    private static Dictionary<string, string> PlanEvidence(RunPlan plan) => new()
    {
        ["planHash"] = plan.Hash,
        ["plan"] = PlanHasher.Canonical(plan),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: the plan changed after approval ({Before} → {After}); approvals void, gate open again")]
    private static partial void LogPlanChanged(ILogger logger, string runId, string before, string after);
}

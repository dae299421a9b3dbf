using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Commands;

/// <summary>The second confirmation of a run that drops state (<c>/flink confirm R-XXXX</c>).</summary>
public sealed partial class CommandService
{
    /// <summary>
    /// Records <paramref name="actor"/>'s confirmation of the run's current plan on the run and its timeline (with the plan
    /// hash), and moves the run past the gate when its approvals are complete. The caller checked eligibility.
    /// </summary>
    private static string ConfirmStateDrop(RunChange change, Actor actor, string? comment)
    {
        var run = change.Run;
        var planHash = run.Plan?.Hash ?? "none";
        StateDropConfirmation.Record(run, actor);
        var dropped = run.Plan?.Facts.FirstOrDefault(f => f.StartsWith("State dropped", StringComparison.Ordinal)) ?? "state is dropped";
        change.Record(actor, TimelineEventKind.Decision,
            $"dropping state confirmed by {actor.Mention} (plan {planHash}): {dropped}{(comment is null ? "" : "; " + comment)}",
            new Dictionary<string, string> { ["decision"] = "confirm", ["planHash"] = planHash, ["actor"] = actor.Key });
        if (!Lifecycle.RunLifecycle.HasQuorum(run)) return $"{run.Id}: confirmation recorded by {actor.Mention} (plan {planHash}).";
        RunEngine.Fire(change, RunTrigger.Approve, "approved and the state drop confirmed; re-checking the preconditions and the plan before executing", actor);
        run.Summary = "Approved and confirmed; re-checking the preconditions and the plan, then executing.";
        run.NextWakeAt = change.Now;
        return $"{run.Id}: dropping state confirmed by {actor.Mention} (plan {planHash}); re-checking the preconditions, then executing.";
    }
}

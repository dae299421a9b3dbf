using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>Approval bound to a plan, end to end against FlinkSim over HTTP with a manual clock.</summary>
public class ApprovalPlanTests
{
    private const string Upgrade240 = "/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar";
    private static readonly Actor Cy = new("teams", "tenant-1", "7d3c0e52-0000-4000-8000-00000000c0c0", "cy");

    [Fact]
    public async Task Gate_Opens_ShowsThePlanWithItsHashDowntimeAndRollbackTarget()
    {
        await using var h = await EngineHarness.StartAsync();
        var run = await h.StartUpgradeAsync(Upgrade240 + " --parallelism 6");

        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);

        var plan = gate.Plan!;
        Assert.Matches("^[0-9a-f]{8}$", plan.Hash);
        Assert.EndsWith("orders-enricher-2.3.1.jar", plan.CurrentJar);
        Assert.EndsWith("orders-enricher-2.4.0.jar", plan.TargetJar);
        Assert.Equal((4, 6), (plan.CurrentParallelism, plan.TargetParallelism));
        Assert.Equal("orders-enricher-2.3.1.jar from the same savepoint", plan.RollbackTarget);
        Assert.All(plan.Preconditions, c => Assert.Equal(CheckOutcome.Pass, c.Outcome));
        Assert.True(plan.Downtime!.Seconds >= 30, plan.Downtime.How);
        Assert.Contains("slowest of the last", plan.Downtime.How);

        var card = h.Chat.Updates[^1].Card;
        Assert.Equal(plan.Hash, card.PlanHash);
        Assert.Contains(card.Facts, f => f.Label == "Expected downtime" && f.Value.StartsWith("≈ ", StringComparison.Ordinal));
        Assert.Contains(card.Facts, f => f.Label == "Parallelism" && f.Value == "4 → 6");
        var text = TextCardRenderer.Render(card);
        Assert.Contains($"Plan {plan.Hash}: an approval is for this plan", text);
        Assert.Contains($"the requester can `cancel {run.Id}`", text);
        var timeline = await h.Recorder.TimelineAsync(gate, CancellationToken.None);
        Assert.Contains(timeline, e => e.Text.StartsWith($"Plan {plan.Hash}: ", StringComparison.Ordinal) && e.Evidence["planHash"] == plan.Hash);
    }

    [Fact]
    public async Task Approve_RecordsThePlanHashTheApproverAndTheTime()
    {
        await using var h = await EngineHarness.StartAsync();
        var run = await h.StartUpgradeAsync(Upgrade240);
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);

        var reply = await ApproveAsync(h, run.Id, EngineHarness.Bo, gate.Plan!.Hash);
        var approved = await h.GetAsync(run.Id);

        Assert.True(reply.Accepted, reply.Text);
        Assert.Contains($"(plan {gate.Plan.Hash})", reply.Text);
        var approval = Assert.Single(approved.Approvals);
        Assert.Equal(EngineHarness.Bo.Key, approval.Actor.Key);
        Assert.Equal(gate.Plan.Hash, approval.PlanHash);
        Assert.Equal(h.Clock.GetUtcNow(), approval.At);
        Assert.Equal(RunState.ConfirmingPlan, approved.State);
    }

    [Fact]
    public async Task Approve_UnchangedPlan_IsConfirmedBeforeTheFirstStepAndSucceeds()
    {
        await using var h = await EngineHarness.StartAsync();
        var run = await h.StartUpgradeAsync(Upgrade240);
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);

        await ApproveAsync(h, run.Id, EngineHarness.Bo, gate.Plan!.Hash);
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(gate.Plan.Hash, done.Plan!.Hash);
        var timeline = await h.Recorder.TimelineAsync(done, CancellationToken.None);
        var confirmed = timeline.Single(e => e.Evidence.GetValueOrDefault("trigger") == nameof(RunTrigger.PlanConfirmed));
        var firstStep = timeline.First(e => e.Kind == TimelineEventKind.Step);
        Assert.True(confirmed.Sequence < firstStep.Sequence);
        Assert.Contains($"plan {gate.Plan.Hash} confirmed", confirmed.Text);
    }

    [Fact]
    public async Task Approve_CheckpointFailsBetweenApprovalAndExecution_VoidsTheApprovalAndTouchesNothing()
    {
        await using var h = await EngineHarness.StartAsync();
        var job = h.Sim.Cluster.FindJob("orders-enricher")!;
        var run = await h.StartUpgradeAsync(Upgrade240);
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        Assert.True((await ApproveAsync(h, run.Id, EngineHarness.Bo, gate.Plan!.Hash)).Accepted);

        // After the approval, before the engine's next tick: the job's next checkpoint fails.
        h.Sim.Cluster.Faults.FailCheckpoints(job.JobId, true, "Asynchronous task checkpoint failed.");
        h.Clock.Advance(TimeSpan.FromSeconds(15));
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        Assert.Equal(CheckOutcome.Fail, done.Preconditions.Single(c => c.Id == "no-failed-checkpoints").Outcome);
        Assert.Contains("approval (<@U2>) is void", done.Summary);
        Assert.Contains("Asynchronous task checkpoint failed.", done.Summary);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(job.JobId)!.Status);
        Assert.Null(await h.Locks.GetAsync("demo", "orders-enricher", CancellationToken.None));
        var timeline = await h.Recorder.TimelineAsync(done, CancellationToken.None);
        Assert.Contains(timeline, e => e.Text.StartsWith("ConfirmingPlan → PreconditionsFailed", StringComparison.Ordinal));
        var voided = Assert.Single(timeline, e => e.Evidence.ContainsKey("voided"));
        Assert.Equal("The approvals of <@U2> are void: the preconditions no longer hold (No recent checkpoint failures)", voided.Text);
        Assert.Equal(EngineHarness.Bo.Key, voided.Evidence["voided"]);
        Assert.Empty(done.Approvals);
        Assert.Null(h.Chat.Updates[^1].Card.Gate!.Decision); // the card does not call a void approval "Approved"
        Assert.DoesNotContain(timeline, e => e.Kind == TimelineEventKind.Step);
    }

    [Fact]
    public async Task Approve_NewerCheckpointFailedButPreconditionsStillPass_VoidsApprovalsReopensTheGateAndSaysWhatChanged()
    {
        await using var h = await EngineHarness.StartAsync();
        var job = h.Sim.Cluster.FindJob("orders-enricher")!;
        var run = await h.StartUpgradeAsync(Upgrade240);
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        var shown = gate.Plan!.Hash;
        await ApproveAsync(h, run.Id, EngineHarness.Bo, shown);

        // One checkpoint fails, then enough complete that the last five attempts are clean again.
        h.Sim.Cluster.Faults.FailCheckpoints(job.JobId, true);
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        h.Sim.Cluster.Faults.FailCheckpoints(job.JobId, false);
        h.Clock.Advance(TimeSpan.FromSeconds(70));
        var reopened = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());

        Assert.Equal(RunState.AwaitingApproval, reopened.State);
        Assert.Empty(reopened.Approvals);
        Assert.NotEqual(shown, reopened.Plan!.Hash);
        var what = Assert.Single(reopened.PlanChanges);
        Assert.StartsWith("No recent checkpoint failures: failedSinceStart=0; latestFailed=none → failedSinceStart=1;", what);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads

        var card = h.Chat.Updates[^1].Card;
        Assert.Equal(reopened.Plan.Hash, card.PlanHash);
        Assert.Equal(reopened.PlanChanges, card.PlanChanges);
        Assert.True(card.Gate!.IsOpen);
        Assert.Contains("The plan changed after it was approved; approvals are void", TextCardRenderer.Render(card));
        var timeline = await h.Recorder.TimelineAsync(reopened, CancellationToken.None);
        var voided = Assert.Single(timeline, e => e.Text.StartsWith($"Plan changed since it was approved ({shown} → {reopened.Plan.Hash})", StringComparison.Ordinal));
        Assert.Equal(EngineHarness.Bo.Key, voided.Evidence["voided"]);
        Assert.Equal(voided.At, PlanBinding.GateOpenedAt(reopened)); // a fresh gate lifetime from the change
        Assert.Equal(voided.At + TimeSpan.FromMinutes(30), reopened.Gate!.ExpiresAt);

        // The card Bo clicked showed the old plan: refused, nothing recorded. The updated card's Approve goes through.
        var stale = await ApproveAsync(h, run.Id, EngineHarness.Bo, shown);
        Assert.False(stale.Accepted);
        Assert.StartsWith("The plan changed since this card was shown", stale.Text);
        Assert.Empty((await h.GetAsync(run.Id)).Approvals);

        Assert.True((await ApproveAsync(h, run.Id, EngineHarness.Bo, reopened.Plan.Hash)).Accepted);
        var done = await h.DriveAsync(run.Id);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(reopened.Plan.Hash, Assert.Single(done.Approvals).PlanHash);
    }

    [Fact]
    public async Task Approve_JobRestartedBetweenApprovalAndExecution_VoidsApprovalsAndReopensTheGate()
    {
        await using var h = await EngineHarness.StartAsync();
        var job = h.Sim.Cluster.FindJob("orders-enricher")!;
        var run = await h.StartUpgradeAsync(Upgrade240);
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        await ApproveAsync(h, run.Id, EngineHarness.Bo, gate.Plan!.Hash);

        // The job fails over once (same JobID, RUNNING again after a restart), then runs and checkpoints normally.
        h.Sim.Cluster.Faults.RestartLoop(job.JobId, true);
        h.Clock.Advance(TimeSpan.FromSeconds(4));
        h.Sim.Cluster.Faults.RestartLoop(job.JobId, false);
        h.Clock.Advance(TimeSpan.FromSeconds(60));
        var reopened = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());

        Assert.Equal(RunState.AwaitingApproval, reopened.State);
        Assert.Empty(reopened.Approvals);
        Assert.Contains(reopened.PlanChanges, c => c.StartsWith("Job is RUNNING: ", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads
    }

    [Fact]
    public async Task Approve_ClickOnACardShowingAnotherPlan_IsRefusedAndRecordsNothing()
    {
        await using var h = await EngineHarness.StartAsync();
        var run = await h.StartUpgradeAsync(Upgrade240);
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        var events = gate.TimelineSequence;

        var reply = await ApproveAsync(h, run.Id, EngineHarness.Bo, "deadbeef");

        Assert.False(reply.Accepted);
        Assert.Equal($"The plan changed since this card was shown (it showed plan deadbeef, the plan is now {gate.Plan!.Hash}); see the updated card, " +
                     $"then approve again if it still looks right. Nothing was recorded for {run.Id}.", reply.Text);
        var after = await h.GetAsync(run.Id);
        Assert.Empty(after.Approvals);
        Assert.Equal(RunState.AwaitingApproval, after.State);
        Assert.Equal(events, after.TimelineSequence);
    }

    [Fact]
    public async Task Gate_NobodyApproves_RemindsOnceAtTwentyFiveMinutesThenExpires()
    {
        await using var h = await EngineHarness.StartAsync();
        var run = await h.StartUpgradeAsync(Upgrade240);
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        var opened = PlanBinding.GateOpenedAt(gate);

        // To the reminder, then past it with a fresh engine (as after a restart), which looks at the gate again at once.
        var reminded = await h.DriveAsync(run.Id, r => r.Vars.ContainsKey(PlanBinding.GateRemindedAtVar));
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        h.RestartEngine();
        await h.Engine.TickAsync(run.Id, CancellationToken.None);
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.Expired, done.State);
        var timeline = await h.Recorder.TimelineAsync(done, CancellationToken.None);
        var reminder = Assert.Single(timeline, e => e.Evidence.GetValueOrDefault("reminder") == "gate");
        Assert.Equal(opened + TimeSpan.FromMinutes(25), reminder.At);
        Assert.Equal($"Reminder: {run.Id} still needs 1 approval(s) from any approver in the channel for plan {gate.Plan!.Hash}; " +
                     $"the gate expires at {gate.Gate!.ExpiresAt:HH:mm} UTC (in 5 min) and then nothing is changed", reminder.Text);
        Assert.Contains(h.Chat.Updates, u => u.NewEvents.Any(e => e.Sequence == reminder.Sequence)); // posted in the card's thread
        Assert.Equal(RunState.AwaitingApproval, reminded.State);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads
    }

    [Fact]
    public async Task Reject_ByOneAllowedApproverAfterAnotherApproved_EndsTheRun()
    {
        await using var h = await EngineHarness.StartAsync(new GatePolicy { RequiredApprovals = 2 });
        var run = await h.StartUpgradeAsync(Upgrade240);
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        await ApproveAsync(h, run.Id, EngineHarness.Bo, gate.Plan!.Hash);

        var reject = await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Reject, Cy, EngineHarness.Channel, "not during the sale"), CancellationToken.None);
        var done = await h.DriveAsync(run.Id);

        Assert.True(reject.Accepted, reject.Text);
        Assert.Equal(RunState.Rejected, done.State);
        Assert.Equal(Cy.Key, done.Decline!.Actor.Key);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads
    }

    [Fact]
    public async Task Cancel_ByTheRequesterWhileTheGateIsOpen_EndsCancelledAndByAnyoneElse_IsRefused()
    {
        await using var h = await EngineHarness.StartAsync();
        var run = await h.StartUpgradeAsync(Upgrade240);
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);

        var byBo = await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Cancel, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);
        var byAna = await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Cancel, EngineHarness.Ana, EngineHarness.Channel), CancellationToken.None);

        Assert.False(byBo.Accepted);
        Assert.Contains("Only the requester", byBo.Text);
        Assert.True(byAna.Accepted, byAna.Text);
        Assert.Equal(RunState.Cancelled, (await h.GetAsync(run.Id)).State);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads
    }

    private static Task<CommandReply> ApproveAsync(EngineHarness h, RunId id, Actor approver, string shownHash) =>
        h.Commands.HandleActionAsync(new ChatAction(id, GateAction.Approve, approver, EngineHarness.Channel) { PlanHash = shownHash }, CancellationToken.None);
}

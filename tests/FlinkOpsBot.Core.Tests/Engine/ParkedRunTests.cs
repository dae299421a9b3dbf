using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Cards;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>
/// Runs parked on an uncertain step (Flink forgot the stop's trigger id and the job was cancelled by hand), the four
/// decisions on them, and plain answers for buttons on runs that have moved on.
/// </summary>
public class ParkedRunTests
{
    private const string Upgrade240 = "/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar";

    [Fact]
    public async Task ForgottenTrigger_JobCancelledByHand_ParksWithEvidenceAndFourChoicesOnTheCard()
    {
        await using var h = await EngineHarness.StartAsync();

        var parked = await ParkAsync(h);

        Assert.Equal(StepStatus.Uncertain, parked.Procedure[0].Status);
        Assert.Contains("no longer knows the stop's trigger id", parked.Procedure[0].Detail);
        var card = h.Chat.Updates[^1].Card;
        Assert.Equal(RunState.AwaitingDecision, card.State);
        Assert.Equal(["retry", "continue", "rollback", "abandon"], card.Decision!.Choices.Select(c => c.Verb));
        Assert.True(card.Decision.Evidence.Any(f => f.Label == "jobStatus" && f.Value == "CANCELED"), string.Join("; ", card.Decision.Evidence));
        Assert.Contains(card.Decision.Evidence, f => f.Label == "triggerId" && f.Value == parked.Vars[RunVars.StopTriggerId]);
        var text = TextCardRenderer.Render(card);
        Assert.Contains($"`abandon {parked.Id}`", text);

        // Parked runs never expire: a day later it still waits, with reminders on the timeline.
        var later = await h.DriveAsync(parked.Id, r => r.UpdatedAt > parked.UpdatedAt + TimeSpan.FromHours(2), maxTicks: 10);
        Assert.Equal(RunState.AwaitingDecision, later.State);
        Assert.Contains(await h.Recorder.TimelineAsync(later, CancellationToken.None), e => e.Text.StartsWith("Still waiting for a decision", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Abandon_ByAnApprover_EndsAbandonedLeavesTheClusterAndReleasesTheLock()
    {
        await using var h = await EngineHarness.StartAsync();
        var parked = await ParkAsync(h);
        var callsBefore = h.Sim.Cluster.Calls.All.Count;

        var reply = await h.SayAsync($"/flink abandon {parked.Id} I will restore by hand", EngineHarness.Bo);

        Assert.True(reply.Accepted, reply.Text);
        var run = await h.GetAsync(parked.Id);
        Assert.Equal(RunState.Abandoned, run.State);
        Assert.NotEmpty(run.HumanActions);
        Assert.Equal(callsBefore, h.Sim.Cluster.Calls.All.Count);
        Assert.Null(await h.Locks.GetAsync("demo", "orders-enricher", CancellationToken.None));
        var timeline = await h.Recorder.TimelineAsync(run, CancellationToken.None);
        Assert.Contains(timeline, e => e.Kind == TimelineEventKind.Decision && e.Actor == EngineHarness.Bo && e.Text.StartsWith("abandon chosen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Decide_Requester_IsRefusedAndNothingChanges()
    {
        await using var h = await EngineHarness.StartAsync();
        var parked = await ParkAsync(h);

        var reply = await h.SayAsync($"/flink retry {parked.Id}", EngineHarness.Ana);

        Assert.False(reply.Accepted);
        Assert.Contains("another approver must decide", reply.Text);
        Assert.Equal(RunState.AwaitingDecision, (await h.GetAsync(parked.Id)).State);
    }

    [Fact]
    public async Task Continue_StopWithoutSavepointPath_AsksForThePath()
    {
        await using var h = await EngineHarness.StartAsync();
        var parked = await ParkAsync(h);

        var reply = await h.Commands.HandleActionAsync(new ChatAction(parked.Id, GateAction.Continue, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);

        Assert.False(reply.Accepted);
        Assert.Contains($"/flink continue {parked.Id} <savepoint path>", reply.Text);
        Assert.Equal(RunState.AwaitingDecision, (await h.GetAsync(parked.Id)).State);
    }

    [Fact]
    public async Task Continue_WithTheSavepointPath_MarksTheStopDoneByThePersonAndGoesOn()
    {
        await using var h = await EngineHarness.StartAsync();
        var parked = await ParkAsync(h);
        const string found = "s3://flink-demo/savepoints/savepoint-2da21a-found-by-hand";

        var reply = await h.SayAsync($"/flink continue {parked.Id} {found}", EngineHarness.Bo);

        Assert.True(reply.Accepted, reply.Text);
        var run = await h.GetAsync(parked.Id);
        Assert.Equal(RunState.Executing, run.State);
        Assert.Equal(StepStatus.Done, run.Procedure[0].Status);
        Assert.StartsWith("marked done by", run.Procedure[0].Detail);
        Assert.Equal(found, run.Vars[RunVars.SavepointPath]);
        Assert.Empty(FlinkOpsBot.Core.Lifecycle.RunDecisions.Evidence(run));
    }

    [Fact]
    public async Task Retry_StillNoEvidence_RunsTheStepAgainAndParksAgain()
    {
        await using var h = await EngineHarness.StartAsync();
        var parked = await ParkAsync(h);

        var reply = await h.SayAsync($"/flink retry {parked.Id}", EngineHarness.Bo);
        Assert.True(reply.Accepted, reply.Text);
        Assert.Equal(RunState.Executing, (await h.GetAsync(parked.Id)).State);
        var again = await h.DriveAsync(parked.Id, r => r.State == RunState.AwaitingDecision || r.State.IsTerminal(), maxTicks: 50);

        Assert.Equal(RunState.AwaitingDecision, again.State);
        var timeline = await h.Recorder.TimelineAsync(again, CancellationToken.None);
        Assert.Contains(timeline, e => e.Text.StartsWith("AwaitingDecision → Executing", StringComparison.Ordinal) && e.Actor == EngineHarness.Bo);
    }

    [Fact]
    public async Task Retry_SameButtonAgainAtTheNextParking_IsADecisionNotADuplicate()
    {
        await using var h = await EngineHarness.StartAsync();
        var service = new DedupingCommandService(h.Commands, new InMemoryDeliveryLog(h.Clock), h.Clock, NullLogger<DedupingCommandService>.Instance, runs: h.Runs);
        var parked = await ParkAsync(h);
        var click = new ChatAction(parked.Id, GateAction.Retry, EngineHarness.Bo, EngineHarness.Channel) { DeliveryKey = $"slack:T1:act:U2:1.2:retry:{parked.Id}" };

        var first = await service.HandleActionAsync(click, CancellationToken.None);
        var doubleClick = await service.HandleActionAsync(click, CancellationToken.None);
        await h.DriveAsync(parked.Id, r => r.State == RunState.AwaitingDecision || r.State.IsTerminal(), maxTicks: 50);
        var atTheNextParking = await service.HandleActionAsync(click, CancellationToken.None);

        Assert.True(first.Accepted, first.Text);
        Assert.True(doubleClick.IsDuplicate);
        Assert.False(atTheNextParking.IsDuplicate);
        Assert.True(atTheNextParking.Accepted, atTheNextParking.Text);
        var timeline = await h.Recorder.TimelineAsync(await h.GetAsync(parked.Id), CancellationToken.None);
        Assert.Equal(2, timeline.Count(e => e.Text.StartsWith("AwaitingDecision → Executing", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RollBack_FromTheProcedure_RunsTheRollbackPlan()
    {
        await using var h = await EngineHarness.StartAsync();
        var parked = await ParkAsync(h);

        var reply = await h.SayAsync($"/flink rollback {parked.Id}", EngineHarness.Bo);

        Assert.True(reply.Accepted, reply.Text);
        var run = await h.GetAsync(parked.Id);
        Assert.Equal(RunState.RollingBack, run.State);
        Assert.Equal(StepStatus.Failed, run.Procedure[0].Status);
        // No savepoint was ever confirmed, so the rollback cannot start the previous version: a human must act.
        Assert.Equal(RunState.RollbackFailed, (await h.DriveAsync(parked.Id, maxTicks: 50)).State);
    }

    [Fact]
    public async Task Approve_RunThatEnded_GetsAPlainAnswerAndChangesNothing()
    {
        await using var h = await EngineHarness.StartAsync();
        var done = await h.ApproveAndFinishAsync((await h.StartUpgradeAsync(Upgrade240)).Id);
        var sequence = done.TimelineSequence;

        var reply = await h.Commands.HandleActionAsync(new ChatAction(done.Id, GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);

        Assert.Equal($"{done.Id} already ended: Succeeded at {done.EndedAt:HH:mm} UTC. Nothing was changed.", reply.Text);
        Assert.Equal(sequence, (await h.GetAsync(done.Id)).TimelineSequence);
        var retry = await h.SayAsync($"/flink retry {done.Id}", EngineHarness.Bo);
        Assert.StartsWith($"{done.Id} already ended: Succeeded", retry.Text);
    }

    [Fact]
    public async Task Approve_RunPastTheGate_SaysItIsNoLongerWaiting()
    {
        await using var h = await EngineHarness.StartAsync();
        var run = await h.StartUpgradeAsync(Upgrade240);
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);
        await h.DriveAsync(run.Id, r => r.State == RunState.Executing); // past the plan's re-check

        var late = await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Reject, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);
        var notParked = await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Abandon, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);

        Assert.Equal($"{run.Id} is no longer waiting for approval: it is Executing. Nothing was changed.", late.Text);
        Assert.Equal($"{run.Id} is not waiting for a decision: it is Executing. Nothing was changed.", notParked.Text);
        Assert.Equal(RunState.Executing, (await h.GetAsync(run.Id)).State);
    }

    [Fact]
    public async Task Restart_WhileParked_ReRendersTheCardAndStaysParked()
    {
        await using var h = await EngineHarness.StartAsync();
        var parked = await ParkAsync(h);
        var updates = h.Chat.Updates.Count;
        h.Clock.Advance(TimeSpan.FromSeconds(5));

        h.RestartEngine();
        await h.Engine.TickAsync(parked.Id, CancellationToken.None);

        Assert.Equal(updates + 1, h.Chat.Updates.Count);
        Assert.Equal(RunState.AwaitingDecision, h.Chat.Updates[^1].Card.State);
        Assert.NotNull(h.Chat.Updates[^1].Card.Decision);
    }

    /// <summary>Approves an upgrade, lets the stop be requested, then cancels the job by hand and has Flink forget the trigger.</summary>
    private static async Task<Run> ParkAsync(EngineHarness h)
    {
        var run = await h.StartUpgradeAsync(Upgrade240);
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);
        var stopping = await h.DriveAsync(run.Id, r => r.Vars.ContainsKey(RunVars.StopRequested));
        await h.Platform.CancelJobAsync(stopping.JobId!, CancellationToken.None);
        h.Sim.Cluster.Faults.DropOperationResults(stopping.JobId!);
        var parked = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingDecision || r.State.IsTerminal(), maxTicks: 50);
        Assert.True(parked.State == RunState.AwaitingDecision, $"expected to park, got {parked.State}: {parked.Summary}");
        return parked;
    }
}

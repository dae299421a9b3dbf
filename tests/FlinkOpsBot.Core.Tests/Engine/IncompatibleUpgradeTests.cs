using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>Upgrade with incompatible state (cookbook 2.2) against FlinkSim: the state shown, and the second confirmation.</summary>
public class IncompatibleUpgradeTests
{
    private const string Upgrade300 = "/flink upgrade orders-enricher --jar orders-enricher-3.0.0.jar";

    [Fact]
    public async Task Upgrade_IncompatibleStateWithoutAFlag_FailsWithTheVerticesAndTheFixes()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;

        var run = await h.StartUpgradeAsync(Upgrade300);
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        var check = Assert.Single(done.Preconditions, c => c.Id == "state-compatible");
        Assert.Equal(CheckOutcome.Fail, check.Outcome);
        Assert.Contains("maps to no operator of orders-enricher-3.0.0.jar", check.Evidence);
        Assert.Contains("--allow-non-restored-state", check.Evidence);
        Assert.Contains("--from-scratch", check.Evidence);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(original.JobId)!.Status);
    }

    [Fact]
    public async Task Upgrade_AllowNonRestoredState_NeedsTheConfirmationAfterTheApprovalThenDropsTheListedState()
    {
        await using var h = await EngineHarness.StartAsync();

        var run = await h.StartUpgradeAsync(Upgrade300 + " --allow-non-restored-state");
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());
        Assert.Equal(RunState.AwaitingApproval, gate.State);
        var dropped = Assert.Single(gate.Plan!.Facts, f => f.StartsWith("State dropped: ", StringComparison.Ordinal));

        var early = await Decide(h, run.Id, GateAction.Confirm, EngineHarness.Bo);
        Assert.False(early.Accepted);
        Assert.Contains("approval(s) first", early.Text);
        var approved = await Decide(h, run.Id, GateAction.Approve, EngineHarness.Bo);
        Assert.True(approved.Accepted, approved.Text);
        Assert.Contains("/flink confirm", approved.Text);
        var waiting = await h.DriveAsync(run.Id, r => true);
        Assert.Equal(RunState.AwaitingApproval, waiting.State);
        Assert.Contains(h.Chat.Updates[^1].Card.Facts, f => f.Label == "Second confirmation" && f.Value.Contains("/flink confirm", StringComparison.Ordinal));

        var byRequester = await h.SayAsync($"/flink confirm {run.Id}", EngineHarness.Ana);
        Assert.False(byRequester.Accepted);
        var confirmed = await h.SayAsync($"/flink confirm {run.Id}", EngineHarness.Bo);
        Assert.True(confirmed.Accepted, confirmed.Text);
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        var job = h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        Assert.Equal(done.Vars[RunVars.SavepointPath], job.RestoredFrom);
        var timeline = await h.Recorder.TimelineAsync(done, CancellationToken.None);
        var confirmation = Assert.Single(timeline, e => e.Evidence.GetValueOrDefault("decision") == "confirm");
        Assert.Equal(done.Plan!.Hash, confirmation.Evidence["planHash"]);
        Assert.Contains(dropped["State dropped: ".Length..], confirmation.Text);
    }

    [Fact]
    public async Task Upgrade_FromScratch_StartsWithoutStateAfterTheConfirmation()
    {
        await using var h = await EngineHarness.StartAsync();

        var run = await h.StartUpgradeAsync(Upgrade300 + " --from-scratch");
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());
        Assert.True((await Decide(h, run.Id, GateAction.Approve, EngineHarness.Bo)).Accepted);
        Assert.True((await Decide(h, run.Id, GateAction.Confirm, EngineHarness.Bo)).Accepted);
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        var job = h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        Assert.Null(job.RestoredFrom);
        Assert.Contains(done.Plan!.Facts, f => f.StartsWith("State dropped: all of it", StringComparison.Ordinal));
        Assert.NotNull(done.Vars.GetValueOrDefault(RunVars.SavepointPath)); // the stop's savepoint is kept as the way back
    }

    [Fact]
    public async Task Upgrade_DropsStateButNobodyConfirms_ExpiresWithNothingChanged()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;

        var run = await h.StartUpgradeAsync(Upgrade300 + " --allow-non-restored-state");
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());
        Assert.True((await Decide(h, run.Id, GateAction.Approve, EngineHarness.Bo)).Accepted);
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.Expired, done.State);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(original.JobId)!.Status);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => c.Method == "POST" && !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // reading the plan changes nothing
    }

    [Fact]
    public async Task Upgrade_CompatibleJar_NeedsNoConfirmation()
    {
        await using var h = await EngineHarness.StartAsync();

        var run = await h.StartUpgradeAsync("/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(CheckOutcome.Pass, Assert.Single(done.Preconditions, c => c.Id == "state-compatible").Outcome);
        Assert.False(StateDropConfirmation.Required(done));
    }

    private static Task<CommandReply> Decide(EngineHarness h, RunId id, GateAction action, Identity.Actor actor) =>
        h.Commands.HandleActionAsync(new ChatAction(id, action, actor, EngineHarness.Channel), CancellationToken.None);
}

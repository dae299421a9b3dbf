using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Locks;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Tests.Engine;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Tests.Locks;

/// <summary>
/// <c>/flink lock</c>, <c>unlock</c>, <c>locks</c> and stealing, through the command pipeline and the engine against
/// FlinkSim over HTTP, with a manual clock.
/// </summary>
public class ExplicitLockCommandTests
{
    private const string Upgrade240 = "/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar";
    private static readonly Actor Ana = EngineHarness.Ana;
    private static readonly Actor Bo = EngineHarness.Bo;
    private static readonly Actor Cy = new("slack", "T1", "U3", "cy");

    [Fact]
    public async Task Lock_ThenLocks_ListsHolderReasonAgeAndExpiry_AndRunLocks()
    {
        await using var h = await EngineHarness.StartAsync();
        var now = h.Clock.GetUtcNow();

        var locked = await h.SayAsync("/flink lock orders-enricher --reason \"INC-42: hands off\" --for 2h", Ana);
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        var upgrade = await h.StartUpgradeAsync("/flink upgrade payments-fraud-detector --jar payments-fraud-detector-1.8.0.jar", Bo);
        var list = await h.SayAsync("/flink locks", Cy);
        var status = await h.SayAsync("/flink status orders-enricher", Cy);

        Assert.True(locked.Accepted, locked.Text);
        Assert.Equal(ReplyVisibility.InChannel, locked.Visibility);
        Assert.Contains("orders-enricher on demo is now locked by <@U1>", locked.Text);
        Assert.Equal(ReplyVisibility.Ephemeral, list.Visibility);
        Assert.Contains($"• orders-enricher on demo: locked by <@U1> 10 min ago, until {now.AddHours(2):HH:mm} UTC (in 1 h 50 min): “INC-42: hands off”", list.Text);
        Assert.Contains($"• payments-fraud-detector on demo: run {upgrade.Id} (upgrade, started by <@U2> just now", list.Text);
        Assert.Contains($"\nLocked by <@U1> until {now.AddHours(2):HH:mm} UTC (in 1 h 50 min): “INC-42: hands off”", status.Text);
    }

    [Fact]
    public async Task Lock_BlocksSomeoneElsesUpgrade_NamingHolderReasonExpiryAndSteal()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink lock orders-enricher --reason \"INC-42: hands off\"", Ana);

        var refused = await h.SayAsync(Upgrade240, Bo);

        Assert.False(refused.Accepted);
        Assert.Contains("orders-enricher on demo is locked by <@U1> until", refused.Text);
        Assert.Contains("“INC-42: hands off”", refused.Text);
        Assert.Contains("Nothing was started", refused.Text);
        Assert.Contains("`/flink unlock orders-enricher --steal`", refused.Text);
        Assert.Empty(await h.Runs.ListActiveAsync(CancellationToken.None));
        Assert.Null(await h.Locks.GetAsync("demo", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task Lock_HoldersOwnUpgrade_Proceeds()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink lock orders-enricher --reason \"upgrading by hand\" --for 1h", Ana);

        var run = await h.StartUpgradeAsync(Upgrade240, Ana);
        var done = await h.ApproveAndFinishAsync(run.Id, Bo);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(Ana.Key, (await h.Locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None))!.Holder.Key);
    }

    [Fact]
    public async Task Lock_Expired_NoLongerBlocks_AndIsCleanedUp()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink lock orders-enricher --reason \"INC-42\" --for 30m", Ana);
        h.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.False((await h.SayAsync(Upgrade240, Bo)).Accepted);

        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var started = await h.SayAsync(Upgrade240, Bo);

        Assert.True(started.Accepted, started.Text);
        Assert.Null(await h.Locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task Unlock_ByTheHolder_ReleasesIt_AndOthersMayChangeTheJob()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink lock orders-enricher --reason \"INC-42\"", Ana);

        var unlocked = await h.SayAsync("/flink unlock orders-enricher", Ana);

        Assert.True(unlocked.Accepted, unlocked.Text);
        Assert.Contains("orders-enricher on demo unlocked by <@U1>", unlocked.Text);
        Assert.Null(await h.Locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None));
        Assert.True((await h.SayAsync(Upgrade240, Bo)).Accepted);
    }

    [Fact]
    public async Task Unlock_BySomeoneElse_IsRefusedWithTheWayToSteal()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink lock orders-enricher --reason \"INC-42\"", Ana);

        var refused = await h.SayAsync("/flink unlock orders-enricher", Bo);

        Assert.False(refused.Accepted);
        Assert.Contains("Only <@U1> can unlock it", refused.Text);
        Assert.Contains("`/flink unlock orders-enricher --steal`", refused.Text);
        Assert.NotNull(await h.Locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task Lock_HeldBySomeoneElse_IsRefused_AndTheHolderMayRenew()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink lock orders-enricher --reason \"INC-42\" --for 30m", Ana);

        var refused = await h.SayAsync("/flink lock orders-enricher --reason \"mine\"", Bo);
        var renewed = await h.SayAsync("/flink lock orders-enricher --reason \"INC-42, still on it\" --for 2h", Ana);

        Assert.False(refused.Accepted);
        Assert.Contains("is locked by <@U1>", refused.Text);
        Assert.Contains("--steal", refused.Text);
        Assert.Contains("is still locked by <@U1>", renewed.Text);
        var held = (await h.Locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None))!;
        Assert.Equal("INC-42, still on it", held.Reason);
        Assert.Equal(h.Clock.GetUtcNow().AddHours(2), held.ExpiresAt);
    }

    [Fact]
    public async Task Lock_WhileAnotherPersonsRunIsInFlight_IsRefusedAndLeavesNoLock()
    {
        await using var h = await EngineHarness.StartAsync();
        var run = await h.StartUpgradeAsync(Upgrade240, Bo);

        var refused = await h.SayAsync("/flink lock orders-enricher --reason \"INC-42\"", Ana);

        Assert.False(refused.Accepted);
        Assert.Contains($"orders-enricher has a change in flight: {run.Id} (upgrade, started by <@U2>", refused.Text);
        Assert.Contains("Nothing was locked", refused.Text);
        Assert.Null(await h.Locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task Lock_UnknownJob_IsRefusedWithTheJobs()
    {
        await using var h = await EngineHarness.StartAsync();

        var refused = await h.SayAsync("/flink lock orders-enricherr --reason \"INC-42\"", Ana);

        Assert.False(refused.Accepted);
        Assert.Contains("There is no job named orders-enricherr on cluster demo", refused.Text);
        Assert.Empty(await h.Locks.ListExplicitAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Lock_ClusterNotAnswering_LocksTheNameAsTyped()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Sim.Cluster.Faults.FailNextRequests(1, status: 503);

        // A name the cluster would not confirm: taken as typed only because the cluster could not be asked.
        var locked = await h.SayAsync("/flink lock orders-enricher-v3 --reason \"INC-42: JobManager down\"", Ana);

        Assert.True(locked.Accepted, locked.Text);
        Assert.Equal(Ana.Key, (await h.Locks.GetExplicitAsync("demo", "orders-enricher-v3", CancellationToken.None))!.Holder.Key);
        Assert.False((await h.SayAsync("/flink lock orders-enricher-v4 --reason \"INC-42\"", Ana)).Accepted);
    }

    [Fact]
    public async Task Lock_ConcurrentAttemptsByTwoPeople_ExactlyOneWins()
    {
        await using var h = await EngineHarness.StartAsync();

        var replies = await Task.WhenAll(
            h.SayAsync("/flink lock orders-enricher --reason \"INC-42 (ana)\"", Ana),
            h.SayAsync("/flink lock orders-enricher --reason \"INC-42 (bo)\"", Bo));

        var winner = Assert.Single(replies, r => r.Accepted);
        var held = (await h.Locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None))!;
        Assert.Contains($"locked by {held.Holder.Mention}", winner.Text);
        Assert.Contains($"is locked by {held.Holder.Mention}", replies.Single(r => !r.Accepted).Text);
    }

    [Fact]
    public async Task UnlockSteal_NeedsAnApproval_ThenReleasesTheLock_AllOnTheTimeline()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink lock orders-enricher --reason \"INC-42: hands off\"", Ana);

        var started = await h.SayAsync("/flink unlock orders-enricher --steal --reason \"ana is off shift\"", Bo);
        Assert.True(started.Accepted, started.Text);
        var gate = await h.DriveAsync(started.RunId!.Value, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());

        Assert.Equal(RunState.AwaitingApproval, gate.State);
        Assert.Equal(CheckOutcome.Pass, Assert.Single(gate.Preconditions).Outcome);
        Assert.Equal(Ana.Key, (await h.Locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None))!.Holder.Key);
        Assert.False((await h.SayAsync(Upgrade240, Bo)).Accepted); // Still locked until approved.
        var selfApproval = await h.Commands.HandleActionAsync(new ChatAction(gate.Id, GateAction.Approve, Bo, EngineHarness.Channel), CancellationToken.None);
        Assert.False(selfApproval.Accepted);

        var done = await h.ApproveAndFinishAsync(gate.Id, Cy);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Null(await h.Locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None));
        Assert.Contains("<@U1>'s lock on orders-enricher released", done.Summary);
        var timeline = await h.Recorder.TimelineAsync(done, CancellationToken.None);
        Assert.Contains(timeline, e => e.Kind == TimelineEventKind.Requested && e.Actor == Bo && e.Evidence["holder"] == Ana.Key);
        Assert.Contains(timeline, e => e.Kind == TimelineEventKind.Check && e.Text.Contains("locked by <@U1>", StringComparison.Ordinal));
        Assert.Contains(timeline, e => e.Kind == TimelineEventKind.Decision && e.Actor == Cy);
        Assert.Contains(timeline, e => e.Kind == TimelineEventKind.Step && e.Text.Contains("released", StringComparison.Ordinal));
        Assert.Contains(timeline, e => e.Kind == TimelineEventKind.Transition && e.Text.EndsWith("procedure complete; nothing to validate", StringComparison.Ordinal));
        Assert.True((await h.SayAsync(Upgrade240, Bo)).Accepted);
    }

    [Fact]
    public async Task LockSteal_Approved_GivesTheLockToTheRequester()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink lock orders-enricher --reason \"INC-42\"", Ana);

        var started = await h.SayAsync("/flink lock orders-enricher --steal --reason \"taking over INC-42\" --for 2h", Bo);
        var done = await h.ApproveAndFinishAsync(started.RunId!.Value, Cy);

        Assert.Equal(RunState.Succeeded, done.State);
        var held = (await h.Locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None))!;
        Assert.Equal(Bo.Key, held.Holder.Key);
        Assert.Equal("taking over INC-42", held.Reason);
        Assert.Equal(h.Clock.GetUtcNow().AddHours(2), held.ExpiresAt);
        Assert.False((await h.SayAsync(Upgrade240, Ana)).Accepted);
    }

    [Fact]
    public async Task Steal_Rejected_LeavesTheLockWithItsHolder()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink lock orders-enricher --reason \"INC-42\"", Ana);
        var started = await h.SayAsync("/flink unlock orders-enricher --steal", Bo);
        await h.DriveAsync(started.RunId!.Value, r => r.State == RunState.AwaitingApproval);

        var rejected = await h.Commands.HandleActionAsync(new ChatAction(started.RunId.Value, GateAction.Reject, Cy, EngineHarness.Channel, "ana is still on it"), CancellationToken.None);

        Assert.True(rejected.Accepted, rejected.Text);
        Assert.Equal(RunState.Rejected, (await h.GetAsync(started.RunId.Value)).State);
        Assert.Equal(Ana.Key, (await h.Locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None))!.Holder.Key);
    }

    [Fact]
    public async Task Steal_LockRenewedAfterTheRequest_FailsAndKeepsTheRenewedLock()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink lock orders-enricher --reason \"INC-42\"", Ana);
        var started = await h.SayAsync("/flink unlock orders-enricher --steal", Bo);
        await h.DriveAsync(started.RunId!.Value, r => r.State == RunState.AwaitingApproval);
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        await h.SayAsync("/flink lock orders-enricher --reason \"INC-42, back on it\"", Ana);

        var done = await h.ApproveAndFinishAsync(started.RunId.Value, Cy);

        // Caught by the re-check just before the step that transfers the lock (ConfirmingPlan): nothing changes.
        Assert.Equal(RunState.PreconditionsFailed, done.State);
        Assert.Contains(done.Preconditions, r => r.Outcome == CheckOutcome.Fail && r.Evidence.Contains("the lock changed since the steal was requested", StringComparison.Ordinal));
        Assert.Equal("INC-42, back on it", (await h.Locks.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None))!.Reason);
    }

    [Theory]
    [InlineData("/flink unlock orders-enricher --steal", "is not locked; nothing to steal")]
    [InlineData("/flink unlock orders-enricher", "is not locked; nothing to unlock")]
    public async Task UnlockOrSteal_NoLock_IsRefused(string text, string expected)
    {
        await using var h = await EngineHarness.StartAsync();

        var refused = await h.SayAsync(text, Bo);

        Assert.False(refused.Accepted);
        Assert.Contains(expected, refused.Text);
        Assert.Empty(await h.Runs.ListActiveAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Steal_OwnLock_IsRefused_AndASecondStealPointsAtTheFirst()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.SayAsync("/flink lock orders-enricher --reason \"INC-42\"", Ana);

        var own = await h.SayAsync("/flink unlock orders-enricher --steal", Ana);
        var first = await h.SayAsync("/flink unlock orders-enricher --steal", Bo);
        var second = await h.SayAsync("/flink lock orders-enricher --steal --reason \"me\"", Cy);

        Assert.Contains("You hold the lock on orders-enricher", own.Text);
        Assert.True(first.Accepted, first.Text);
        Assert.False(second.Accepted);
        Assert.Contains($"{first.RunId} already asks to steal the lock", second.Text);
        Assert.Equal(StealLock.RecipeId, Assert.Single(await h.Runs.ListActiveAsync(CancellationToken.None)).RecipeId);
    }
}

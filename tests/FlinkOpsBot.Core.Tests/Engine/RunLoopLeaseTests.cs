using System.Diagnostics;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Runs;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>
/// The loop and the engine under leases, against FlinkSim over HTTP with the harness's manual clock: a foreign lease
/// stops a tick, a graceful stop releases what the loop holds, a killed loop's lease lapses only after its duration.
/// </summary>
public class RunLoopLeaseTests
{
    private const string Upgrade240 = "/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar";
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    private static RunLoop NewLoop(EngineHarness h, string owner) =>
        new(h.Engine, h.Runs, h.Clock, NullLogger<RunLoop>.Instance, new RunLeaseOptions { LeaseOwner = owner, LeaseDuration = Duration });

    [Fact]
    public async Task TickUnderLeaseAsync_RunLeasedToAnotherEngine_ChangesNothingUntilTheLeaseExpires()
    {
        await using var h = await EngineHarness.StartAsync();
        var run = await h.StartUpgradeAsync(Upgrade240);
        var b = new RunLeases(h.Runs, h.Clock, new RunLeaseOptions { LeaseOwner = "host-b", LeaseDuration = Duration });
        var a = new RunLeases(h.Runs, h.Clock, new RunLeaseOptions { LeaseOwner = "host-a", LeaseDuration = Duration });
        await b.ClaimAsync(run.Id, CancellationToken.None);
        var before = (await h.Runs.GetAsync(run.Id, CancellationToken.None))!;

        var next = await h.Engine.TickUnderLeaseAsync(run.Id, a, CancellationToken.None);

        Assert.Equal(h.Clock.GetUtcNow() + Duration, next);
        var after = (await h.Runs.GetAsync(run.Id, CancellationToken.None))!;
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(RunState.Requested, after.Value.State);

        h.Clock.Advance(Duration);
        Assert.Equal(LeaseOutcome.Held, (await a.ClaimAsync(run.Id, CancellationToken.None)).Outcome);
        await h.Engine.TickUnderLeaseAsync(run.Id, a, CancellationToken.None);
        Assert.Equal(RunState.CheckingPreconditions, (await h.GetAsync(run.Id)).State);
    }

    [Fact]
    public async Task ReleaseLeasesAsync_AfterAGracefulStop_LetsAnotherReplicaContinueAtOnce()
    {
        await using var h = await EngineHarness.StartAsync();
        var a = NewLoop(h, "host-a");
        var (run, stop, loop) = await ExecutingUnderAsync(h, a);

        await stop.CancelAsync();
        await loop;
        var released = await a.ReleaseLeasesAsync(CancellationToken.None);

        Assert.Equal(1, released);
        Assert.Null((await h.GetAsync(run.Id)).Lease);
        var b = NewLoop(h, "host-b");
        Assert.Equal(LeaseOutcome.Held, (await b.Leases.ClaimAsync(run.Id, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task ClaimAsync_AfterTheHolderWasKilled_WaitsForTheLeaseToExpire()
    {
        await using var h = await EngineHarness.StartAsync();
        var a = NewLoop(h, "host-a");
        var (run, stop, loop) = await ExecutingUnderAsync(h, a);

        await stop.CancelAsync(); // killed: the leases are not released
        await loop;
        var b = NewLoop(h, "host-b");
        var expiresAt = (await h.GetAsync(run.Id)).Lease!.ExpiresAt;

        var early = await b.Leases.ClaimAsync(run.Id, CancellationToken.None);
        h.Clock.AdvanceTo(expiresAt);
        var late = await b.Leases.ClaimAsync(run.Id, CancellationToken.None);

        Assert.Equal(new LeaseClaim(LeaseOutcome.HeldElsewhere, new RunLease("host-a", expiresAt)), early);
        Assert.Equal(LeaseOutcome.Held, late.Outcome);
        Assert.Equal("host-b", (await h.GetAsync(run.Id)).Lease!.Owner);
    }

    [Fact]
    public async Task StartUpgrade_WhileTheEngineIsStopping_IsRefusedAsRestarting()
    {
        await using var h = await EngineHarness.StartAsync();
        var loop = NewLoop(h, "host-a");
        var commands = new CommandService(h.Recipes, h.Clusters, h.Runs, h.Recorder, h.Locks, loop, h.Clock, NullLogger<CommandService>.Instance, h.Policy);
        loop.BeginStopping();

        var reply = await commands.HandleAsync(new ChatCommand(Upgrade240, EngineHarness.Ana, EngineHarness.Channel), CancellationToken.None);

        Assert.False(reply.Accepted);
        Assert.Equal("The bot is restarting; nothing was started. Try again in a minute.", reply.Text);
        Assert.Empty(await h.Runs.ListActiveAsync(CancellationToken.None));
        Assert.True(loop.IsStopping);
    }

    /// <summary>
    /// Starts an upgrade, runs <paramref name="loop"/> on it, approves at the gate and waits (bounded) until the loop
    /// holds the run's lease while the stop-with-savepoint waits on the (manual) clock.
    /// </summary>
    private static async Task<(Run Run, CancellationTokenSource Stop, Task Loop)> ExecutingUnderAsync(EngineHarness h, RunLoop loop)
    {
        var run = await h.StartUpgradeAsync(Upgrade240);
        var stop = new CancellationTokenSource();
        var running = Task.Run(() => loop.RunAsync(stop.Token));
        await UntilAsync(h, run.Id, r => r.State == RunState.AwaitingApproval);
        var approved = await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);
        Assert.True(approved.Accepted, approved.Text);
        loop.Wake(run.Id);
        var executing = await UntilAsync(h, run.Id, r =>
            r.State is RunState.Executing or RunState.Validating && r.Lease?.Owner == loop.Leases.Owner && r.NextWakeAt > h.Clock.GetUtcNow());
        Assert.True(loop.HeldLeases.ContainsKey(run.Id));
        return (executing, stop, running);
    }

    private static async Task<Run> UntilAsync(EngineHarness h, RunId id, Func<Run, bool> condition)
    {
        var patience = Stopwatch.StartNew();
        while (true)
        {
            var run = await h.GetAsync(id);
            if (condition(run)) return run;
            if (patience.Elapsed > TimeSpan.FromSeconds(20)) throw new Xunit.Sdk.XunitException($"Run {id} is {run.State} (lease {run.Lease}); gave up waiting.");
            await Task.Delay(20);
        }
    }
}

using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>The backfill recipe (cookbook 4.1) end to end against FlinkSim over HTTP.</summary>
public class BackfillRecipeTests
{
    private const string Backfill = "/flink backfill orders-backfill --from orders-enricher --start-timestamp 2026-12-01T00:00:00Z --args \"--sink-topic orders-backfill\" --parallelism 2";

    [Fact]
    public async Task Backfill_CatchesUp_IsCancelledAndProductionIsNeverTouched()
    {
        await using var h = await EngineHarness.StartAsync();
        var production = h.Sim.Cluster.FindJob("orders-enricher")!;

        var run = await h.StartUpgradeAsync(Backfill);
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());
        Assert.All(gate.Preconditions, c => Assert.Equal(CheckOutcome.Pass, c.Outcome));
        Assert.Contains("Program arguments: --start-timestamp 2026-12-01T00:00:00Z --sink-topic orders-backfill", gate.Plan!.Facts);
        Assert.Contains($"Production job (not touched): orders-enricher ({production.JobId})", gate.Plan.Facts);
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.StartsWith("caught up: records lag", done.Procedure[2].Detail);
        Assert.StartsWith($"Backfill orders-backfill (JobID {done.Vars[RunVars.NewJobId]}) caught up", done.Summary);
        var backfill = h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        Assert.Equal("orders-backfill", backfill.Name);
        Assert.Equal("CANCELED", backfill.Status);
        Assert.Equal(production.JarId, backfill.JarId);
        Assert.Equal(["--start-timestamp", "2026-12-01T00:00:00Z", "--sink-topic", "orders-backfill"], backfill.ProgramArgs);
        Assert.Null(backfill.RestoredFrom);
        AssertUntouched(h, production);
    }

    [Fact]
    public async Task Backfill_BoundedJobFinishes_SucceedsWithoutCancelling()
    {
        await using var h = await EngineHarness.StartAsync();
        var production = h.Sim.Cluster.FindJob("orders-enricher")!;
        var run = await h.StartUpgradeAsync(Backfill);
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        await h.Commands.HandleActionAsync(new FlinkOpsBot.Core.Commands.ChatAction(run.Id, FlinkOpsBot.Core.Approvals.GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel),
            CancellationToken.None);
        var running = await h.DriveAsync(run.Id, r => r.Procedure[1].Status == StepStatus.Done || r.State.IsTerminal());
        var backfillId = running.Vars[RunVars.NewJobId];
        h.Sim.Cluster.Faults.SetInputRate(backfillId, 100_000); // far behind: the lag grows, it does not catch up

        var watching = await h.DriveAsync(run.Id, r => r.Procedure[2].Detail?.StartsWith("records lag", StringComparison.Ordinal) == true || r.State.IsTerminal());
        Assert.Equal(StepStatus.Running, watching.Procedure[2].Status);
        // A bounded backfill ends on its own once it has read its range: FINISHED, as stop-with-savepoint leaves a job.
        await h.Platform.StopWithSavepointAsync(backfillId, JobIds.NewHex32(), null, CancellationToken.None);
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.StartsWith($"{backfillId} FINISHED", done.Procedure[2].Detail);
        Assert.Equal(StepStatus.Skipped, done.Procedure[3].Status);
        Assert.StartsWith($"Backfill orders-backfill (JobID {backfillId}) FINISHED", done.Summary);
        AssertUntouched(h, production);
    }

    private static void AssertUntouched(EngineHarness h, FlinkOpsBot.FlinkSim.SimJob production)
    {
        // Whatever the backfill did, production runs as before: same JobID, never stopped, cancelled or rescaled.
        var after = h.Sim.Cluster.FindJob(production.JobId)!;
        Assert.Equal("RUNNING", after.Status);
        Assert.Equal(production.Parallelism, after.Parallelism);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => c.Path.Contains(production.JobId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backfill_NamedLikeTheProductionJob_IsRefusedBeforeAnythingRuns()
    {
        await using var h = await EngineHarness.StartAsync();

        var run = await h.StartUpgradeAsync("/flink backfill orders-enricher --from orders-enricher --start-offsets 0:100");
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        Assert.Contains("named like the production job", Assert.Single(done.Preconditions, c => c.Id == "backfill-source").Evidence);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => c.Method == "POST");
    }

    [Fact]
    public async Task Backfill_WithoutAStartPosition_SaysWhichOptionToPass()
    {
        await using var h = await EngineHarness.StartAsync();

        var run = await h.StartUpgradeAsync("/flink backfill orders-backfill --from orders-enricher");
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        Assert.Equal("pass --start-timestamp or --start-offsets", Assert.Single(done.Preconditions, c => c.Id == "program-arguments").Evidence);
    }

    [Fact]
    public async Task Backfill_JobFails_RollsBackByCancellingOnlyTheBackfill()
    {
        await using var h = await EngineHarness.StartAsync();
        var production = h.Sim.Cluster.FindJob("orders-enricher")!;

        var run = await h.StartUpgradeAsync("/flink backfill orders-backfill --from orders-enricher --jar orders-enricher-2.5.0-faulty.jar --start-offsets 0:100 --parallelism 2");
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        await h.Commands.HandleActionAsync(new FlinkOpsBot.Core.Commands.ChatAction(run.Id, FlinkOpsBot.Core.Approvals.GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel),
            CancellationToken.None);
        var submitted = await h.DriveAsync(run.Id, r => r.Procedure[0].Status == StepStatus.Done || r.State.IsTerminal());
        h.Sim.Cluster.Faults.SetInputRate(submitted.Vars[RunVars.NewJobId], 100_000); // far behind, so it fails before it could catch up
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.RolledBack, done.State);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(production.JobId)!.Status);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => c.Path.Contains(production.JobId, StringComparison.Ordinal));
        Assert.Equal(["--start-offsets", "0:100"], DeployVars.Args(done));
        Assert.Equal(StepStatus.Failed, done.Procedure[2].Status);
        Assert.NotEqual("RUNNING", h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!.Status);
    }
}
